"""Helpers for thin views: who is acting, pagination."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource


def ui_actor(request: HttpRequest) -> Actor:
    return Actor(user=request.user, source=AuditSource.UI, request_id=getattr(request, "request_id", None))


def paginate(request: HttpRequest, queryset: Any, per_page: int | None = None) -> Page:
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
