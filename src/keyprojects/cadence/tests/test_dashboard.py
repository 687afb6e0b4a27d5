"""The home page's charts: cards by subregion (or by unit in a district), investment against plan month by month,
stages, 集中开工 batches, the red projects with the lowest scores, problems by category — in the user's scope."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.choices import Role
from keyprojects.cadence.dashboard import dashboard
from keyprojects.cadence.tests.builders import Scenario, build_more_reds
from keyprojects.cadence.tests.conftest import login
from keyprojects.core.testing.queries import count_queries

pytestmark = pytest.mark.django_db


def test_a_district_supervisor_sees_his_district(month: Scenario) -> None:
    data = dashboard(month.world.users[Role.SUPERVISOR])
    assert (data["region"].name, str(data["week"]), data["colours_by"]) == ("潍城区", "2024-W13", "各责任单位")
    assert data["colour_totals"] == {"blue": 3, "yellow": 0, "red": 2}
    charts = data["charts"]
    assert charts["colours"] == {
        "regions": ["潍城区工业和信息化局", "潍城区发展和改革局"],
        "blue": [1, 2],
        "yellow": [0, 0],
        "red": [2, 0],
    }
    # 90,000万元 planned: 31, 60, 91 and 92 days of 366 due by the end of January, February, March and on 1 April.
    assert charts["investment"] == {
        "months": ["1月", "2月", "3月", "4月"],
        "due": [0.76, 1.48, 2.24, 2.26],
        "done": [0.0, 0.0, 1.72, 1.72],
        "plan": 9.0,
    }
    assert charts["stages"] == {"labels": ["签约", "开工在建"], "values": [1, 4]}
    assert charts["batches"] == {"labels": ["潍城区\n02-26"], "counts": [1], "investment": [15.0]}
    assert [r.project.name for r in data["top_red"]] == ["潍城新材料研发中心项目", "潍城冷链物流中心项目"]
    problems = dict(zip(charts["problems"]["labels"], zip(charts["problems"]["overdue"], charts["problems"]["open"],
                                                          strict=True), strict=True))
    assert problems == {"土地": (0, 1), "资金": (0, 0), "水电气暖": (1, 0)}
    assert data["problem_totals"] == {"total": 3, "open": 2, "overdue": 1, "closed": 0}


def test_the_administrator_sees_the_city_by_district(month: Scenario) -> None:
    data = dashboard(month.world.users[Role.ADMIN])
    assert (data["region"].name, data["colours_by"]) == ("潍坊市", "各县市区")
    colours = data["charts"]["colours"]
    assert colours == {"regions": ["潍城区", "寒亭区"], "blue": [3, 0], "yellow": [0, 0], "red": [2, 1]}
    assert data["charts"]["investment"]["done"][-1] == 2.02


def test_the_home_page_keeps_its_counts_and_loads_the_panel(month: Scenario) -> None:
    client = login(Client(), month.world, Role.SUPERVISOR)
    home = client.get(reverse("core:home")).content.decode()
    assert 'id="stat-projects">5<' in home  # the registry's own count, as before
    assert f'hx-get="{reverse("cadence:dashboard_panel")}"' in home and 'hx-trigger="load"' in home
    panel = client.get(reverse("cadence:dashboard_panel"), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in panel
    assert 'id="dash-blue">3<' in panel and 'id="dash-red">2<' in panel
    assert 'id="dash-rate">76.0%<' in panel  # 17,200 of the 22,622.95万元 due by 1 April (92 days of 366)
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', panel)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["stages"]["values"] == [1, 4]
    page = client.get(reverse("cadence:dashboard")).content.decode()
    assert "kp-projector" in page and "vendor/echarts.min.js" in page


def test_the_panel_runs_a_fixed_number_of_queries(month: Scenario) -> None:
    client = login(Client(), month.world, Role.SUPERVISOR)
    url = reverse("cadence:dashboard_panel")
    before = count_queries(lambda: client.get(url))
    build_more_reds(month)
    assert count_queries(lambda: client.get(url)) == before == 17
    api = Client(headers={"Authorization": f"Bearer {month.world.tokens[Role.SUPERVISOR]}"})
    body = api.get("/api/cadence/dashboard").json()
    assert (body["region"], body["colour_totals"]["red"]) == ("潍城区", 4)


def test_a_reporter_sees_his_units_projects_only(month: Scenario) -> None:
    data = dashboard(month.world.users[Role.REPORTER])
    assert data["colour_totals"] == {"blue": 2, "yellow": 0, "red": 0}  # the unit's two projects
    assert data["charts"]["investment"]["plan"] == 6.0
