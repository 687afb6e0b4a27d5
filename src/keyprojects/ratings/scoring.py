"""The weekly score and the 蓝黄红 card (DESIGN §4). Pure: no database; tested without one.

For a project and ISO week w, with annual plan P (万元), f(w) the share of the plan due by the end of w (linear over
the year, or the monthly curve) and C the investment completed this year as of the latest report ≤ w:

  investment   clamp(C / (P·f(w)), 0, 1)
  milestones   mean over milestones due by w of 1 − days late / 60, clamped to 0..1 (met or not)
  momentum     clamp(ΔC over the last 4 weeks / (P·Δf), 0, 1)
  problems     max(0, 1 − 0.4·overdue_open − 0.1·open)
  reporting    1 on time, 0.4 late, 0 missing

A component that does not apply (no plan, no milestone due, no problem data, the deadline not yet passed) is left out
and the weights of the others are renormalised. Score = 100 · Σ wᵢ·vᵢ / Σ wᵢ over the components that apply.
Colour: `threshold` (blue ≥ 85, red < 60), `rank` (top 30% of the comparison group blue, bottom 20% red) or
`node_lag` (start and investment lag, the rule other cities use). Hard red, whatever the score: no report for 2 weeks,
a milestone more than 30 days overdue, a problem more than 30 days overdue. Every number is a rule-set parameter.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from keyprojects.ratings import reasons as R
from keyprojects.ratings.choices import COLOUR_ORDER, Colour, GroupBy, Policy
from keyprojects.reports.i18n import join_list, join_messages

COMPONENTS = ("investment", "milestones", "momentum", "problems", "reporting")
# Labels here are msgids: stored as they are (audit entries), translated where they are shown.
COMPONENT_LABELS = {
    "investment": gettext_noop("投资完成"),
    "milestones": gettext_noop("节点完成"),
    "momentum": gettext_noop("近期势头"),
    "problems": gettext_noop("问题解决"),
    "reporting": gettext_noop("按时报送"),
}


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    label: str  # a msgid: stored in audit entries as it is, translated where it is shown
    kind: str  # "float" | "int" | "choice"
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[tuple[str, str | Promise], ...] = ()  # (code, lazy label)


PARAMS: tuple[Param, ...] = (
    Param("policy", gettext_noop("评色方式"), "choice", Policy.THRESHOLD, choices=tuple(Policy.choices)),
    Param(
        "group_by",
        gettext_noop("比较组（排名范围）"),
        "choice",
        GroupBy.DISTRICT,
        choices=tuple(GroupBy.choices),
    ),
    Param("weight_investment", gettext_noop("权重：投资完成"), "float", 45, 0, 100),
    Param("weight_milestones", gettext_noop("权重：节点完成"), "float", 25, 0, 100),
    Param("weight_momentum", gettext_noop("权重：近期势头"), "float", 15, 0, 100),
    Param("weight_problems", gettext_noop("权重：问题解决"), "float", 10, 0, 100),
    Param("weight_reporting", gettext_noop("权重：按时报送"), "float", 5, 0, 100),
    Param("blue_min", gettext_noop("蓝牌分数线（不低于）"), "float", 85, 0, 100),
    Param("red_below", gettext_noop("红牌分数线（低于）"), "float", 60, 0, 100),
    Param("rank_blue_share", gettext_noop("比拼：蓝牌比例（前）"), "float", 0.30, 0, 1),
    Param("rank_red_share", gettext_noop("比拼：红牌比例（后）"), "float", 0.20, 0, 1),
    Param("milestone_zero_days", gettext_noop("节点逾期多少天得0分"), "int", 60, 1, 365),
    Param("momentum_weeks", gettext_noop("近期势头统计周数"), "int", 4, 1, 26),
    Param("problem_overdue_weight", gettext_noop("每个逾期问题扣分比例"), "float", 0.4, 0, 1),
    Param("problem_open_weight", gettext_noop("每个未解决问题扣分比例"), "float", 0.1, 0, 1),
    Param("late_value", gettext_noop("迟报得分比例"), "float", 0.4, 0, 1),
    Param("hard_missing_weeks", gettext_noop("连续几周未报直接亮红牌（0为不启用）"), "int", 2, 0, 52),
    Param("hard_milestone_days", gettext_noop("节点逾期超过几天直接亮红牌（0为不启用）"), "int", 30, 0, 365),
    Param("hard_problem_days", gettext_noop("问题逾期超过几天直接亮红牌（0为不启用）"), "int", 30, 0, 365),
    Param("node_start_red_months", gettext_noop("节点滞后：开工滞后超过几个月亮红牌"), "int", 3, 1, 24),
    Param("node_progress_yellow_points", gettext_noop("节点滞后：投资进度落后几个百分点起亮黄牌"), "float", 10, 0, 100),
    Param("node_progress_red_points", gettext_noop("节点滞后：投资进度落后超过几个百分点亮红牌"), "float", 30, 0, 100),
    Param("escalate_red_weeks", gettext_noop("连续几周红牌自动督办"), "int", 2, 1, 52),
    Param("summons_after_weeks", gettext_noop("督办后仍红牌几周列入约谈名单"), "int", 2, 1, 52),
)
PARAMS_BY_NAME = {p.name: p for p in PARAMS}
DEFAULTS: dict[str, Any] = {p.name: p.default for p in PARAMS}
# preset → (name, a msgid: stored in the first version's note as it is, translated in the form; parameters)
PRESETS: dict[str, tuple[str, dict[str, Any]]] = {
    "default": (gettext_noop("默认规则（分数线）"), dict(DEFAULTS)),
    "rank": (gettext_noop("比拼规则（组内排名）"), DEFAULTS | {"policy": Policy.RANK}),
    "node_lag": (gettext_noop("节点滞后规则"), DEFAULTS | {"policy": Policy.NODE_LAG}),
}


class RulesError(ValueError):
    """Bad rule parameters; the messages are in the reader's language."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(join_messages(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Rules:
    policy: str
    group_by: str
    weight_investment: float
    weight_milestones: float
    weight_momentum: float
    weight_problems: float
    weight_reporting: float
    blue_min: float
    red_below: float
    rank_blue_share: float
    rank_red_share: float
    milestone_zero_days: int
    momentum_weeks: int
    problem_overdue_weight: float
    problem_open_weight: float
    late_value: float
    hard_missing_weeks: int
    hard_milestone_days: int
    hard_problem_days: int
    node_start_red_months: int
    node_progress_yellow_points: float
    node_progress_red_points: float
    escalate_red_weeks: int
    summons_after_weeks: int

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Rules:
        """Validate a parameter dict (missing names take the default); RulesError names every bad parameter."""
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        unknown = set(params) - set(PARAMS_BY_NAME)
        if unknown:
            errors["__all__"] = _("未知的参数：%(names)s") % {"names": join_list(sorted(unknown))}
        for p in PARAMS:
            raw = params.get(p.name, p.default)
            label = _(p.label)
            if p.kind == "choice":
                if raw not in {c for c, _label in p.choices}:
                    errors[p.name] = _("%(label)s：未知的选项“%(value)s”") % {"label": label, "value": raw}
                values[p.name] = str(raw)
                continue
            try:
                number = float(raw)
            except (TypeError, ValueError):
                errors[p.name] = _("%(label)s：应为数字") % {"label": label}
                continue
            if not math.isfinite(number) or (p.kind == "int" and not number.is_integer()):
                if p.kind == "int":
                    errors[p.name] = _("%(label)s：应为整数") % {"label": label}
                else:
                    errors[p.name] = _("%(label)s：应为数字") % {"label": label}
                continue
            if (p.minimum is not None and number < p.minimum) or (p.maximum is not None and number > p.maximum):
                errors[p.name] = _("%(label)s：应在%(minimum)s到%(maximum)s之间") % {
                    "label": label,
                    "minimum": _num(p.minimum),
                    "maximum": _num(p.maximum),
                }
                continue
            values[p.name] = int(number) if p.kind == "int" else number
        if not errors:
            if sum(values[f"weight_{c}"] for c in COMPONENTS) <= 0:
                errors["weight_investment"] = _("各项权重之和须大于0")
            if values["red_below"] > values["blue_min"]:
                errors["red_below"] = _("红牌分数线不能高于蓝牌分数线")
            if values["rank_blue_share"] + values["rank_red_share"] > 1:
                errors["rank_red_share"] = _("蓝牌比例与红牌比例之和不能超过1")
            if values["node_progress_yellow_points"] > values["node_progress_red_points"]:
                errors["node_progress_yellow_points"] = _("黄牌的落后百分点不能大于红牌的")
        if errors:
            raise RulesError(errors)
        return cls(**values)

    def weight(self, component: str) -> float:
        return self.weights[component]

    @cached_property
    def weights(self) -> dict[str, float]:
        return {c: float(getattr(self, f"weight_{c}")) for c in COMPONENTS}

    @cached_property
    def weight_list(self) -> tuple[float, ...]:
        """The weights in the order of COMPONENTS."""
        return tuple(self.weights[c] for c in COMPONENTS)

    def params(self) -> dict[str, Any]:
        return {p.name: getattr(self, p.name) for p in PARAMS}


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


DEFAULT_RULES = Rules.from_params(DEFAULTS)


# --- inputs and outcome ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MilestoneDue:
    kind: str
    label: str
    planned: dt.date
    actual: dt.date | None


@dataclass(frozen=True, slots=True)
class ProblemCounts:
    open: int
    overdue_open: int
    max_overdue_days: int


@dataclass(slots=True)
class Inputs:
    project_id: int
    year: int  # the plan year: the ISO year of the week
    week_end: dt.date  # Sunday of the week
    plan_wan: float | None
    curve: Sequence[float] | None = None  # cumulative share of the plan at each month's end
    invested_wan: float | None = None  # C; None when the project has no report this year
    invested_before_wan: float | None = None  # C as of the week `momentum_weeks` earlier; None = nothing yet
    milestones: list[MilestoneDue] = field(default_factory=list)
    report: str = "missing"  # on_time | late | missing | pending (deadline not reached)
    weeks_without_report: int = 0  # consecutive weeks up to and including w without a report
    problems: ProblemCounts | None = None  # None: the problem loop is not available


@dataclass(slots=True)
class Outcome:
    project_id: int
    components: dict[str, float | None]
    score: float | None
    reasons: list[str]
    hard_reasons: list[str]
    node_colour: str | None = None

    @property
    def hard_red(self) -> bool:
        return bool(self.hard_reasons)


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def plan_fraction(day: dt.date, year: int, curve: Sequence[float] | None = None) -> float:
    """Share of the year's plan due by the end of `day`: linear in the days of the year, or the monthly curve
    (cumulative share at each month's end) interpolated linearly inside the month."""
    if day.year < year:
        return 0.0
    if day.year > year:
        return 1.0
    if not curve:
        return _linear_fraction(day, year)
    previous = float(curve[day.month - 2]) if day.month > 1 else 0.0
    days = calendar.monthrange(year, day.month)[1]
    return clamp(previous + (float(curve[day.month - 1]) - previous) * day.day / days)


@lru_cache(maxsize=1024)
def _linear_fraction(day: dt.date, year: int) -> float:
    days_in_year = 366 if calendar.isleap(year) else 365
    return (day.toordinal() - dt.date(year, 1, 1).toordinal() + 1) / days_in_year


def _pct(value: float) -> int:
    """A ratio as a whole percentage for the reasons; beyond 10000% the exact figure says nothing more."""
    return math.floor(min(value, 100.0) * 100 + 0.5)


def _months_after(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=4096)
def _fractions(week_end: dt.date, year: int, curve: tuple[float, ...] | None, weeks: int) -> tuple[float, float]:
    """f(w) and f(w) − f(w − weeks): the same for every project of a week that shares a curve (most have none)."""
    f_now = plan_fraction(week_end, year, curve)
    return f_now, f_now - plan_fraction(week_end - dt.timedelta(weeks=weeks), year, curve)


def compute(rules: Rules, inp: Inputs) -> Outcome:
    """Components, score, reasons and hard-red reasons of one project for one week. Called once per project and
    week (tens of thousands of times a run): plain local arithmetic, no helper calls on the common path."""
    reasons: list[str] = []
    hard: list[str] = []
    curve = inp.curve
    week_end = inp.week_end
    k = rules.momentum_weeks
    f_now, delta_f = _fractions(
        week_end, inp.year, curve if curve is None or isinstance(curve, tuple) else tuple(curve), k
    )
    invested = inp.invested_wan or 0.0
    plan = inp.plan_wan or 0.0
    investment = milestones = momentum = problems = reporting = None

    # investment
    if plan > 0 and f_now > 0:
        ratio = invested / (plan * f_now)
        investment = 0.0 if ratio < 0 else 1.0 if ratio > 1 else ratio
        reasons.append(_INVESTMENT % {"percent": math.floor(min(ratio, 100.0) * 100 + 0.5)})
    elif not plan:
        reasons.append(_NO_PLAN)

    # milestones due by the end of the week
    if inp.milestones:
        due = [m for m in inp.milestones if m.planned <= week_end]
        if due:
            total = 0.0
            for m in sorted(due, key=_planned) if len(due) > 1 else due:
                met = m.actual is not None and m.actual <= week_end
                late = ((m.actual if met else week_end) - m.planned).days  # type: ignore[operator]
                total += clamp(1 - max(late, 0) / rules.milestone_zero_days)
                if met and late > 0:
                    reasons.append(R.MILESTONE_DONE_LATE(milestone=m.label, days=late))
                elif not met and late > 0:
                    if rules.hard_milestone_days and late > rules.hard_milestone_days:
                        hard.append(
                            R.MILESTONE_OVERDUE_HARD(milestone=m.label, days=late, limit=rules.hard_milestone_days)
                        )
                    else:
                        reasons.append(R.MILESTONE_OVERDUE(milestone=m.label, days=late))
            milestones = total / len(due)

    # momentum over the last weeks
    if plan > 0 and delta_f > 0:
        ratio = (invested - (inp.invested_before_wan or 0.0)) / (plan * delta_f)
        momentum = 0.0 if ratio < 0 else 1.0 if ratio > 1 else ratio
        reasons.append(_MOMENTUM % {"weeks": k, "percent": math.floor(min(max(ratio, 0), 100.0) * 100 + 0.5)})

    # problems
    p = inp.problems
    if p is not None:
        problems = max(0.0, 1 - rules.problem_overdue_weight * p.overdue_open - rules.problem_open_weight * p.open)
        if p.open and p.overdue_open:
            reasons.append(R.PROBLEMS_OPEN_OVERDUE(open=p.open, overdue=p.overdue_open))
        elif p.open:
            reasons.append(R.PROBLEMS_OPEN(open=p.open))
        if rules.hard_problem_days and p.max_overdue_days > rules.hard_problem_days:
            hard.append(R.PROBLEM_OVERDUE_HARD(days=p.max_overdue_days, limit=rules.hard_problem_days))

    # reporting
    report = inp.report
    if report == "on_time":
        reporting = 1.0
    elif report == "late":
        reporting = rules.late_value
        reasons.append(_REPORT_LATE)
    elif report == "missing":
        reporting = 0.0
        if rules.hard_missing_weeks and inp.weeks_without_report >= rules.hard_missing_weeks:
            hard.append(R.REPORT_MISSING_WEEKS(weeks=inp.weeks_without_report))
        else:
            reasons.append(_REPORT_MISSING)

    values = {
        "investment": investment,
        "milestones": milestones,
        "momentum": momentum,
        "problems": problems,
        "reporting": reporting,
    }
    total_weight = weighted = 0.0
    for value, weight in zip(values.values(), rules.weight_list, strict=True):  # in the order of COMPONENTS
        if value is not None and weight > 0:
            total_weight += weight
            weighted += weight * value
    # One decimal, half up; the tiny epsilon keeps 82.35 (stored as 82.3499…) at 82.4 as a person would round it.
    score = math.floor(1000 * weighted / total_weight + 0.5 + 1e-9) / 10 if total_weight > 0 else None

    outcome = Outcome(inp.project_id, values, score, reasons, hard)
    if rules.policy == Policy.NODE_LAG:
        outcome.node_colour = _node_lag(rules, inp, f_now, outcome)
    return outcome


# The reasons' stored text, formatted directly in the loop above (see ratings.reasons for the templates).
_INVESTMENT = R.INVESTMENT.zh
_MOMENTUM = R.MOMENTUM.zh
_NO_PLAN = R.NO_PLAN()
_REPORT_LATE = R.REPORT_LATE()
_REPORT_MISSING = R.REPORT_MISSING()


def _planned(milestone: MilestoneDue) -> dt.date:
    return milestone.planned


def _node_lag(rules: Rules, inp: Inputs, f_now: float, outcome: Outcome) -> str:
    """Start: yellow once the planned start month has passed without a start, red after `node_start_red_months`.
    Progress: yellow from `yellow` points behind the pro-rata plan, red beyond `red` points."""
    colour: str = Colour.BLUE
    start = next((m for m in inp.milestones if m.kind == "start"), None)
    if start is not None and not (start.actual is not None and start.actual <= inp.week_end):
        month_end = dt.date(
            start.planned.year, start.planned.month, calendar.monthrange(start.planned.year, start.planned.month)[1]
        )
        year, month = start.planned.year, start.planned.month
        if inp.week_end > _months_after(start.planned, rules.node_start_red_months):
            colour = Colour.RED
            outcome.reasons.append(R.START_LATE_RED(year=year, month=month, months=rules.node_start_red_months))
        elif inp.week_end > month_end:
            colour = Colour.YELLOW
            outcome.reasons.append(R.START_LATE(year=year, month=month))
    plan = inp.plan_wan or 0.0
    if plan > 0:
        behind = (f_now - (inp.invested_wan or 0.0) / plan) * 100
        points = int(Decimal(str(behind)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if behind > rules.node_progress_red_points:
            colour = Colour.RED
            outcome.reasons.append(R.PROGRESS_BEHIND(points=points))
        elif behind >= rules.node_progress_yellow_points:
            colour = worst(colour, Colour.YELLOW)
            outcome.reasons.append(R.PROGRESS_BEHIND(points=points))
    return colour


_ORDER = {str(c.value): order for c, order in COLOUR_ORDER.items()}  # by plain string: no enum lookup per project


def worst(a: str, b: str) -> str:
    return a if _ORDER[a] >= _ORDER[b] else b


def threshold_colour(rules: Rules, score: float | None) -> str:
    if score is None:
        return Colour.NONE
    if score >= rules.blue_min:
        return Colour.BLUE
    if score < rules.red_below:
        return Colour.RED
    return Colour.YELLOW


def share_count(n: int, share: float) -> int:
    return int((Decimal(n) * Decimal(str(share))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class Placed(NamedTuple):
    rank: int | None  # competition ranking (1, 2, 2, 4) by score; None without a score
    size: int  # projects with a score in the group
    rank_colour: str  # the colour the rank policy gives


def rank_group(rules: Rules, members: Iterable[tuple[int, float | None]]) -> dict[int, Placed]:
    """Rank a comparison group by score. Top `rank_blue_share` blue, bottom `rank_red_share` red (each rounded half
    up); projects with equal scores get the same rank and the better of their colours."""
    members = list(members)
    scored = sorted(((pid, s) for pid, s in members if s is not None), key=lambda m: (-m[1], m[0]))
    n = len(scored)
    n_blue = share_count(n, rules.rank_blue_share)
    n_red = min(share_count(n, rules.rank_red_share), n - n_blue)
    first_red = n - n_red
    # Sorted best first, so the first project of a run of equal scores has the run's best colour and its rank.
    placed: dict[int, Placed] = {}
    shared = Placed(None, n, Colour.NONE)
    previous: float | None = None
    for i, (pid, score) in enumerate(scored):
        if score != previous:
            colour = Colour.BLUE if i < n_blue else Colour.RED if i >= first_red else Colour.YELLOW
            shared, previous = Placed(i + 1, n, colour), score
        placed[pid] = shared
    unscored = Placed(None, n, Colour.NONE)
    for pid, maybe in members:
        if maybe is None:
            placed[pid] = unscored
    return placed


def final_colour(rules: Rules, outcome: Outcome, placed: Placed) -> str:
    """The computed colour: hard red first, then the policy."""
    if outcome.hard_red:
        return Colour.RED
    if rules.policy == Policy.RANK:
        return placed.rank_colour
    if rules.policy == Policy.NODE_LAG:
        return outcome.node_colour or Colour.BLUE
    return threshold_colour(rules, outcome.score)
