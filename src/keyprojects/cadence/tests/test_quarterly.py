"""季度总结: totals by region, industry, category and stage; the printable page with its charts; the XLSX."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.choices import Role
from keyprojects.cadence.periods import Quarter
from keyprojects.cadence.summary import quarterly_summary
from keyprojects.cadence.tests.builders import Scenario
from keyprojects.cadence.tests.conftest import login
from keyprojects.cadence.workbooks import quarterly_xlsx
from keyprojects.core.testing.queries import count_queries

pytestmark = pytest.mark.django_db
Q1 = Quarter(2024, 1)
D = Decimal


def rows(groups: list) -> list[tuple[str, int, Decimal, Decimal | None]]:
    return [(g.label, g.plan.projects, g.plan.done_wan, g.plan.rate_due) for g in groups]


def test_the_first_quarter_of_2024(month: Scenario) -> None:
    city = month.world.inside.region.parent
    assert city is not None
    s = quarterly_summary(month.world.users[Role.ADMIN], Q1, city)
    assert s.title == "潍坊市2024年第一季度重点项目建设情况总结"
    t = s.total
    figures = (t.plan.projects, t.plan.plan_wan, t.plan.done_wan, t.plan.due_wan)
    assert figures == (6, D(140000), D(20200), D("34808.74"))
    assert (t.cards.blue, t.cards.yellow, t.cards.red) == (3, 0, 3)
    assert t.extra == {"starts": 1}  # the world's project started on 5 March
    assert rows(s.by_region) == [("潍城区", 5, D(17200), D("76.9")), ("寒亭区", 1, D(3000), D("24.1"))]
    assert s.by_region[0].extra == {"starts": 1}
    assert rows(s.by_industry) == [
        ("新能源新材料", 4, D(16400), D("55.0")),
        ("现代物流", 1, D(1200), D("48.3")),
        ("高端装备", 1, D(2600), D("104.6")),
    ]
    assert rows(s.by_category) == [("新开工", 2, D(13000), D("52.3")), ("续建", 4, D(7200), D("72.4"))]
    assert rows(s.by_stage) == [("签约", 2, D(13000), D("52.3")), ("开工在建", 4, D(7200), D("72.4"))]
    # Month by month: 140,000 × 31/366, × 60/366, × 91/366 due; no week ended in January or February was reported.
    assert [(label, f.due_wan, f.done_wan) for label, f in s.months] == [
        ("1月", D("11857.92"), D(0)),
        ("2月", D("22950.82"), D(0)),
        ("3月", D("34808.74"), D(20200)),
    ]


def test_the_xlsx(month: Scenario) -> None:
    city = month.world.inside.region.parent
    assert city is not None
    summary = quarterly_summary(month.world.users[Role.ADMIN], Q1, city)
    book = openpyxl.load_workbook(io.BytesIO(quarterly_xlsx(summary)))
    assert book.sheetnames == ["总体情况", "按区域（各县市区）", "按产业领域", "按项目类型", "按建设阶段", "月度进度"]
    regions = book["按区域（各县市区）"]
    assert regions["A1"].value == "潍坊市2024年第一季度重点项目建设情况总结——按区域（各县市区）"
    assert [c.value for c in regions[3]][:3] == ["排名", "区域", "本季度开工"]
    assert [c.value for c in regions[4]][:4] == [1, "潍城区", 1, 0]
    industry = book["按产业领域"]
    assert [c.value for c in industry[3]][:2] == ["产业领域", "项目数"]
    assert [c.value for c in industry[4]][:2] == ["新能源新材料", 4]
    assert industry.freeze_panes == "C4"
    months = book["月度进度"]
    assert [[c.value for c in r] for r in months.iter_rows(min_row=4, max_row=6)] == [
        ["1月", 11857.92, 0, 0],
        ["2月", 22950.82, 0, 0],
        ["3月", 34808.74, 20200, 0.58],  # 58.0%
    ]


def test_the_printable_page(month: Scenario) -> None:
    client = login(Client(), month.world, Role.SUPERVISOR)
    url = reverse("cadence:quarterly") + "?quarter=2024-Q1"
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="summary-title">潍城区2024年第一季度重点项目建设情况总结<' in text
    assert 'id="tile-projects">5<' in text and 'id="tile-done">1.72<' in text
    for chart in ("chart-regions", "chart-months", "chart-industry", "chart-category", "chart-stage"):
        assert f'id="{chart}"' in text
    assert "@media print" not in text and "window.print()" in text
    assert count_queries(lambda: client.get(url)) == 14
    xlsx = client.get(reverse("cadence:quarterly_xlsx") + "?quarter=2024-Q1")
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content))["总体情况"]["A1"].value == (
        "潍城区2024年第一季度重点项目建设情况总结"
    )
    api = Client(headers={"Authorization": f"Bearer {month.world.tokens[Role.SUPERVISOR]}"})
    body = api.get("/api/cadence/quarterly?quarter=2024-Q1").json()
    assert (body["total"]["projects"], D(body["total"]["done_wan"]), body["months"][2]["month"]) == (5, 17200, "3月")
    assert api.get("/api/cadence/quarterly?quarter=2024Q9").status_code == 422
