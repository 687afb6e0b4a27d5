"""Everything the rating of one week needs, read for all listed projects at once in a fixed number of set-based
queries (DESIGN §4, §10): no query per project, whatever the number of projects.

1. applicable rule versions      2. listed projects with their plan and report figures (correlated subqueries on the
(project, week_start) index)     3. planned milestones due, with actual dates     4. last week's ratings
5. this week's overrides         6. problem counts (when the problem loop is installed)     7. group names
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.db.models import F, FloatField, OuterRef, Subquery
from django.db.models.functions import Cast

from keyprojects.projects.choices import MilestoneKind
from keyprojects.projects.models import AnnualPlan, Milestone, PlannedMilestone
from keyprojects.ratings import scoring
from keyprojects.ratings.choices import GroupBy
from keyprojects.ratings.models import ColourOverride, RuleSet, RuleVersion, WeeklyRating
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

    def invested_as_of(day: dt.date) -> Cast:
        latest = reports.filter(week_start__gte=year_start, week_start__lte=day).values("investment_year_wan")[:1]
        return Cast(Subquery(latest), FloatField())  # floats: the formula needs no Decimal, and they convert fast

    momentum_weeks = sorted({v.rules.momentum_weeks for v in versions}) or [scoring.DEFAULT_RULES.momentum_weeks]
    annotations: dict[str, Any] = {
        "plan_f": Cast("baseline__planned_investment_wan", FloatField()),
        "invested": invested_as_of(monday),
        "last_report": Subquery(reports.filter(week_start__lte=monday).values("week_start")[:1]),
        "timeliness": Subquery(reports.filter(week_start=monday).values("timeliness")[:1]),
        **{f"before_{k}": invested_as_of(week.shift(-k).monday) for k in momentum_weeks},
    }
    before_index = {k: 8 + i for i, k in enumerate(momentum_weeks)}
    names = ["project_id", "project__region__path", "project__level", "baseline__monthly_curve", *annotations]
    plans = AnnualPlan.objects.filter(year=year).annotate(**annotations).values_list(*names).order_by("project_id")

    milestones: dict[int, list[scoring.MilestoneDue]] = {}
    due = (
        PlannedMilestone.objects.filter(
            version__plan__year=year, version__plan__baseline_id=F("version_id"), planned_date__lte=sunday
        )
        .annotate(
            actual=Subquery(
                Milestone.objects.filter(project=OuterRef("version__plan__project_id"), kind=OuterRef("kind")).values(
                    "actual_date"
                )[:1]
            )
        )
        .values_list("version__plan__project_id", "kind", "planned_date", "actual")
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
    no_problems = scoring.ProblemCounts(0, 0, 0)
    pending = now <= pending_before_deadline

    rows = []
    for values in plans:
        project_id, path, level, curve, plan_wan, invested, last, timeliness = values[:8]
        version = version_for(path, versions)
        if version is None:
            continue
        rules = version.rules
        if last == monday:
            gap = 0
        elif last is not None:
            gap = (monday - last).days // 7
        else:
            gap = (monday - year_start).days // 7 + 1
        rows.append(
            ProjectRow(
                project_id=project_id,
                region_path=path,
                level=level or "",
                rule_version=version,
                inputs=scoring.Inputs(
                    project_id=project_id,
                    year=year,
                    week_end=sunday,
                    plan_wan=plan_wan,
                    curve=curve or None,
                    invested_wan=invested,
                    invested_before_wan=values[before_index[rules.momentum_weeks]],
                    milestones=milestones.get(project_id, []),
                    report=timeliness or ("pending" if pending else "missing"),
                    weeks_without_report=gap,
                    problems=problems.get(project_id, no_problems) if module is not None else None,
                ),
            )
        )

    previous = {
        pid: Previous(score, colour, streak)
        for pid, score, colour, streak in WeeklyRating.objects.filter(week_start=week.shift(-1).monday).values_list(
            "project_id", "score", "colour", "red_streak"
        )
    }
    overrides = {
        pid: (colour, reason)
        for pid, colour, reason in ColourOverride.objects.filter(week_start=monday).values_list(
            "project_id", "colour", "reason"
        )
    }
    region_names: dict[str, str] = {}
    if any(v.rules.group_by == GroupBy.DISTRICT for v in versions):
        keys = {district_key(r.region_path) for r in rows}
        region_names = {str(pk): name for pk, name in Region.objects.filter(pk__in=keys).values_list("pk", "name")}
    return WeekInputs(week, rows, previous, overrides, region_names, module is not None, versions)


__all__ = ["RuleSet", "gather", "problems_module"]
