"""Writes of units, people and task forces. Each is atomic and audited."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from keyprojects.accounts.access import require_perm, require_region_in_scope
from keyprojects.accounts.permissions import DIRECTORY_CHANGE
from keyprojects.audit.actions import Actor
from keyprojects.core import editing
from keyprojects.directory.models import Person, TaskForce, Unit

UNIT_FIELDS = ("name", "short_name", "kind", "region", "phone")
PERSON_FIELDS = ("name", "title", "region", "unit", "phone", "is_leader")
TASK_FORCE_FIELDS = ("name", "region", "unit", "head")
FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Unit: UNIT_FIELDS,
    Person: PERSON_FIELDS,
    TaskForce: TASK_FORCE_FIELDS,
}


def _authorise(actor: Actor, region: Any) -> None:
    require_perm(actor.user, DIRECTORY_CHANGE)
    require_region_in_scope(actor.user, region)


@transaction.atomic
def do_create_entry(actor: Actor, model: type[Unit | Person | TaskForce], **values: Any) -> Any:
    _authorise(actor, values["region"])
    members = values.pop("members", None)
    obj = editing.create(actor, model(**values), FIELDS[model])
    if members is not None and isinstance(obj, TaskForce):
        obj.members.set(members)
    return obj


@transaction.atomic
def do_update_entry(actor: Actor, obj: Unit | Person | TaskForce, expected_version: int | None, **values: Any) -> Any:
    _authorise(actor, obj.region)
    _authorise(actor, values.get("region", obj.region))
    members = values.pop("members", None)
    updated = editing.update(actor, type(obj), obj.pk, expected_version, values, FIELDS[type(obj)])
    if members is not None and isinstance(updated, TaskForce):
        updated.members.set(members)
    return updated


@transaction.atomic
def do_delete_entry(actor: Actor, obj: Unit | Person | TaskForce, expected_version: int | None) -> None:
    _authorise(actor, obj.region)
    editing.delete(actor, type(obj), obj.pk, expected_version, FIELDS[type(obj)])
