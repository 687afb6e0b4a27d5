"""Recording audit entries. Called by every action in the same transaction as the write it describes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from keyprojects.audit.models import AuditAction, AuditEntry
from keyprojects.core import clock


@dataclass(frozen=True)
class Actor:
    """Who writes and through which door. `user` is None for the system (jobs) and for CLI runs without a user."""

    user: Any
    source: str
    request_id: UUID | None = None

    @property
    def label(self) -> str:
        if self.user is None:
            return {"cli": "命令行", "system": "系统"}.get(self.source, "系统")
        return str(getattr(self.user, "display_name", None) or self.user.username)


def display_value(value: Any) -> Any:
    """A JSON-safe value as a person reads it (money as plain decimals, dates ISO, objects by their name)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value.normalize())
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple):
        return [display_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): display_value(v) for k, v in value.items()}
    return str(value)


def snapshot(obj: models.Model, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Field values as a person reads them; a choice field gives its label (签约, not "signed")."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, name)
        if getattr(field, "choices", None) and value not in (None, ""):
            value = str(dict(field.flatchoices).get(value, value))  # type: ignore[union-attr]
        values[name] = display_value(value)
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(actor: Actor, action: str, obj: models.Model, changes: dict[str, Any], message: str = "") -> AuditEntry:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the transaction of the write it describes")
    return AuditEntry.objects.create(
        at=clock.now(),
        actor=actor.user,
        actor_label=actor.label[:150],
        source=actor.source,
        request_id=actor.request_id,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        object_version=getattr(obj, "version", None),
        changes=changes,
        message=message[:500],
    )


def record_create(
    actor: Actor, obj: models.Model, fields: list[str] | tuple[str, ...], message: str = ""
) -> AuditEntry:
    after = snapshot(obj, fields)
    return record(
        actor, AuditAction.CREATE, obj, {k: [None, v] for k, v in after.items() if v not in (None, "")}, message
    )


def record_delete(
    actor: Actor, obj: models.Model, fields: list[str] | tuple[str, ...], message: str = ""
) -> AuditEntry:
    before = snapshot(obj, fields)
    return record(
        actor, AuditAction.DELETE, obj, {k: [v, None] for k, v in before.items() if v not in (None, "")}, message
    )
