"""Writes of users and API tokens."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from keyprojects.accounts.access import require_perm, require_region_in_scope
from keyprojects.accounts.choices import Role
from keyprojects.accounts.models import ApiToken, User, hash_token
from keyprojects.accounts.permissions import USERS_MANAGE
from keyprojects.accounts.scope import forget_scope
from keyprojects.audit.actions import Actor, record, record_create
from keyprojects.audit.models import AuditAction
from keyprojects.core import editing

USER_FIELDS = ("username", "full_name", "role", "is_active")


@transaction.atomic
def do_create_user(
    actor: Actor,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    regions: list[Any] | None = None,
    units: list[Any] | None = None,
    person: Any = None,
) -> User:
    if role not in Role.values:
        message = _("未知的角色：%(role)s（可选：%(choices)s）") % {"role": role, "choices": _("、").join(Role.values)}
        raise ValidationError({"role": message})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("用户名“%(username)s”已存在。") % {"username": username}})
    if len(password) < 8:
        raise ValidationError({"password": _("密码至少8位。")})
    user = User(username=username, role=role, full_name=full_name, person=person, is_staff=role == Role.ADMIN)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.scope_regions.set(regions or [])
    user.scope_units.set(units or [])
    record_create(actor, user, USER_FIELDS)
    if regions or units:
        record(
            actor,
            AuditAction.UPDATE,
            user,
            {gettext_noop("负责范围"): [None, "、".join(str(x) for x in [*(regions or []), *(units or [])])]},
        )
    return user


@transaction.atomic
def do_create_token(actor: Actor, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Returns the token and its raw value, which is shown once and never stored."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw), prefix=raw[:8])
    changes = {gettext_noop("用途"): [None, name], gettext_noop("前缀"): [None, token.prefix]}
    record(actor, AuditAction.CREATE, token, changes)
    return token, raw


@transaction.atomic
def do_revoke_token(actor: Actor, token: ApiToken) -> None:
    token.revoked = True
    token.save(update_fields=["revoked"])
    record(actor, AuditAction.UPDATE, token, {gettext_noop("状态"): ["有效", "已吊销"]})


def _check_grant(actor: Actor, role: str, regions: list[Any], units: list[Any]) -> None:
    """A manager may only give roles and scopes it holds itself: no administrators, nothing outside its subtree."""
    if actor.user is None:
        return
    require_perm(actor.user, USERS_MANAGE)
    if role == Role.ADMIN and actor.user.role != Role.ADMIN:
        raise PermissionDenied(_("只有系统管理员可以设置系统管理员角色。"))
    for region in regions:
        require_region_in_scope(actor.user, region)
    for unit in units:
        require_region_in_scope(actor.user, unit.region)


@transaction.atomic
def do_create_managed_user(
    actor: Actor,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    regions: list[Any] | None = None,
    units: list[Any] | None = None,
    person: Any = None,
) -> User:
    _check_grant(actor, role, regions or [], units or [])
    return do_create_user(actor, username, password, role, full_name, regions, units, person)


@transaction.atomic
def do_update_user(
    actor: Actor,
    user: User,
    expected_version: int | None,
    *,
    role: str,
    full_name: str,
    is_active: bool,
    regions: list[Any],
    units: list[Any],
) -> User:
    _check_grant(actor, role, regions, units)
    if actor.user is not None and actor.user.pk == user.pk and (role != user.role or not is_active):
        raise ValidationError(_("不能修改自己的角色或停用自己的账号。"))
    before_scope = "、".join(str(x) for x in [*user.scope_regions.all(), *user.scope_units.all()])
    updated = editing.update(
        actor,
        User,
        user.pk,
        expected_version,
        {"role": role, "full_name": full_name, "is_active": is_active, "is_staff": role == Role.ADMIN},
        USER_FIELDS,
    )
    updated.scope_regions.set(regions)
    updated.scope_units.set(units)
    after_scope = "、".join(str(x) for x in [*regions, *units])
    if before_scope != after_scope:
        record(actor, AuditAction.UPDATE, updated, {gettext_noop("负责范围"): [before_scope, after_scope]})
    forget_scope(updated)
    return updated
