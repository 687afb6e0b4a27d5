"""Badges of the problem pages."""

from django import template

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
