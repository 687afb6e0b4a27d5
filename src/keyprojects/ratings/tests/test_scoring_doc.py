"""The three worked examples of docs/scoring.md: the numbers printed there are the numbers the code computes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from keyprojects.ratings import scoring
from keyprojects.ratings.choices import Colour, Policy

DOC = (Path(__file__).resolve().parents[4] / "docs" / "scoring.md").read_text(encoding="utf-8")
W13_END = dt.date(2024, 3, 31)


def test_example_1_threshold_every_component() -> None:
    rules = scoring.DEFAULT_RULES
    inputs = scoring.Inputs(
        project_id=1,
        year=2024,
        week_end=W13_END,
        plan_wan=50000,
        invested_wan=10000,
        invested_before_wan=6000,
        milestones=[scoring.MilestoneDue("start", "开工", dt.date(2024, 3, 1), dt.date(2024, 3, 20))],
        report="on_time",
        problems=scoring.ProblemCounts(open=1, overdue_open=0, max_overdue_days=0),
    )
    outcome = scoring.compute(rules, inputs)
    assert round(scoring.plan_fraction(W13_END, 2024), 4) == 0.2486
    assert {k: round(v, 4) for k, v in outcome.components.items() if v is not None} == {
        "investment": 0.8044,
        "milestones": 0.6833,
        "momentum": 1.0,
        "problems": 0.9,
        "reporting": 1.0,
    }
    assert outcome.score == 82.3
    assert scoring.threshold_colour(rules, outcome.score) == Colour.YELLOW
    assert outcome.reasons == [
        "本年完成投资为计划进度的80%",
        "开工节点滞后19天完成",
        "近4周完成投资为同期计划的105%",
        "未解决问题1个",
    ]
    assert outcome.hard_reasons == []
    assert "**82.3**" in DOC and "**黄牌**" in DOC


def test_example_2_renormalised_and_hard_red() -> None:
    rules = scoring.DEFAULT_RULES
    inputs = scoring.Inputs(
        project_id=2,
        year=2024,
        week_end=W13_END,
        plan_wan=None,
        milestones=[scoring.MilestoneDue("production", "投产", dt.date(2024, 2, 15), None)],
        report="missing",
        weeks_without_report=2,
        problems=None,
    )
    outcome = scoring.compute(rules, inputs)
    assert outcome.components == {
        "investment": None,
        "milestones": 0.25,
        "momentum": None,
        "problems": None,
        "reporting": 0.0,
    }
    assert outcome.score == 20.8
    assert outcome.hard_reasons == ["投产节点逾期45天（超过30天）", "连续2周未报送周报"]
    placed = scoring.rank_group(rules, [(2, outcome.score)])[2]
    assert scoring.final_colour(rules, outcome, placed) == Colour.RED
    assert "**20.8**" in DOC and "投产节点逾期45天（超过30天）" in DOC


def test_example_3_rank_policy_with_a_tie() -> None:
    rules = scoring.Rules.from_params(scoring.DEFAULTS | {"policy": Policy.RANK})
    placed = scoring.rank_group(rules, [(1, 92.0), (2, 81.5), (3, 81.5), (4, 70.2), (5, 55.0)])
    assert [placed[i].rank for i in range(1, 6)] == [1, 2, 2, 4, 5]
    assert [placed[i].rank_colour for i in range(1, 6)] == ["blue", "blue", "blue", "yellow", "red"]
    assert "**1, 2, 2, 4, 5**" in DOC and "**蓝, 蓝, 蓝, 黄, 红**" in DOC
