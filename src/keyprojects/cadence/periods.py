"""Months, quarters and the rating weeks that belong to them. Pure: no database.

A week belongs to the month (or quarter) in which its Sunday falls: the weekly rating of 2024-W13 (25–31 March) is
March's last week; 2024-W18 (29 April – 5 May) belongs to May. Investment "as of" a day is read from the reports of
the weeks that ended by that day, so that a figure never includes days after the period.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from keyprojects.reports.weeks import IsoWeek

_MONTH_RE = re.compile(r"^\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*月?\s*$")
_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


class PeriodError(ValueError):
    """Text that is not a month or quarter."""


def last_week_ending_by(day: dt.date) -> IsoWeek:
    """The latest ISO week whose Sunday is on or before `day`."""
    return IsoWeek.of(day - dt.timedelta(days=(day.weekday() + 1) % 7))


def weeks_between(first: dt.date, last: dt.date) -> list[IsoWeek]:
    """The weeks whose Sunday falls in [first, last], oldest first."""
    weeks = []
    week = last_week_ending_by(last)
    while week.sunday >= first:
        weeks.append(week)
        week = week.shift(-1)
    return list(reversed(weeks))


def reports_cutoff(day: dt.date) -> dt.date:
    """The latest `week_start` of a report that counts as of `day`: its week must have ended (Sunday ≤ day)."""
    return day - dt.timedelta(days=6)


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH_RE.match(text or "")
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise PeriodError(_("“%(text)s”不是有效的月份，应写作“2024-03”") % {"text": text})
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def previous(self) -> Month:
        return Month.of(self.first - dt.timedelta(days=1))

    def weeks(self) -> list[IsoWeek]:
        return weeks_between(self.first, self.last)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER_RE.match(text or "")
        if not match:
            raise PeriodError(_("“%(text)s”不是有效的季度，应写作“2024-Q1”") % {"text": text})
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last(self) -> dt.date:
        return Month(self.year, 3 * self.quarter).last

    def previous(self) -> Quarter:
        return Quarter.of(self.first - dt.timedelta(days=1))

    def months(self) -> list[Month]:
        return [Month(self.year, 3 * self.quarter - 2 + i) for i in range(3)]

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def label(self) -> str:
        return f"{self.year}年{QUARTER_NAMES[self.quarter]}"


def area_word(region_name: str) -> str:
    """“全市”, “全区”, “全县”, “全省” — how a document names the whole of its region."""
    last = region_name[-1:] if region_name else ""
    return f"全{last}" if last in ("省", "市", "区", "县") else "全域"


def child_word(region_level: str) -> str:
    """The name of a region's subdivisions in a ranking's heading."""
    return {"province": "各市", "city": "各县市区", "county": "各镇街", "zone": "各镇街"}.get(region_level, "各区域")


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
