"""Shared pytest fixtures: a small world with two districts (潍城区 in scope, 寒亭区 out of scope), one user per role.

Every non-admin user's scope covers 潍城区 (a reporter's through its unit, as in real life), never 寒亭区.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from keyprojects.accounts.actions import do_create_token, do_create_user
from keyprojects.accounts.choices import Role
from keyprojects.accounts.models import User
from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.directory.actions import do_create_entry
from keyprojects.directory.models import Person, TaskForce, Unit
from keyprojects.projects import actions as project_actions
from keyprojects.projects.choices import BatchKind, MilestoneKind
from keyprojects.projects.models import BatchEvent, Project
from keyprojects.regions.loading import load_regions
from keyprojects.regions.models import Region

SYSTEM = Actor(user=None, source=AuditSource.SYSTEM)
PASSWORD = "test-pass-123"


@dataclass
class Side:
    """The objects of one district."""

    region: Region
    unit: Unit
    leader: Person
    task_force: TaskForce
    project: Project
    batch: BatchEvent
    member: User | None = None  # a user whose scope is this district (for user-management pages)


@dataclass
class World:
    inside: Side
    outside: Side
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


def make_side(region_code: str, tag: str) -> Side:
    region = Region.objects.get(code=region_code)
    unit = do_create_entry(SYSTEM, Unit, name=f"{region.name}发展和改革局", region=region)
    leader = do_create_entry(
        SYSTEM, Person, name=f"{tag}领导", title="副区长", region=region, unit=unit, is_leader=True
    )
    force = do_create_entry(SYSTEM, TaskForce, name=f"{tag}专班", region=region, unit=unit, head=leader)
    project = project_actions.do_create_project(
        SYSTEM,
        name=f"{tag}年产10万吨新材料项目",
        owner=f"山东{tag}新材料有限公司",
        region=region,
        industry="新能源新材料",
        category="新开工",
        level="市重点",
        total_investment_wan=Decimal("150000"),
        start_year=2024,
        end_year=2025,
        leader=leader,
        unit=unit,
        task_force=force,
        stage_since=dt.date(2024, 1, 5),
    )
    project_actions.do_create_plan(
        SYSTEM,
        project,
        2024,
        Decimal("50000"),
        {MilestoneKind.START: dt.date(2024, 3, 1), MilestoneKind.PRODUCTION: dt.date(2025, 6, 30)},
    )
    batch = project_actions.do_create_batch_event(
        SYSTEM,
        projects=[project],
        kind=BatchKind.START,
        title=f"{region.name}集中开工",
        region=region,
        date=dt.date(2024, 2, 26),
    )
    member = do_create_user(SYSTEM, f"member_{region.code}", PASSWORD, Role.REPORTER, f"{tag}成员", regions=[region])
    return Side(region=region, unit=unit, leader=leader, task_force=force, project=project, batch=batch, member=member)


def make_world() -> World:
    if not Region.objects.exists():  # a transactional test before this one flushed the migration's data
        load_regions(Region)
    world = World(inside=make_side("370702", "潍城"), outside=make_side("370703", "寒亭"))
    inside = world.inside
    for role in Role.values:
        kwargs: dict[str, Any] = {}
        if role == Role.REPORTER:
            kwargs["units"] = [inside.unit]
        elif role == Role.LEADER:
            kwargs["person"] = inside.leader
            kwargs["regions"] = [inside.region]
        elif role != Role.ADMIN:
            kwargs["regions"] = [inside.region]
        user = do_create_user(SYSTEM, f"u_{role}", PASSWORD, role, f"测试{role}", **kwargs)
        world.users[role] = user
        world.tokens[role] = do_create_token(SYSTEM, user, "test")[1]
    return world


@pytest.fixture
def world(db: Any) -> World:
    return make_world()


@pytest.fixture
def system_actor() -> Actor:
    return SYSTEM


# --- problems (issue 4): created on first use, so worlds that do not need them stay as they were ----------------------

MATRIX_PROBLEM = "用地指标尚缺30亩"


def problem_of(side: Side) -> Any:
    """A problem on the side's project, raised by the system and not yet assigned (state 已提出)."""
    from keyprojects.problems.actions import do_raise_problem
    from keyprojects.problems.models import Problem

    found = Problem.objects.filter(project=side.project, title=MATRIX_PROBLEM).first()
    return found or do_raise_problem(SYSTEM, side.project, title=MATRIX_PROBLEM, category="土地")


def element_of(side: Side) -> Any:
    """The land line of the side's project's element ledger: 50亩 required, 20亩 secured (a 30亩 shortfall)."""
    from keyprojects.problems.actions import do_save_element
    from keyprojects.problems.models import ElementItem

    found = ElementItem.objects.filter(project=side.project, kind="land").first()
    if found is not None:
        return found
    day = dt.date(2024, 5, 31)
    return do_save_element(SYSTEM, side.project, "land", None, required=Decimal(50), secured=Decimal(20), needed_by=day)
