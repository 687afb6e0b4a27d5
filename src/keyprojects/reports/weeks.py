"""ISO weeks in Asia/Shanghai ("2024-W13"), the reporting deadline of a week. Pure: no database.

A week is identified by its Monday (stored as `week_start`); its ISO year decides the plan year it is rated against.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from keyprojects.core import clock

_WEEK_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Ww]\s*(\d{1,2})\s*$")
WEEKDAY_NAMES = [
    gettext_noop("周一"),
    gettext_noop("周二"),
    gettext_noop("周三"),
    gettext_noop("周四"),
    gettext_noop("周五"),
    gettext_noop("周六"),
    gettext_noop("周日"),
]


def weekday_name(weekday: int) -> str:
    """周一 … 周日 in the reader's language (weekday 0 = Monday)."""
    return _(WEEKDAY_NAMES[weekday])


class WeekError(ValueError):
    """Text that is not an ISO week."""


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        match = _WEEK_RE.match(text or "")
        if not match:
            raise WeekError(_("“%(text)s”不是有效的周次，应写作“2024-W13”") % {"text": text})
        year, week = int(match.group(1)), int(match.group(2))
        try:
            dt.date.fromisocalendar(year, week, 1)
        except ValueError as exc:
            raise WeekError(_("%(year)s年没有第%(week)s周") % {"year": year, "week": week}) from exc
        return cls(year, week)

    @classmethod
    def of(cls, day: dt.date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def current(cls) -> IsoWeek:
        return cls.of(clock.today())

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    def shift(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + dt.timedelta(weeks=weeks))

    def deadline(self, weekday: int, at: dt.time) -> dt.datetime:
        """The moment reports for this week are due (weekday 0 = Monday), aware, Asia/Shanghai."""
        return dt.datetime.combine(self.monday + dt.timedelta(days=weekday), at, tzinfo=clock.SHANGHAI)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def label(self) -> str:
        """2024年第13周（03.25—03.31）: always Chinese, since other rooms store it (meeting agendas)."""
        return f"{self.year}年第{self.week}周（{self.monday:%m.%d}—{self.sunday:%m.%d}）"

    @property
    def display_label(self) -> str:
        """`label` in the reader's language, for pages and downloads."""
        return _("%(year)s年第%(week)s周（%(monday)s—%(sunday)s）") % {
            "year": self.year,
            "week": self.week,
            "monday": f"{self.monday:%m.%d}",
            "sunday": f"{self.sunday:%m.%d}",
        }


def week_of_start(week_start: dt.date) -> IsoWeek:
    return IsoWeek.of(week_start)
