"""/api/problems — the same selectors, state machine and actions as the pages.

Errors: out of scope 404; a step the user's role may not take 403 with the reason; a step the problem's state does not
allow 409 with the reason; a stale `version` 409 with the other person's changes; bad input 422. Error messages are
in the request's language (Accept-Language or the language cookie; Chinese by default). The `summary` texts document
the API and stay Chinese.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from keyprojects.accounts.access import access_object
from keyprojects.core.api import MoneyIn, api_actor, require_version
from keyprojects.directory.models import Unit
from keyprojects.problems import actions, selectors, workflow
from keyprojects.problems.choices import ElementKind
from keyprojects.problems.models import ElementItem, Problem, ProblemEvent
from keyprojects.projects.models import Project
from keyprojects.regions.models import Region

router = Router(tags=["problems"])


class EventOut(Schema):
    kind: str
    transition: str
    from_state: str
    to_state: str
    at: dt.datetime
    actor: str
    comment: str
    details: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: ProblemEvent) -> str:
        return obj.actor_label


class ProblemOut(Schema):
    id: int
    number: str
    project_id: int
    project_name: str
    region_name: str
    title: str
    description: str
    category: str
    channel: str
    state: str
    state_label: str
    raised_by: str
    raised_on: dt.date
    assigned_unit_id: int | None
    assigned_unit_name: str | None
    assigned_on: dt.date | None
    working_days: int | None
    deadline: dt.date | None
    deadline_warning: str
    overdue_days: int | None
    direct_leader_id: int | None
    resolution: str
    resolved_on: dt.date | None
    closed_on: dt.date | None
    escalation: int
    supervise_count: int
    escalated_on: dt.date | None
    summoned_on: dt.date | None
    version: int

    @staticmethod
    def resolve_project_name(obj: Problem) -> str:
        return obj.project.name

    @staticmethod
    def resolve_region_name(obj: Problem) -> str:
        return obj.project.region.name

    @staticmethod
    def resolve_state_label(obj: Problem) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_raised_by(obj: Problem) -> str:
        return obj.raised_by_label

    @staticmethod
    def resolve_assigned_unit_name(obj: Problem) -> str | None:
        return obj.assigned_unit.name if obj.assigned_unit else None


class ProblemDetailOut(ProblemOut):
    events: list[EventOut]
    allowed: list[str]

    @staticmethod
    def resolve_events(obj: Problem) -> list[ProblemEvent]:
        return obj.events_list  # type: ignore[attr-defined]


class ProblemIn(Schema):
    project_id: int
    title: str
    category: str
    channel: str = "normal"
    description: str = ""


class TransitionIn(Schema):
    transition: str
    version: int | None = None
    comment: str = ""
    resolution: str = ""
    unit_id: int | None = None
    working_days: int | None = None


class CommentIn(Schema):
    comment: str


class Refusal(Schema):
    detail: str


class ProblemFilters(Schema):
    q: str | None = None
    state: str | None = None
    channel: str | None = None
    category: str | None = None
    escalation: int | None = None
    overdue: bool = False
    open: bool = False
    summoned: bool = False
    region_id: int | None = None
    unit_id: int | None = None
    project_id: int | None = None
    sort: str = ""


class StatOut(Schema):
    label: str
    total: int
    open: int
    overdue: int
    closed: int
    mean_days_to_close: Decimal | None


class StatsOut(Schema):
    category: list[StatOut]
    region: list[StatOut]
    unit: list[StatOut]


class ElementOut(Schema):
    id: int
    project_id: int
    kind: str
    unit: str
    required: Decimal
    secured: Decimal
    shortfall: Decimal
    needed_by: dt.date | None
    secured_on: dt.date | None
    note: str
    version: int


class ElementIn(Schema):
    project_id: int
    kind: str
    required: MoneyIn = None  # funds accept "1.5亿"; other elements plain numbers
    secured: MoneyIn = None
    needed_by: dt.date | None = None
    secured_on: dt.date | None = None
    note: str = ""
    version: int | None = None


def _detail(user: Any, pk: int) -> Problem:
    problem = access_object(user, selectors.get_problem_for_detail(user), pk)
    problem.events_list = list(problem.events.order_by("at", "id"))  # type: ignore[attr-defined]
    problem.allowed = workflow.allowed(selectors.facts_of(problem), selectors.who_of(user))  # type: ignore[attr-defined]
    return problem


def _filters(user: Any, filters: ProblemFilters) -> dict[str, Any] | None:
    wanted: dict[str, Any] = {
        k: v for k, v in filters.dict().items() if v not in (None, "", False) and k not in ("sort",)
    }
    for key, field, model in (
        ("region_id", "region", Region),
        ("unit_id", "unit", Unit),
        ("project_id", "project", Project),
    ):
        if key in wanted:
            wanted[field] = model.objects.for_user(user).filter(pk=wanted.pop(key)).first()
            if wanted[field] is None:
                return None
    return wanted


@router.get("", response=list[ProblemOut], summary="问题列表（按用户范围）")
@paginate(LimitOffsetPagination)
def list_problems(request: HttpRequest, filters: Query[ProblemFilters]) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    wanted = _filters(user, filters)
    if wanted is None:
        return Problem.objects.none()
    return selectors.problem_list(user, wanted, sort=filters.sort)


@router.post("", response={201: ProblemDetailOut}, summary="提出问题")
def raise_problem(request: HttpRequest, payload: ProblemIn) -> tuple[int, Problem]:
    user = request.auth  # type: ignore[attr-defined]
    data = payload.dict()
    project = Project.objects.for_user(user).filter(pk=data.pop("project_id")).first()
    if project is None:
        raise ValidationError({"project_id": _("项目不存在或不在您的范围内。")})
    problem = actions.do_raise_problem(api_actor(request), project, **data)
    return 201, _detail(user, problem.pk)


@router.get("/stats", response=StatsOut, summary="按类别、区域、承办单位统计（未办结、逾期、平均办结天数）")
def problem_stats(request: HttpRequest, filters: Query[ProblemFilters]) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    wanted = _filters(user, filters)
    return (
        selectors.problem_stats(user, wanted or {})
        if wanted is not None
        else {"category": [], "region": [], "unit": []}
    )


@router.get("/elements", response=list[ElementOut], summary="要素保障台账（按用户范围）")
def list_elements(request: HttpRequest, project_id: int | None = None, shortfall: bool = False) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    qs = selectors.element_shortfalls(user) if shortfall else ElementItem.objects.for_user(user)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return list(qs.order_by("project_id", "kind"))


@router.post("/elements", response=ElementOut, summary="登记或修改一项要素需求（已有时须带 version）")
def save_element(request: HttpRequest, payload: ElementIn) -> ElementItem:
    user = request.auth  # type: ignore[attr-defined]
    project = Project.objects.for_user(user).filter(pk=payload.project_id).first()
    if project is None:
        raise ValidationError({"project_id": _("项目不存在或不在您的范围内。")})
    if payload.kind not in ElementKind.values:
        kinds = pgettext("list separator", "、").join(ElementKind.values)
        raise ValidationError({"kind": _("未知的要素（可选：%(kinds)s）。") % {"kinds": kinds}})
    if payload.required is None:
        raise ValidationError({"required": _("请填写需求量。")})
    existing = ElementItem.objects.filter(project=project, kind=payload.kind).first()
    version = require_version(payload.version) if existing else None
    return actions.do_save_element(
        api_actor(request),
        project,
        payload.kind,
        version,
        required=payload.required,
        secured=payload.secured or Decimal(0),
        needed_by=payload.needed_by,
        secured_on=payload.secured_on,
        note=payload.note,
    )


@router.post("/elements/{int:element_id}/raise", response={201: ProblemDetailOut}, summary="按要素缺口一键提出问题")
def raise_from_shortfall(request: HttpRequest, element_id: int) -> tuple[int, Problem]:
    user = request.auth  # type: ignore[attr-defined]
    element = access_object(user, ElementItem.objects.select_related("project"), element_id)
    problem = actions.do_raise_from_shortfall(api_actor(request), element)
    return 201, _detail(user, problem.pk)


@router.get("/{int:problem_id}", response=ProblemDetailOut, summary="问题详情（含办理过程和当前用户可执行的操作）")
def get_problem(request: HttpRequest, problem_id: int) -> Problem:
    return _detail(request.auth, problem_id)  # type: ignore[attr-defined]


@router.post(
    "/{int:problem_id}/transitions",
    response={200: ProblemDetailOut, 409: Refusal},
    summary="流转：consult 会商、assign 交办、accept 签收办理、resolve 办结、close 销号、return 退回",
)
def transition(request: HttpRequest, problem_id: int, payload: TransitionIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    problem = access_object(user, Problem.objects.select_related("project", "assigned_unit"), problem_id)
    unit = None
    if payload.unit_id is not None:
        unit = actions.assignable_units(problem.project).filter(pk=payload.unit_id).first()
        if unit is None:
            raise ValidationError(
                {"unit_id": _("承办单位须为%(region)s或其上级区域的单位。") % {"region": problem.project.region}}
            )
    try:
        actions.do_transition(
            api_actor(request),
            problem,
            require_version(payload.version),
            payload.transition,
            comment=payload.comment,
            resolution=payload.resolution,
            unit=unit,
            working_days=payload.working_days,
        )
    except workflow.IllegalTransition as exc:
        return 409, {"detail": exc.messages[0]}
    return 200, _detail(user, problem.pk)


@router.post("/{int:problem_id}/comments", response={201: ProblemDetailOut}, summary="发表意见")
def comment(request: HttpRequest, problem_id: int, payload: CommentIn) -> tuple[int, Problem]:
    user = request.auth  # type: ignore[attr-defined]
    problem = access_object(user, Problem.objects.all(), problem_id)
    actions.do_comment(api_actor(request), problem, payload.comment)
    return 201, _detail(user, problem.pk)
