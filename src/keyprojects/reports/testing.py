"""Test helpers of the reports and ratings rooms (used by their tests and the permission matrix)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.core.clock import SHANGHAI
from keyprojects.projects.choices import Stage
from keyprojects.projects.models import Project
from keyprojects.reports import actions
from keyprojects.reports.models import ReportPhoto, WeeklyReport
from keyprojects.reports.photos import make_test_jpeg
from keyprojects.reports.weeks import IsoWeek

SYSTEM = Actor(user=None, source=AuditSource.SYSTEM)
MATRIX_WEEK = IsoWeek(2024, 13)


def report_input(year_wan: str | int, total_wan: str | int | None = None, **extra: Any) -> actions.ReportInput:
    values: dict[str, Any] = {
        "investment_year_wan": Decimal(str(year_wan)),
        "investment_total_wan": Decimal(str(total_wan if total_wan is not None else year_wan)),
        "stage": Stage.UNDER_CONSTRUCTION,
        "progress_text": "主体结构施工中",
    }
    values.update(extra)
    return actions.ReportInput(**values)


def submit(
    project: Project,
    week: IsoWeek,
    year_wan: str | int,
    total_wan: str | int | None = None,
    actor: Actor = SYSTEM,
    **extra: Any,
) -> WeeklyReport:
    return actions.do_submit_report(actor, project, week, report_input(year_wan, total_wan, **extra), None).report


def report_for(project: Project, week: IsoWeek = MATRIX_WEEK) -> WeeklyReport:
    found = WeeklyReport.objects.filter(project=project, week_start=week.monday).first()
    return found or submit(project, week, 1000, 2000)


def photo_for(project: Project, week: IsoWeek = MATRIX_WEEK) -> ReportPhoto:
    report = report_for(project, week)
    found = report.photos.first()
    if found is not None:
        return found
    data = make_test_jpeg(dt.datetime(2024, 3, 27, 10, 0, tzinfo=SHANGHAI), None)
    return actions.do_add_photo(SYSTEM, report, data, "现场.jpg")
