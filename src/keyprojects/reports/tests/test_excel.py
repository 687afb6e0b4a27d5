"""The Excel round trip: download the unit's prefilled template, fill it in, upload it; bad rows are reported and
good rows kept."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from keyprojects.accounts.choices import Role
from keyprojects.audit.actions import Actor
from keyprojects.core.testing.fixtures import SYSTEM, World
from keyprojects.projects import actions as project_actions
from keyprojects.reports import actions, selectors
from keyprojects.reports.models import WeeklyReport
from keyprojects.reports.testing import submit
from keyprojects.reports.weeks import IsoWeek

pytestmark = pytest.mark.django_db
W12, W13 = IsoWeek(2024, 12), IsoWeek(2024, 13)


def template(world: World, week: IsoWeek = W13) -> openpyxl.Workbook:
    data = selectors.template_file(world.users[Role.REPORTER], world.inside.unit, week)
    return openpyxl.load_workbook(io.BytesIO(data))


def upload(world: World, book: openpyxl.Workbook, week: IsoWeek = W13, dry_run: bool = False) -> actions.ImportResult:
    out = io.BytesIO()
    book.save(out)
    return actions.do_import_week(Actor(world.users[Role.REPORTER], "ui"), week, out.getvalue(), dry_run)


def second_project(world: World) -> object:
    project = project_actions.do_create_project(
        SYSTEM,
        name="潍城第二个项目",
        region=world.inside.region,
        unit=world.inside.unit,
        total_investment_wan=Decimal(20000),
    )
    project_actions.do_create_plan(SYSTEM, project, 2024, Decimal(8000))
    return project


def test_template_lists_the_units_projects_with_last_weeks_figures(world: World) -> None:
    submit(world.inside.project, W12, 1800, 4800)
    sheet = template(world).active
    assert sheet["A1"].value == "潍城区发展和改革局 2024年第13周（03.25—03.31） 重点项目进展周报"
    assert (sheet["A2"].value, sheet["B2"].value) == ("周次", "2024-W13")
    assert [c.value for c in sheet[3]][:6] == [
        "项目编号",
        "项目名称",
        "上周本年完成投资（万元）",
        "上周累计完成投资（万元）",
        "本年完成投资（万元） *",
        "开工以来累计完成投资（万元） *",
    ]
    row = [c.value for c in sheet[4]]
    assert row[:6] == [world.inside.project.code, "潍城年产10万吨新材料项目", 1800, 4800, None, None]
    assert row[6] == "签约" and row[-1] == 0  # stage prefilled, data version 0 = no report yet
    assert sheet.max_row == 4  # only the unit's projects: 寒亭's is not there


def test_round_trip_keeps_good_rows_and_reports_bad_ones(world: World) -> None:
    other = second_project(world)
    book = template(world)
    sheet = book.active
    rows = {sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1)}
    good, bad = rows[world.inside.project.code], rows[other.code]  # type: ignore[attr-defined]
    sheet.cell(good, 5, "1.2亿")
    sheet.cell(good, 6, 15000)
    sheet.cell(good, 7, "开工在建")
    sheet.cell(good, 8, "钢结构厂房封顶")
    sheet.cell(good, 9, 35)
    sheet.cell(bad, 5, "一千多万")
    sheet.cell(bad, 6, 3000)
    sheet.cell(bad, 8, "土建施工")
    sheet.append(["3707-999999", "别人的项目", None, None, 100, 100, None, "施工"])
    result = upload(world, book)
    assert [(r.line, r.status) for r in result.rows] == [(4, "saved"), (5, "error"), (6, "error")]
    assert result.rows[1].messages == ["“本年完成投资”无法识别的金额：“一千多”不是可识别的数字"]
    assert result.rows[2].messages == ["项目编号3707-999999不存在或不在您的填报范围内"]
    assert result.summary == "2024-W13：已保存1行，未变化0行，未填写0行，有错误2行。"
    report = WeeklyReport.objects.get()
    assert (report.investment_year_wan, report.investment_total_wan, report.stage, report.percent_complete) == (
        Decimal(12000),
        Decimal(15000),
        "construction",
        35,
    )
    assert report.source == "excel"

    # Download again: this week's report is prefilled with its version; uploading it unchanged changes nothing.
    again = template(world)
    result = upload(world, again)
    assert [r.status for r in result.rows] == ["unchanged", "skipped"]
    assert WeeklyReport.objects.get().version == 1


def test_a_stale_row_does_not_overwrite_a_newer_report(world: World) -> None:
    book = template(world)  # downloaded while there was no report (data version 0)
    submit(world.inside.project, W13, 500, 500)  # somebody submits on the web meanwhile
    sheet = book.active
    sheet.cell(4, 5, 900)
    sheet.cell(4, 6, 900)
    sheet.cell(4, 8, "进场施工")
    result = upload(world, book)
    assert result.rows[0].status == "error"
    assert "周报已由系统于" in result.rows[0].messages[0]
    assert WeeklyReport.objects.get().investment_year_wan == Decimal(500)


def test_dry_run_saves_nothing_and_the_wrong_week_is_refused(world: World) -> None:
    book = template(world)
    sheet = book.active
    sheet.cell(4, 5, 900)
    sheet.cell(4, 6, 900)
    sheet.cell(4, 8, "进场施工")
    result = upload(world, book, dry_run=True)
    assert result.summary == "2024-W13：可保存1行，未变化0行，未填写0行，有错误0行。"
    assert WeeklyReport.objects.count() == 0
    with pytest.raises(ValidationError) as caught:
        upload(world, book, week=W12)
    assert caught.value.message_dict == {"file": ["该文件是2024-W13的周报模板，与所选周次2024-W12不一致。"]}
    with pytest.raises(ValidationError) as caught:
        actions.do_import_week(SYSTEM, W13, b"not a spreadsheet")
    assert caught.value.message_dict == {"file": ["无法读取该文件，请上传 .xlsx 或 .xls 格式的周报表格。"]}


def test_another_tools_sheet_with_units_in_headers(world: World) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目代码", "项目名称", "本年完成投资（亿元）", "累计完成投资（亿元）", "工程形象进度", "完成比例"])
    sheet.append([world.inside.project.code, "x", 1.5, 2, "主体完工", "80%"])
    result = upload(world, book)
    assert [r.status for r in result.rows] == ["saved"]
    report = WeeklyReport.objects.get()
    assert (report.investment_year_wan, report.investment_total_wan, report.percent_complete) == (
        Decimal(15000),
        Decimal(20000),
        80,
    )


def test_api_upload_and_the_template_page(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    client = Client()
    assert client.login(username=world.users[Role.REPORTER].username, password="test-pass-123")
    response = client.get(reverse("reports:template", kwargs={"unit_pk": world.inside.unit.pk, "week": "2024-W13"}))
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    sheet.cell(4, 5, "800万")
    sheet.cell(4, 6, "1200万")
    sheet.cell(4, 8, "场地平整")
    out = io.BytesIO()
    book.save(out)
    api = Client(headers={"Authorization": f"Bearer {world.tokens[Role.REPORTER]}"})
    answer = api.post(
        "/api/reports/upload", {"week": "2024-W13", "file": SimpleUploadedFile("周报.xlsx", out.getvalue())}
    ).json()
    assert answer["summary"] == "2024-W13：已保存1行，未变化0行，未填写0行，有错误0行。"
    assert WeeklyReport.objects.get().investment_total_wan == Decimal(1200)
    missing = api.post("/api/reports/upload", {"week": "2024-W13"})
    assert missing.status_code == 422 and missing.json()["errors"] == {"file": ["请上传周报表格文件。"]}
