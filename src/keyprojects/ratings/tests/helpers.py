"""Building listed projects with reports for the rating tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from keyprojects.core.testing.fixtures import SYSTEM, World
from keyprojects.directory.models import Person
from keyprojects.projects import actions as project_actions
from keyprojects.projects.choices import MilestoneKind
from keyprojects.projects.models import Project
from keyprojects.reports.testing import submit
from keyprojects.reports.weeks import IsoWeek

W12, W13 = IsoWeek(2024, 12), IsoWeek(2024, 13)


def listed_projects(world: World, n: int, start: int = 0, invest_step: int = 500) -> list[Project]:
    """n projects of 潍城区 on the 2024 list (plan 10,000万元, start planned 2024-02-01 and met), each reporting
    W09, W12 and W13 with 本年完成投资 growing with its index."""
    side = world.inside
    made = []
    for i in range(start, start + n):
        leader = Person.objects.create(name=f"评分领导{i}", region=side.region, is_leader=True)
        project = project_actions.do_create_project(
            SYSTEM,
            name=f"评分项目{i:03d}",
            region=side.region,
            total_investment_wan=Decimal(50000),
            leader=leader,
            unit=side.unit,
            category="续建",
        )
        project_actions.do_create_plan(
            SYSTEM, project, 2024, Decimal(10000), {MilestoneKind.START: dt.date(2024, 2, 1)}
        )
        project_actions.do_set_milestone_actual(SYSTEM, project, MilestoneKind.START, dt.date(2024, 2, 1))
        amount = invest_step * (i + 1)
        submit(project, IsoWeek(2024, 9), amount // 2, amount // 2)
        submit(project, W12, amount - 100, amount - 100)
        submit(project, W13, amount, amount)
        made.append(project)
    return made
