"""Shared steps of the problem tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from keyprojects.accounts.choices import Role
from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.core.testing.fixtures import PASSWORD, World
from keyprojects.problems import actions
from keyprojects.problems.models import Problem

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def as_user(world: World, role: str) -> Actor:
    return Actor(user=world.users[role], source=AuditSource.UI)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def login(world: World, role: str) -> Client:
    client = Client()
    assert client.login(username=world.users[role].username, password=PASSWORD)
    return client


def raise_and_assign(world: World, day: dt.date, working_days: int = 3, **raise_kwargs: Any) -> Problem:
    """Raised by the reporter for its unit's project, assigned by the supervisor to that unit on `day`."""
    kwargs: dict[str, Any] = {"title": "配套道路未通", "category": "水电气暖", **raise_kwargs}
    problem = actions.do_raise_problem(as_user(world, Role.REPORTER), world.inside.project, at=at(day), **kwargs)
    return actions.do_transition(
        as_user(world, Role.SUPERVISOR),
        problem,
        problem.version,
        "assign",
        unit=world.inside.unit,
        working_days=working_days,
        at=at(day, 10),
    )
