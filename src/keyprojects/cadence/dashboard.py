"""The home page's charts (首页看板), loaded into the page by htmx: cards by subregion, investment against plan month by
month, projects by stage, the 集中开工 batches, the red projects with the lowest scores and the problem loop by
category. All inside the user's scope; a fixed number of queries (asserted in tests) whatever the number of projects."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from keyprojects.cadence.figures import card_figures, monthly_progress, roll_up
from keyprojects.cadence.periods import Month, child_word
from keyprojects.cadence.selectors import child_key, child_regions, default_region, listed_projects, scoped
from keyprojects.core import clock
from keyprojects.directory.models import Unit
from keyprojects.problems.selectors import problem_stats, stats_totals
from keyprojects.projects.choices import BatchKind, Stage
from keyprojects.projects.models import AnnualPlan, BatchEvent
from keyprojects.ratings.choices import Colour
from keyprojects.ratings.models import WeeklyRating
from keyprojects.ratings.selectors import default_week

TOP_RED = 10
BATCHES = 12


def yi(value: Any) -> float:
    """万元 → 亿元, two decimals, for a chart."""
    return round(float(value or 0) / 10000, 2)


def dashboard(user: Any) -> dict[str, Any]:
    today = clock.today()
    year = today.year
    region = default_region(user)
    week = default_week()
    if region is None:
        return {"region": None, "week": week, "year": year}
    in_region = {"project__region__path__startswith": region.path}
    ratings = scoped(WeeklyRating.objects.all(), user).filter(**in_region)

    regions = child_regions(region)
    path_of = {r.pk: path for path, r in regions.items()}
    cards = card_figures(ratings, [week], ("project__region_id", "project__unit_id"))
    groups = roll_up(
        {},
        cards,
        lambda dims: child_key(path_of[dims[0]], region.path) if dims[0] in path_of else None,
        lambda key: _("%(region)s本级") % {"region": region.name} if key == region.path else regions[str(key)].name,
    )
    colours_by = child_word(region.level)
    if len(groups) <= 1:
        # A district whose projects all sit at the district itself: its streets and departments are the units.
        units = dict(Unit.objects.filter(pk__in={d[1] for d in cards if d[1]}).values_list("pk", "name"))
        groups = roll_up({}, cards, lambda dims: dims[1], lambda key: units.get(key, _("未明确责任单位")))
        colours_by = _("各责任单位")
    by_region = sorted(groups.values(), key=lambda g: (-g.cards.rated, g.label))
    totals = {"blue": 0, "yellow": 0, "red": 0}
    for g in by_region:
        totals["blue"] += g.cards.blue
        totals["yellow"] += g.cards.yellow
        totals["red"] += g.cards.red

    months = [Month(year, m) for m in range(1, today.month + 1)]
    days = [min(m.last, today) for m in months]
    plans = scoped(AnnualPlan.objects.all(), user).filter(year=year, **in_region)
    progress = monthly_progress(plans, year, days)

    stage_counts = dict(
        listed_projects(user, region, year).order_by().values_list("stage").annotate(n=Count("pk")).values_list(
            "stage", "n"
        )
    )
    batches = list(
        scoped(BatchEvent.objects.all(), user)
        .filter(kind=BatchKind.START, region__path__startswith=region.path)
        .select_related("region")
        .with_totals()  # type: ignore[attr-defined]
        .order_by("-date", "region__path")[:BATCHES]
    )
    top_red = list(
        ratings.filter(week_start=week.monday, colour=Colour.RED)
        .select_related("project", "project__region", "project__unit")
        .order_by("score", "project__code")[:TOP_RED]
    )
    stats = problem_stats(user, {"region": region})
    charts = {
        "colours": {
            "regions": [g.label for g in by_region],
            "blue": [g.cards.blue for g in by_region],
            "yellow": [g.cards.yellow for g in by_region],
            "red": [g.cards.red for g in by_region],
        },
        "investment": {
            "months": [_("%(month)s月") % {"month": m.month} for m in months],
            "due": [yi(p.due_wan) for p in progress],
            "done": [yi(p.done_wan) for p in progress],
            "plan": yi(progress[-1].plan_wan) if progress else 0,
        },
        "stages": {
            "labels": [str(s.label) for s in Stage if stage_counts.get(s.value)],
            "values": [stage_counts[s.value] for s in Stage if stage_counts.get(s.value)],
        },
        "batches": {
            "labels": [f"{b.region.name}\n{b.date:%m-%d}" for b in reversed(batches)],
            "counts": [b.project_count for b in reversed(batches)],
            "investment": [yi(b.total_investment_wan) for b in reversed(batches)],
        },
        "problems": {
            "labels": [r.label for r in stats["category"]],
            "open": [r.open - r.overdue for r in stats["category"]],
            "overdue": [r.overdue for r in stats["category"]],
            "closed": [r.closed for r in stats["category"]],
        },
    }
    latest = progress[-1] if progress else None
    return {
        "region": region,
        "subregions_word": child_word(region.level),
        "colours_by": colours_by,
        "week": week,
        "year": year,
        "as_of": today,
        "colour_totals": totals,
        "latest": latest,
        "top_red": top_red,
        "batches": batches,
        "problem_totals": stats_totals(stats["category"]),
        "charts": charts,
    }
