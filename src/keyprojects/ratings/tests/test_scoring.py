"""The score formula without a database: properties (hypothesis) and the rules' edge cases."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keyprojects.ratings import scoring
from keyprojects.ratings.choices import Colour, Policy

WEEK_END = dt.date(2024, 6, 30)

reports = st.sampled_from(["on_time", "late", "missing", "pending"])
money = st.integers(min_value=0, max_value=10**9).map(lambda cents: cents / 100)  # 万元 with 2 decimals, as stored
milestone = st.builds(
    scoring.MilestoneDue,
    kind=st.sampled_from(["start", "completion", "production"]),
    label=st.just("开工"),
    planned=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 12, 31)),
    actual=st.one_of(st.none(), st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 12, 31))),
)
problems = st.one_of(
    st.none(),
    st.builds(scoring.ProblemCounts, st.integers(0, 20), st.integers(0, 20), st.integers(0, 200)),
)


@st.composite
def project_inputs(draw: st.DrawFn) -> scoring.Inputs:
    return scoring.Inputs(
        project_id=draw(st.integers(1, 10**6)),
        year=2024,
        week_end=draw(st.dates(min_value=dt.date(2024, 1, 7), max_value=dt.date(2024, 12, 29))),
        plan_wan=draw(st.one_of(st.none(), money)),
        invested_wan=draw(st.one_of(st.none(), money)),
        invested_before_wan=draw(st.one_of(st.none(), money)),
        milestones=draw(st.lists(milestone, max_size=4)),
        report=draw(reports),
        weeks_without_report=draw(st.integers(0, 10)),
        problems=draw(problems),
    )


@given(project_inputs())
def test_score_is_between_0_and_100(inputs: scoring.Inputs) -> None:
    outcome = scoring.compute(scoring.DEFAULT_RULES, inputs)
    assert outcome.score is None or 0 <= outcome.score <= 100
    assert all(v is None or 0 <= v <= 1 for v in outcome.components.values())


@given(project_inputs(), money, money)
def test_score_does_not_decrease_when_more_is_invested(inputs: scoring.Inputs, a: float, b: float) -> None:
    low, high = sorted((a, b))
    inputs.invested_wan = low
    first = scoring.compute(scoring.DEFAULT_RULES, inputs).score
    inputs.invested_wan = high
    second = scoring.compute(scoring.DEFAULT_RULES, inputs).score
    assert (first is None and second is None) or second >= first  # type: ignore[operator]


@given(project_inputs())
def test_a_missing_component_renormalises(inputs: scoring.Inputs) -> None:
    """Without the problem loop the score is the weighted mean of the other components, not a penalty."""
    inputs.problems = None
    outcome = scoring.compute(scoring.DEFAULT_RULES, inputs)
    applicable = {k: v for k, v in outcome.components.items() if v is not None}
    assert "problems" not in applicable
    if not applicable:
        assert outcome.score is None
        return
    weights = {k: scoring.DEFAULT_RULES.weight(k) for k in applicable}
    expected = 100 * sum(weights[k] * v for k, v in applicable.items()) / sum(weights.values())
    assert outcome.score == pytest.approx(expected, abs=0.051)


@given(project_inputs())
def test_computing_twice_gives_the_same_outcome(inputs: scoring.Inputs) -> None:
    rules = scoring.Rules.from_params(scoring.DEFAULTS | {"policy": Policy.NODE_LAG})
    assert scoring.compute(rules, inputs) == scoring.compute(rules, inputs)


@settings(max_examples=200)
@given(
    st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=80, unique=True),
    st.floats(min_value=0, max_value=0.5),
    st.floats(min_value=0, max_value=0.5),
)
def test_rank_policy_yields_the_configured_shares(scores: list[float], blue: float, red: float) -> None:
    rules = scoring.Rules.from_params(
        scoring.DEFAULTS | {"policy": Policy.RANK, "rank_blue_share": blue, "rank_red_share": red}
    )
    placed = scoring.rank_group(rules, list(enumerate(scores)))
    colours = [p.rank_colour for p in placed.values()]
    n = len(scores)
    n_blue = scoring.share_count(n, blue)
    assert colours.count(Colour.BLUE) == n_blue
    assert colours.count(Colour.RED) == min(scoring.share_count(n, red), n - n_blue)
    # the best scores are blue, the worst red
    by_score = sorted(placed.items(), key=lambda item: -scores[item[0]])
    assert all(p.rank_colour == Colour.BLUE for _, p in by_score[:n_blue])


@given(st.lists(st.sampled_from([50.0, 60.0, 70.0]), min_size=2, max_size=30))
def test_ties_share_rank_and_the_better_colour(scores: list[float]) -> None:
    rules = scoring.Rules.from_params(scoring.DEFAULTS | {"policy": Policy.RANK})
    placed = scoring.rank_group(rules, list(enumerate(scores)))
    for i, a in enumerate(scores):
        for j, b in enumerate(scores):
            if a == b:
                assert placed[i].rank == placed[j].rank and placed[i].rank_colour == placed[j].rank_colour


def test_plan_fraction_linear_and_curve() -> None:
    assert scoring.plan_fraction(dt.date(2024, 12, 31), 2024) == 1.0
    assert scoring.plan_fraction(dt.date(2023, 12, 31), 2024) == 0.0  # 2024-W01 has no day in 2023, but 2025-W01 does
    assert scoring.plan_fraction(dt.date(2025, 1, 2), 2024) == 1.0
    curve = [0.0, 0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    assert scoring.plan_fraction(dt.date(2024, 2, 29), 2024, curve) == 0.0
    assert scoring.plan_fraction(dt.date(2024, 4, 15), 2024, curve) == pytest.approx(0.15)


def test_reporting_values_and_missing_streak() -> None:
    base = scoring.Inputs(project_id=1, year=2024, week_end=WEEK_END, plan_wan=None)
    values = {}
    for status in ("on_time", "late", "missing", "pending"):
        base.report = status
        base.weeks_without_report = 1
        values[status] = scoring.compute(scoring.DEFAULT_RULES, base).components["reporting"]
    assert values == {"on_time": 1.0, "late": 0.4, "missing": 0.0, "pending": None}
    base.report, base.weeks_without_report = "missing", 1
    assert scoring.compute(scoring.DEFAULT_RULES, base).hard_reasons == []
    base.weeks_without_report = 3
    assert scoring.compute(scoring.DEFAULT_RULES, base).hard_reasons == ["连续3周未报送周报"]


def test_problem_component_and_hard_red() -> None:
    inputs = scoring.Inputs(
        project_id=1,
        year=2024,
        week_end=WEEK_END,
        plan_wan=None,
        report="on_time",
        problems=scoring.ProblemCounts(open=3, overdue_open=2, max_overdue_days=31),
    )
    outcome = scoring.compute(scoring.DEFAULT_RULES, inputs)
    assert outcome.components["problems"] == pytest.approx(0.0)  # 1 − 0.8 − 0.3 → 0
    assert outcome.reasons == ["未填报年度计划投资，投资进度不参与评分", "未解决问题3个，其中逾期2个"]
    assert outcome.hard_reasons == ["问题逾期31天未解决（超过30天）"]


def test_node_lag_preset() -> None:
    rules = scoring.Rules.from_params(scoring.PRESETS["node_lag"][1])
    start = scoring.MilestoneDue("start", "开工", dt.date(2024, 3, 10), None)

    def colour(week_end: dt.date, invested: float) -> tuple[str, list[str]]:
        inputs = scoring.Inputs(
            project_id=1,
            year=2024,
            week_end=week_end,
            plan_wan=10000,
            invested_wan=invested,
            milestones=[start],
            report="on_time",
        )
        outcome = scoring.compute(rules, inputs)
        return scoring.final_colour(rules, outcome, scoring.rank_group(rules, [(1, outcome.score)])[1]), outcome.reasons

    # 2024-03-31: the start month has not ended yet; 25% of the year due, 20% invested → 5 points behind: blue
    assert colour(dt.date(2024, 3, 31), 2000)[0] == Colour.BLUE
    # 2024-04-07: start month missed → yellow
    found, reasons = colour(dt.date(2024, 4, 7), 2600)
    assert found == Colour.YELLOW and "计划2024年3月开工，未按期开工" in reasons
    # 2024-06-16: more than 3 months after 03-10 → red
    found, reasons = colour(dt.date(2024, 6, 16), 4500)
    assert found == Colour.RED and "计划2024年3月开工，滞后超过3个月仍未开工" in reasons
    # progress alone: 2024-04-07, started on time, 26.8% due, 10% invested → 17 points behind → yellow
    started = scoring.MilestoneDue("start", "开工", dt.date(2024, 3, 10), dt.date(2024, 3, 10))
    inputs = scoring.Inputs(
        project_id=1,
        year=2024,
        week_end=dt.date(2024, 4, 7),
        plan_wan=10000,
        invested_wan=1000,
        milestones=[started],
        report="on_time",
    )
    outcome = scoring.compute(rules, inputs)
    assert outcome.node_colour == Colour.YELLOW and outcome.reasons[-1] == "投资进度落后序时进度17个百分点"


def test_rules_validation_names_every_bad_parameter() -> None:
    with pytest.raises(scoring.RulesError) as caught:
        scoring.Rules.from_params({"blue_min": 120, "policy": "lottery", "momentum_weeks": 2.5})
    assert caught.value.errors == {
        "policy": "评色方式：未知的选项“lottery”",
        "blue_min": "蓝牌分数线（不低于）：应在0到100之间",
        "momentum_weeks": "近期势头统计周数：应为整数",
    }
    with pytest.raises(scoring.RulesError, match="红牌分数线不能高于蓝牌分数线"):
        scoring.Rules.from_params({"blue_min": 50, "red_below": 70})
