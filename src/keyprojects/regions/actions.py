"""Writes of regions (admins only: the tree is the official division table, plus functional zones and towns)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from keyprojects.accounts.access import require_perm
from keyprojects.accounts.permissions import REGION_CHANGE
from keyprojects.audit.actions import Actor
from keyprojects.core import editing
from keyprojects.regions.models import Region

REGION_FIELDS = ("code", "name", "short_name", "full_name", "level", "parent", "aliases")


@transaction.atomic
def do_create_region(actor: Actor, **values: Any) -> Region:
    require_perm(actor.user, REGION_CHANGE)
    parent = values.get("parent")
    region = Region(path="/pending/", **values)
    region = editing.create(actor, region, REGION_FIELDS)
    region.path = (parent.path if parent else "/") + f"{region.pk}/"
    region.save(update_fields=["path"])
    return region


@transaction.atomic
def do_update_region(actor: Actor, region: Region, expected_version: int | None, **values: Any) -> Region:
    require_perm(actor.user, REGION_CHANGE)
    if "parent" in values and values["parent"] != region.parent:
        raise ValidationError({"parent": _("不能通过编辑移动区域；请新建区域。")})
    return editing.update(actor, Region, region.pk, expected_version, values, REGION_FIELDS)


@transaction.atomic
def do_delete_region(actor: Actor, region: Region, expected_version: int | None) -> None:
    require_perm(actor.user, REGION_CHANGE)
    if region.children.exists():
        raise ValidationError(_("该区域下还有下级区域，不能删除。"))
    editing.delete(actor, Region, region.pk, expected_version, REGION_FIELDS)
