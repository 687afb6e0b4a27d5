"""The figures of a monthly bulletin (每月通报) for a region: rankings by subregion and by unit, the colour counts, the
red list, investment against plan, the problem loop. Built in a fixed number of set-based queries (about ten, whatever
the number of projects); docx.py and xlsx.py write it out.

- Month: the weeks whose Sunday falls in the month; the colour counts and the red list are those of the last of them.
- Ranking: by the mean weekly score of the month's rated project-weeks, highest first (ties share a rank), then by
  investment completion against the plan due so far.
- Investment: 本年完成投资 as of the month's last day (reports of weeks ended by then) against the annual plan (P)
  and against the plan due by that day (P · f, 序时进度).


The texts built here (titles, headings) belong to the official documents and stay Chinese whatever the UI
language; nothing here is translated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from keyprojects.cadence.figures import Rollup, card_figures, plan_figures, rank_by_score, roll_up
from keyprojects.cadence.periods import Month, area_word, child_word
from keyprojects.cadence.selectors import child_key, child_regions, scoped
from keyprojects.core import clock
from keyprojects.directory.models import Unit
from keyprojects.problems.choices import Category, Channel
from keyprojects.problems.models import Problem
from keyprojects.projects.models import AnnualPlan
from keyprojects.ratings.choices import Colour, EscalationKind
from keyprojects.ratings.models import Escalation, WeeklyRating
from keyprojects.regions.models import Region
from keyprojects.reports.weeks import IsoWeek

ISSUER = "{region}重点项目建设工作领导小组办公室"
DOC_NUMBER = "{initial}重项办〔{year}〕{number}号"
COPY_TO = "市委办公室，市人大常委会办公室，市政府办公室，市政协办公室。"


@dataclass
class RedItem:
    project_id: int
    code: str
    name: str
    region: str
    unit: str
    leader: str
    score: float | None
    red_weeks: int
    reasons: list[str]
    supervised: bool = False  # a 督办 was sent in this red streak
    summoned: bool = False  # and the project went on the 约谈 list


@dataclass
class ProblemFigures:
    raised: int = 0
    direct: int = 0
    resolved: int = 0
    closed: int = 0
    open_at_end: int = 0
    overdue_at_end: int = 0
    summoned: int = 0
    open_by_category: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class BulletinData:
    month: Month
    region: Region
    area: str  # 全市 / 全区 …
    subregions_word: str  # 各县市区 / 各镇街 …
    issuer: str
    doc_number: str
    issued_on: dt.date
    weeks: list[IsoWeek]
    total: Rollup
    regions: list[Rollup]
    units: list[Rollup]
    red: list[RedItem]
    problems: ProblemFigures

    @property
    def week(self) -> IsoWeek | None:
        return self.weeks[-1] if self.weeks else None

    @property
    def title(self) -> str:
        return f"关于{self.month.year}年{self.month.month}月份{self.area}重点项目建设情况的通报"

    @property
    def file_stem(self) -> str:
        return f"{self.region.name}{self.month.year}年{self.month.month}月重点项目建设情况通报"


def issued_on_for(month: Month) -> dt.date:
    """A bulletin is dated the day it is made, but never before the month is over."""
    today = clock.today()
    return today if today > month.last else month.last


def doc_number_for(region: Region, month: Month) -> str:
    initial = (region.short_name or region.name)[:1]
    return DOC_NUMBER.format(initial=initial, year=month.year, number=month.month)


def bulletin_data(user: Any, month: Month, region: Region, issued_on: dt.date | None = None) -> BulletinData:
    year = month.year
    weeks = month.weeks()
    in_region = {"project__region__path__startswith": region.path}
    plans = scoped(AnnualPlan.objects.all(), user).filter(year=year, **in_region)
    ratings = scoped(WeeklyRating.objects.all(), user).filter(**in_region)
    plan_rows = plan_figures(plans, month.last, ("project__region_id", "project__unit_id"))
    card_rows = card_figures(ratings, weeks, ("project__region_id", "project__unit_id"))

    regions = child_regions(region)
    path_of = {r.pk: path for path, r in regions.items()}
    own_label = f"{region.name}本级"

    def region_key(dims: tuple[Any, ...]) -> str | None:
        path = path_of.get(dims[0])
        return child_key(path, region.path) if path else None

    def region_label(key: Any) -> str:
        return own_label if key == region.path else regions[key].name

    by_region = roll_up(plan_rows, card_rows, region_key, region_label)
    unit_ids = {dims[1] for dims in [*plan_rows, *card_rows] if dims[1] is not None}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids).select_related("region")}
    by_unit = roll_up(plan_rows, card_rows, lambda dims: dims[1], lambda key: units[key].name)
    for key, group in by_unit.items():
        group.extra["region"] = units[key].region.name
    total = roll_up(plan_rows, card_rows, lambda dims: "all", lambda key: region.name)
    red = [] if not weeks else red_list(ratings, weeks[-1])
    return BulletinData(
        month=month,
        region=region,
        area=area_word(region.name),
        subregions_word=child_word(region.level),
        issuer=ISSUER.format(region=region.name),
        doc_number=doc_number_for(region, month),
        issued_on=issued_on or issued_on_for(month),
        weeks=weeks,
        total=total.get("all") or Rollup(key="all", label=region.name),
        # A ranking of one (every project at the region itself) is no ranking: the units' ranking stands alone.
        regions=rank_by_score(by_region.values()) if set(by_region) - {region.path} else [],
        units=rank_by_score(by_unit.values()),
        red=red,
        problems=problem_figures(user, region, month),
    )


def red_list(ratings: Any, week: IsoWeek) -> list[RedItem]:
    """The week's red projects in the official order of their regions (GB/T 2260 codes), lowest score first, with
    the 督办 and 约谈 of their current red streak (2 queries)."""
    rows = list(
        ratings.filter(week_start=week.monday, colour=Colour.RED)
        .select_related("project", "project__region", "project__unit", "project__leader")
        .order_by("project__region__code", "project__region__path", "score", "project__code")
    )
    streaks = {r.project_id: week.monday - dt.timedelta(weeks=max(r.red_streak, 1) - 1) for r in rows}
    escalated = {
        (project_id, kind)
        for project_id, kind, start in Escalation.objects.filter(
            project_id__in=list(streaks), week_start__lte=week.monday
        ).values_list("project_id", "kind", "streak_start")
        if start == streaks[project_id]
    }
    return [
        RedItem(
            project_id=r.project_id,
            code=r.project.code,
            name=r.project.name,
            region=r.project.region.name,
            unit=r.project.unit.name if r.project.unit else "",
            leader=r.project.leader.name if r.project.leader else "",
            score=r.score,
            red_weeks=r.red_streak,
            reasons=r.reason_list,
            supervised=(r.project_id, EscalationKind.SUPERVISION) in escalated,
            summoned=(r.project_id, EscalationKind.SUMMONS) in escalated,
        )
        for r in rows
    ]


def problem_figures(user: Any, region: Region, month: Month) -> ProblemFigures:
    """The loop in the month (2 queries): raised, resolved and closed in it; open, overdue and on the 约谈 list at
    its end (open = raised by then and not resolved by then)."""
    first, last = month.first, month.last
    qs = scoped(Problem.objects.all(), user).filter(project__region__path__startswith=region.path).order_by()
    open_at_end = Q(raised_on__lte=last) & (Q(resolved_on__isnull=True) | Q(resolved_on__gt=last))
    figures = qs.aggregate(
        raised=Count("pk", filter=Q(raised_on__range=(first, last))),
        direct=Count("pk", filter=Q(raised_on__range=(first, last), channel=Channel.DIRECT)),
        resolved=Count("pk", filter=Q(resolved_on__range=(first, last))),
        closed=Count("pk", filter=Q(closed_on__range=(first, last))),
        open_at_end=Count("pk", filter=open_at_end),
        overdue_at_end=Count("pk", filter=open_at_end & Q(deadline__lt=last)),
        summoned=Count("pk", filter=open_at_end & Q(summoned_on__lte=last)),
    )
    labels = {c.value: str(c.label) for c in Category}
    by_category = (
        qs.filter(open_at_end)
        .values("category")
        .annotate(n=Count("pk"))
        .order_by("-n", "category")
    )
    return ProblemFigures(
        **figures, open_by_category=[(labels.get(row["category"], row["category"]), row["n"]) for row in by_category]
    )
