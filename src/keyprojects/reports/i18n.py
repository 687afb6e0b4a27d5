"""Language helpers of the reports and ratings rooms.

What a person reads follows the request's language (zh-hans by default, English available; the msgids are the
Chinese text). What is *stored* — rating reasons, audit values, notices — is always written in the default language,
whatever the language of the request that writes it, so that the database never mixes languages; where it can be, it
is translated when it is shown (ratings.reasons).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


def default_language() -> translation.override:
    """`with default_language():` — the block writes stored text in the default language."""
    return translation.override(settings.LANGUAGE_CODE)


def stored(text: Any) -> str:
    """A (lazy) label as it is stored: in the default language."""
    with default_language():
        return str(text)


def is_default_language() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE).lower() == settings.LANGUAGE_CODE.lower()


def join_list(items: Iterable[Any]) -> str:
    """甲、乙、丙 / "a, b, c"."""
    # Translators: the separator of a list of names.
    return _("、").join(str(i) for i in items)


def join_messages(items: Iterable[Any]) -> str:
    """Several messages in one line: 甲；乙 / "a; b"."""
    # Translators: the separator of several messages in one line.
    return _("；").join(str(i) for i in items)


def day_text(value: dt.date) -> str:
    # Translators: a Python strftime format for a full date.
    return value.strftime(_("%Y年%m月%d日"))


def month_day_text(value: dt.date) -> str:
    # Translators: a Python strftime format for a day of the year.
    return value.strftime(_("%m月%d日"))


def month_day_time_text(value: dt.datetime) -> str:
    # Translators: a Python strftime format for a day of the year and a time.
    return value.strftime(_("%m月%d日 %H:%M"))
