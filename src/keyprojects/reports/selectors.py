"""Scoped reads of weekly reports, shared by pages, API and exports. Each function starts from `.for_user(user)` and
runs a fixed number of queries whatever the number of projects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from keyprojects.accounts.permissions import REPORT_SUBMIT, has_perm
from keyprojects.audit.selectors import entries_for
from keyprojects.core import clock
from keyprojects.directory.models import Unit
from keyprojects.projects.models import AnnualPlan, Project
from keyprojects.reports import conf, excel
from keyprojects.reports.choices import Timeliness
from keyprojects.reports.i18n import month_day_text
from keyprojects.reports.models import ReportPhoto, ReportRevision, WeeklyReport
from keyprojects.reports.weeks import IsoWeek, weekday_name


def reports_for(user: Any) -> QuerySet[WeeklyReport]:
    return WeeklyReport.objects.for_user(user)


def report_list(
    user: Any, week: IsoWeek | None = None, project_id: int | None = None, unit_id: int | None = None
) -> QuerySet[WeeklyReport]:
    qs = reports_for(user).select_related("project", "project__region", "submitted_by")
    if week is not None:
        qs = qs.filter(week_start=week.monday)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    if unit_id is not None:
        qs = qs.filter(project__unit_id=unit_id)
    return qs.annotate(
        photo_count=Count("photos", distinct=True),
        flagged_photo_count=Count(
            "photos", filter=Q(photos__taken_before_week=True) | Q(photos__far_from_project=True), distinct=True
        ),
    ).order_by("-week_start", "project__code")


def report_for_detail(user: Any) -> QuerySet[WeeklyReport]:
    return reports_for(user).select_related("project", "project__region", "project__unit", "submitted_by")


@dataclass
class ReportDetail:
    report: WeeklyReport
    revisions: list[ReportRevision]
    photos: list[ReportPhoto]
    audit_entries: list[Any]


def report_detail(report: WeeklyReport) -> ReportDetail:
    return ReportDetail(
        report=report,
        revisions=list(report.revisions.select_related("submitted_by").order_by("-number")),
        photos=list(report.photos.order_by("uploaded_at", "id")),
        audit_entries=list(entries_for(report)),
    )


def week_status(user: Any, week: IsoWeek, unit: Unit | None = None, only_listed: bool = True) -> QuerySet[Project]:
    """Projects in scope for a week, each with its report (if any) and status annotated:
    `report_id`, `report_timeliness`, `report_submitted_at`, `report_version`, `flagged_photos`."""
    reports = WeeklyReport.objects.filter(project=OuterRef("pk"), week_start=week.monday)
    flagged = ReportPhoto.objects.filter(report__project=OuterRef("pk"), report__week_start=week.monday).filter(
        Q(taken_before_week=True) | Q(far_from_project=True)
    )
    qs = Project.objects.for_user(user).select_related("region", "unit")
    if only_listed:
        qs = qs.filter(Exists(AnnualPlan.objects.filter(project=OuterRef("pk"), year=week.year)))
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.annotate(
        report_id=Subquery(reports.values("pk")[:1]),
        report_timeliness=Subquery(reports.values("timeliness")[:1]),
        report_submitted_at=Subquery(reports.values("submitted_at")[:1]),
        report_version=Subquery(reports.values("version")[:1]),
        report_over_total=Subquery(reports.values("over_total")[:1]),
        flagged_photos=Exists(flagged),
    ).order_by("unit__name", "code")


def status_label(timeliness: str | None, week: IsoWeek, now: dt.datetime | None = None) -> tuple[str, str]:
    """(code, label) of a project's reporting status for a week: on time, late, missing, or pending (before the
    deadline)."""
    if timeliness:
        return timeliness, str(Timeliness(timeliness).label)
    from keyprojects.reports.actions import deadline_of

    if (now or clock.now()) <= deadline_of(week):
        return "pending", _("待报")
    return Timeliness.MISSING, str(Timeliness.MISSING.label)


def week_counts(rows: list[Project], week: IsoWeek) -> dict[str, int]:
    counts = {"on_time": 0, "late": 0, "missing": 0, "pending": 0}
    now = clock.now()
    for row in rows:
        counts[status_label(row.report_timeliness, week, now)[0]] += 1  # type: ignore[attr-defined]
    return counts


def units_for_reporting(user: Any) -> QuerySet[Unit]:
    return Unit.objects.for_user(user).order_by("name")


def can_submit(user: Any) -> bool:
    return has_perm(user, REPORT_SUBMIT)


def previous_report(project: Project, week: IsoWeek) -> WeeklyReport | None:
    return WeeklyReport.objects.filter(project=project, week_start__lt=week.monday).order_by("-week_start").first()


def template_rows(user: Any, unit: Unit, week: IsoWeek) -> list[excel.TemplateRow]:
    """The unit's listed projects in the user's scope, with last week's figures and this week's report, in 3 queries."""
    projects = list(week_status(user, week, unit=unit).filter(unit=unit))
    ids = [p.pk for p in projects]
    latest_before: dict[int, WeeklyReport] = {}
    for report in WeeklyReport.objects.filter(project_id__in=ids, week_start__lt=week.monday).order_by(
        "project_id", "-week_start"
    ):
        latest_before.setdefault(report.project_id, report)
    current = {r.project_id: r for r in WeeklyReport.objects.filter(project_id__in=ids, week_start=week.monday)}
    rows = []
    for project in projects:
        prev = latest_before.get(project.pk)
        same_year = prev is not None and prev.iso_week.year == week.year
        now = current.get(project.pk)
        rows.append(
            excel.TemplateRow(
                code=project.code,
                name=project.name,
                prev_year_wan=prev.investment_year_wan if prev and same_year else None,
                prev_total_wan=prev.investment_total_wan if prev else None,
                current={f: getattr(now, f) for f in (*excel.INPUT_FIELDS, "stage", "correction_reason")}
                if now
                else {"stage": project.stage},
                version=now.version if now else 0,
            )
        )
    return rows


def template_file(user: Any, unit: Unit, week: IsoWeek) -> bytes:
    from keyprojects.reports.actions import deadline_of

    return excel.build_template(unit.name, week, deadline_of(week), template_rows(user, unit, week))


def project_reports(project: Project, limit: int = 8) -> list[WeeklyReport]:
    return list(
        WeeklyReport.objects.filter(project=project)
        .select_related("submitted_by")
        .annotate(
            photo_count=Count("photos", distinct=True),
            flagged_photo_count=Count(
                "photos", filter=Q(photos__taken_before_week=True) | Q(photos__far_from_project=True), distinct=True
            ),
        )
        .order_by("-week_start")[:limit]
    )


def deadline_text(week: IsoWeek) -> str:
    from keyprojects.reports.actions import deadline_of

    weekday, _time = conf.deadline_rule()
    moment = deadline_of(week)
    return _("%(day)s（%(weekday)s）%(time)s") % {
        "day": month_day_text(moment),
        "weekday": weekday_name(weekday),
        "time": f"{moment:%H:%M}",
    }
