"""Writes of users and API tokens."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from keyprojects.accounts.choices import Role
from keyprojects.accounts.models import ApiToken, User, hash_token
from keyprojects.audit.actions import Actor, record, record_create
from keyprojects.audit.models import AuditAction

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
        raise ValidationError({"role": f"未知的角色：{role}（可选：{'、'.join(Role.values)}）"})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"用户名“{username}”已存在。"})
    if len(password) < 8:
        raise ValidationError({"password": "密码至少8位。"})
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
            {"负责范围": [None, "、".join(str(x) for x in [*(regions or []), *(units or [])])]},
        )
    return user


@transaction.atomic
def do_create_token(actor: Actor, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Returns the token and its raw value, which is shown once and never stored."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw), prefix=raw[:8])
    record(actor, AuditAction.CREATE, token, {"用途": [None, name], "前缀": [None, token.prefix]})
    return token, raw


@transaction.atomic
def do_revoke_token(actor: Actor, token: ApiToken) -> None:
    token.revoked = True
    token.save(update_fields=["revoked"])
    record(actor, AuditAction.UPDATE, token, {"状态": ["有效", "已吊销"]})
