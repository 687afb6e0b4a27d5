"""每周梳理, the project panel, overrides, rule pages, /api/ratings and `keyprojects rate`."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from keyprojects.accounts.choices import Role
from keyprojects.core.testing.fixtures import PASSWORD, SYSTEM, World
from keyprojects.core.testing.queries import count_queries
from keyprojects.ratings import actions
from keyprojects.ratings.models import WeeklyRating
from keyprojects.ratings.tests.helpers import W13, listed_projects
from keyprojects.reports.testing import submit
from keyprojects.reports.weeks import IsoWeek

pytestmark = pytest.mark.django_db


def login(world: World, role: str = Role.SUPERVISOR) -> Client:
    client = Client()
    assert client.login(username=world.users[role].username, password=PASSWORD)
    return client


def test_weekly_list_filters_sorts_and_runs_fixed_queries(world: World) -> None:
    listed_projects(world, 4, invest_step=200)
    actions.do_rate_week(SYSTEM, W13)
    client = login(world)
    url = reverse("ratings:weekly")
    response = client.get(url, {"week": "2024-W13"})
    names = [r.project.name for r in response.context["page"]]
    assert names[0] == "潍城年产10万吨新材料项目"  # red first (never reported)
    assert "寒亭年产10万吨新材料项目" not in names  # out of the supervisor's scope
    assert response.context["counts"] == {"blue": 0, "yellow": 0, "red": 5, "none": 0}  # all far behind plan
    by_score = [r.project.name for r in client.get(url, {"week": "2024-W13", "sort": "-score"}).context["page"]]
    assert by_score[:2] == ["评分项目003", "评分项目002"]
    reds = client.get(url, {"week": "2024-W13", "colour": "red"}).context["page"]
    assert {r.colour for r in reds} == {"red"} and len(reds) == 5
    assert client.get(url, {"week": "2024-W13", "colour": "blue"}).context["page"].paginator.count == 0
    partial = client.get(url, {"week": "2024-W13"}, headers={"HX-Request": "true"}).content.decode()
    assert "<nav" not in partial and "评分项目003" in partial
    few = count_queries(lambda: client.get(url, {"week": "2024-W13"}))
    listed_projects(world, 20, start=4, invest_step=200)
    actions.do_rate_week(SYSTEM, W13)
    assert count_queries(lambda: client.get(url, {"week": "2024-W13"})) == few


def test_export_is_the_filtered_list(world: World) -> None:
    listed_projects(world, 2, invest_step=200)
    actions.do_rate_week(SYSTEM, W13)
    response = login(world).get(reverse("ratings:export"), {"week": "2024-W13", "colour": "red"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "重点项目 2024年第13周（03.25—03.31） 重点项目每周梳理"
    assert rows[2][:4] == ["序号", "项目编号", "项目名称", "区域"]
    assert [r[2] for r in rows[3:]] == ["潍城年产10万吨新材料项目", "评分项目000", "评分项目001"]
    assert [r[9] for r in rows[3:]] == ["红牌", "红牌", "红牌"]
    assert rows[3][11].startswith("【直接红牌】连续13周未报送周报")


def test_api_ratings_of_a_week(world: World) -> None:
    submit(world.inside.project, IsoWeek(2024, 9), 1000, 1000)
    submit(world.inside.project, W13, 2000, 2000)
    actions.do_rate_week(SYSTEM, W13)
    client = Client(headers={"Authorization": f"Bearer {world.tokens[Role.LEADER]}"})
    data = client.get("/api/ratings", {"week": "2024-W13"}).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert {k: item[k] for k in ("project_name", "week", "score", "colour", "computed_colour", "rank", "group")} == {
        "project_name": "潍城年产10万吨新材料项目",
        "week": "2024-W13",
        "score": 35.7 if item["components"]["problems"] == 1.0 else 28.5,  # problems renormalised away when absent
        "colour": "red",
        "computed_colour": "red",
        "rank": 1,
        "group": "潍城区",
    }
    assert item["components"] == {
        "investment": pytest.approx(0.1608, abs=1e-4),
        "milestones": 0.5,
        "momentum": pytest.approx(0.2614, abs=1e-4),
        "problems": item["components"]["problems"],
        "reporting": 0.4,
    }
    assert client.get("/api/ratings", {"week": "2024-W99"}).json()["errors"] == {"week": ["2024年没有第99周"]}
    history = client.get(f"/api/ratings/projects/{world.inside.project.pk}").json()
    assert [h["week"] for h in history] == ["2024-W13"]


def test_override_page_and_api(world: World) -> None:
    actions.do_rate_week(SYSTEM, W13)
    client = login(world)
    url = reverse("ratings:override", kwargs={"pk": world.inside.project.pk, "week": "2024-W13"})
    body = client.post(url, {"colour": "yellow", "reason": ""}).content.decode()
    assert "这个字段是必填项" in body or "人工调整颜色必须填写原因" in body
    response = client.post(url, {"colour": "yellow", "reason": "已核实"})
    assert response.status_code == 302
    rating = WeeklyRating.objects.get(project=world.inside.project, week_start=W13.monday)
    assert (rating.computed_colour, rating.colour) == ("red", "yellow")
    api = Client(headers={"Authorization": f"Bearer {world.tokens[Role.REGION_ADMIN]}"})
    refused = api.post(
        "/api/ratings/overrides",
        {"project_id": world.inside.project.pk, "week": "2024-W13", "colour": "blue", "reason": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_project_panel_has_the_chart_data(world: World) -> None:
    for week in (12, 13):
        actions.do_rate_week(SYSTEM, IsoWeek(2024, week))
    body = login(world).get(reverse("ratings:project_panel", kwargs={"pk": world.inside.project.pk})).content.decode()
    assert '"weeks": ["2024-W12", "2024-W13"]' in body and '"colours": ["red", "red"]' in body
    assert "【直接红牌】连续13周未报送周报" in body
    assert "2024-W13：督办" in body


def test_rule_pages(world: World) -> None:
    client = login(world)
    response = client.post(
        reverse("ratings:rule_create"),
        {"name": "潍城区比拼规则", "region": world.inside.region.pk, "preset": "rank", "valid_from": "2024-W01"},
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "组内排名（比拼）" in detail and "第1版" in detail


def test_cli_prints_counts_per_colour(world: World) -> None:
    listed_projects(world, 2, invest_step=200)
    out = StringIO()
    call_command("rate", week="2024-W13", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:5] == ["2024-W13：共4个项目", "  蓝牌 0", "  黄牌 0", "  红牌 4", "  新增督办/约谈 0"]
    assert lines[5].startswith("  用时 ")
    with pytest.raises(Exception, match="不能计算未来周次"):
        call_command("rate", week="2024-W20", stdout=StringIO())
