"""Every transition × every role, without a database: who may take which step, and the exact refusal."""

from __future__ import annotations

import pytest

from keyprojects.accounts.choices import Role
from keyprojects.problems.choices import Channel, State, Transition
from keyprojects.problems.workflow import Facts, IllegalTransition, NotAllowed, Who, allowed, check, check_input

UNIT, OTHER_UNIT, LEADER_PERSON = 7, 8, 9
WHO = {
    Role.ADMIN: Who(Role.ADMIN, user_id=1),
    Role.SUPERVISOR: Who(Role.SUPERVISOR, user_id=2),
    Role.REGION_ADMIN: Who(Role.REGION_ADMIN, user_id=3),  # raised the problem
    Role.REPORTER: Who(Role.REPORTER, user_id=4, unit_ids=frozenset({UNIT})),  # of the assigned unit; resolved it
    Role.LEADER: Who(Role.LEADER, user_id=5, person_id=LEADER_PERSON),
    Role.PANEL: Who(Role.PANEL, user_id=6),
}
SOURCE = {
    Transition.CONSULT: State.RAISED,
    Transition.ASSIGN: State.RAISED,
    Transition.ACCEPT: State.ASSIGNED,
    Transition.RESOLVE: State.IN_PROGRESS,
    Transition.CLOSE: State.RESOLVED,
    Transition.RETURN: State.RESOLVED,
}
MANAGE = "{}须由督导员办理（直通车问题也可由接收的领导办理），您无权操作。"
HANDLE = "{}须由承办单位（寒亭区自然资源局）的填报员办理，您无权操作。"
VERIFY = "{}须由督导员或问题提出人核验，您无权操作。"
ALLOWED: dict[str, set[str]] = {
    Transition.CONSULT: {Role.ADMIN, Role.SUPERVISOR},
    Transition.ASSIGN: {Role.ADMIN, Role.SUPERVISOR},
    Transition.ACCEPT: {Role.ADMIN, Role.REPORTER},
    Transition.RESOLVE: {Role.ADMIN, Role.REPORTER},
    Transition.CLOSE: {Role.ADMIN, Role.SUPERVISOR, Role.REGION_ADMIN},
    Transition.RETURN: {Role.ADMIN, Role.SUPERVISOR, Role.REGION_ADMIN},
}
REFUSAL = {
    Transition.CONSULT: MANAGE.format("会商"),
    Transition.ASSIGN: MANAGE.format("交办"),
    Transition.ACCEPT: HANDLE.format("签收办理"),
    Transition.RESOLVE: HANDLE.format("办结"),
    Transition.CLOSE: VERIFY.format("销号"),
    Transition.RETURN: VERIFY.format("退回"),
}


def facts(state: str, channel: str = Channel.NORMAL) -> Facts:
    assigned = state not in (State.RAISED, State.CONSULTING)
    return Facts(
        state=state,
        channel=channel,
        raised_by_id=3,
        assigned_unit_id=UNIT if assigned else None,
        assigned_unit_name="寒亭区自然资源局" if assigned else "",
        direct_leader_id=LEADER_PERSON if channel == Channel.DIRECT else None,
        resolved_by_id=4 if state == State.RESOLVED else None,
    )


@pytest.mark.parametrize("transition", list(SOURCE))
@pytest.mark.parametrize("role", Role.values)
def test_every_transition_for_every_role(transition: str, role: str) -> None:
    given = facts(SOURCE[transition])
    if role in ALLOWED[transition]:
        check(transition, given, WHO[role])
        assert transition in allowed(given, WHO[role])
    else:
        with pytest.raises(NotAllowed) as refused:
            check(transition, given, WHO[role])
        assert str(refused.value) == REFUSAL[transition]
        assert transition not in allowed(given, WHO[role])


def test_the_system_may_take_every_step() -> None:
    for transition, state in SOURCE.items():
        check(transition, facts(state), Who(role=None))


@pytest.mark.parametrize("transition", [Transition.CONSULT, Transition.ASSIGN])
def test_the_leader_who_received_a_direct_problem_may_consult_and_assign(transition: str) -> None:
    check(transition, facts(State.RAISED, Channel.DIRECT), WHO[Role.LEADER])
    another_leader = Who(Role.LEADER, user_id=15, person_id=99)
    with pytest.raises(NotAllowed, match=MANAGE.format(Transition(transition).label)):
        check(transition, facts(State.RAISED, Channel.DIRECT), another_leader)


def test_a_reporter_of_another_unit_may_not_handle() -> None:
    outsider = Who(Role.REPORTER, user_id=14, unit_ids=frozenset({OTHER_UNIT}))
    with pytest.raises(NotAllowed, match="签收办理须由承办单位（寒亭区自然资源局）的填报员办理"):
        check(Transition.ACCEPT, facts(State.ASSIGNED), outsider)


def test_whoever_resolved_may_not_close_even_as_raiser() -> None:
    raiser_and_resolver = Facts(
        state=State.RESOLVED,
        raised_by_id=4,
        assigned_unit_id=UNIT,
        assigned_unit_name="寒亭区自然资源局",
        resolved_by_id=4,
    )
    with pytest.raises(NotAllowed) as refused:
        check(Transition.CLOSE, raiser_and_resolver, WHO[Role.REPORTER])
    assert str(refused.value) == "该问题由您办结，不能由您本人销号，请由督导员核验。"
    check(Transition.CLOSE, raiser_and_resolver, WHO[Role.SUPERVISOR])


@pytest.mark.parametrize(
    ("transition", "state", "message"),
    [
        (Transition.RESOLVE, State.RAISED, "该问题当前状态为“已提出”，不能办结（当前可执行：会商、交办）。"),
        (Transition.CONSULT, State.CONSULTING, "该问题当前状态为“会商中”，不能会商（当前可执行：交办）。"),
        (Transition.CLOSE, State.IN_PROGRESS, "该问题当前状态为“办理中”，不能销号（当前可执行：办结）。"),
        (Transition.RETURN, State.CLOSED, "该问题当前状态为“已销号”，不能退回（当前可执行：无）。"),
        (Transition.ASSIGN, State.ASSIGNED, "该问题当前状态为“已交办”，不能交办（当前可执行：签收办理）。"),
    ],
)
def test_illegal_transitions_are_refused_with_the_state(transition: str, state: str, message: str) -> None:
    with pytest.raises(IllegalTransition) as refused:
        check(transition, facts(state), WHO[Role.ADMIN])
    assert refused.value.messages == [message]


def test_each_step_asks_for_what_it_needs() -> None:
    with pytest.raises(Exception) as missing:
        check_input(Transition.ASSIGN, unit_id=None, working_days=0)
    assert missing.value.message_dict == {
        "unit": ["交办须选择承办单位。"],
        "working_days": ["办理时限须为1至60个工作日。"],
    }
    with pytest.raises(Exception, match="办结须填写办理结果"):
        check_input(Transition.RESOLVE, resolution="  ")
    with pytest.raises(Exception, match="退回须填写原因"):
        check_input(Transition.RETURN, comment="")
    check_input(Transition.CLOSE)
