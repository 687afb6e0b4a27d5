"""Working-day deadlines on the real 2024/2025 schedules, with their make-up days, and past the packaged years."""

from __future__ import annotations

import datetime as dt

import pytest

from keyprojects.problems.deadlines import ScheduleError, WorkCalendar, build_schedule, parse_days

D = dt.date
CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # 2024 Spring Festival: 2-10..2-17 off; 2-04 (Sun) and 2-18 (Sun) are make-up working days.
        (D(2024, 2, 8), 3, D(2024, 2, 19)),  # Fri 2-09, Sun 2-18 (make-up), Mon 2-19
        (D(2024, 2, 2), 1, D(2024, 2, 4)),  # the make-up Sunday 2-04 counts
        (D(2024, 2, 9), 1, D(2024, 2, 18)),
        (D(2024, 2, 9), 10, D(2024, 2, 29)),
        # 2024 National Day: 10-01..10-07 off; 9-29 (Sun) and 10-12 (Sat) are make-up working days.
        (D(2024, 9, 27), 3, D(2024, 10, 8)),  # Sun 9-29, Mon 9-30, Tue 10-08
        (D(2024, 9, 30), 10, D(2024, 10, 18)),  # 10-08 … 10-11, Sat 10-12, 10-14 … 10-18
        # 2025 Spring Festival: 1-28..2-04 off; 1-26 (Sun) and 2-08 (Sat) are make-up working days.
        (D(2025, 1, 24), 3, D(2025, 2, 5)),  # Sun 1-26, Mon 1-27, Wed 2-05
        (D(2025, 2, 5), 3, D(2025, 2, 8)),  # Thu 2-06, Fri 2-07, Sat 2-08 (make-up)
        # 2025 National Day with Mid-autumn: 10-01..10-08 off; 9-28 (Sun) and 10-11 (Sat) make-up.
        (D(2025, 9, 26), 3, D(2025, 9, 30)),  # Sun 9-28 (make-up), Mon 9-29, Tue 9-30
        (D(2025, 9, 29), 2, D(2025, 10, 9)),  # Tue 9-30, then Thu 10-09 after eight days off
    ],
)
def test_deadlines_across_holidays(start: dt.date, days: int, due: dt.date) -> None:
    deadline = CAL.add_working_days(start, days)
    assert deadline.day == due
    assert not deadline.approximate and deadline.warning == ""


def test_national_day_2025_ten_working_days() -> None:
    # 9-29, 9-30, then 10-09, 10-10, Sat 10-11 (make-up), 10-13 … 10-17
    assert CAL.add_working_days(D(2025, 9, 26), 10).day == D(2025, 10, 16)
    assert CAL.add_working_days(D(2025, 9, 26), 4).day == D(2025, 10, 9)


def test_working_days_after_counts_make_up_days_and_skips_holidays() -> None:
    assert CAL.working_days_after(D(2024, 2, 8), D(2024, 2, 19)) == 3
    assert CAL.working_days_after(D(2024, 9, 27), D(2024, 10, 12)) == 7  # 9-29, 9-30, 10-08..10-11, 10-12
    assert CAL.working_days_after(D(2024, 4, 1), D(2024, 4, 1)) == 0
    assert CAL.working_days_after(D(2024, 4, 2), D(2024, 4, 1)) == 0


def test_beyond_the_packaged_years_weekends_only_with_a_warning() -> None:
    deadline = CAL.add_working_days(D(2026, 12, 30), 3)  # Thu 12-31 (2026, known), Fri 1-01-2027, Mon 1-04
    assert deadline.day == D(2027, 1, 4)
    assert deadline.approximate_years == (2027,)
    assert deadline.warning == (
        "2027年的法定节假日安排尚未录入，期限仅按周末推算，请核对（管理员可在“节假日安排”中录入）。"
    )
    assert CAL.source(2027) == "weekends" and CAL.source(2026) == "package"


def test_an_entered_year_is_used_and_overrides_nothing_else() -> None:
    schedule = build_schedule(
        2027,
        "2027-01-01 元旦\n2027-02-06 至 2027-02-13 春节\n2027-10-01至10-07 国庆节",
        "2027-02-14 春节调休上班\n2027-10-09 国庆节调休上班",
    )
    cal = WorkCalendar({2027: schedule})
    assert cal.source(2027) == "custom"
    deadline = cal.add_working_days(D(2026, 12, 30), 3)  # 12-31, (1-01 off), Mon 1-04, Tue 1-05
    assert deadline.day == D(2027, 1, 5) and not deadline.approximate
    assert cal.add_working_days(D(2027, 2, 5), 1).day == D(2027, 2, 14)  # the make-up Sunday
    assert cal.is_workday(D(2027, 10, 9)) and not cal.is_workday(D(2027, 10, 4))


def test_schedule_text_errors_are_clear() -> None:
    with pytest.raises(ScheduleError, match="第1行无法识别：“春节放假”"):
        parse_days("春节放假", 2027)
    with pytest.raises(ScheduleError, match="第2行的日期不在2027年内"):
        parse_days("2027-01-01 元旦\n2026-10-01 国庆", 2027)
    with pytest.raises(ScheduleError, match="2027-02-08是工作日，无需登记为调休上班"):
        build_schedule(2027, "2027-02-06 春节", "2027-02-08 调休")
    with pytest.raises(ScheduleError, match="第1行的日期不存在"):
        parse_days("2027-02-30 春节", 2027)


def test_time_limits_are_bounded() -> None:
    with pytest.raises(ValueError, match="办理时限须为1至250个工作日"):
        CAL.add_working_days(D(2024, 4, 1), 0)
