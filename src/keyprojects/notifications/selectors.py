"""Reads of notices: a user's inbox, robots and the outbox within the user's scope, who receives what."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from keyprojects.accounts.choices import Role
from keyprojects.accounts.models import User
from keyprojects.notifications.models import Delivery, DeliveryStatus, NoticeRecipient, Webhook
from keyprojects.regions.models import Region


def ancestor_paths(path: str) -> list[str]:
    """ "/1/13/126/" → ["/1/", "/1/13/", "/1/13/126/"]: the region and every region above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def webhooks_for_region(region: Region) -> list[Webhook]:
    """The region's own enabled robots, and those of regions above it that include their subregions."""
    above = [p for p in ancestor_paths(region.path) if p != region.path]
    return list(
        Webhook.objects.filter(enabled=True)
        .filter(Q(region=region) | Q(region__path__in=above, include_subregions=True))
        .order_by("pk")
    )


def inbox(user: Any) -> QuerySet[NoticeRecipient]:
    return NoticeRecipient.objects.filter(user=user).select_related("notice").order_by("-notice__created_at", "-pk")


def unread_count(user: Any) -> int:
    return NoticeRecipient.objects.filter(user=user, read_at__isnull=True).count()


def webhooks_for(user: Any) -> QuerySet[Webhook]:
    return Webhook.objects.for_user(user).select_related("region").order_by("region__path", "name")


def outbox_for(user: Any, status: str = "") -> QuerySet[Delivery]:
    qs = Delivery.objects.for_user(user).select_related("notice", "webhook")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def outbox_counts(user: Any) -> dict[str, int]:
    rows = Delivery.objects.for_user(user).order_by().values("status").annotate(n=Count("pk"))
    counts = {s.value: 0 for s in DeliveryStatus}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


# --- who receives what -----------------------------------------------------------------------------------------


def users_of_unit(unit_id: int | None) -> list[User]:
    if unit_id is None:
        return []
    return list(User.objects.filter(is_active=True, scope_units=unit_id).order_by("pk").distinct())


def supervisors_of(region: Region) -> list[User]:
    """Supervisors whose scope covers the region (its own, or a region above it)."""
    return list(
        User.objects.filter(is_active=True, role=Role.SUPERVISOR, scope_regions__path__in=ancestor_paths(region.path))
        .order_by("pk")
        .distinct()
    )


def users_of_person(person_id: int | None) -> list[User]:
    if person_id is None:
        return []
    return list(User.objects.filter(is_active=True, person_id=person_id))
