"""Badges of the problem pages."""

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from keyprojects.problems.choices import Channel

register = template.Library()

STATE_CSS = {
    "raised": "text-bg-secondary",
    "consulting": "text-bg-info",
    "assigned": "text-bg-primary",
    "in_progress": "text-bg-warning",
    "resolved": "text-bg-success bg-opacity-75",
    "closed": "text-bg-light border",
}


@register.filter
def state_css(state: str) -> str:
    return STATE_CSS.get(state, "text-bg-secondary")


# The keys of ProblemEvent.details (stored in Chinese, shown in the timeline).
DETAIL_LABELS = {
    "渠道": _("渠道"),
    "办理期限": _("办理期限"),
    "承办单位": _("承办单位"),
    "工作日": _("工作日"),
    "办理结果": _("办理结果"),
    "逾期天数": _("逾期天数"),
    "逾期工作日": _("逾期工作日"),
}


@register.filter
def detail_label(key: Any) -> str:
    """A stored detail key in the active language (unknown keys as they are)."""
    return str(DETAIL_LABELS.get(key, key))


# Stored detail values that are choice labels (ProblemEvent.details["渠道"] holds the channel's Chinese label).
DETAIL_VALUES = {"渠道": {"常规": Channel.NORMAL.label, "直通车": Channel.DIRECT.label}}


@register.filter
def detail_value(value: Any, key: Any) -> Any:
    """A stored detail value in the active language where it is a choice label; other values as they are."""
    label = DETAIL_VALUES.get(key, {}).get(value) if isinstance(value, str) else None
    return value if label is None else str(label)
