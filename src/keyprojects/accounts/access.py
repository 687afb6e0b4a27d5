"""Fetch-and-authorise in one call (after Zulip's access_stream_by_id): an object outside the user's scope and an
object that does not exist give the same answer, 404, so that existence does not leak."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from keyprojects.accounts.permissions import has_perm
from keyprojects.accounts.scope import scope_of

M = TypeVar("M", bound=models.Model)


def access_object(user: Any, queryset: models.QuerySet[M], pk: Any) -> M:
    try:
        return queryset.for_user(user).get(pk=pk)  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("未找到该记录，或您无权查看。")) from exc


def require_perm(user: Any, perm: str) -> None:
    """`user` None is the system itself (CLI without a user, scheduled jobs): it may do anything."""
    if user is None:
        return
    if not has_perm(user, perm):
        raise PermissionDenied(_("您的角色无权执行此操作。"))


def require_region_in_scope(user: Any, region: Any) -> None:
    """A write may only place an object inside the writer's region scope (a unit scope gives no region rights)."""
    if user is None:  # system and CLI writes
        return
    scope = scope_of(user)
    if scope.unrestricted:
        return
    if not any(region.path.startswith(p) for p in scope.region_paths):
        raise PermissionDenied(_("“%(region)s”不在您的管辖范围内。") % {"region": region})
