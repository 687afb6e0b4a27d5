"""Report pages and /api/reports: forms keep the input on errors, the API answers with the same messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.choices import Role
from keyprojects.core.testing.fixtures import PASSWORD, World
from keyprojects.core.testing.queries import count_queries
from keyprojects.reports.models import WeeklyReport
from keyprojects.reports.photos import make_test_jpeg
from keyprojects.reports.testing import submit
from keyprojects.reports.weeks import IsoWeek

pytestmark = pytest.mark.django_db
W13, W14 = IsoWeek(2024, 13), IsoWeek(2024, 14)


def login(world: World, role: str = Role.REPORTER) -> Client:
    client = Client()
    assert client.login(username=world.users[role].username, password=PASSWORD)
    return client


def api(world: World, role: str = Role.REPORTER) -> Client:
    return Client(headers={"Authorization": f"Bearer {world.tokens[role]}"})


FORM = {
    "version": "0",
    "investment_year_wan": "1.2亿元",
    "investment_total_wan": "3亿",
    "stage": "construction",
    "percent_complete": "40",
    "progress_text": "主体结构完成至三层",
    "problems_text": "",
    "next_week_plan": "四层浇筑",
    "correction_reason": "",
}


def test_week_list_shows_status_and_runs_fixed_queries(world: World) -> None:
    client = login(world)
    url = reverse("reports:week")
    page = client.get(url, {"week": "2024-W13"}).content.decode()
    assert "未报 1" in page and "潍城年产10万吨新材料项目" in page and "寒亭年产" not in page
    assert "待报 1" in client.get(url).content.decode()  # W14 before Friday's deadline
    few = count_queries(lambda: client.get(url, {"week": "2024-W13"}))
    submit(world.inside.project, W13, 100, 100)
    assert count_queries(lambda: client.get(url, {"week": "2024-W13"})) == few
    assert "迟报 1" in client.get(url, {"week": "2024-W13"}).content.decode()


def test_form_keeps_the_input_on_a_money_error_then_saves(world: World) -> None:
    client = login(world)
    url = reverse("reports:submit", kwargs={"pk": world.inside.project.pk, "week": "2024-W14"})
    response = client.post(url, FORM | {"investment_year_wan": "一千多万"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "无法识别的金额：“一千多”不是可识别的数字" in body
    assert 'value="一千多万"' in body and "主体结构完成至三层" in body
    response = client.post(url, FORM)
    report = WeeklyReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", kwargs={"pk": report.pk})
    assert (report.investment_year_wan, report.investment_total_wan) == (Decimal(12000), Decimal(30000))
    detail = client.get(response["Location"]).content.decode()
    assert "潍城年产10万吨新材料项目 2024-W14周报已报送。" in detail and "1.2亿元" in detail


def test_form_shows_a_conflict_and_keeps_the_input(world: World) -> None:
    submit(world.inside.project, W14, 500, 500)
    client = login(world)
    url = reverse("reports:submit", kwargs={"pk": world.inside.project.pk, "week": "2024-W14"})
    body = client.post(url, FORM).content.decode()  # the form was opened before the other submission: version 0
    assert "周报已由系统于" in body and "您填写的内容未保存" in body and 'value="1.2亿元"' in body
    assert WeeklyReport.objects.get().investment_year_wan == Decimal(500)


def test_future_week_in_the_form(world: World) -> None:
    client = login(world)
    url = reverse("reports:submit", kwargs={"pk": world.inside.project.pk, "week": "2024-W15"})
    body = client.post(url, FORM).content.decode()
    assert "不能填报未来的周次（2024-W15）；本周为2024-W14。" in body
    assert WeeklyReport.objects.count() == 0


def test_photo_upload_page_and_file(world: World) -> None:
    report = submit(world.inside.project, W13, 100, 100)
    client = login(world)
    data = make_test_jpeg(dt.datetime(2024, 3, 1, 8, 0), None)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("reports:photo_upload", kwargs={"pk": report.pk}),
        {"photo": SimpleUploadedFile("现场.jpg", data, "image/jpeg"), "caption": "东侧厂房"},
        follow=True,
    )
    body = response.content.decode()
    assert "已上传照片“现场.jpg”。" in body
    assert "照片拍摄于2024年03月01日，早于所报周（03月25日起）。" in body
    photo = report.photos.get()
    thumb = client.get(reverse("reports:photo", kwargs={"pk": photo.pk, "variant": "thumb"}))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    other = login(world, Role.REPORTER)
    assert other.get(reverse("reports:photo", kwargs={"pk": photo.pk, "variant": "raw"})).status_code == 404


def test_api_submit_errors_conflict_and_history(world: World) -> None:
    client = api(world)
    body = {
        "project_id": world.inside.project.pk,
        "week": "2024-W14",
        "investment_year_wan": "十五亿多",
        "investment_total_wan": "20亿",
        "stage": "construction",
        "progress_text": "主体施工",
    }
    response = client.post("/api/reports", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Value error, 无法识别的金额：“十五亿多”不是可识别的数字"
    response = client.post("/api/reports", body | {"investment_year_wan": "1.5亿"}, content_type="application/json")
    assert response.status_code == 201
    created = response.json()
    assert (created["investment_year_wan"], created["timeliness"], created["version"]) == ("15000.00", "on_time", 1)
    again = client.post("/api/reports", body | {"investment_year_wan": "1.6亿"}, content_type="application/json")
    assert again.status_code == 409 and "您填写的内容未保存" in again.json()["detail"]
    replaced = client.post(
        "/api/reports", body | {"investment_year_wan": "1.6亿", "version": 1}, content_type="application/json"
    )
    assert replaced.status_code == 200 and replaced.json()["version"] == 2
    history = client.get(f"/api/reports/{created['id']}/history").json()
    assert [(h["number"], h["data"]["investment_year_wan"]) for h in history] == [(1, "15000")]
    good = body | {"investment_year_wan": "1.5亿"}
    future = client.post("/api/reports", good | {"week": "2024-W15"}, content_type="application/json")
    assert future.json()["errors"]["week"] == ["不能填报未来的周次（2024-W15）；本周为2024-W14。"]
    outside = client.post(
        "/api/reports", good | {"project_id": world.outside.project.pk}, content_type="application/json"
    )
    assert outside.status_code == 404
    bad_week = client.get("/api/reports", {"week": "2024-W99"})
    assert bad_week.json()["errors"] == {"week": ["2024年没有第99周"]}


def test_api_status_and_photo(world: World) -> None:
    report = submit(world.inside.project, W13, 100, 100)
    client = api(world)
    status = client.get("/api/reports/status", {"week": "2024-W13"}).json()
    assert [(s["project_name"], s["status"], s["status_label"]) for s in status] == [
        ("潍城年产10万吨新材料项目", "late", "迟报")
    ]
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/api/reports/{report.pk}/photos",
        {"file": SimpleUploadedFile("a.jpg", make_test_jpeg(dt.datetime(2024, 3, 26, 8, 0), None), "image/jpeg")},
    )
    assert response.status_code == 201 and response.json()["flags"] == []
