"""The pure pieces of the cadence: months and quarters, trimmed means and ranks, the assessment's edge cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from keyprojects.cadence.actions import parse_criteria
from keyprojects.cadence.assessment import Inputs, Weights, assess
from keyprojects.cadence.observation import ScoreError, check_scores, competition_ranks, sheet_total, trimmed_mean
from keyprojects.cadence.periods import Month, PeriodError, Quarter, area_word, last_week_ending_by, weeks_between
from keyprojects.core.jobs import period_key
from keyprojects.reports.weeks import IsoWeek

D = Decimal
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_a_month_owns_the_weeks_whose_sunday_falls_in_it() -> None:
    assert Month(2024, 3).weeks() == [IsoWeek(2024, w) for w in range(9, 14)]
    # April 2024 ends on a Tuesday: W18 (29 April – 5 May) belongs to May.
    assert Month(2024, 4).weeks() == [IsoWeek(2024, w) for w in range(14, 18)]
    assert last_week_ending_by(dt.date(2024, 3, 31)) == IsoWeek(2024, 13)
    assert last_week_ending_by(dt.date(2024, 4, 1)) == IsoWeek(2024, 13)
    assert weeks_between(dt.date(2024, 1, 1), dt.date(2024, 1, 6)) == []


def test_month_and_quarter_text() -> None:
    assert Month.parse("2024-03") == Month(2024, 3) == Month.parse("2024年3月")
    assert str(Month(2024, 3)) == "2024-03" and Month(2024, 1).previous() == Month(2023, 12)
    assert Quarter.parse("2024-q2") == Quarter(2024, 2)
    assert Quarter(2024, 1).last == dt.date(2024, 3, 31) and Quarter(2024, 1).label == "2024年第一季度"
    with pytest.raises(PeriodError, match="“2024-13”不是有效的月份，应写作“2024-03”"):
        Month.parse("2024-13")
    with pytest.raises(PeriodError, match="“2024Q5”不是有效的季度，应写作“2024-Q1”"):
        Quarter.parse("2024Q5")


def test_area_words() -> None:
    names = ("潍坊市", "寒亭区", "昌乐县", "山东省", "高新")
    assert [area_word(n) for n in names] == ["全市", "全区", "全县", "全省", "全域"]


def test_scores_must_be_complete_and_between_0_and_100() -> None:
    names = {1: "建设进度", 2: "投资强度"}
    with pytest.raises(ScoreError) as missing:
        check_scores({1: D(80)}, names)
    assert missing.value.errors == {"2": "请为“投资强度”打分。"}
    with pytest.raises(ScoreError) as out_of_range:
        check_scores({1: D(101), 2: D(50)}, names)
    assert out_of_range.value.errors == {"1": "“建设进度”的得分须在0到100之间。"}
    assert sheet_total({1: D("80.5"), 2: D(90)}, {1: D(1), 2: D(2)}) == D("86.83")


def test_trimming_drops_one_of_each_even_when_shared() -> None:
    trimmed = trimmed_mean([D(90), D(90), D(70), D(70), D(80)])
    assert trimmed.counted == (D(70), D(80), D(90)) and trimmed.result == D("80.00")
    assert trimmed_mean([]).result is None
    assert trimmed_mean([D(77)]).result == D("77.00")


def test_equal_results_share_the_better_rank() -> None:
    ranks = competition_ranks({"a": D(92), "b": D("81.5"), "c": D("81.5"), "d": D(70), "e": None})
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4, "e": None}


def test_assessment_without_any_data_has_no_total() -> None:
    assert assess(Inputs()).total is None
    assert assess(Inputs()).grade == ""


def test_assessment_weights_are_validated() -> None:
    assert Weights(score=D(-1)).errors() == {"weight_score": "周评均分的权重不能为负数。"}
    assert Weights(excellent_min=D(70), good_min=D(80)).errors() == {
        "excellent_min": "等次分数线须满足：100 ≥ 优秀 ≥ 良好 ≥ 一般 ≥ 0。"
    }
    zero = Weights(score=D(0), blue=D(0), red=D(0), problems=D(0), observation=D(0))
    assert zero.errors() == {"weight_score": "各项权重之和须大于0。"}


def test_criteria_lines() -> None:
    assert parse_criteria("建设进度 40\n投资强度，30\n\n现场管理\t10分") == [
        ("建设进度", D(40)),
        ("投资强度", D(30)),
        ("现场管理", D(10)),
    ]
    with pytest.raises(Exception, match="第2行“投资强度”应写作“指标名称 权重”。"):
        parse_criteria("建设进度 40\n投资强度")


def test_monthly_cadence_of_the_scheduler() -> None:
    """“monthly:<day>:<HH:MM>”: once a month, from the given day and time on (the bulletin job)."""
    assert period_key("monthly:2:08:00", dt.datetime(2024, 4, 1, 9, 0, tzinfo=SHANGHAI)) is None
    assert period_key("monthly:2:08:00", dt.datetime(2024, 4, 2, 7, 59, tzinfo=SHANGHAI)) is None
    assert period_key("monthly:2:08:00", dt.datetime(2024, 4, 2, 8, 0, tzinfo=SHANGHAI)) == "2024-04"
    assert period_key("monthly:2:08:00", dt.datetime(2024, 4, 30, 23, 0, tzinfo=SHANGHAI)) == "2024-04"


def test_only_one_of_equal_extremes_is_marked_as_dropped() -> None:
    from keyprojects.cadence.selectors import TargetResult

    totals = [D(90), D(80), D(90), D(70), D(70)]
    result = TargetResult(target=None, totals=totals, trimmed=trimmed_mean(totals))  # type: ignore[arg-type]
    assert result.marked_totals() == [(D(90), True), (D(90), False), (D(80), False), (D(70), False), (D(70), True)]
    two = [D(80), D(90)]
    assert TargetResult(target=None, totals=two, trimmed=trimmed_mean(two)).marked_totals() == [  # type: ignore[arg-type]
        (D(90), False),
        (D(80), False),
    ]
    with pytest.raises(ValueError, match="bad cadence"):
        period_key("monthly:30:08:00", dt.datetime(2024, 4, 30, 9, 0, tzinfo=SHANGHAI))
