"""The worked examples of docs/assessment.md, figure by figure."""

from __future__ import annotations

from decimal import Decimal

from keyprojects.cadence.assessment import DEFAULT_WEIGHTS, Inputs, assess
from keyprojects.cadence.observation import round2

D = Decimal


def test_example_1_a_unit_with_every_component() -> None:
    observation = round2((D("86.17") + D("83.13")) / 2)
    assert observation == D("84.65")
    result = assess(
        Inputs(
            rated_weeks=30,
            score_sum=2310.0,
            blue_weeks=12,
            red_weeks=6,
            problems_due=5,
            problems_on_time=4,
            observation=observation,
        )
    )
    assert result.values == {
        "score": D("77"),
        "blue": D("40"),
        "red": D("80"),
        "problems": D("80"),
        "observation": D("84.65"),
    }
    assert result.total == D("73.0")
    assert result.grade == "一般"


def test_example_2_a_leader_without_problems_nor_observation() -> None:
    result = assess(Inputs(rated_weeks=20, score_sum=1760.0, blue_weeks=15, red_weeks=0))
    assert result.values["problems"] is None and result.values["observation"] is None
    assert (result.values["score"], result.values["blue"], result.values["red"]) == (D("88"), D("75"), D("100"))
    assert result.total == D("87.8")
    assert result.grade == "良好"


def test_default_weights_are_the_documented_ones() -> None:
    w = DEFAULT_WEIGHTS
    assert (w.score, w.blue, w.red, w.problems, w.observation) == (50, 15, 15, 10, 10)
    assert (w.excellent_min, w.good_min, w.fair_min) == (90, 80, 60)
