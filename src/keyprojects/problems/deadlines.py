"""Working days on the official Chinese holiday calendar, with its make-up working days (调休). Pure: no database.

The packaged calendar (`chinese_calendar`, see docs/decisions.md) knows the years the State Council has published
(2004–2026 in 1.11) and raises for later ones. Each November/December the next year's schedule is published; an
administrator enters it in the app (problems.models.CalendarYear) and it is passed in here as a `YearSchedule`, which
takes precedence over the package for its year. For a year known to neither, only weekends are days off and every
result says so (`Deadline.approximate_years`), so that the page can show a warning on the deadline — never a crash.

Counting convention: "N working days from D" is the N-th working day after D (D itself does not count), the way a
交办 on Thursday with 3 working days is due on the following Tuesday.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import chinese_calendar
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

PACKAGE_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
MAX_WORKING_DAYS = 250  # one working year; more is a typing error, not a deadline


@dataclass(frozen=True)
class YearSchedule:
    """One year's official arrangement as an administrator entered it: the days off that fall on weekdays or
    weekends (holidays) and the weekend days that are working days (make-up days, 调休上班)."""

    year: int
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    approximate_years: tuple[int, ...] = ()

    @property
    def approximate(self) -> bool:
        return bool(self.approximate_years)

    @property
    def warning(self) -> str:
        """In the active language; problems.actions stores it in Chinese (Problem.deadline_warning)."""
        return approximation_warning(self.approximate_years)


def approximation_warning(years: Iterable[int]) -> str:
    years = sorted(set(years))
    if not years:
        return ""
    names = pgettext("list separator", "、").join(_("%(year)s年") % {"year": y} for y in years)
    return _("%(years)s的法定节假日安排尚未录入，期限仅按周末推算，请核对（管理员可在“节假日安排”中录入）。") % {
        "years": names
    }


def warning_years(text: str) -> list[int]:
    """The years named in a warning stored in Chinese ("2027年、2028年的法定节假日安排尚未录入…")."""
    return [int(y) for y in re.findall(r"(\d{4})年", text)]


class WorkCalendar:
    """Which days are working days. `custom` holds administrator-entered years; they override the package."""

    def __init__(self, custom: Mapping[int, YearSchedule] | None = None) -> None:
        self.custom: dict[int, YearSchedule] = dict(custom or {})

    def source(self, year: int) -> str:
        """ "custom", "package" or "weekends" — where the answer for `year` comes from."""
        if year in self.custom:
            return "custom"
        if year in PACKAGE_YEARS:
            return "package"
        return "weekends"

    def is_known(self, year: int) -> bool:
        return self.source(year) != "weekends"

    def is_workday(self, day: dt.date) -> bool:
        source = self.source(day.year)
        if source == "custom":
            schedule = self.custom[day.year]
            if day in schedule.workdays:
                return True
            if day in schedule.holidays:
                return False
            return day.weekday() < 5
        if source == "package":
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> Deadline:
        """The `days`-th working day after `start` (start itself not counted)."""
        if days < 1 or days > MAX_WORKING_DAYS:
            raise ValueError(_("办理时限须为1至%(max)s个工作日。") % {"max": MAX_WORKING_DAYS})
        day, counted, unknown = start, 0, set()
        while counted < days:
            day += dt.timedelta(days=1)
            if not self.is_known(day.year):
                unknown.add(day.year)
            if self.is_workday(day):
                counted += 1
        return Deadline(day, tuple(sorted(unknown)))

    def working_days_after(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie in (start, end]; 0 when end ≤ start (how many working days a problem is late)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def unknown_years(self, start: dt.date, end: dt.date) -> tuple[int, ...]:
        return tuple(y for y in range(start.year, end.year + 1) if not self.is_known(y))


# --- entering a schedule as text -------------------------------------------------------------------------------

_DATE = r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?"
_LINE = re.compile(
    rf"^{_DATE}(?:\s*(?:至|到|~|～|—|-{{1,2}})\s*(?:{_DATE}|(\d{{1,2}})[-./月](\d{{1,2}})日?|(\d{{1,2}})日))?\s*(.*)$"
)


class ScheduleError(ValueError):
    """A line of an entered schedule that cannot be read."""


def parse_days(text: str, year: int) -> dict[dt.date, str]:
    """Read lines such as "2027-02-06 至 2027-02-13 春节", "2027-10-01至10-07 国庆节", "2027-02-20 春节调休上班" into
    {date: name}. Every date must fall in `year`."""
    days: dict[dt.date, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("（", "(").replace("）", ")")
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            raise ScheduleError(
                _("第%(line)s行无法识别：“%(text)s”。请写成“2027-02-06 至 2027-02-13 春节”。")
                % {"line": number, "text": raw.strip()}
            )
        g = match.groups()
        try:
            first = dt.date(int(g[0]), int(g[1]), int(g[2]))
            if g[3]:
                last = dt.date(int(g[3]), int(g[4]), int(g[5]))
            elif g[6]:
                last = dt.date(first.year, int(g[6]), int(g[7]))
            elif g[8]:
                last = dt.date(first.year, first.month, int(g[8]))
            else:
                last = first
        except ValueError as exc:
            raise ScheduleError(
                _("第%(line)s行的日期不存在：“%(text)s”。") % {"line": number, "text": raw.strip()}
            ) from exc
        if last < first:
            raise ScheduleError(_("第%(line)s行的结束日期早于开始日期。") % {"line": number})
        if first.year != year or last.year != year:
            raise ScheduleError(_("第%(line)s行的日期不在%(year)s年内。") % {"line": number, "year": year})
        if (last - first).days > 31:
            raise ScheduleError(_("第%(line)s行的假期超过一个月，请检查。") % {"line": number})
        name = g[9].strip() or "节假日"  # stored as the day's name: data, not translated
        day = first
        while day <= last:
            days[day] = name
            day += dt.timedelta(days=1)
    return days


def build_schedule(year: int, holidays_text: str, workdays_text: str) -> YearSchedule:
    holidays = parse_days(holidays_text, year)
    workdays = parse_days(workdays_text, year)
    both = sorted(set(holidays) & set(workdays))
    if both:
        raise ScheduleError(_("%(day)s既是放假日又是调休上班日。") % {"day": both[0].isoformat()})
    weekday_workdays = [d for d in workdays if d.weekday() < 5]
    if weekday_workdays:
        raise ScheduleError(
            _("%(day)s是工作日，无需登记为调休上班。") % {"day": weekday_workdays[0].isoformat()}
        )
    return YearSchedule(year, frozenset(holidays), frozenset(workdays))
