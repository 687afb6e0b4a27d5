"""The quarterly summary (季度总结): the year's listed projects of a region at the quarter's end, totalled by
subregion, industry, category and stage — plan, investment completed, what was due, cards — with the starts and
completions of the quarter and the month-by-month progress for the charts. Six queries whatever the number of
projects.

The texts built here (titles, headings) belong to the official documents and stay Chinese whatever the UI
language; nothing here is translated."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Subquery

from keyprojects.cadence.figures import (
    PlanFigures,
    Rollup,
    card_figures,
    monthly_progress,
    plan_figures,
    rank_by_score,
    roll_up,
)
from keyprojects.cadence.periods import Quarter, area_word, child_word
from keyprojects.cadence.selectors import child_key, child_regions, scoped
from keyprojects.projects.choices import Category, MilestoneKind, Stage
from keyprojects.projects.models import AnnualPlan, Milestone
from keyprojects.ratings.models import WeeklyRating
from keyprojects.regions.models import Region

DIMS = ("project__region_id", "project__industry", "project__category", "project__stage")
MILESTONES = {
    MilestoneKind.START: "starts",
    MilestoneKind.COMPLETION: "completions",
    MilestoneKind.PRODUCTION: "productions",
}


@dataclass
class QuarterlySummary:
    quarter: Quarter
    region: Region
    area: str
    subregions_word: str
    total: Rollup
    by_region: list[Rollup]
    by_industry: list[Rollup]
    by_category: list[Rollup]
    by_stage: list[Rollup]
    months: list[tuple[str, PlanFigures]] = field(default_factory=list)  # (“1月”, figures at the month's end)

    @property
    def title(self) -> str:
        return f"{self.region.name}{self.quarter.label}重点项目建设情况总结"

    def dimensions(self) -> list[tuple[str, str, list[Rollup]]]:
        """(key, heading, rows) of each table, in the order of the page and the workbook."""
        return [
            ("region", f"按区域（{self.subregions_word}）", self.by_region),
            ("industry", "按产业领域", self.by_industry),
            ("category", "按项目类型", self.by_category),
            ("stage", "按建设阶段", self.by_stage),
        ]


def quarterly_summary(user: Any, quarter: Quarter, region: Region) -> QuarterlySummary:
    year, last = quarter.year, quarter.last
    in_region = {"project__region__path__startswith": region.path}
    plans = scoped(AnnualPlan.objects.all(), user).filter(year=year, **in_region)
    plan_rows = plan_figures(plans, last, DIMS)
    quarter_weeks = [w for m in quarter.months() for w in m.weeks()]
    ratings = scoped(WeeklyRating.objects.all(), user).filter(**in_region)
    card_rows = card_figures(ratings, quarter_weeks, DIMS)

    regions = child_regions(region)
    path_of = {r.pk: path for path, r in regions.items()}

    def region_key(dims: tuple[Any, ...]) -> str | None:
        path = path_of.get(dims[0])
        return child_key(path, region.path) if path else None

    def region_label(key: Hashable) -> str:
        return f"{region.name}本级" if key == region.path else regions[str(key)].name

    stage_labels = {s.value: str(s.label) for s in Stage}
    by_region = roll_up(plan_rows, card_rows, region_key, region_label)
    by_industry = roll_up(plan_rows, card_rows, lambda d: d[1] or "", lambda k: str(k) or "未分类")
    by_category = roll_up(plan_rows, card_rows, lambda d: d[2], lambda k: str(k))
    by_stage = roll_up(plan_rows, card_rows, lambda d: d[3], lambda k: stage_labels.get(str(k), str(k)))
    total = roll_up(plan_rows, card_rows, lambda d: "all", lambda k: region.name)

    # Milestones met in the quarter, per subregion (one query).
    listed = plans.values("project_id")
    met = (
        Milestone.objects.filter(
            project_id__in=Subquery(listed),
            kind__in=list(MILESTONES),
            actual_date__gte=quarter.first,
            actual_date__lte=last,
        )
        .order_by()
        .values("project__region_id", "kind")
        .annotate(n=Count("pk"))
    )
    all_group = total.get("all") or Rollup(key="all", label=region.name)
    for row in met:
        name = MILESTONES[row["kind"]]
        key = region_key((row["project__region_id"],))
        for group in (by_region.get(key), all_group):
            if group is not None:
                group.extra[name] = group.extra.get(name, 0) + row["n"]

    category_order = {c.value: i for i, c in enumerate(Category)}
    stage_order = {s.value: i for i, s in enumerate(Stage)}
    all_months = [m for q in range(1, quarter.quarter + 1) for m in Quarter(year, q).months()]
    progress = monthly_progress(plans, year, [m.last for m in all_months]) if plan_rows else []
    return QuarterlySummary(
        quarter=quarter,
        region=region,
        area=area_word(region.name),
        subregions_word=child_word(region.level),
        total=all_group,
        by_region=rank_by_score(by_region.values()),
        by_industry=sorted(by_industry.values(), key=lambda g: (-g.plan.plan_wan, g.label)),
        by_category=sorted(by_category.values(), key=lambda g: category_order.get(str(g.key), 99)),
        by_stage=sorted(by_stage.values(), key=lambda g: stage_order.get(str(g.key), 99)),
        months=[(f"{m.month}月", figures) for m, figures in zip(all_months, progress, strict=False)],
    )
