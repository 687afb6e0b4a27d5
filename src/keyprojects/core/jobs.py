"""Periodic jobs (DESIGN §6): each is a management command, idempotent, run by `keyprojects scheduler` or by cron.

A room registers its jobs here with one line. `cadence` is one of:
  "weekly:<weekday 0=Mon>:<HH:MM>"   e.g. "weekly:0:06:00" — the Monday rating
  "daily:<HH:MM>"                    e.g. "daily:07:30"   — the overdue sweep
  "monthly:<day>:<HH:MM>"            e.g. "monthly:2:08:00" — the monthly bulletin (day 1–28)
  "every:<minutes>"                  e.g. "every:5"       — delivering queued notifications
Times are Asia/Shanghai. The scheduler records each run (job name + period key) so that a job runs once per period even
when the scheduler restarts; the commands themselves are idempotent as well, so cron can call them directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str
    cadence: str
    command: str  # management command name
    args: tuple[str, ...] = ()


JOBS: list[Job] = [
    # Rooms add their jobs here, e.g. Job("rate-week", "weekly:0:06:00", "rate", ("--week", "last")).
    Job("rate-week", "weekly:0:06:00", "rate", ("--week", "last")),
    Job("problems-overdue-sweep", "daily:07:30", "sweep_problems"),
    Job("deliver-notifications", "every:1", "deliver"),
    # The bulletin of the month before, once its last week has been rated (the Monday rating runs at 06:00).
    Job("monthly-bulletin", "monthly:2:08:00", "bulletin", ("--month", "last")),
]


def period_key(cadence: str, now: dt.datetime) -> str | None:
    """The period a run at `now` belongs to, or None when the job is not due yet in the current period."""
    kind, _, rest = cadence.partition(":")
    if kind == "every":
        minutes = int(rest)
        if minutes <= 0:
            raise ValueError(f"bad cadence {cadence!r}")
        slot = (now.hour * 60 + now.minute) // minutes
        return f"{now:%Y-%m-%d}#{slot}"
    if kind == "daily":
        hour, minute = (int(x) for x in rest.split(":"))
        if (now.hour, now.minute) < (hour, minute):
            return None
        return f"{now:%Y-%m-%d}"
    if kind == "monthly":
        day_text, _, time_text = rest.partition(":")
        try:
            day = int(day_text)
            hour, minute = (int(x) for x in time_text.split(":"))
        except ValueError as exc:
            raise ValueError(f"bad cadence {cadence!r}") from exc
        if not 1 <= day <= 28:
            raise ValueError(f"bad cadence {cadence!r}")
        if (now.day, now.hour, now.minute) < (day, hour, minute):
            return None
        return f"{now:%Y-%m}"
    if kind == "weekly":
        weekday_text, _, time_text = rest.partition(":")
        weekday = int(weekday_text)
        hour, minute = (int(x) for x in time_text.split(":"))
        monday = now.date() - dt.timedelta(days=now.weekday())
        due = dt.datetime.combine(monday + dt.timedelta(days=weekday), dt.time(hour, minute), tzinfo=now.tzinfo)
        if now < due:
            return None
        iso = due.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    raise ValueError(f"bad cadence {cadence!r}")
