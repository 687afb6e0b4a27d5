"""The loop through the actions and the pages: a whole walk, refusals as users see them, two people at once."""

from __future__ import annotations

import datetime as dt

import pytest

from keyprojects.accounts.choices import Role
from keyprojects.audit.selectors import entries_for
from keyprojects.core.editing import VersionConflict
from keyprojects.core.testing.fixtures import World, problem_of
from keyprojects.notifications.models import Notice, NoticeRecipient
from keyprojects.problems import actions
from keyprojects.problems.choices import Channel, EventKind, State
from keyprojects.problems.models import Problem
from keyprojects.problems.tests.helpers import as_user, at, login, raise_and_assign

pytestmark = pytest.mark.django_db
D = dt.date


def inbox_titles(user: object) -> list[str]:
    return list(NoticeRecipient.objects.filter(user=user).order_by("pk").values_list("notice__title", flat=True))


def test_a_problem_walks_from_raised_to_closed(world: World) -> None:
    reporter, supervisor = world.users[Role.REPORTER], world.users[Role.SUPERVISOR]
    problem = actions.do_raise_problem(
        as_user(world, Role.REPORTER),
        world.inside.project,
        title="施工用电未接入",
        category="水电气暖",
        at=at(D(2024, 4, 1)),
    )
    assert (problem.state, problem.raised_by, problem.raised_on) == (State.RAISED, reporter, D(2024, 4, 1))
    assert inbox_titles(supervisor) == ["新问题：施工用电未接入"]

    problem = actions.do_transition(
        as_user(world, Role.SUPERVISOR), problem, 1, "consult", comment="4月2日供电公司会商"
    )
    # 2024-04-01 (Mon) + 3 working days: 4-02, 4-03, then 清明 4-04..4-06 off, Sunday 4-07 is a make-up working day.
    problem = actions.do_transition(
        as_user(world, Role.SUPERVISOR), problem, 2, "assign", unit=world.inside.unit, working_days=3
    )
    assert (problem.state, problem.deadline, problem.deadline_warning) == (State.ASSIGNED, D(2024, 4, 7), "")
    assert inbox_titles(reporter)[-1] == "交办：施工用电未接入"

    problem = actions.do_transition(as_user(world, Role.REPORTER), problem, 3, "accept")
    problem = actions.do_transition(as_user(world, Role.REPORTER), problem, 4, "resolve", resolution="已接入临时用电")
    assert (problem.state, problem.resolved_by, problem.resolved_on) == (State.RESOLVED, reporter, D(2024, 4, 1))
    problem = actions.do_transition(as_user(world, Role.SUPERVISOR), problem, 5, "return", comment="缺少供电合同")
    assert (problem.state, problem.resolved_on) == (State.IN_PROGRESS, None)
    problem = actions.do_transition(as_user(world, Role.REPORTER), problem, 6, "resolve", resolution="已签供电合同")
    problem = actions.do_transition(as_user(world, Role.SUPERVISOR), problem, 7, "close", comment="核验属实")
    assert (problem.state, problem.closed_on, problem.version) == (State.CLOSED, D(2024, 4, 1), 8)

    steps = [(e.kind, e.transition, e.to_state, e.actor_label) for e in problem.events.order_by("at", "id")]
    assert steps == [
        (EventKind.RAISE, "", State.RAISED, "测试reporter"),
        (EventKind.TRANSITION, "consult", State.CONSULTING, "测试supervisor"),
        (EventKind.TRANSITION, "assign", State.ASSIGNED, "测试supervisor"),
        (EventKind.TRANSITION, "accept", State.IN_PROGRESS, "测试reporter"),
        (EventKind.TRANSITION, "resolve", State.RESOLVED, "测试reporter"),
        (EventKind.TRANSITION, "return", State.IN_PROGRESS, "测试supervisor"),
        (EventKind.TRANSITION, "resolve", State.RESOLVED, "测试reporter"),
        (EventKind.TRANSITION, "close", State.CLOSED, "测试supervisor"),
    ]
    assert problem.events.get(transition="return").comment == "缺少供电合同"
    audit = list(entries_for(problem))
    assert len(audit) == 8 and audit[0].message == "销号：核验属实"
    assert audit[0].changes == {"state": ["已办结", "已销号"]}
    titles = ["会商：施工用电未接入", "交办：施工用电未接入", "退回重办：施工用电未接入", "已销号：施工用电未接入"]
    assert inbox_titles(reporter) == titles
    resolved = "已办结待销号：施工用电未接入"
    assert inbox_titles(supervisor) == ["新问题：施工用电未接入", resolved, resolved]


@pytest.mark.parametrize(
    ("role", "step", "status", "message"),
    [
        (Role.LEADER, "assign", 403, "交办须由督导员办理（直通车问题也可由接收的领导办理），您无权操作。"),
        (Role.REPORTER, "consult", 403, "会商须由督导员办理（直通车问题也可由接收的领导办理），您无权操作。"),
        (Role.PANEL, "comment", 403, "您的角色无权对问题发表意见。"),
        (Role.SUPERVISOR, "resolve", 409, "该问题当前状态为“已提出”，不能办结（当前可执行：会商、交办）。"),
    ],
)
def test_refusals_are_pages_with_the_reason(world: World, role: str, step: str, status: int, message: str) -> None:
    problem = problem_of(world.inside)
    response = login(world, role).get(f"/problems/{problem.pk}/{step}/")
    assert response.status_code == status
    assert message in response.content.decode()


def test_every_role_sees_only_the_steps_it_may_take(world: World) -> None:
    problem = problem_of(world.inside)
    buttons = {}
    for role in Role.values:
        page = login(world, role).get(f"/problems/{problem.pk}/").content.decode()
        buttons[role] = [
            s
            for s in ("会商", "交办", "签收办理", "办结", "销号", "退回")
            if f"/{problem.pk}/" in page and f">{s}</a>" in page
        ]
    assert buttons == {
        Role.ADMIN: ["会商", "交办"],
        Role.SUPERVISOR: ["会商", "交办"],
        Role.REGION_ADMIN: [],
        Role.REPORTER: [],
        Role.LEADER: [],
        Role.PANEL: [],
    }


def test_two_people_assign_at_once_one_wins_the_other_keeps_input(world: World) -> None:
    problem = problem_of(world.inside)
    url = f"/problems/{problem.pk}/assign/"
    supervisor, admin = login(world, Role.SUPERVISOR), login(world, Role.ADMIN)
    assert 'name="version" value="1"' in supervisor.get(url).content.decode()
    assert 'name="version" value="1"' in admin.get(url).content.decode()

    first = supervisor.post(url, {"version": 1, "unit": world.inside.unit.pk, "working_days": 5, "comment": "限期解决"})
    assert first.status_code == 302
    second = admin.post(
        url, {"version": 1, "unit": world.inside.unit.pk, "working_days": 10, "comment": "管理员的交办意见"}
    )
    assert second.status_code == 200
    page = second.content.decode()
    assert (
        "保存失败：该记录已被测试supervisor修改（您编辑的是第1版，当前为第2版）。请查看对方的修改后重新提交。" in page
    )
    assert "管理员的交办意见" in page  # the admin's input is still in the form
    stored = Problem.objects.get(pk=problem.pk)
    assert (stored.state, stored.working_days, stored.version) == (State.ASSIGNED, 5, 2)
    assert stored.events.filter(transition="assign").count() == 1


def test_a_stale_step_in_the_action_raises_a_conflict_naming_the_other(world: World) -> None:
    problem = raise_and_assign(world, D(2024, 4, 1))
    actions.do_transition(as_user(world, Role.REPORTER), problem, problem.version, "accept")
    with pytest.raises(VersionConflict) as conflict:
        actions.do_transition(as_user(world, Role.ADMIN), problem, problem.version, "accept")
    assert conflict.value.others[0].actor_label == "测试reporter"
    assert Problem.objects.get(pk=problem.pk).events.filter(transition="accept").count() == 1


def test_a_direct_problem_goes_to_the_leader_with_three_working_days(world: World) -> None:
    leader = world.users[Role.LEADER]
    problem = actions.do_raise_problem(
        as_user(world, Role.REPORTER),
        world.inside.project,
        title="环评批复迟迟未下",
        category="环境指标/环评",
        channel=Channel.DIRECT,
        at=at(D(2024, 2, 8)),
    )
    # 2024-02-08 (Thu): Fri 2-09, then 春节 2-10..2-17, Sunday 2-18 (make-up), Mon 2-19.
    assert (problem.direct_leader, problem.deadline, problem.working_days) == (world.inside.leader, D(2024, 2, 19), 3)
    assert inbox_titles(leader) == ["直通车问题：环评批复迟迟未下"]
    page = login(world, Role.LEADER).get("/problems/direct/").content.decode()
    assert "环评批复迟迟未下" in page and "直通车问题（报送给我的）" in page
    # The leader who received it may assign it.
    assigned = actions.do_transition(
        as_user(world, Role.LEADER), problem, 1, "assign", unit=world.inside.unit, working_days=3, at=at(D(2024, 2, 19))
    )
    assert assigned.deadline == D(2024, 2, 22)


def test_a_deadline_in_an_unknown_year_warns_and_an_entered_year_is_used(world: World) -> None:
    problem = raise_and_assign(world, D(2026, 12, 30), working_days=3)
    assert problem.deadline == D(2027, 1, 4)
    assert problem.deadline_warning.startswith("2027年的法定节假日安排尚未录入，期限仅按周末推算")
    page = login(world, Role.REPORTER).get(f"/problems/{problem.pk}/").content.decode()
    assert 'id="deadline-warning"' in page and "2027年的法定节假日安排尚未录入" in page

    admin = login(world, Role.ADMIN)
    response = admin.post(
        "/problems/calendar/",
        {
            "year": 2027,
            "source": "国办发明电〔2026〕12号",
            "holidays": "2027-01-01 元旦\n2027-02-06 至 2027-02-13 春节",
            "workdays": "2027-02-14 春节调休上班",
        },
    )
    assert response.status_code == 302
    second = raise_and_assign(world, D(2026, 12, 30), working_days=3, title="二期环评")
    assert (second.deadline, second.deadline_warning) == (D(2027, 1, 5), "")
    assert login(world, Role.SUPERVISOR).post("/problems/calendar/", {"year": 2028}).status_code == 403


def test_comment_by_a_leader_is_recorded(world: World) -> None:
    problem = problem_of(world.inside)
    response = login(world, Role.LEADER).post(
        f"/problems/{problem.pk}/comment/", {"comment": "请自然资源局本周内拿出方案"}
    )
    assert response.status_code == 302
    event = problem.events.get(kind=EventKind.COMMENT)
    assert (event.actor_label, event.comment) == ("测试leader", "请自然资源局本周内拿出方案")
    assert Notice.objects.filter(kind="problem_comment").count() == 0
