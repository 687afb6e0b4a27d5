"""The one clock. Everything that depends on "today" (current week, deadlines, overdue, escalation) reads it.

`KEYPROJECTS_TODAY=2024-04-01` fixes the date (the demo and the tests set it); production uses the real date in
Asia/Shanghai. `is_fixed()` lets the UI show that the clock is set.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _fixed_date() -> dt.date | None:
    value = os.environ.get("KEYPROJECTS_TODAY", "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"KEYPROJECTS_TODAY must be YYYY-MM-DD, got {value!r}") from exc


def is_fixed() -> bool:
    return _fixed_date() is not None


def today() -> dt.date:
    return _fixed_date() or dt.datetime.now(SHANGHAI).date()


def now() -> dt.datetime:
    """Aware datetime in Asia/Shanghai; with a fixed clock, today's date at the current wall-clock time."""
    real = dt.datetime.now(SHANGHAI)
    fixed = _fixed_date()
    if fixed is None:
        return real
    return real.replace(year=fixed.year, month=fixed.month, day=fixed.day)


def current_year() -> int:
    return today().year
