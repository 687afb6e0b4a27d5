"""The problem state machine and who may move a problem along it. Pure: no database.

    已提出 ─会商→ 会商中 ─交办→ 已交办 ─签收办理→ 办理中 ─办结→ 已办结 ─销号→ 已销号
       └────────交办────────┘                     ↑              │
                                                  └────退回───────┘

Who (DESIGN §2/§5; the roles' permission names are in accounts.permissions):
  会商, 交办        a supervisor (problems.manage); for a 直通车 problem also the leader who got it (problems.direct)
  签收办理, 办结    a reporter of the unit the problem was assigned to (problems.handle)
  销号, 退回        a supervisor, or the person who raised the problem — but not the person who resolved it
The administrator and the system itself (jobs, CLI) may do everything. A refusal carries the message the user sees,
in the active language (gettext; the Chinese text is the msgid).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from keyprojects.accounts import permissions as P
from keyprojects.accounts.choices import Role
from keyprojects.problems.choices import Channel, State, Transition

EDGES: dict[str, tuple[tuple[str, ...], str]] = {
    Transition.CONSULT: ((State.RAISED,), State.CONSULTING),
    Transition.ASSIGN: ((State.RAISED, State.CONSULTING), State.ASSIGNED),
    Transition.ACCEPT: ((State.ASSIGNED,), State.IN_PROGRESS),
    Transition.RESOLVE: ((State.IN_PROGRESS,), State.RESOLVED),
    Transition.CLOSE: ((State.RESOLVED,), State.CLOSED),
    Transition.RETURN: ((State.RESOLVED,), State.IN_PROGRESS),
}


class NotAllowed(PermissionDenied):
    """The user's role or relation to the problem does not allow this step (403)."""


class IllegalTransition(ValidationError):
    """The problem is not in a state this step starts from (e.g. someone else moved it first)."""


@dataclass(frozen=True)
class Who:
    """The acting user, reduced to what the rules look at. `role` None is the system (jobs, CLI without a user)."""

    role: str | None
    user_id: int | None = None
    unit_ids: frozenset[int] = frozenset()
    person_id: int | None = None


SYSTEM = Who(role=None)


@dataclass(frozen=True)
class Facts:
    """The problem, reduced to what the rules look at."""

    state: str
    channel: str = Channel.NORMAL
    raised_by_id: int | None = None
    assigned_unit_id: int | None = None
    assigned_unit_name: str = ""
    direct_leader_id: int | None = None
    resolved_by_id: int | None = None


def target(transition: str) -> str:
    return EDGES[transition][1]


def _label(transition: str) -> str:
    return str(Transition(transition).label)


def check(transition: str, facts: Facts, who: Who) -> None:
    """Raise IllegalTransition or NotAllowed with the message to show (in the active language); return None when the
    step is allowed."""
    if transition not in EDGES:
        raise IllegalTransition(_("未知的操作“%(step)s”。") % {"step": transition})
    sources = EDGES[transition][0]
    if facts.state not in sources:
        separator = pgettext("list separator", "、")
        possible = separator.join(_label(t) for t, (src, _to) in EDGES.items() if facts.state in src) or _("无")
        raise IllegalTransition(
            _("该问题当前状态为“%(state)s”，不能%(step)s（当前可执行：%(possible)s）。")
            % {"state": State(facts.state).label, "step": _label(transition), "possible": possible}
        )
    if who.role is None or who.role == Role.ADMIN:
        return
    role = who.role
    step = {"step": _label(transition)}
    if transition in (Transition.CONSULT, Transition.ASSIGN):
        is_direct_leader = (
            facts.channel == Channel.DIRECT
            and P.has_perm_role(role, P.PROBLEM_DIRECT)
            and who.person_id is not None
            and who.person_id == facts.direct_leader_id
        )
        if not (P.has_perm_role(role, P.PROBLEM_MANAGE) or is_direct_leader):
            raise NotAllowed(_("%(step)s须由督导员办理（直通车问题也可由接收的领导办理），您无权操作。") % step)
    elif transition in (Transition.ACCEPT, Transition.RESOLVE):
        if not (P.has_perm_role(role, P.PROBLEM_HANDLE) and facts.assigned_unit_id in who.unit_ids):
            unit = facts.assigned_unit_name or _("承办单位")
            raise NotAllowed(_("%(step)s须由承办单位（%(unit)s）的填报员办理，您无权操作。") % {**step, "unit": unit})
    else:  # CLOSE, RETURN: verification
        manager = P.has_perm_role(role, P.PROBLEM_MANAGE)
        raiser = who.user_id is not None and who.user_id == facts.raised_by_id
        if not (manager or raiser):
            raise NotAllowed(_("%(step)s须由督导员或问题提出人核验，您无权操作。") % step)
        if not manager and who.user_id == facts.resolved_by_id:
            raise NotAllowed(_("该问题由您办结，不能由您本人%(step)s，请由督导员核验。") % step)


def allowed(facts: Facts, who: Who) -> list[str]:
    """The steps this user may take now, in the order of the loop (for the buttons on the page)."""
    steps = []
    for transition in EDGES:
        try:
            check(transition, facts, who)
        except (NotAllowed, IllegalTransition):
            continue
        steps.append(transition)
    return steps


def check_comment(who: Who) -> None:
    if who.role is None or P.has_perm_role(who.role, P.PROBLEM_COMMENT):
        return
    raise NotAllowed(_("您的角色无权对问题发表意见。"))


def check_input(
    transition: str,
    *,
    comment: str = "",
    resolution: str = "",
    unit_id: int | None = None,
    working_days: int | None = None,
) -> None:
    """What each step needs besides permission: a unit and a time limit to assign, a result to resolve, a reason to
    send back."""
    if transition == Transition.ASSIGN:
        errors: dict[str, str] = {}
        if unit_id is None:
            errors["unit"] = _("交办须选择承办单位。")
        if working_days is None or not 1 <= working_days <= 60:
            errors["working_days"] = _("办理时限须为1至60个工作日。")
        if errors:
            raise ValidationError(errors)
    elif transition == Transition.RESOLVE and not resolution.strip():
        raise ValidationError({"resolution": _("办结须填写办理结果。")})
    elif transition == Transition.RETURN and not comment.strip():
        raise ValidationError({"comment": _("退回须填写原因。")})
