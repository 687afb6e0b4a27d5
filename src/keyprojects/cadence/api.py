"""/api/cadence — the same selectors, actions and writers as the pages.

Errors: a meeting, round or target outside the caller's scope 404; a region or project in the body that the caller
cannot see 422; a role without the permission 403; a stale `version` 409; bad input 422.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from keyprojects.accounts.access import access_object
from keyprojects.accounts.permissions import CADENCE_RUN, has_perm
from keyprojects.cadence import actions, selectors
from keyprojects.cadence.bulletin import BulletinData, bulletin_data
from keyprojects.cadence.bulletin_docx import bulletin_docx
from keyprojects.cadence.choices import DEFAULT_CRITERIA, AssessedKind, RoundStatus, TargetKind
from keyprojects.cadence.dashboard import dashboard
from keyprojects.cadence.figures import Rollup
from keyprojects.cadence.models import DispatchMeeting, ObservationRound, ObservationTarget
from keyprojects.cadence.periods import Month, PeriodError, Quarter
from keyprojects.cadence.summary import quarterly_summary
from keyprojects.cadence.views import DOCX, XLSX, attachment_response
from keyprojects.cadence.workbooks import assessment_xlsx, bulletin_xlsx, quarterly_xlsx
from keyprojects.core import clock
from keyprojects.core.api import api_actor
from keyprojects.directory.models import Unit
from keyprojects.projects.models import Project
from keyprojects.regions.models import Region

router = Router(tags=["cadence"])


# --- shared -------------------------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _region(user: Any, region_id: int | None, body: bool = False) -> Region:
    """The region asked for (inside the caller's scope), or the caller's own. Out of scope: 404 in a query, 422 in
    a body — existence does not leak either way."""
    if region_id is None:
        region = selectors.default_region(user)
    else:
        region = selectors.region_in_scope(user, region_id)
    if region is None:
        if body:
            raise ValidationError({"region_id": _("区域不存在或不在您的范围内。")})
        raise Http404(_("区域不存在或不在您的范围内。"))
    return region


def _month(text: str | None) -> Month:
    if not text:
        return Month.of(clock.today()).previous()
    try:
        return Month.parse(text)
    except PeriodError as exc:
        raise ValidationError({"month": str(exc)}) from exc


def _quarter(text: str | None) -> Quarter:
    if not text:
        return Quarter.of(clock.today()).previous()
    try:
        return Quarter.parse(text)
    except PeriodError as exc:
        raise ValidationError({"quarter": str(exc)}) from exc


class GroupOut(Schema):
    rank: int | None
    name: str
    projects: int
    blue: int
    yellow: int
    red: int
    mean_score: Decimal | None
    plan_wan: Decimal
    due_wan: Decimal
    done_wan: Decimal
    rate_due: Decimal | None
    rate_year: Decimal | None
    extra: dict[str, Any]


def _group(g: Rollup) -> dict[str, Any]:
    return {
        "rank": g.rank,
        "name": g.label,
        "projects": g.plan.projects,
        "blue": g.cards.blue,
        "yellow": g.cards.yellow,
        "red": g.cards.red,
        "mean_score": g.cards.mean_score,
        "plan_wan": g.plan.plan_wan,
        "due_wan": g.plan.due_wan,
        "done_wan": g.plan.done_wan,
        "rate_due": g.plan.rate_due,
        "rate_year": g.plan.rate_year,
        "extra": g.extra,
    }


# --- agenda and meetings ---------------------------------------------------------------------------------------------


class AgendaOut(Schema):
    region_id: int
    region_name: str
    day: str
    week: str
    week_label: str
    rated: bool
    counts: dict[str, int]
    red: list[dict[str, Any]]
    summons_projects: list[dict[str, Any]]
    summons_problems: list[dict[str, Any]]
    direct: list[dict[str, Any]]
    overdue: list[dict[str, Any]]
    stalled: list[dict[str, Any]]


def _agenda_out(agenda: selectors.Agenda) -> dict[str, Any]:
    return agenda.to_json() | {"counts": agenda.counts()}


@router.get("/agenda", response=AgendaOut, summary="半月调度议程（区域、会议日期；默认本人区域、今天）")
def get_agenda(request: HttpRequest, region_id: int | None = None, date: dt.date | None = None) -> dict[str, Any]:
    user = _user(request)
    return _agenda_out(selectors.agenda(user, _region(user, region_id), date or clock.today()))


class MeetingOut(Schema):
    id: int
    region_id: int
    region_name: str
    held_on: dt.date
    title: str
    venue: str
    chair: str
    attendees: str
    minutes: str
    week: str
    version: int

    @staticmethod
    def resolve_region_name(obj: DispatchMeeting) -> str:
        return obj.region.name

    @staticmethod
    def resolve_week(obj: DispatchMeeting) -> str:
        return obj.agenda.get("week", "")


class DecisionOut(Schema):
    id: int
    text: str
    detail: str
    project_id: int
    project_name: str
    unit_id: int
    unit_name: str
    working_days: int
    problem_id: int | None
    problem_state: str | None
    deadline: dt.date | None

    @staticmethod
    def resolve_project_name(obj: Any) -> str:
        return obj.project.name

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_problem_state(obj: Any) -> str | None:
        return obj.problem.get_state_display() if obj.problem else None

    @staticmethod
    def resolve_deadline(obj: Any) -> dt.date | None:
        return obj.problem.deadline if obj.problem else None


class MeetingDetailOut(MeetingOut):
    agenda: AgendaOut
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_agenda(obj: DispatchMeeting) -> dict[str, Any]:
        return _agenda_out(selectors.Agenda.from_json(obj.agenda))

    @staticmethod
    def resolve_decisions(obj: DispatchMeeting) -> list[Any]:
        return selectors.meeting_decisions(obj)


class MeetingIn(Schema):
    region_id: int
    held_on: dt.date
    title: str = ""
    venue: str = ""
    chair: str = ""
    attendees: str = ""


class DecisionIn(Schema):
    project_id: int
    text: str
    unit_id: int
    working_days: int = 10
    category: str = "其他"
    detail: str = ""


@router.get("/meetings", response=list[MeetingOut], summary="调度会列表")
@paginate(LimitOffsetPagination)
def list_meetings(request: HttpRequest) -> Any:
    return selectors.meetings_for(_user(request))


@router.post("/meetings", response={201: MeetingDetailOut}, summary="召开调度会（按当时情况生成议程）")
def create_meeting(request: HttpRequest, payload: MeetingIn) -> tuple[int, DispatchMeeting]:
    user = _user(request)
    region = _region(user, payload.region_id, body=True)
    meeting = actions.do_create_meeting(
        api_actor(request),
        region,
        payload.held_on,
        title=payload.title,
        venue=payload.venue,
        chair=payload.chair,
        attendees=payload.attendees,
    )
    return 201, meeting


@router.get("/meetings/{int:meeting_id}", response=MeetingDetailOut, summary="调度会：议程与决定事项")
def get_meeting(request: HttpRequest, meeting_id: int) -> DispatchMeeting:
    return access_object(_user(request), DispatchMeeting.objects.select_related("region"), meeting_id)


@router.post(
    "/meetings/{int:meeting_id}/decisions",
    response={201: DecisionOut},
    summary="记录会议决定事项（作为问题交办承办单位）",
)
def record_decision(request: HttpRequest, meeting_id: int, payload: DecisionIn) -> tuple[int, Any]:
    user = _user(request)
    meeting = access_object(user, DispatchMeeting.objects.select_related("region"), meeting_id)
    if not has_perm(user, CADENCE_RUN):
        raise PermissionDenied(_("您的角色无权执行此操作。"))
    project = (
        Project.objects.for_user(user)
        .filter(pk=payload.project_id, region__path__startswith=meeting.region.path)
        .select_related("region")
        .first()
    )
    if project is None:
        raise ValidationError({"project_id": _("项目不存在或不在本次调度会的区域内。")})
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None:
        raise ValidationError({"unit_id": _("承办单位不存在。")})
    decision = actions.do_record_decision(
        api_actor(request),
        meeting,
        project,
        text=payload.text,
        unit=unit,
        working_days=payload.working_days,
        category=payload.category,
        detail=payload.detail,
    )
    return 201, decision


# --- bulletin and quarterly summary -----------------------------------------------------------------------------------


class BulletinOut(Schema):
    title: str
    doc_number: str
    issuer: str
    issued_on: dt.date
    month: str
    region: str
    week: str | None
    total: GroupOut
    regions: list[GroupOut]
    units: list[GroupOut]
    red: list[dict[str, Any]]
    problems: dict[str, Any]


def _bulletin_out(data: BulletinData) -> dict[str, Any]:
    return {
        "title": data.title,
        "doc_number": data.doc_number,
        "issuer": data.issuer,
        "issued_on": data.issued_on,
        "month": str(data.month),
        "region": data.region.name,
        "week": str(data.week) if data.week else None,
        "total": _group(data.total),
        "regions": [_group(g) for g in data.regions],
        "units": [_group(g) for g in data.units],
        "red": [vars(item) for item in data.red],
        "problems": vars(data.problems),
    }


@router.get("/bulletin", response=BulletinOut, summary="每月通报的数据（month=YYYY-MM，默认上月）")
def get_bulletin(request: HttpRequest, month: str | None = None, region_id: int | None = None) -> dict[str, Any]:
    user = _user(request)
    return _bulletin_out(bulletin_data(user, _month(month), _region(user, region_id)))


@router.get("/bulletin.docx", summary="每月通报（公文格式 Word）")
def get_bulletin_docx(request: HttpRequest, month: str | None = None, region_id: int | None = None) -> HttpResponse:
    user = _user(request)
    data = bulletin_data(user, _month(month), _region(user, region_id))
    return attachment_response(bulletin_docx(data), DOCX, f"{data.file_stem}.docx")


@router.get("/bulletin.xlsx", summary="每月通报附表（Excel）")
def get_bulletin_xlsx(request: HttpRequest, month: str | None = None, region_id: int | None = None) -> HttpResponse:
    user = _user(request)
    data = bulletin_data(user, _month(month), _region(user, region_id))
    return attachment_response(bulletin_xlsx(data), XLSX, f"{data.file_stem}.xlsx")


class SummaryOut(Schema):
    title: str
    quarter: str
    region: str
    total: GroupOut
    by_region: list[GroupOut]
    by_industry: list[GroupOut]
    by_category: list[GroupOut]
    by_stage: list[GroupOut]
    months: list[dict[str, Any]]


@router.get("/quarterly", response=SummaryOut, summary="季度总结（quarter=YYYY-Qn，默认上一季度）")
def get_quarterly(request: HttpRequest, quarter: str | None = None, region_id: int | None = None) -> dict[str, Any]:
    user = _user(request)
    s = quarterly_summary(user, _quarter(quarter), _region(user, region_id))
    return {
        "title": s.title,
        "quarter": str(s.quarter),
        "region": s.region.name,
        "total": _group(s.total),
        "by_region": [_group(g) for g in s.by_region],
        "by_industry": [_group(g) for g in s.by_industry],
        "by_category": [_group(g) for g in s.by_category],
        "by_stage": [_group(g) for g in s.by_stage],
        "months": [
            {"month": label, "due_wan": f.due_wan, "done_wan": f.done_wan, "rate_due": f.rate_due}
            for label, f in s.months
        ],
    }


@router.get("/quarterly.xlsx", summary="季度总结（Excel）")
def get_quarterly_xlsx(request: HttpRequest, quarter: str | None = None, region_id: int | None = None) -> HttpResponse:
    user = _user(request)
    s = quarterly_summary(user, _quarter(quarter), _region(user, region_id))
    return attachment_response(quarterly_xlsx(s), XLSX, f"{s.title}.xlsx")


# --- observation rounds -----------------------------------------------------------------------------------------------


class RoundBase(Schema):
    id: int
    title: str
    region_id: int
    region_name: str
    year: int
    half: int
    held_on: dt.date
    target_kind: str
    status: str
    status_label: str
    note: str
    version: int


class RoundOut(RoundBase):
    @staticmethod
    def resolve_region_name(obj: ObservationRound) -> str:
        return obj.region.name

    @staticmethod
    def resolve_status_label(obj: ObservationRound) -> str:
        return obj.get_status_display()


class ResultOut(Schema):
    target_id: int
    name: str
    rank: int | None
    totals: list[Decimal]
    dropped_high: Decimal | None
    dropped_low: Decimal | None
    result: Decimal | None
    comments: list[dict[str, str]]
    summary: str


class RoundDetailOut(RoundBase):
    criteria: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    panel: list[str]
    results: list[ResultOut] | None


class RoundIn(Schema):
    title: str
    region_id: int
    year: int
    half: int
    held_on: dt.date
    target_kind: str = TargetKind.PROJECT
    criteria: list[tuple[str, Decimal]] = [(name, Decimal(weight)) for name, weight in DEFAULT_CRITERIA]
    project_ids: list[int] = []
    region_ids: list[int] = []
    panel_usernames: list[str] = []
    note: str = ""


class StatusIn(Schema):
    status: str
    version: int | None = None


class SheetIn(Schema):
    scores: dict[int, Decimal]
    comment: str = ""
    version: int | None = None


class SheetOut(Schema):
    id: int
    target_id: int
    total: Decimal
    comment: str
    scores: dict[int, Decimal]
    version: int

    @staticmethod
    def resolve_scores(obj: Any) -> dict[int, Decimal]:
        return selectors.sheet_scores(obj)


def _round_detail(user: Any, round_: ObservationRound) -> dict[str, Any]:
    view = selectors.round_view(round_)
    results = None
    if has_perm(user, CADENCE_RUN) or round_.status == RoundStatus.CLOSED:
        results = [
            {
                "target_id": r.target.pk,
                "name": r.target.name,
                "rank": r.rank,
                "totals": r.totals,
                "dropped_high": r.trimmed.dropped_high,
                "dropped_low": r.trimmed.dropped_low,
                "result": r.result,
                "comments": [{"member": who, "comment": text} for who, text in r.comments],
                "summary": r.target.summary,
            }
            for r in view.results
        ]
    return {
        **{f: getattr(round_, f) for f in ("id", "title", "region_id", "year", "half", "held_on", "target_kind")},
        **{"status": round_.status, "note": round_.note, "version": round_.version},
        "region_name": round_.region.name,
        "status_label": round_.get_status_display(),
        "criteria": [{"id": c.pk, "name": c.name, "weight": c.weight} for c in view.criteria],
        "targets": [
            {"id": t.pk, "order": t.order, "name": t.name, "project_id": t.project_id, "region_id": t.region_id}
            for t in view.targets
        ],
        "panel": [str(m.user) for m in view.panel],
        "results": results,
    }


@router.get("/rounds", response=list[RoundOut], summary="观摩活动列表")
@paginate(LimitOffsetPagination)
def list_rounds(request: HttpRequest) -> Any:
    return selectors.rounds_for(_user(request))


@router.post("/rounds", response={201: RoundDetailOut}, summary="新建观摩活动（评分指标、观摩对象、评委）")
def create_round(request: HttpRequest, payload: RoundIn) -> tuple[int, dict[str, Any]]:
    from keyprojects.accounts.models import User

    user = _user(request)
    region = _region(user, payload.region_id, body=True)
    # Targets in the order given: the order of the visit.
    found = Project.objects.for_user(user).filter(pk__in=payload.project_ids).select_related("region")
    projects = sorted(found, key=lambda p: payload.project_ids.index(p.pk))
    if len(projects) != len(set(payload.project_ids)):
        raise ValidationError({"project_ids": _("部分项目不存在或不在您的范围内。")})
    chosen = selectors.regions_for_choice(user).filter(pk__in=payload.region_ids)
    regions = sorted(chosen, key=lambda r: payload.region_ids.index(r.pk))
    if len(regions) != len(set(payload.region_ids)):
        raise ValidationError({"region_ids": _("部分区域不存在或不在您的范围内。")})
    panel = list(User.objects.filter(username__in=payload.panel_usernames))
    if len(panel) != len(set(payload.panel_usernames)):
        raise ValidationError({"panel_usernames": _("部分评委账号不存在。")})
    setup = actions.RoundSetup(
        title=payload.title,
        region=region,
        year=payload.year,
        half=payload.half,
        held_on=payload.held_on,
        target_kind=payload.target_kind,
        criteria=list(payload.criteria),
        projects=projects,
        regions=regions,
        panel=panel,
        note=payload.note,
    )
    round_ = actions.do_create_round(api_actor(request), setup)
    return 201, _round_detail(user, round_)


@router.get("/rounds/{int:round_id}", response=RoundDetailOut, summary="观摩活动：设置、评分进度与结果")
def get_round(request: HttpRequest, round_id: int) -> dict[str, Any]:
    user = _user(request)
    return _round_detail(user, access_object(user, ObservationRound.objects.select_related("region"), round_id))


@router.post(
    "/rounds/{int:round_id}/status",
    response=RoundDetailOut,
    summary="改变观摩活动状态：scoring 开始评分、closed 结束评分、draft 退回设置",
)
def set_round_status(request: HttpRequest, round_id: int, payload: StatusIn) -> dict[str, Any]:
    user = _user(request)
    round_ = access_object(user, ObservationRound.objects.select_related("region"), round_id)
    updated = actions.do_set_round_status(api_actor(request), round_, payload.version, payload.status)
    return _round_detail(user, ObservationRound.objects.select_related("region").get(pk=updated.pk))


@router.post(
    "/targets/{int:target_id}/sheet",
    response=SheetOut,
    summary="评委为一个观摩对象打分（scores: {指标id: 0—100}）和点评；再次提交须带 version",
)
def save_sheet(request: HttpRequest, target_id: int, payload: SheetIn) -> Any:
    user = _user(request)
    target = ObservationTarget.objects.filter(
        pk=target_id, round__in=ObservationRound.objects.for_user(user)
    ).first()
    if target is None:
        raise Http404(_("观摩对象不存在或不在您的范围内。"))
    return actions.do_save_sheet(
        api_actor(request), target, dict(payload.scores), payload.comment, payload.version
    )


# --- assessment -------------------------------------------------------------------------------------------------------


class AssessmentRowOut(Schema):
    rank: int | None
    kind: str
    id: int
    name: str
    detail: str
    projects: int
    inputs: dict[str, Any]
    values: dict[str, Decimal | None]
    total: Decimal | None
    grade: str


class AssessmentOut(Schema):
    region: str
    kind: str
    start: dt.date
    end: dt.date
    weeks: int
    weights: dict[str, Any]
    rows: list[AssessmentRowOut]


def _assessment(
    user: Any, region_id: int | None, start: dt.date | None, end: dt.date | None, kind: str
) -> selectors.AssessmentReport:
    if kind not in AssessedKind.values:
        raise ValidationError({"kind": _("考核对象应为 unit（责任单位）或 leader（包靠领导）。")})
    today = clock.today()
    first = start or dt.date(today.year, 1, 1)
    return selectors.assessment(user, _region(user, region_id), first, max(first, end or today), kind)


@router.get("/assessment", response=AssessmentOut, summary="绩效考核（kind=unit 责任单位 / leader 包靠领导）")
def get_assessment(
    request: HttpRequest,
    region_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    kind: str = AssessedKind.UNIT,
) -> dict[str, Any]:
    report = _assessment(_user(request), region_id, start, end, kind)
    w = report.weights
    return {
        "region": report.region.name,
        "kind": report.kind,
        "start": report.start,
        "end": report.end,
        "weeks": len(report.weeks),
        "weights": {k: getattr(w, k) for k in ("score", "blue", "red", "problems", "observation", "source")}
        | {"excellent_min": w.excellent_min, "good_min": w.good_min, "fair_min": w.fair_min},
        "rows": [
            {
                "rank": r.rank,
                "kind": r.kind,
                "id": r.key,
                "name": r.name,
                "detail": r.detail,
                "projects": r.projects,
                "inputs": vars(r.inputs),
                "values": r.result.values,
                "total": r.result.total,
                "grade": r.result.grade,
            }
            for r in report.rows
        ],
    }


@router.get("/assessment.xlsx", summary="绩效考核（Excel，供综合绩效考核使用）")
def get_assessment_xlsx(
    request: HttpRequest,
    region_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    kind: str = AssessedKind.UNIT,
) -> HttpResponse:
    report = _assessment(_user(request), region_id, start, end, kind)
    return attachment_response(assessment_xlsx(report), XLSX, f"{report.region.name}{report.kind_label}绩效考核.xlsx")


class RuleOut(Schema):
    id: int
    region_id: int
    region_name: str
    weight_score: Decimal
    weight_blue: Decimal
    weight_red: Decimal
    weight_problems: Decimal
    weight_observation: Decimal
    excellent_min: Decimal
    good_min: Decimal
    fair_min: Decimal
    note: str
    version: int

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        return obj.region.name


class RuleIn(Schema):
    region_id: int
    version: int | None = None
    weight_score: Decimal | None = None
    weight_blue: Decimal | None = None
    weight_red: Decimal | None = None
    weight_problems: Decimal | None = None
    weight_observation: Decimal | None = None
    excellent_min: Decimal | None = None
    good_min: Decimal | None = None
    fair_min: Decimal | None = None
    note: str | None = None


@router.get("/assessment/rules", response=list[RuleOut], summary="各区域的绩效考核权重")
def list_rules(request: HttpRequest) -> Any:
    return list(selectors.assessment_rules_for(_user(request)))


@router.post("/assessment/rules", response=RuleOut, summary="设置区域的绩效考核权重（修改已有设置须带 version）")
def save_rule(request: HttpRequest, payload: RuleIn) -> Any:
    user = _user(request)
    region = _region(user, payload.region_id, body=True)
    values = {k: v for k, v in payload.dict().items() if k not in ("region_id", "version") and v is not None}
    rule = actions.do_save_assessment_rule(api_actor(request), region, payload.version, **values)
    return rule


# --- dashboard --------------------------------------------------------------------------------------------------------


class DashboardOut(Schema):
    region: str | None
    week: str
    year: int
    colour_totals: dict[str, int]
    problem_totals: dict[str, int]
    charts: dict[str, Any]


@router.get("/dashboard", response=DashboardOut, summary="首页看板的数据（按用户范围）")
def get_dashboard(request: HttpRequest) -> dict[str, Any]:
    data = dashboard(_user(request))
    return {
        "region": data["region"].name if data["region"] else None,
        "week": str(data["week"]),
        "year": data["year"],
        "colour_totals": data.get("colour_totals", {}),
        "problem_totals": data.get("problem_totals", {}),
        "charts": data.get("charts", {}),
    }

