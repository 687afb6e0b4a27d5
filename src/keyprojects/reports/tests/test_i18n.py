"""The reports room in English: pages, messages and the Excel template follow the language cookie (Chinese stays the
default), what is stored stays Chinese, and the English catalog is complete and compiled."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from keyprojects.accounts.choices import Role
from keyprojects.audit.models import AuditEntry
from keyprojects.core.testing.fixtures import PASSWORD, World
from keyprojects.reports.models import WeeklyReport
from keyprojects.reports.photos import make_test_jpeg
from keyprojects.reports.testing import submit
from keyprojects.reports.weeks import IsoWeek

pytestmark = pytest.mark.django_db
W13, W14 = IsoWeek(2024, 13), IsoWeek(2024, 14)
FORM = {
    "version": "0",
    "investment_year_wan": "1.2亿元",
    "investment_total_wan": "3亿",
    "stage": "construction",
    "percent_complete": "40",
    "progress_text": "主体结构完成至三层",
    "next_week_plan": "四层浇筑",
}


def login(world: World, english: bool = False, role: str = Role.REPORTER) -> Client:
    client = Client()
    assert client.login(username=world.users[role].username, password=PASSWORD)
    if english:
        client.cookies["django_language"] = "en"
    return client


def test_week_list_in_english_and_in_chinese(world: World) -> None:
    url = reverse("reports:week")
    english = login(world, english=True).get(url, {"week": "2024-W13"}).content.decode()
    assert "Weekly reporting" in english and "Missing 1" in english and "Responsible unit" in english
    assert "Week 13, 2024 (03.25–03.31)" in english and "Reporting deadline: 03-29 (Fri) 18:00." in english
    assert "周报填报" not in english and "未报 1" not in english and "填报截止" not in english
    assert "潍城年产10万吨新材料项目" in english  # data is not translated
    chinese = login(world).get(url, {"week": "2024-W13"}).content.decode()
    assert "周报填报" in chinese and "未报 1" in chinese and "2024年第13周（03.25—03.31）" in chinese
    assert "填报截止：03月29日（周五）18:00。" in chinese
    assert "Weekly reporting" not in chinese and "Missing 1" not in chinese


def test_report_form_errors_and_messages_in_english(world: World) -> None:
    client = login(world, english=True)
    url = reverse("reports:submit", kwargs={"pk": world.inside.project.pk, "week": "2024-W14"})
    form = client.get(url).content.decode()
    assert "Investment this year" in form and "Visible progress" in form and "Submit report" in form
    assert "本年完成投资" not in form and "形象进度" not in form
    future = reverse("reports:submit", kwargs={"pk": world.inside.project.pk, "week": "2024-W15"})
    assert (
        "Cannot report for a future week (2024-W15); this week is 2024-W14."
        in client.post(future, FORM).content.decode()
    )
    response = client.post(url, FORM)
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "潍城年产10万吨新材料项目: the 2024-W14 report has been submitted." in detail
    assert "Version 1" in detail and "Site photos" in detail and "(submitted 1 time)" in detail
    assert "周报已报送" not in detail and "现场照片" not in detail
    # What is stored stays Chinese: the audit entry of the submission gives the choice labels in Chinese.
    entry = AuditEntry.objects.filter(object_id=str(WeeklyReport.objects.get().pk)).latest("pk")
    assert entry.changes["timeliness"] == [None, "按时"] and entry.changes["stage"] == [None, "开工在建"]


def test_photo_flags_in_english(world: World) -> None:
    import datetime as dt

    from keyprojects.core.clock import SHANGHAI

    report = submit(world.inside.project, W13, 100, 100)
    client = login(world, english=True)
    photo = make_test_jpeg(dt.datetime(2024, 3, 1, 9, 0, tzinfo=SHANGHAI), None)
    upload = io.BytesIO(photo)
    upload.name = "现场.jpg"
    response = client.post(reverse("reports:photo_upload", kwargs={"pk": report.pk}), {"photo": upload}, follow=True)
    body = response.content.decode()
    assert "Photo “现场.jpg” uploaded." in body
    assert "The photo was taken on 2024-03-01, before the reported week (from 03-25)." in body
    assert "照片拍摄于" not in body
    with translation.override("zh-hans"):
        assert report.photos.get().flag_messages() == ["照片拍摄于2024年03月01日，早于所报周（03月25日起）。"]


def test_api_errors_follow_the_language(world: World) -> None:
    api = Client(headers={"Authorization": f"Bearer {world.tokens[Role.REPORTER]}"})
    english = api.get("/api/reports/status", {"week": "2024-W99"}, headers={"Accept-Language": "en"})
    assert english.json()["errors"] == {"week": ["2024 has no week 99"]}
    assert api.get("/api/reports/status", {"week": "2024-W99"}).json()["errors"] == {"week": ["2024年没有第99周"]}


def test_excel_template_in_english_reads_back(world: World) -> None:
    submit(world.inside.project, W13, 1800, 4800)
    client = login(world, english=True)
    url = reverse("reports:template", kwargs={"unit_pk": world.inside.unit.pk, "week": "2024-W14"})
    response = client.get(url)
    assert "weekly-report.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.title == "2024-W14 report"
    assert "Key project weekly progress report" in sheet["A1"].value and sheet["A2"].value == "Week"
    headers = [c.value for c in sheet[3]]
    assert headers[:2] == ["Project code", "Project name"] and "Investment this year (10k yuan) *" in headers
    row = [c.value for c in sheet[4]]
    assert row[0] == world.inside.project.code
    sheet.cell(4, 5, 2500)
    sheet.cell(4, 6, 5500)
    sheet.cell(4, 8, "主体结构施工")
    sheet.cell(4, 7, None)  # the stage is kept from the project
    out = io.BytesIO()
    book.save(out)
    upload = io.BytesIO(out.getvalue())
    upload.name = "en.xlsx"
    # Uploaded by someone reading Chinese: an English template is read all the same, and the summary is Chinese.
    page = login(world).post(reverse("reports:upload"), {"week": "2024-W14", "file": upload}).content.decode()
    assert "2024-W14：已保存1行，未变化0行，未填写0行，有错误0行。" in page
    assert WeeklyReport.objects.get(week_start=W14.monday).investment_total_wan == 5500
