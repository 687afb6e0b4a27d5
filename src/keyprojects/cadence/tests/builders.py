"""A month of supervision in 潍城区 (the test world's inside district) for the cadence tests.

Five listed projects of 2024 (plans 50,000 + 4 × 10,000 万元), weekly reports for 2024-W09 … W13 and their ratings:

  project                      unit            W09   W10   W11   W12   W13   (本年完成投资, 万元)
  潍城年产10万吨新材料项目      发展和改革局     4000    —     —   9000 10000   (the world's project)
  潍城智能装备产业园项目        工业和信息化局   1500  1800  2000  2300  2600
  潍城冷链物流中心项目          工业和信息化局   1200  1200  1200  1200  1200   stalled
  潍城新材料研发中心项目        工业和信息化局    500   600   700    —     —    silent: hard red
  潍城医养结合综合体项目        发展和改革局     1900  2100  2300  2500  2700

Problems: one assigned to 工业和信息化局 on 1 March with 5 working days (deadline 8 March, overdue), one 直通车 raised
on 28 March (deadline 2 April), one assigned on 4 March and resolved on time on 15 March. The outside district
(寒亭区) has its project reporting 3000万元 in W13.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from keyprojects.core.clock import SHANGHAI
from keyprojects.core.testing.fixtures import SYSTEM, World
from keyprojects.directory.actions import do_create_entry
from keyprojects.directory.models import Person, Unit
from keyprojects.problems import actions as problem_actions
from keyprojects.problems.models import Problem
from keyprojects.projects import actions as project_actions
from keyprojects.projects.choices import MilestoneKind, Stage
from keyprojects.projects.models import Project
from keyprojects.ratings.actions import do_rate_week
from keyprojects.reports.testing import submit
from keyprojects.reports.weeks import IsoWeek

WEEKS = [IsoWeek(2024, w) for w in range(9, 14)]
REPORTS: dict[str, list[int | None]] = {
    "潍城智能装备产业园项目": [1500, 1800, 2000, 2300, 2600],
    "潍城冷链物流中心项目": [1200, 1200, 1200, 1200, 1200],
    "潍城新材料研发中心项目": [500, 600, 700, None, None],
    "潍城医养结合综合体项目": [1900, 2100, 2300, 2500, 2700],
}
WORLD_PROJECT_REPORTS = [4000, None, None, 9000, 10000]


@dataclass
class Scenario:
    world: World
    projects: dict[str, Project]
    industry_unit: Unit
    second_leader: Person
    overdue: Problem
    direct: Problem
    resolved: Problem


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def build_month(world: World) -> Scenario:
    side = world.inside
    industry = do_create_entry(SYSTEM, Unit, name="潍城区工业和信息化局", region=side.region)
    leader = do_create_entry(SYSTEM, Person, name="潍城第二领导", title="副区长", region=side.region, is_leader=True)
    projects = {side.project.name: side.project}
    for name in REPORTS:
        unit = side.unit if name == "潍城医养结合综合体项目" else industry
        project = project_actions.do_create_project(
            SYSTEM,
            name=name,
            region=side.region,
            industry="高端装备" if "装备" in name else "现代物流" if "物流" in name else "新能源新材料",
            category="续建",
            level="市重点",
            total_investment_wan=Decimal(60000),
            leader=leader,
            unit=unit,
            stage=Stage.UNDER_CONSTRUCTION,
            stage_since=dt.date(2023, 6, 1),
        )
        project_actions.do_create_plan(SYSTEM, project, 2024, Decimal(10000), {})
        projects[name] = project
    project_actions.do_set_milestone_actual(SYSTEM, side.project, MilestoneKind.START, dt.date(2024, 3, 5))
    for name, amounts in [(side.project.name, WORLD_PROJECT_REPORTS), *REPORTS.items()]:
        for week, amount in zip(WEEKS, amounts, strict=True):
            if amount is not None:
                submit(projects[name], week, amount, amount)
    submit(world.outside.project, WEEKS[-1], 3000, 3000)

    names = ("潍城智能装备产业园项目", "潍城冷链物流中心项目", "潍城医养结合综合体项目")
    park, cold, care = (projects[n] for n in names)
    overdue = problem_actions.do_raise_problem(
        SYSTEM, park, title="施工用电增容未批复", category="水电气暖", at=at(dt.date(2024, 3, 1))
    )
    overdue = problem_actions.do_transition(
        SYSTEM, overdue, overdue.version, "assign", unit=industry, working_days=5, at=at(dt.date(2024, 3, 1), 11)
    )
    direct = problem_actions.do_raise_problem(
        SYSTEM, cold, title="冷库用地指标尚缺20亩", category="土地", channel="direct", at=at(dt.date(2024, 3, 28))
    )
    resolved = problem_actions.do_raise_problem(
        SYSTEM, care, title="设备购置贷款授信未落地", category="资金", at=at(dt.date(2024, 3, 4))
    )
    resolved = problem_actions.do_transition(
        SYSTEM, resolved, resolved.version, "assign", unit=side.unit, working_days=10, at=at(dt.date(2024, 3, 4), 11)
    )
    resolved = problem_actions.do_transition(SYSTEM, resolved, resolved.version, "accept", at=at(dt.date(2024, 3, 5)))
    resolved = problem_actions.do_transition(
        SYSTEM, resolved, resolved.version, "resolve", resolution="银行授信已批复", at=at(dt.date(2024, 3, 15))
    )
    for week in WEEKS:
        do_rate_week(SYSTEM, week)
    return Scenario(world, projects, industry, leader, overdue, direct, resolved)


def build_more_reds(month: Scenario) -> list[Project]:
    """Two more projects far behind plan (red in W13) and another overdue problem, for the query-count tests."""
    side = month.world.inside
    made = []
    for i in range(2):
        project = project_actions.do_create_project(
            SYSTEM,
            name=f"潍城追加滞后项目{i}",
            region=side.region,
            category="续建",
            total_investment_wan=Decimal(50000),
            leader=month.second_leader,
            unit=month.industry_unit,
            stage=Stage.UNDER_CONSTRUCTION,
            stage_since=dt.date(2023, 6, 1),
        )
        project_actions.do_create_plan(SYSTEM, project, 2024, Decimal(20000), {})
        for week in WEEKS:
            submit(project, week, 100, 100)
        problem = problem_actions.do_raise_problem(
            SYSTEM, project, title=f"追加问题{i}", category="其他", at=at(dt.date(2024, 3, 4))
        )
        problem_actions.do_transition(
            SYSTEM, problem, problem.version, "assign", unit=month.industry_unit, working_days=3,
            at=at(dt.date(2024, 3, 4), 11),
        )
        made.append(project)
    do_rate_week(SYSTEM, WEEKS[-1])
    return made
