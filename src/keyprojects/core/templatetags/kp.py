"""Template filters used everywhere: money in 亿元/万元."""

from decimal import Decimal

from django import template

from keyprojects.core.money import format_money, format_wan

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    return format_money(value)


@register.filter
def money_input(value: Decimal | None) -> str:
    return format_wan(value)


@register.filter
def attr(obj: object, name: str) -> object:
    """Value of an attribute or a no-argument method (get_kind_display) for declarative tables."""
    value = getattr(obj, name, None)
    return value() if callable(value) else value


@register.filter
def abs_money(value: Decimal | None) -> str:
    return format_money(abs(value) if value is not None else None)
