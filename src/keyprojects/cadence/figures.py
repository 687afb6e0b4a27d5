"""Investment against plan and weekly cards, aggregated in SQL by any grouping (region, unit, industry …), for the
bulletin, the quarterly summary and the dashboard. Each function runs a fixed number of queries, whatever the number
of projects; Python only adds up the grouped rows.

Definitions (the same as the weekly score's, docs/scoring.md):
- P: the annual planned investment of the plan's baseline (latest approved version), 万元.
- C as of day d: 本年完成投资 of the latest report of the year whose week ended by d.
- due by d: P · f(d), f linear over the year or the plan's monthly curve (ratings.scoring.plan_fraction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum

from keyprojects.cadence.periods import reports_cutoff
from keyprojects.projects.models import AnnualPlan
from keyprojects.ratings.choices import Colour
from keyprojects.ratings.models import WeeklyRating
from keyprojects.ratings.scoring import plan_fraction
from keyprojects.reports.models import WeeklyReport
from keyprojects.reports.weeks import IsoWeek

ZERO = Decimal(0)


def invested_as_of(day: dt.date, year: int, project_ref: str = "project_id") -> Subquery:
    """本年完成投资 of a project (OuterRef `project_ref`) as of `day`: its latest report of `year` whose week ended."""
    latest = (
        WeeklyReport.objects.filter(
            project=OuterRef(project_ref),
            week_start__gte=IsoWeek(year, 1).monday,
            week_start__lte=reports_cutoff(day),
        )
        .order_by("-week_start")
        .values("investment_year_wan")[:1]
    )
    return Subquery(latest, output_field=DecimalField(max_digits=14, decimal_places=2))


def pct(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole as a percentage with one decimal; None when the whole is 0 or unknown."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class PlanFigures:
    """Listed projects of a group with their plan, investment and what was due."""

    projects: int = 0
    plan_wan: Decimal = ZERO
    done_wan: Decimal = ZERO
    due_wan: Decimal = ZERO

    def add(self, other: PlanFigures) -> None:
        self.projects += other.projects
        self.plan_wan += other.plan_wan
        self.done_wan += other.done_wan
        self.due_wan += other.due_wan

    @property
    def rate_due(self) -> Decimal | None:
        """Completed as a share of what was due by the day (序时进度)."""
        return pct(self.done_wan, self.due_wan)

    @property
    def rate_year(self) -> Decimal | None:
        """Completed as a share of the annual plan."""
        return pct(self.done_wan, self.plan_wan)


def _round_wan(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def plan_figures(
    plans: QuerySet[AnnualPlan], day: dt.date, dims: tuple[str, ...]
) -> dict[tuple[Any, ...], PlanFigures]:
    """Plans of one year grouped by `dims` (lookups from AnnualPlan, e.g. "project__region_id"): two queries."""
    year = day.year
    base = plans.order_by()
    linear = Q(baseline__monthly_curve__isnull=True)
    rows = base.values(*dims).annotate(
        n=Count("pk"),
        plan=Sum("baseline__planned_investment_wan"),
        plan_linear=Sum("baseline__planned_investment_wan", filter=linear),
        done=Sum(invested_as_of(day, year)),
    )
    f_linear = Decimal(str(plan_fraction(day, year)))
    result: dict[tuple[Any, ...], PlanFigures] = {}
    for row in rows:
        key = tuple(row[d] for d in dims)
        result[key] = PlanFigures(
            projects=row["n"],
            plan_wan=row["plan"] or ZERO,
            done_wan=row["done"] or ZERO,
            due_wan=_round_wan((row["plan_linear"] or ZERO) * f_linear),
        )
    # Plans with a monthly curve (few): their due share is computed one by one.
    curved = base.filter(~linear, baseline__planned_investment_wan__isnull=False).values_list(
        *dims, "baseline__planned_investment_wan", "baseline__monthly_curve"
    )
    for *keys, planned, curve in curved:
        figures = result.setdefault(tuple(keys), PlanFigures())
        figures.due_wan += _round_wan(Decimal(planned) * Decimal(str(plan_fraction(day, year, curve))))
    return result


def monthly_progress(plans: QuerySet[AnnualPlan], year: int, days: list[dt.date]) -> list[PlanFigures]:
    """The totals of `plans` as of each day (e.g. each month's end): one query for all days, one for curved plans."""
    base = plans.order_by()
    linear = Q(baseline__monthly_curve__isnull=True)
    annotations: dict[str, Any] = {
        "n": Count("pk"),
        "plan": Sum("baseline__planned_investment_wan"),
        "plan_linear": Sum("baseline__planned_investment_wan", filter=linear),
    }
    for i, day in enumerate(days):
        annotations[f"done_{i}"] = Sum(invested_as_of(day, year))
    totals = base.aggregate(**annotations)
    curved = list(
        base.filter(~linear, baseline__planned_investment_wan__isnull=False).values_list(
            "baseline__planned_investment_wan", "baseline__monthly_curve"
        )
    )
    result = []
    for i, day in enumerate(days):
        due = (totals["plan_linear"] or ZERO) * Decimal(str(plan_fraction(day, year)))
        due += sum((Decimal(p or 0) * Decimal(str(plan_fraction(day, year, c))) for p, c in curved), ZERO)
        result.append(
            PlanFigures(
                projects=totals["n"],
                plan_wan=totals["plan"] or ZERO,
                done_wan=totals[f"done_{i}"] or ZERO,
                due_wan=_round_wan(due),
            )
        )
    return result


@dataclass
class CardFigures:
    """Weekly cards of a group: counts at the last week, and the mean score over the period's weeks."""

    rated: int = 0  # projects rated in the last week
    blue: int = 0
    yellow: int = 0
    red: int = 0
    score_sum: float = 0.0  # over every rated project-week of the period
    score_count: int = 0

    def add(self, other: CardFigures) -> None:
        self.rated += other.rated
        self.blue += other.blue
        self.yellow += other.yellow
        self.red += other.red
        self.score_sum += other.score_sum
        self.score_count += other.score_count

    @property
    def mean_score(self) -> Decimal | None:
        if not self.score_count:
            return None
        return Decimal(str(self.score_sum / self.score_count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def colours(self) -> dict[str, int]:
        return {Colour.BLUE: self.blue, Colour.YELLOW: self.yellow, Colour.RED: self.red}


def card_figures(
    ratings: QuerySet[WeeklyRating], weeks: list[IsoWeek], dims: tuple[str, ...]
) -> dict[tuple[Any, ...], CardFigures]:
    """Ratings of `weeks` grouped by `dims` (lookups from WeeklyRating): one query."""
    if not weeks:
        return {}
    last = weeks[-1].monday
    at_last = Q(week_start=last)
    rows = (
        ratings.order_by()
        .filter(week_start__in=[w.monday for w in weeks])
        .values(*dims)
        .annotate(
            rated=Count("pk", filter=at_last & ~Q(colour=Colour.NONE)),
            blue=Count("pk", filter=at_last & Q(colour=Colour.BLUE)),
            yellow=Count("pk", filter=at_last & Q(colour=Colour.YELLOW)),
            red=Count("pk", filter=at_last & Q(colour=Colour.RED)),
            score_sum=Sum("score"),
            score_count=Count("score"),
        )
    )
    return {
        tuple(row[d] for d in dims): CardFigures(
            rated=row["rated"],
            blue=row["blue"],
            yellow=row["yellow"],
            red=row["red"],
            score_sum=float(row["score_sum"] or 0),
            score_count=row["score_count"],
        )
        for row in rows
    }


@dataclass
class Rollup:
    """Plan and card figures of one group (a region, a unit, an industry …)."""

    key: Hashable
    label: str
    plan: PlanFigures = field(default_factory=PlanFigures)
    cards: CardFigures = field(default_factory=CardFigures)
    rank: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def roll_up(
    plans: dict[tuple[Any, ...], PlanFigures],
    cards: dict[tuple[Any, ...], CardFigures],
    key_of: Callable[[tuple[Any, ...]], Hashable | None],
    label_of: Callable[[Hashable], str],
) -> dict[Hashable, Rollup]:
    """Merge grouped rows into groups: `key_of` maps a row's dimension values to its group (None: left out)."""
    groups: dict[Hashable, Rollup] = {}

    def group(key: Hashable) -> Rollup:
        if key not in groups:
            groups[key] = Rollup(key=key, label=label_of(key))
        return groups[key]

    for dims, figures in plans.items():
        key = key_of(dims)
        if key is not None:
            group(key).plan.add(figures)
    for dims, card in cards.items():
        key = key_of(dims)
        if key is not None:
            group(key).cards.add(card)
    return groups


def rank_by_score(groups: Iterable[Rollup]) -> list[Rollup]:
    """Highest mean score first; equal means share a rank (1, 2, 2, 4); groups without a score come last, unranked."""
    ordered = sorted(
        groups,
        key=lambda g: (g.cards.mean_score is None, -(g.cards.mean_score or 0), -(g.plan.rate_due or 0), g.label),
    )
    previous: Decimal | None = None
    rank = 0
    for position, group in enumerate(ordered, start=1):
        score = group.cards.mean_score
        if score is None:
            group.rank = None
            continue
        if score != previous:
            rank, previous = position, score
        group.rank = rank
    return ordered


def mean_score(ratings: QuerySet[WeeklyRating]) -> Decimal | None:
    value = ratings.order_by().aggregate(m=Avg("score"))["m"]
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
