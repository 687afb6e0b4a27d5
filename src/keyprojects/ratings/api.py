"""/api/ratings — the same selectors and actions as the pages."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from keyprojects.accounts.access import access_object
from keyprojects.core.api import api_actor
from keyprojects.projects.models import Project
from keyprojects.ratings import actions, selectors
from keyprojects.ratings.models import ColourOverride, Escalation, RuleSet, RuleVersion, WeeklyRating
from keyprojects.regions.models import Region
from keyprojects.reports.api import parse_week
from keyprojects.reports.weeks import IsoWeek

router = Router(tags=["ratings"])


class RatingOut(Schema):
    project_id: int
    project_code: str
    project_name: str
    region: str
    week: str
    score: float | None
    components: dict[str, float | None]
    rank: int | None
    group_size: int
    group: str
    computed_colour: str
    colour: str
    overridden: bool
    hard_red: bool
    score_change: float | None
    previous_colour: str
    red_streak: int
    report_status: str
    reasons: list[str]
    rule_version_id: int

    @staticmethod
    def resolve_project_code(obj: WeeklyRating) -> str:
        return obj.project.code

    @staticmethod
    def resolve_project_name(obj: WeeklyRating) -> str:
        return obj.project.name

    @staticmethod
    def resolve_region(obj: WeeklyRating) -> str:
        return obj.project.region.name

    @staticmethod
    def resolve_week(obj: WeeklyRating) -> str:
        return str(obj.iso_week)

    @staticmethod
    def resolve_components(obj: WeeklyRating) -> dict[str, float | None]:
        return obj.components()

    @staticmethod
    def resolve_group(obj: WeeklyRating) -> str:
        return obj.group_label

    @staticmethod
    def resolve_reasons(obj: WeeklyRating) -> list[str]:
        return obj.reason_list


class RatingFilters(Schema):
    week: str | None = None
    colour: str | None = None
    region_id: int | None = None
    unit_id: int | None = None
    q: str | None = None
    sort: str = ""


class OverrideIn(Schema):
    project_id: int
    week: str
    colour: str
    reason: str


class OverrideOut(Schema):
    project_id: int
    week: str
    colour: str
    reason: str
    version: int

    @staticmethod
    def resolve_week(obj: ColourOverride) -> str:
        return str(IsoWeek.of(obj.week_start))


class EscalationOut(Schema):
    project_id: int
    project_name: str
    kind: str
    kind_label: str
    week: str
    streak_start: dt.date
    red_weeks: int
    notice_id: int | None

    @staticmethod
    def resolve_project_name(obj: Escalation) -> str:
        return obj.project.name

    @staticmethod
    def resolve_kind_label(obj: Escalation) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_week(obj: Escalation) -> str:
        return str(obj.iso_week)


class RuleVersionOut(Schema):
    id: int
    number: int
    valid_from: dt.date
    params: dict[str, Any]
    note: str


class RuleSetOut(Schema):
    id: int
    name: str
    region_id: int | None
    description: str
    version: int
    versions: list[RuleVersionOut]

    @staticmethod
    def resolve_versions(obj: RuleSet) -> list[RuleVersion]:
        return list(obj.versions.order_by("-number"))


class RuleSetIn(Schema):
    name: str
    region_id: int
    preset: str = "default"
    valid_from: str
    description: str = ""
    params: dict[str, Any] = {}


class RuleVersionIn(Schema):
    version: int | None = None
    valid_from: str
    note: str
    params: dict[str, Any]


class RunIn(Schema):
    week: str


class RunOut(Schema):
    week: str
    projects: int
    counts: dict[str, int]
    escalations: int
    summary: str


@router.get("", response=list[RatingOut], summary="某周评分（week=YYYY-Www，默认最近计算的一周）")
@paginate(LimitOffsetPagination)
def list_ratings(request: HttpRequest, filters: Query[RatingFilters]) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    week = parse_week(filters.week) if filters.week else selectors.default_week()
    wanted: dict[str, Any] = {"colour": filters.colour, "q": filters.q}
    if filters.region_id is not None:
        wanted["region"] = Region.objects.for_user(user).filter(pk=filters.region_id).first()
        if wanted["region"] is None:
            return WeeklyRating.objects.none()
    if filters.unit_id is not None:
        wanted["unit"] = filters.unit_id
    return selectors.weekly_list(user, week, {k: v for k, v in wanted.items() if v not in (None, "")}, filters.sort)


@router.get("/projects/{int:project_id}", response=list[RatingOut], summary="项目的评分历史")
def project_ratings(request: HttpRequest, project_id: int) -> list[WeeklyRating]:
    project = access_object(request.auth, Project.objects.select_related("region"), project_id)  # type: ignore[attr-defined]
    history = selectors.project_history(project)
    for rating in history:
        rating.project = project
    return history


@router.post("/overrides", response={201: OverrideOut}, summary="人工调整颜色（须填原因；计算颜色保留）")
def override_colour(request: HttpRequest, payload: OverrideIn) -> tuple[int, ColourOverride]:
    project = access_object(request.auth, Project.objects.all(), payload.project_id)  # type: ignore[attr-defined]
    override = actions.do_override_colour(
        api_actor(request), project, parse_week(payload.week), payload.colour, payload.reason
    )
    return 201, override


@router.get("/escalations", response=list[EscalationOut], summary="督办与约谈名单")
@paginate(LimitOffsetPagination)
def list_escalations(request: HttpRequest, kind: str | None = None) -> Any:
    return selectors.escalation_list(request.auth, kind)  # type: ignore[attr-defined]


@router.get("/rulesets", response=list[RuleSetOut], summary="评分规则及其版本")
def list_rule_sets(request: HttpRequest) -> list[RuleSet]:
    return list(selectors.rule_sets_for(request.auth).prefetch_related("versions"))  # type: ignore[attr-defined]


@router.post("/rulesets", response={201: RuleSetOut}, summary="为区域新建评分规则（preset: default / rank / node_lag）")
def create_rule_set(request: HttpRequest, payload: RuleSetIn) -> tuple[int, RuleSet]:
    region = Region.objects.for_user(request.auth).filter(pk=payload.region_id).first()  # type: ignore[attr-defined]
    if region is None:
        raise ValidationError({"region_id": _("%(id)s 不存在或不在您的范围内。") % {"id": payload.region_id}})
    rule_set = actions.do_create_rule_set(
        api_actor(request),
        payload.name,
        region,
        payload.preset,
        parse_week(payload.valid_from, "valid_from"),
        payload.description,
        payload.params,
    )
    return 201, rule_set


@router.post(
    "/rulesets/{int:ruleset_id}/versions",
    response={201: RuleVersionOut},
    summary="修改评分规则：生成带起用周的新版本（须带 version）",
)
def add_rule_version(request: HttpRequest, ruleset_id: int, payload: RuleVersionIn) -> tuple[int, RuleVersion]:
    rule_set = access_object(request.auth, RuleSet.objects.select_related("region"), ruleset_id)  # type: ignore[attr-defined]
    from keyprojects.core.api import require_version

    version = actions.do_add_rule_version(
        api_actor(request),
        rule_set,
        require_version(payload.version),
        payload.params,
        parse_week(payload.valid_from, "valid_from"),
        payload.note,
    )
    return 201, version


@router.post("/run", response=RunOut, summary="计算某周评分（幂等，可重复执行）")
def run_week(request: HttpRequest, payload: RunIn) -> dict[str, Any]:
    result = actions.do_rate_week(api_actor(request), parse_week(payload.week))
    return {
        "week": str(result.week),
        "projects": result.projects,
        "counts": result.counts,
        "escalations": len(result.escalation_ids),
        "summary": result.summary(),
    }
