"""Demo weeks (DESIGN §9): reports for 2024-W01 … W13 for the demo's listed projects and their ratings, so that with
the demo clock (2024-04-01) the weekly list shows all three cards, a 督办 and a 约谈, an override and flagged photos.

Submissions go through the actions with the clock set to the day each one is made (a Thursday when on time, the next
Monday when late), so their on-time/late status comes from the real rule. 寒亭区 uses the `rank` (比拼) rule set.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal

from keyprojects.audit.actions import Actor
from keyprojects.core.clock import SHANGHAI
from keyprojects.projects import actions as project_actions
from keyprojects.projects.choices import MilestoneKind, Stage
from keyprojects.projects.models import AnnualPlan, Milestone, PlannedMilestone, Project
from keyprojects.ratings import actions as rating_actions
from keyprojects.ratings import scoring
from keyprojects.ratings.choices import Colour
from keyprojects.regions.models import Region
from keyprojects.reports import actions as report_actions
from keyprojects.reports.photos import make_test_jpeg
from keyprojects.reports.weeks import IsoWeek

WEEKS = [IsoWeek(2024, w) for w in range(1, 14)]
PROGRESS = [
    "场地平整完成，临建搭设中",
    "桩基施工完成{p}%",
    "主体结构施工至第{n}层",
    "钢结构厂房吊装完成{p}%",
    "设备基础施工，部分设备已到场",
    "设备安装调试中",
]
PROBLEMS = ["", "", "", "施工用电增容手续待办理", "部分设备到货延迟", "土地证办理中"]
# profile → (share of the pro-rata plan reached, chance a week is reported late, weeks skipped)
PROFILES = {
    "good": (Decimal("1.02"), 0.0),
    "fair": (Decimal("0.80"), 0.15),
    "behind": (Decimal("0.45"), 0.35),
}
SITE = (Decimal("36.771500"), Decimal("119.207600"))  # 寒亭区 centre, for the demo projects with a location


@contextmanager
def clock_on(day: dt.date) -> Iterator[None]:
    """Set the one clock to `day` while the demo writes what happened that day."""
    old = os.environ.get("KEYPROJECTS_TODAY")
    os.environ["KEYPROJECTS_TODAY"] = day.isoformat()
    try:
        yield
    finally:
        if old is None:
            del os.environ["KEYPROJECTS_TODAY"]
        else:
            os.environ["KEYPROJECTS_TODAY"] = old


def _wan(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def load_weekly_demo(system: Actor, log: Callable[[str], None] = print) -> None:
    rng = random.Random(20240401)  # noqa: S311 - reproducible demo data, not security
    hanting = Region.objects.get(code="370703")
    rating_actions.ensure_default_rule_set(system)
    rating_actions.do_create_rule_set(
        system,
        "寒亭区重点项目比拼规则",
        hanting,
        "rank",
        WEEKS[0],
        "按寒亭区“好的亮蓝牌，中间的亮黄牌，滞后的亮红牌”：组内前30%蓝牌、后20%红牌",
    )
    plans = list(
        AnnualPlan.objects.filter(year=2024)
        .select_related("project", "project__region", "baseline")
        .order_by("project__code")
    )
    stalled = next(p.project for p in plans if p.project.region_id == hanting.pk)  # the escalation example
    profiles: dict[int, str] = {}
    for plan in plans:
        roll = rng.random()
        profiles[plan.project_id] = "good" if roll < 0.5 else "fair" if roll < 0.85 else "behind"
    # Starts: projects on track started within days of the planned date; those behind have not started yet.
    planned_starts = PlannedMilestone.objects.filter(
        version__in=[p.baseline_id for p in plans], kind=MilestoneKind.START, planned_date__lte=WEEKS[-1].sunday
    ).values_list("version__plan__project_id", "planned_date")
    started = set(
        Milestone.objects.filter(kind=MilestoneKind.START, actual_date__isnull=False).values_list(
            "project_id", flat=True
        )
    )
    by_id = {p.project_id: p.project for p in plans}
    for project_id, planned_day in planned_starts:
        if project_id in started or profiles[project_id] == "behind":
            continue
        day = min(planned_day + dt.timedelta(days=rng.choice([0, 0, 3, 7, 12])), WEEKS[-1].sunday)
        project_actions.do_set_milestone_actual(system, by_id[project_id], MilestoneKind.START, day, "按期开工")
    reports = 0
    previous: dict[int, tuple[Decimal, Decimal]] = {}
    for week in WEEKS:
        for plan in plans:
            project = plan.project
            if project.pk == stalled.pk and week.week >= 9:
                continue  # stops reporting in March: hard red, 督办, then 约谈
            share, late_chance = PROFILES[profiles[project.pk]]
            if rng.random() < late_chance / 3:
                continue  # a missed week now and then
            late = rng.random() < late_chance
            planned = (plan.baseline.planned_investment_wan if plan.baseline else None) or _wan(
                (project.total_investment_wan or Decimal(10000)) * Decimal("0.3")
            )
            fraction = Decimal(str(scoring.plan_fraction(week.sunday, 2024)))
            noise = Decimal(str(rng.uniform(0.96, 1.04)))
            year_before, total_before = previous.get(project.pk, (Decimal(0), Decimal(0)))
            year_wan = max(year_before, _wan(planned * fraction * share * noise))
            base = (
                _wan((project.total_investment_wan or Decimal(0)) * Decimal("0.25"))
                if project.category != "新开工"
                else Decimal(0)
            )
            total_wan = max(total_before, base + year_wan)
            percent = None
            if project.total_investment_wan:
                percent = min(100, int(total_wan * 100 / project.total_investment_wan))
            step = min(len(PROGRESS) - 1, week.week // 3)
            values = report_actions.ReportInput(
                investment_year_wan=year_wan,
                investment_total_wan=total_wan,
                stage=project.stage if project.stage != Stage.LANDED or week.week < 9 else Stage.UNDER_CONSTRUCTION,
                progress_text=PROGRESS[step].format(p=min(100, week.week * 7), n=1 + week.week // 3),
                percent_complete=percent,
                problems_text=rng.choice(PROBLEMS),
                next_week_plan="按计划推进施工，协调要素保障",
            )
            day = week.monday + dt.timedelta(days=7 if late else 3)
            with clock_on(day):
                report_actions.do_submit_report(system, project, week, values, None, source="system")
            previous[project.pk] = (year_wan, total_wan)
            reports += 1
    log(f"周报：{reports} 份（2024-W01至W13）")

    # Photos: one taken on site this week, one old photo from elsewhere (flagged).
    shown = next(p.project for p in plans if p.project.region_id == hanting.pk and p.project.pk != stalled.pk)
    report_actions.do_set_project_location(system, shown, *SITE)
    shown.refresh_from_db()
    report = shown.weekly_reports.get(week_start=WEEKS[-1].monday)
    with clock_on(dt.date(2024, 3, 28)):
        report_actions.do_add_photo(
            system,
            report,
            make_test_jpeg(dt.datetime(2024, 3, 27, 10, 30, tzinfo=SHANGHAI), (36.7731, 119.2098), size=(1024, 768)),
            "厂房东侧.jpg",
            "主体结构施工",
        )
        report_actions.do_add_photo(
            system,
            report,
            make_test_jpeg(dt.datetime(2024, 1, 12, 9, 0, tzinfo=SHANGHAI), (36.7070, 119.1610), size=(1024, 768)),
            "现场全景.jpg",
            "",
        )

    for week in WEEKS:
        rating_actions.do_rate_week(system, week)
    # A supervisor's override of one computed red in 寒亭区, with its reason.
    red = (
        Project.objects.filter(
            region__path__startswith=hanting.path,
            weekly_ratings__week_start=WEEKS[-1].monday,
            weekly_ratings__computed_colour=Colour.RED,
        )
        .exclude(pk=stalled.pk)
        .order_by("code")
        .first()
    )
    if red is not None:
        rating_actions.do_override_colour(
            system, red, WEEKS[-1], Colour.YELLOW, "已现场核实：设备已到场，下周集中安装，暂不亮红牌"
        )
    log(f"每周评分：2024-W01至W13，{len(plans)}个项目；寒亭区使用比拼规则")
