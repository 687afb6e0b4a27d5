"""The worked example of docs/observation.md, figure by figure."""

from __future__ import annotations

from decimal import Decimal

from keyprojects.cadence.observation import competition_ranks, sheet_total, trimmed_mean

D = Decimal
WEIGHTS = {"建设进度": D(40), "投资强度": D(30), "科技含量与带动作用": D(20), "现场管理": D(10)}
PROJECT_A = [
    ((90, 85, 80, 95), D("87.00")),
    ((80, 80, 70, 90), D("79.00")),
    ((95, 90, 90, 100), D("93.00")),
    ((85, 88, 75, 80), D("83.40")),
    ((70, 75, 60, 85), D("71.00")),
]


def test_each_judge_total_of_project_a() -> None:
    for scores, total in PROJECT_A:
        assert sheet_total(dict(zip(WEIGHTS, map(D, scores), strict=True)), WEIGHTS) == total


def test_project_a_drops_93_and_71() -> None:
    trimmed = trimmed_mean([total for _, total in PROJECT_A])
    assert trimmed.dropped_high == D("93.00")
    assert trimmed.dropped_low == D("71.00")
    assert trimmed.counted == (D("79.00"), D("83.40"), D("87.00"))
    assert trimmed.result == D("83.13")


def test_project_b_a_harsh_sheet_does_not_sink_it() -> None:
    totals = [D("88.50"), D("84.00"), D("86.00"), D("90.25"), D("60.00")]
    trimmed = trimmed_mean(totals)
    assert (trimmed.dropped_high, trimmed.dropped_low, trimmed.result) == (D("90.25"), D("60.00"), D("86.17"))
    assert sum(totals) / len(totals) == D("81.75")  # the plain mean the document compares with


def test_ranking_b_then_a() -> None:
    assert competition_ranks({"A": D("83.13"), "B": D("86.17")}) == {"A": 2, "B": 1}


def test_two_judges_nothing_dropped() -> None:
    trimmed = trimmed_mean([D("80.00"), D("90.00")])
    assert (trimmed.result, trimmed.dropped_high, trimmed.dropped_low) == (D("85.00"), None, None)
