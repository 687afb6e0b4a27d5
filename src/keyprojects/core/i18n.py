"""Translation for the pure modules (money parsing, list-file reading, the gazetteer), which must also work where
Django is not set up: a script, or a child process that never called django.setup(). There they speak Chinese, the
language of the msgids; once Django's apps are loaded they speak the active language like everything else.

Use as Django's own: ``from keyprojects.core.i18n import gettext as _`` (makemessages extracts ``_``, ``gettext`` and
``gettext_noop`` calls whatever module they come from).
"""

from __future__ import annotations

from django.apps import apps
from django.utils import translation

__all__ = ["active_language", "gettext", "gettext_noop"]


def gettext(message: str) -> str:
    """The translation of ``message`` in the active language; ``message`` itself while Django's apps are not loaded."""
    if not apps.apps_ready:
        return message
    return translation.gettext(message)


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation without translating it (Django's gettext_noop needs configured settings)."""
    return message


def active_language() -> str | None:
    """The active language code; ``None`` while Django's apps are not loaded."""
    if not apps.apps_ready:
        return None
    return translation.get_language()
