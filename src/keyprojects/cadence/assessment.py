"""The assessment of units and leaders (绩效考核) over a period. Pure: no database. The formula and its worked example
are in docs/assessment.md, asserted by tests/test_assessment_doc.py.

For a unit (its projects, and the problems assigned to it) or a leader (the projects he leads and their problems):

  score        mean weekly score of its projects' rated weeks                      (0–100)
  blue         100 × blue project-weeks / rated project-weeks
  red          100 × (1 − red project-weeks / rated project-weeks)
  problems     100 × problems handled on time / problems due in the period
  observation  mean result of its projects in the observation rounds closed in the period

A component without data (no rated week, no problem due, no observation) is left out and the weights of the others
are renormalised: total = Σ wᵢ·vᵢ / Σ wᵢ, rounded half up to one decimal. Grade by the total: 优秀, 良好, 一般, 较差.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from keyprojects.cadence.choices import Grade

COMPONENTS = ("score", "blue", "red", "problems", "observation")
COMPONENT_LABELS = {
    "score": "周评均分",
    "blue": "蓝牌率",
    "red": "红牌控制",
    "problems": "问题按期办结",
    "observation": "观摩得分",
}
TENTH = Decimal("0.1")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Weights:
    score: Decimal = Decimal(50)
    blue: Decimal = Decimal(15)
    red: Decimal = Decimal(15)
    problems: Decimal = Decimal(10)
    observation: Decimal = Decimal(10)
    excellent_min: Decimal = Decimal(90)
    good_min: Decimal = Decimal(80)
    fair_min: Decimal = Decimal(60)
    source: str = gettext_noop("默认")  # a region's name, or this (translated on the page)

    def weight(self, component: str) -> Decimal:
        return Decimal(getattr(self, component))

    def errors(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for name in COMPONENTS:
            if self.weight(name) < 0:
                label = _(COMPONENT_LABELS[name])
                found[f"weight_{name}"] = _("%(component)s的权重不能为负数。") % {"component": label}
        if not found and sum(self.weight(c) for c in COMPONENTS) <= 0:
            found["weight_score"] = _("各项权重之和须大于0。")
        if not (HUNDRED >= self.excellent_min >= self.good_min >= self.fair_min >= 0):
            found["excellent_min"] = _("等次分数线须满足：100 ≥ 优秀 ≥ 良好 ≥ 一般 ≥ 0。")
        return found


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Inputs:
    rated_weeks: int = 0  # project-weeks with a blue, yellow or red card
    score_sum: float = 0.0  # sum of the scores of those weeks
    blue_weeks: int = 0
    red_weeks: int = 0
    problems_due: int = 0
    problems_on_time: int = 0
    observation: Decimal | None = None  # mean observation result, 0–100


@dataclass
class Result:
    values: dict[str, Decimal | None] = field(default_factory=dict)  # component → 0–100, None when left out
    total: Decimal | None = None
    grade: str = ""


def _pct(part: float, whole: float) -> Decimal:
    return Decimal(str(part)) * HUNDRED / Decimal(str(whole))


def component_values(inputs: Inputs) -> dict[str, Decimal | None]:
    rated = inputs.rated_weeks
    return {
        "score": Decimal(str(inputs.score_sum)) / rated if rated else None,
        "blue": _pct(inputs.blue_weeks, rated) if rated else None,
        "red": HUNDRED - _pct(inputs.red_weeks, rated) if rated else None,
        "problems": _pct(inputs.problems_on_time, inputs.problems_due) if inputs.problems_due else None,
        "observation": inputs.observation,
    }


def grade_of(total: Decimal, weights: Weights) -> str:
    if total >= weights.excellent_min:
        return Grade.EXCELLENT
    if total >= weights.good_min:
        return Grade.GOOD
    if total >= weights.fair_min:
        return Grade.FAIR
    return Grade.POOR


def assess(inputs: Inputs, weights: Weights = DEFAULT_WEIGHTS) -> Result:
    values = component_values(inputs)
    applicable = [c for c in COMPONENTS if values[c] is not None and weights.weight(c) > 0]
    total_weight = sum((weights.weight(c) for c in applicable), Decimal(0))
    if not applicable or total_weight <= 0:
        return Result(values=values)
    weighted = sum((weights.weight(c) * values[c] for c in applicable), Decimal(0))  # type: ignore[operator]
    total = (weighted / total_weight).quantize(TENTH, rounding=ROUND_HALF_UP)
    return Result(values=values, total=total, grade=grade_of(total, weights))
