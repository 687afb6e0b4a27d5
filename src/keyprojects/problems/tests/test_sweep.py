"""The overdue sweep and the escalation ladder: once a working day, each step once, recorded and shown; and the
set-based counts the weekly score reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from keyprojects.accounts.choices import Role
from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.core.testing.fixtures import World
from keyprojects.core.testing.queries import assert_query_count
from keyprojects.notifications.models import Notice, NoticeRecipient
from keyprojects.problems import actions
from keyprojects.problems.choices import Channel, Escalation, EventKind
from keyprojects.problems.models import Problem, RegionRules
from keyprojects.problems.selectors import problem_counts_by_project
from keyprojects.problems.tests.helpers import as_user, at, login, raise_and_assign

pytestmark = pytest.mark.django_db
D = dt.date
SYSTEM = Actor(user=None, source=AuditSource.SYSTEM)


def sweep(day: dt.date) -> actions.SweepResult:
    return actions.do_sweep_overdue(SYSTEM, today=day)


def test_the_sweep_run_twice_in_a_day_sends_each_notice_once(world: World) -> None:
    problem = raise_and_assign(world, D(2024, 4, 1))  # due Sunday 2024-04-07 (a make-up working day)
    assert sweep(D(2024, 4, 7)).supervised == []  # not overdue on its deadline
    first, second = sweep(D(2024, 4, 8)), sweep(D(2024, 4, 8))
    assert (first.supervised, second.supervised) == ([problem.pk], [])
    notices = Notice.objects.filter(kind="problem_supervise")
    assert [n.title for n in notices] == ["督办：配套道路未通（逾期1天）"]
    assert sorted(NoticeRecipient.objects.filter(notice__in=notices).values_list("user__username", flat=True)) == [
        "u_leader",
        "u_reporter",
    ]
    problem.refresh_from_db()
    assert (problem.supervise_count, problem.last_supervised_on, problem.escalation) == (
        1,
        D(2024, 4, 8),
        Escalation.SUPERVISED,
    )
    assert problem.events.filter(kind=EventKind.SUPERVISE).count() == 1


def test_the_ladder_supervise_then_direct_then_summons(world: World) -> None:
    problem = raise_and_assign(world, D(2024, 4, 1))  # due 2024-04-07
    days = [D(2024, 4, 8) + dt.timedelta(days=i) for i in range(12)]  # 4-08 … 4-19
    results = {day: sweep(day) for day in days}
    for day in days:  # a second run of every day changes nothing
        again = sweep(day)
        assert (again.supervised, again.escalated, again.summoned) == ([], [], [])
    assert [d for d, r in results.items() if not r.workday] == [D(2024, 4, 13), D(2024, 4, 14)]
    assert [d for d, r in results.items() if r.escalated] == [D(2024, 4, 12)]  # 5 working days late
    assert [d for d, r in results.items() if r.summoned] == [D(2024, 4, 19)]  # 10 working days late
    problem.refresh_from_db()
    assert (problem.supervise_count, problem.escalation, problem.channel) == (10, Escalation.SUMMONS, Channel.DIRECT)
    assert (problem.escalated_on, problem.summoned_on, problem.direct_leader) == (
        D(2024, 4, 12),
        D(2024, 4, 19),
        world.inside.leader,
    )
    ladder = [
        (e.kind, e.on) for e in problem.events.exclude(kind=EventKind.SUPERVISE).filter(kind__in=["escalate", "summon"])
    ]
    assert ladder == [(EventKind.ESCALATE, D(2024, 4, 12)), (EventKind.SUMMON, D(2024, 4, 19))]
    assert Notice.objects.filter(kind="problem_supervise").count() == 10
    assert list(
        Notice.objects.filter(kind__in=["problem_escalate", "problem_summon"])
        .order_by("pk")
        .values_list("title", flat=True)
    ) == [
        "升级直通车：配套道路未通",
        "列入约谈：潍城年产10万吨新材料项目",
    ]
    # Shown: on the problem's page, in the leader's 直通车 queue and on the supervisor's 约谈 list.
    page = login(world, Role.REPORTER).get(f"/problems/{problem.pk}/").content.decode()
    assert "逾期满5个工作日仍未办结，升级到领导直通车。" in page
    assert "逾期满10个工作日，经督办仍未办结，列入约谈名单。" in page and "已督办10次" in page
    assert "配套道路未通" in login(world, Role.LEADER).get("/problems/direct/").content.decode()
    assert "配套道路未通" in login(world, Role.SUPERVISOR).get("/problems/summons/").content.decode()


def test_the_ladder_follows_the_region_rules_and_stops_when_resolved(world: World) -> None:
    actions.do_save_rules(
        as_user(world, Role.SUPERVISOR),
        world.inside.region,
        None,
        top_leader=world.inside.leader,
        normal_days=10,
        direct_days=3,
        escalate_after=2,
        summon_after=3,
    )
    problem = raise_and_assign(world, D(2024, 4, 1))
    assert sweep(D(2024, 4, 9)).escalated == [problem.pk]  # 2 working days late
    problem = Problem.objects.get(pk=problem.pk)
    problem = actions.do_transition(as_user(world, Role.REPORTER), problem, problem.version, "accept")
    actions.do_transition(as_user(world, Role.REPORTER), problem, problem.version, "resolve", resolution="道路已通车")
    result = sweep(D(2024, 4, 10))
    assert (result.supervised, result.summoned) == ([], [])
    assert RegionRules.objects.get().escalate_after == 2


def test_the_command_says_what_it_did(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    raise_and_assign(world, D(2024, 4, 1))
    call_command("sweep_problems", "--date", "2024-04-08")
    call_command("sweep_problems", "--date", "2024-04-08")
    call_command("sweep_problems", "--date", "2024-04-13")
    assert capsys.readouterr().out.splitlines() == [
        "督办 1 个，升级直通车 0 个，列入约谈 0 个。",
        "督办 0 个，升级直通车 0 个，列入约谈 0 个。",
        "今天不是工作日，不发督办。",
    ]


def test_problem_counts_by_project_in_one_query(world: World) -> None:
    inside, outside = world.inside.project, world.outside.project
    raise_and_assign(world, D(2024, 3, 1), working_days=5)  # due 2024-03-08: 11 days overdue on 03-19
    raise_and_assign(world, D(2024, 3, 11), working_days=5, title="用工缺口")  # due 03-18: 1 day overdue
    raise_and_assign(world, D(2024, 3, 18), working_days=10, title="资金未到位")  # due 04-01: open, not overdue
    resolved = raise_and_assign(world, D(2024, 3, 1), working_days=3, title="已办结的")
    resolved = actions.do_transition(
        as_user(world, Role.REPORTER), resolved, resolved.version, "accept", at=at(D(2024, 3, 4))
    )
    actions.do_transition(
        as_user(world, Role.REPORTER), resolved, resolved.version, "resolve", resolution="已解决", at=at(D(2024, 3, 5))
    )
    actions.do_raise_problem(
        Actor(user=None, source=AuditSource.SYSTEM), outside, title="寒亭的问题", category="土地", at=at(D(2024, 3, 20))
    )  # raised after 03-19: not yet counted
    with assert_query_count(1):
        rows = list(problem_counts_by_project(D(2024, 3, 19)))
    assert rows == [{"project_id": inside.pk, "open": 3, "overdue_open": 2, "max_overdue_days": 11}]
    rows = {r["project_id"]: r for r in problem_counts_by_project(D(2024, 3, 4))}  # the resolved one still open then
    assert rows[inside.pk] == {"project_id": inside.pk, "open": 2, "overdue_open": 0, "max_overdue_days": 0}
