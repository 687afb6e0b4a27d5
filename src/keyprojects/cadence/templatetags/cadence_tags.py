"""Filters of the cadence pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def money_yi(value: Decimal | None) -> str:
    """万元 → 亿元 with two decimals and thousands separators, as in the bulletin's tables."""
    if value is None:
        return "—"
    return f"{Decimal(value) / 10000:,.2f}"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
