"""Reporting settings: deadline, tolerated excess over total investment, photo limits.

Each reads a Django setting first, then the environment, then the default, so that a deployment changes them without
code: `KEYPROJECTS_REPORT_DEADLINE="4 18:00"` (weekday 0 = Monday, time in Asia/Shanghai) is the default, Friday 18:00.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Any

from django.conf import settings


def _value(name: str, default: str) -> Any:
    return getattr(settings, name, None) or os.environ.get(name) or default


def deadline_rule() -> tuple[int, dt.time]:
    """(weekday, time) of the weekly deadline. "4 18:00" = Friday 18:00."""
    text = str(_value("KEYPROJECTS_REPORT_DEADLINE", "4 18:00")).strip()
    try:
        day_text, time_text = text.split()
        weekday = int(day_text)
        at = dt.time.fromisoformat(time_text)
    except ValueError as exc:
        raise ValueError(f"KEYPROJECTS_REPORT_DEADLINE must look like '4 18:00', got {text!r}") from exc
    if not 0 <= weekday <= 6:
        raise ValueError(f"KEYPROJECTS_REPORT_DEADLINE weekday must be 0..6, got {weekday}")
    return weekday, at


def over_total_margin() -> Decimal:
    """Cumulative investment may exceed the project's total investment by this share before it is flagged."""
    return Decimal(str(_value("KEYPROJECTS_REPORT_OVER_TOTAL_MARGIN", "0.10")))


def photo_max_bytes() -> int:
    return int(_value("KEYPROJECTS_REPORT_PHOTO_MAX_BYTES", str(10 * 1024 * 1024)))


def photo_max_distance_km() -> float:
    return float(_value("KEYPROJECTS_REPORT_PHOTO_MAX_DISTANCE_KM", "3"))
