"""/api/reports — the same selectors and actions as the pages."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from keyprojects.accounts.access import access_object, require_perm
from keyprojects.accounts.permissions import REPORT_SUBMIT
from keyprojects.core.api import MoneyIn, api_actor
from keyprojects.projects.models import Project
from keyprojects.reports import actions, selectors
from keyprojects.reports.choices import ReportSource
from keyprojects.reports.models import ReportPhoto, ReportRevision, WeeklyReport
from keyprojects.reports.weeks import IsoWeek, WeekError

router = Router(tags=["reports"])


def parse_week(text: str | None, field: str = "week") -> IsoWeek:
    if not text:
        return IsoWeek.current()
    try:
        return IsoWeek.parse(text)
    except WeekError as exc:
        raise ValidationError({field: str(exc)}) from exc


class ReportOut(Schema):
    id: int
    project_id: int
    project_code: str
    project_name: str
    week: str
    investment_year_wan: Decimal
    investment_total_wan: Decimal
    stage: str
    progress_text: str
    percent_complete: int | None
    problems_text: str
    next_week_plan: str
    correction_reason: str
    over_total: bool
    timeliness: str
    first_submitted_at: dt.datetime
    submitted_at: dt.datetime
    submitted_by: str | None
    submission_count: int
    source: str
    version: int
    warnings: list[str] = []

    @staticmethod
    def resolve_project_code(obj: WeeklyReport) -> str:
        return obj.project.code

    @staticmethod
    def resolve_project_name(obj: WeeklyReport) -> str:
        return obj.project.name

    @staticmethod
    def resolve_week(obj: WeeklyReport) -> str:
        return str(obj.iso_week)

    @staticmethod
    def resolve_submitted_by(obj: WeeklyReport) -> str | None:
        return obj.submitted_by.display_name if obj.submitted_by else None


class ReportIn(Schema):
    project_id: int
    week: str
    investment_year_wan: MoneyIn = None
    investment_total_wan: MoneyIn = None
    stage: str
    progress_text: str
    percent_complete: int | None = None
    problems_text: str = ""
    next_week_plan: str = ""
    correction_reason: str = ""
    version: int | None = None


class ReportFilters(Schema):
    week: str | None = None
    project_id: int | None = None
    unit_id: int | None = None


class RevisionOut(Schema):
    number: int
    data: dict[str, Any]
    submitted_at: dt.datetime
    replaced_at: dt.datetime


class PhotoOut(Schema):
    id: int
    original_name: str
    size_bytes: int
    width: int
    height: int
    taken_at: dt.datetime | None
    latitude: Decimal | None
    longitude: Decimal | None
    distance_km: float | None
    taken_before_week: bool
    far_from_project: bool
    flags: list[str]

    @staticmethod
    def resolve_flags(obj: ReportPhoto) -> list[str]:
        return obj.flag_messages()


class StatusOut(Schema):
    project_id: int
    project_code: str
    project_name: str
    unit: str | None
    status: str
    status_label: str
    report_id: int | None


class RowOut(Schema):
    line: int
    code: str
    name: str
    status: str
    messages: list[str]


class ImportOut(Schema):
    week: str
    dry_run: bool
    summary: str
    rows: list[RowOut]


@router.get("", response=list[ReportOut], summary="周报列表（按用户范围）")
@paginate(LimitOffsetPagination)
def list_reports(request: HttpRequest, filters: Query[ReportFilters]) -> Any:
    week = parse_week(filters.week) if filters.week else None
    return selectors.report_list(request.auth, week, filters.project_id, filters.unit_id)  # type: ignore[attr-defined]


@router.post(
    "",
    response={200: ReportOut, 201: ReportOut},
    summary="报送周报（同一项目同一周再次报送将替换并保留历史；已有周报时须带 version）",
)
def submit_report(request: HttpRequest, payload: ReportIn) -> tuple[int, WeeklyReport]:
    user = request.auth  # type: ignore[attr-defined]
    project = access_object(user, Project.objects.all(), payload.project_id)
    week = parse_week(payload.week)
    values = actions.ReportInput(
        investment_year_wan=payload.investment_year_wan,
        investment_total_wan=payload.investment_total_wan,
        stage=payload.stage,
        progress_text=payload.progress_text,
        percent_complete=payload.percent_complete,
        problems_text=payload.problems_text,
        next_week_plan=payload.next_week_plan,
        correction_reason=payload.correction_reason,
    )
    result = actions.do_submit_report(
        api_actor(request), project, week, values, payload.version or 0, source=ReportSource.API
    )
    report = selectors.report_for_detail(user).get(pk=result.report.pk)
    report.warnings = result.warnings  # type: ignore[attr-defined]
    return (201 if result.created else 200), report


@router.get("/status", response=list[StatusOut], summary="某周各项目报送情况（按时、迟报、未报、待报）")
def week_status(request: HttpRequest, week: str | None = None) -> list[dict[str, Any]]:
    iso_week = parse_week(week)
    rows = []
    for p in selectors.week_status(request.auth, iso_week):  # type: ignore[attr-defined]
        code, label = selectors.status_label(p.report_timeliness, iso_week)  # type: ignore[attr-defined]
        rows.append(
            {
                "project_id": p.pk,
                "project_code": p.code,
                "project_name": p.name,
                "unit": p.unit.name if p.unit else None,
                "status": code,
                "status_label": label,
                "report_id": p.report_id,  # type: ignore[attr-defined]
            }
        )
    return rows


@router.post("/upload", response=ImportOut, summary="上传一周的Excel周报（逐行校验，正确的行保存）")
def upload_week(
    request: HttpRequest,
    file: File[UploadedFile | None] = None,
    week: Form[str] = "",
    dry_run: Form[bool] = False,
) -> dict[str, Any]:
    require_perm(request.auth, REPORT_SUBMIT)  # type: ignore[attr-defined]
    if file is None:
        raise ValidationError({"file": _("请上传周报表格文件。")})
    result = actions.do_import_week(api_actor(request), parse_week(week), file.read(), dry_run)
    return {
        "week": str(result.week),
        "dry_run": result.dry_run,
        "summary": result.summary,
        "rows": [
            {"line": r.line, "code": r.code, "name": r.name, "status": r.status, "messages": r.messages}
            for r in result.rows
        ],
    }


@router.get("/{int:report_id}", response=ReportOut, summary="周报详情")
def get_report(request: HttpRequest, report_id: int) -> WeeklyReport:
    return access_object(request.auth, selectors.report_for_detail(request.auth), report_id)  # type: ignore[attr-defined]


@router.get("/{int:report_id}/history", response=list[RevisionOut], summary="周报的历史版本（被替换的报送）")
def report_history(request: HttpRequest, report_id: int) -> list[ReportRevision]:
    report = access_object(request.auth, selectors.report_for_detail(request.auth), report_id)  # type: ignore[attr-defined]
    return list(report.revisions.order_by("-number"))


@router.post(
    "/{int:report_id}/photos", response={201: PhotoOut}, summary="上传现场照片（检查类型、大小、拍摄时间与地点）"
)
def add_photo(
    request: HttpRequest, report_id: int, file: File[UploadedFile | None] = None, caption: Form[str] = ""
) -> Any:
    report = access_object(request.auth, selectors.report_for_detail(request.auth), report_id)  # type: ignore[attr-defined]
    require_perm(request.auth, REPORT_SUBMIT)  # type: ignore[attr-defined]
    if file is None:
        raise ValidationError({"file": _("请上传照片文件。")})
    photo = actions.do_add_photo(api_actor(request), report, file.read(), file.name or "", caption)
    return 201, photo
