"""Shared API pieces: the actor of an API call, money input, pagination."""

from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from pydantic import BeforeValidator

from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.core.money import MoneyError, parse_money_wan


def api_actor(request: HttpRequest) -> Actor:
    return Actor(user=request.auth, source=AuditSource.API, request_id=getattr(request, "request_id", None))  # type: ignore[attr-defined]


def _money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return parse_money_wan(value)
    except MoneyError as exc:
        raise ValueError(_("无法识别的金额：%(reason)s") % {"reason": exc}) from exc


MoneyIn = Annotated[Decimal | None, BeforeValidator(_money)]


def require_version(version: int | None) -> int:
    if version is None:
        raise ValidationError({"version": _("修改和删除必须提供 version（读取时得到的版本号），以免覆盖他人的修改。")})
    return version
