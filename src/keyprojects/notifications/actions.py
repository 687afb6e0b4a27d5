"""The only writes of notices, deliveries and robots.

`do_notify` is the contract other rooms call (the problem sweeps, the weekly rating's 督办): it writes the notice, its
in-app copies and its outbox rows in the caller's transaction, or nothing at all when its `dedupe_key` was used
before — which is what makes a sweep that runs twice in a day send each notice once. Sending happens afterwards, in
`do_deliver_pending` (the `deliver` job), so that a slow or broken robot never holds up a page or rolls back a write.

A notice is not audited (the notice row is its own record); robot configuration and manual retries are.

Language: notices (titles, bodies, e-mails, robot messages) are addressed to Chinese staff groups and are written in
Chinese by their callers; they are not translated. So are the delivery log (`last_error`, `DeliveryAttempt.detail`) and
the audit entries, which are stored records.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation

from keyprojects.accounts.access import require_perm, require_region_in_scope
from keyprojects.accounts.models import User
from keyprojects.accounts.permissions import NOTIFY_MANAGE
from keyprojects.audit.actions import Actor, record
from keyprojects.audit.models import AuditAction
from keyprojects.core import clock, editing
from keyprojects.notifications import channels
from keyprojects.notifications.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryChannel,
    DeliveryStatus,
    Notice,
    NoticeRecipient,
    Webhook,
)
from keyprojects.notifications.selectors import webhooks_for_region
from keyprojects.regions.models import Region

logger = logging.getLogger("keyprojects.notifications")

MAX_ATTEMPTS = 10
LEASE = dt.timedelta(minutes=5)
WEBHOOK_FIELDS = ("region", "kind", "name", "include_subregions", "enabled")  # not the address: it holds a token


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4 … minutes after each failure, at most an hour: ten attempts span about six hours."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def do_notify(
    *,
    kind: str,
    title: str,
    body: str,
    recipients: list[User],
    region: Region | None,
    link: str = "",
    dedupe_key: str,
) -> Notice | None:
    """Write a notice for `recipients` (in-app and e-mail) and the group robots of `region`; None when `dedupe_key`
    was already used, in which case nothing is written or sent."""
    with transaction.atomic():
        if Notice.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        now = clock.now()
        try:
            with transaction.atomic():  # a savepoint: a concurrent sweep that wrote the same key first wins
                notice = Notice.objects.create(
                    kind=kind[:50],
                    title=title[:200],
                    body=body,
                    link=link[:300],
                    region=region,
                    dedupe_key=dedupe_key[:200],
                    created_at=now,
                )
        except IntegrityError:
            return None
        users = list({u.pk: u for u in recipients if u is not None and u.is_active}.values())
        NoticeRecipient.objects.bulk_create([NoticeRecipient(notice=notice, user=u) for u in users])
        deliveries = [
            Delivery(
                notice=notice,
                channel=DeliveryChannel.EMAIL,
                target=u.email,
                user=u,
                next_attempt_at=now,
                created_at=now,
            )
            for u in users
            if u.email
        ]
        if region is not None:
            deliveries += [
                Delivery(notice=notice, channel=w.kind, target=w.name, webhook=w, next_attempt_at=now, created_at=now)
                for w in webhooks_for_region(region)
            ]
        Delivery.objects.bulk_create(deliveries)
    return notice


@dataclass
class DeliverResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def _claim(now: dt.datetime, limit: int) -> list[int]:
    """Take due rows under a lease so that two deliverers never send the same row at once; a deliverer that dies
    mid-send leaves a lease that expires, and the row is sent again (at least once, never lost)."""
    with transaction.atomic():
        due = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING], next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("next_attempt_at", "pk")
        )
        ids = list(due.values_list("pk", flat=True)[:limit])
        Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.SENDING, claimed_until=now + LEASE)
    return ids


def _send(delivery: Delivery) -> str:
    notice = delivery.notice
    if delivery.channel == DeliveryChannel.EMAIL:
        return channels.send_email(delivery.target, notice.title, notice.body, notice.link)
    hook = delivery.webhook
    if hook is None:
        raise channels.DeliveryError("该群机器人已被删除。")
    if not hook.enabled:
        raise channels.DeliveryError("该群机器人已停用。")
    return channels.post_robot(hook.kind, hook.url, hook.secret, notice.title, notice.body, notice.link)


def do_deliver_pending(limit: int = 200) -> DeliverResult:
    """Send what is due in the outbox; retry failures with back-off; give up (visibly) after MAX_ATTEMPTS."""
    result = DeliverResult()
    now = clock.now()
    ids = _claim(now, limit)
    for delivery in Delivery.objects.filter(pk__in=ids).select_related("notice", "webhook").order_by("pk"):
        try:
            detail, ok = _send(delivery), True
        except channels.DeliveryError as exc:
            detail, ok = str(exc), False
        except Exception as exc:  # noqa: BLE001 - an unexpected error must not lose the row either
            logger.exception("delivery %s failed unexpectedly", delivery.pk)
            detail, ok = f"内部错误：{exc!r}", False
        at = clock.now()
        with transaction.atomic():
            DeliveryAttempt.objects.create(delivery=delivery, at=at, ok=ok, detail=detail[:500])
            delivery.attempts += 1
            delivery.claimed_until = None
            if ok:
                delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.SENT, at, ""
                result.sent += 1
                logger.info("delivery %s sent (%s → %s)", delivery.pk, delivery.channel, delivery.target)
            else:
                delivery.last_error = detail[:500]
                if delivery.attempts >= MAX_ATTEMPTS:
                    delivery.status = DeliveryStatus.FAILED
                    result.failed += 1
                    logger.error("delivery %s gave up after %s attempts: %s", delivery.pk, delivery.attempts, detail)
                else:
                    delivery.status = DeliveryStatus.PENDING
                    delivery.next_attempt_at = at + backoff(delivery.attempts)
                    result.retrying += 1
                    logger.warning(
                        "delivery %s failed (attempt %s), will retry: %s", delivery.pk, delivery.attempts, detail
                    )
            delivery.save(
                update_fields=["attempts", "claimed_until", "status", "sent_at", "last_error", "next_attempt_at"]
            )
    return result


@transaction.atomic
def do_retry_deliveries(actor: Actor, deliveries: Iterable[Delivery]) -> int:
    """Put deliveries that gave up (or are waiting) back in the queue now, e.g. after a robot's address was fixed."""
    require_perm(actor.user, NOTIFY_MANAGE)
    count = 0
    now = clock.now()
    for delivery in deliveries:
        if delivery.status == DeliveryStatus.SENT:
            continue
        with translation.override(settings.LANGUAGE_CODE):  # the audit entry is a stored record: Chinese
            change = [str(delivery.get_status_display()), str(DeliveryStatus.PENDING.label)]
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING, next_attempt_at=now, claimed_until=None
        )
        record(actor, AuditAction.UPDATE, delivery, {"状态": change}, "重新投递")
        count += 1
    return count


@transaction.atomic
def do_mark_read(user: User, notice_ids: list[int] | None = None) -> int:
    """Mark the user's own notices read (all when `notice_ids` is None). A user's own inbox state: not audited."""
    qs = NoticeRecipient.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(notice_id__in=notice_ids)
    return qs.update(read_at=clock.now())


def _authorise_webhook(actor: Actor, region: Region) -> None:
    require_perm(actor.user, NOTIFY_MANAGE)
    require_region_in_scope(actor.user, region)


@transaction.atomic
def do_create_webhook(actor: Actor, **values: Any) -> Webhook:
    _authorise_webhook(actor, values["region"])
    return editing.create(actor, Webhook(**values), WEBHOOK_FIELDS)


@transaction.atomic
def do_update_webhook(actor: Actor, hook: Webhook, expected_version: int | None, **values: Any) -> Webhook:
    _authorise_webhook(actor, hook.region)
    if "region" in values:
        _authorise_webhook(actor, values["region"])
    return editing.update(actor, Webhook, hook.pk, expected_version, values, WEBHOOK_FIELDS)


@transaction.atomic
def do_delete_webhook(actor: Actor, hook: Webhook, expected_version: int | None) -> None:
    _authorise_webhook(actor, hook.region)
    editing.delete(actor, Webhook, hook.pk, expected_version, WEBHOOK_FIELDS)
