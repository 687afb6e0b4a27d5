"""Everything the rating of one week needs, read for all listed projects at once in a fixed number of set-based
queries (DESIGN §4, §10): no query per project, whatever the number of projects.

1. applicable rule versions      2. listed projects with their plan, this week's and earlier reports and last week's
rating (joins on the (project, week_start) indexes; a subquery only where a week's report is missing)
3. planned milestones due, with actual dates     4. this week's overrides     5. problem counts (when the problem loop
is installed)     6. group names
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.db.models import F, FilteredRelation, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce

from keyprojects.projects.choices import MilestoneKind
from keyprojects.projects.models import AnnualPlan, PlannedMilestone
from keyprojects.ratings import scoring
from keyprojects.ratings.choices import GroupBy
from keyprojects.ratings.models import ColourOverride, RuleSet, RuleVersion
from keyprojects.regions.models import Region
from keyprojects.reports.i18n import stored
from keyprojects.reports.models import WeeklyReport
from keyprojects.reports.weeks import IsoWeek

MILESTONE_LABELS = {k.value: stored(k.label) for k in MilestoneKind}  # written into the stored reasons


@dataclass(slots=True)
class ProjectRow:
    project_id: int
    region_path: str
    level: str
    rule_version: RuleVersion
    inputs: scoring.Inputs


@dataclass(slots=True)
class Previous:
    score: float | None
    colour: str
    red_streak: int


@dataclass(slots=True)
class WeekInputs:
    week: IsoWeek
    rows: list[ProjectRow]
    previous: dict[int, Previous]
    overrides: dict[int, tuple[str, str]]  # project → (colour, reason)
    region_names: dict[str, str]  # region id → name, for the district groups
    problems_available: bool
    versions: list[RuleVersion] = field(default_factory=list)


def problems_module() -> Any | None:
    """keyprojects.problems.selectors when the problem loop is installed (checked at call time, not import time)."""
    if not apps.is_installed("keyprojects.problems"):
        return None
    if importlib.util.find_spec("keyprojects.problems.selectors") is None:
        return None
    module = importlib.import_module("keyprojects.problems.selectors")
    return module if hasattr(module, "problem_counts_by_project") else None


def applicable_versions(week: IsoWeek) -> list[RuleVersion]:
    """For each rule set, its latest version in force in the week; the deepest region first."""
    latest: dict[int, RuleVersion] = {}
    for version in (
        RuleVersion.objects.filter(valid_from__lte=week.sunday)
        .select_related("rule_set", "rule_set__region")
        .order_by("rule_set_id", "-valid_from", "-number")
    ):
        latest.setdefault(version.rule_set_id, version)
    return sorted(latest.values(), key=lambda v: -len(v.rule_set.region.path) if v.rule_set.region else 0)


def version_for(path: str, versions: list[RuleVersion]) -> RuleVersion | None:
    for version in versions:
        region = version.rule_set.region
        if region is None or path.startswith(region.path):
            return version
    return None


@lru_cache(maxsize=8192)
def district_key(path: str) -> str:
    """The county-level ancestor of a region path ("/1/13/126/4000/" → "126"); a city-level project keeps its city."""
    parts = [p for p in path.split("/") if p]
    return parts[min(2, len(parts) - 1)] if parts else ""


def gather(week: IsoWeek, now: dt.datetime, pending_before_deadline: dt.datetime) -> WeekInputs:
    versions = applicable_versions(week)
    year = week.year
    monday, sunday = week.monday, week.sunday
    year_start = IsoWeek(year, 1).monday
    reports = WeeklyReport.objects.filter(project=OuterRef("project_id")).order_by("-week_start")

    def report_of(day: dt.date) -> FilteredRelation:
        return FilteredRelation("project__weekly_reports", condition=Q(project__weekly_reports__week_start=day))

    def invested_as_of(day: dt.date, relation: str) -> Any:
        """本年完成投资 of the latest report of the year up to `day`. Most projects report every week, so the report
        of `day`'s week is joined, and only where it is missing is the latest earlier one looked up: COALESCE
        evaluates its subquery only when the join found nothing (on both engines)."""
        if day < year_start:
            return Value(None, FloatField())
        latest = reports.filter(week_start__gte=year_start, week_start__lte=day).values("investment_year_wan")[:1]
        # floats: the formula needs no Decimal, and they convert fast
        return Coalesce(Cast(f"{relation}__investment_year_wan", FloatField()), Cast(Subquery(latest), FloatField()))

    momentum_weeks = sorted({v.rules.momentum_weeks for v in versions}) or [scoring.DEFAULT_RULES.momentum_weeks]
    relations: dict[str, FilteredRelation] = {
        "report_now": report_of(monday),
        "rating_before": FilteredRelation(
            "project__weekly_ratings", condition=Q(project__weekly_ratings__week_start=week.shift(-1).monday)
        ),
    }
    for k in momentum_weeks:
        if week.shift(-k).monday >= year_start:
            relations[f"report_{k}"] = report_of(week.shift(-k).monday)
    annotations: dict[str, Any] = {
        "plan_f": Cast("baseline__planned_investment_wan", FloatField()),
        "invested": invested_as_of(monday, "report_now"),
        "last_report": Coalesce(
            "report_now__week_start", Subquery(reports.filter(week_start__lte=monday).values("week_start")[:1])
        ),
        "timeliness": F("report_now__timeliness"),
        "previous_score": F("rating_before__score"),
        "previous_colour": F("rating_before__colour"),
        "previous_streak": F("rating_before__red_streak"),
        **{f"before_{k}": invested_as_of(week.shift(-k).monday, f"report_{k}") for k in momentum_weeks},
    }
    before_index = {k: 11 + i for i, k in enumerate(momentum_weeks)}
    names = ["project_id", "project__region__path", "project__level", "baseline__monthly_curve", *annotations]
    plans = (
        AnnualPlan.objects.filter(year=year)
        .annotate(**relations)
        .annotate(**annotations)
        .values_list(*names)
        .order_by()  # the formula does not care about the order; sorting 20,000 rows would cost the database
    )

    milestones: dict[int, list[scoring.MilestoneDue]] = {}
    # Milestones of the year's baseline plans due by the end of the week, each with its actual date: hash joins
    # (a milestone kind is met at most once per project).
    met = FilteredRelation(
        "version__plan__project__milestones", condition=Q(version__plan__project__milestones__kind=F("kind"))
    )
    due = (
        PlannedMilestone.objects.filter(
            version__in=AnnualPlan.objects.filter(year=year).values("baseline_id"), planned_date__lte=sunday
        )
        .annotate(met=met)
        .values_list("version__plan__project_id", "kind", "planned_date", "met__actual_date")
        .order_by()
    )
    for project_id, kind, planned, actual in due:
        milestones.setdefault(project_id, []).append(
            scoring.MilestoneDue(kind, MILESTONE_LABELS.get(kind, kind), planned, actual)
        )

    problems: dict[int, scoring.ProblemCounts] = {}
    module = problems_module()
    if module is not None:
        for item in module.problem_counts_by_project(as_of=sunday):
            problems[item["project_id"]] = scoring.ProblemCounts(
                int(item["open"] or 0), int(item["overdue_open"] or 0), int(item["max_overdue_days"] or 0)
            )
    no_problems = scoring.ProblemCounts(0, 0, 0) if module is not None else None
    missing = "pending" if now <= pending_before_deadline else "missing"
    weeks_since_year_start = (monday - year_start).days // 7 + 1

    rows = []
    previous: dict[int, Previous] = {}
    version_of_path: dict[str, RuleVersion | None] = {}  # a few hundred regions for tens of thousands of projects
    for values in plans:
        project_id, path, level, curve, plan_wan, invested, last, timeliness = values[:8]
        try:
            version = version_of_path[path]
        except KeyError:
            version = version_of_path[path] = version_for(path, versions)
        if version is None:
            continue
        if values[9] is not None:  # rated the week before
            previous[project_id] = Previous(values[8], values[9], values[10])
        if last == monday:
            gap = 0
        elif last is not None:
            gap = (monday - last).days // 7
        else:
            gap = weeks_since_year_start
        rows.append(
            ProjectRow(
                project_id,
                path,
                level or "",
                version,
                scoring.Inputs(
                    project_id,
                    year,
                    sunday,
                    plan_wan,
                    tuple(curve) if curve else None,
                    invested,
                    values[before_index[version.rules.momentum_weeks]],
                    milestones.get(project_id, []),
                    timeliness or missing,
                    gap,
                    problems.get(project_id, no_problems),
                ),
            )
        )

    overrides = {
        pid: (colour, reason)
        for pid, colour, reason in ColourOverride.objects.filter(week_start=monday).values_list(
            "project_id", "colour", "reason"
        )
    }
    region_names: dict[str, str] = {}
    if any(v.rules.group_by == GroupBy.DISTRICT for v in versions):
        keys = {district_key(path) for path in version_of_path}
        region_names = {str(pk): name for pk, name in Region.objects.filter(pk__in=keys).values_list("pk", "name")}
    return WeekInputs(week, rows, previous, overrides, region_names, module is not None, versions)


__all__ = ["RuleSet", "gather", "problems_module"]
