"""Audited, version-checked writes of single objects. Used by the `do_*` functions in each app's actions.py.

Optimistic locking: the caller passes the version the user's form (or API body) was based on. Under a row lock we
compare it with the stored version; if someone else wrote in between, `VersionConflict` carries the current object
and the other person's changes, and nothing is written.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from keyprojects.audit.actions import Actor, diff, record, record_create, record_delete, snapshot
from keyprojects.audit.models import AuditAction, AuditEntry

M = TypeVar("M", bound=models.Model)


class VersionConflict(Exception):
    """The object changed since the user loaded it."""

    def __init__(self, current: models.Model, expected_version: int, others: list[AuditEntry]) -> None:
        self.current = current
        self.expected_version = expected_version
        self.others = others
        who = _("、").join(dict.fromkeys(e.actor_label for e in others)) or _("其他人")
        super().__init__(
            _(
                "保存失败：该记录已被%(who)s修改（您编辑的是第%(expected)s版，当前为第%(current)s版）。"
                "请查看对方的修改后重新提交。"
            )
            % {"who": who, "expected": expected_version, "current": current.version}  # type: ignore[attr-defined]
        )

    def changes(self) -> list[dict[str, Any]]:
        return [
            {"at": e.at.isoformat(), "by": e.actor_label, "version": e.object_version, "changes": e.changes}
            for e in self.others
        ]


def lock_for_update(model: type[M], pk: Any, expected_version: int | None) -> M:
    obj = model._default_manager.select_for_update().get(pk=pk)
    if expected_version is not None and obj.version != expected_version:  # type: ignore[attr-defined]
        from keyprojects.audit.selectors import entries_since

        raise VersionConflict(obj, expected_version, list(entries_since(obj, expected_version)))
    return obj


def create(actor: Actor, obj: M, audit_fields: tuple[str, ...], message: str = "") -> M:
    obj.full_clean()
    obj.save()
    record_create(actor, obj, audit_fields, message)
    return obj


def update(
    actor: Actor,
    model: type[M],
    pk: Any,
    expected_version: int | None,
    values: dict[str, Any],
    audit_fields: tuple[str, ...],
    message: str = "",
) -> M:
    """Apply `values` to the object if its version is still `expected_version`; audit the fields that changed."""
    obj = lock_for_update(model, pk, expected_version)
    before = snapshot(obj, audit_fields)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    changes = diff(before, snapshot(obj, audit_fields))
    if not changes:
        return obj
    obj.version += 1  # type: ignore[attr-defined]
    obj.save()
    record(actor, AuditAction.UPDATE, obj, changes, message)
    return obj


def delete(
    actor: Actor,
    model: type[M],
    pk: Any,
    expected_version: int | None,
    audit_fields: tuple[str, ...],
    message: str = "",
) -> None:
    obj = lock_for_update(model, pk, expected_version)
    record_delete(actor, obj, audit_fields, message)
    try:
        obj.delete()
    except models.ProtectedError as exc:
        raise ValidationError(_("该记录仍被其他数据引用，不能删除。")) from exc
