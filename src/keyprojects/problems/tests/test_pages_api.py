"""Lists with fixed query counts, the XLSX export read back, the element ledger, and /api/problems."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

from keyprojects.accounts.choices import Role
from keyprojects.core.testing.fixtures import World, element_of, problem_of
from keyprojects.core.testing.queries import count_queries
from keyprojects.problems import actions
from keyprojects.problems.models import Problem
from keyprojects.problems.selectors import element_totals_by_region
from keyprojects.problems.tests.helpers import as_user, at, login, raise_and_assign

pytestmark = pytest.mark.django_db
D = dt.date


def add_problems(world: World, n: int, start: int = 0) -> None:
    made = [
        raise_and_assign(world, D(2024, 3, 1 + i % 20), working_days=5, title=f"批量问题{i:03d}")
        for i in range(start, start + n)
    ]
    # Half of them further up the ladder, so that the 直通车 queue and the 约谈 list have rows too (set directly: the
    # ladder itself is tested in test_sweep.py).
    Problem.objects.filter(pk__in=[p.pk for p in made[::2]]).update(
        channel="direct", direct_leader=world.inside.leader, escalation=3, summoned_on=D(2024, 3, 29)
    )


@pytest.mark.parametrize(
    "url", ["/problems/", "/problems/units/", "/problems/direct/", "/problems/overdue/", "/problems/summons/"]
)
def test_list_pages_run_a_fixed_number_of_queries(world: World, url: str) -> None:
    client = login(world, Role.SUPERVISOR)
    client.get(url)
    add_problems(world, 2)
    few = count_queries(lambda: client.get(url))
    add_problems(world, 30, start=2)
    many = count_queries(lambda: client.get(url))
    assert len(client.get(url).context["page"]) > 10
    assert few == many == QUERIES[url]


# Measured once; what matters is that they do not grow with the number of problems.
QUERIES = {
    "/problems/": 8,
    "/problems/units/": 7,
    "/problems/direct/": 6,
    "/problems/overdue/": 6,
    "/problems/summons/": 6,
}


def test_stats_and_project_card_run_a_fixed_number_of_queries(world: World) -> None:
    client = login(world, Role.SUPERVISOR)
    card = f"/problems/project/{world.inside.project.pk}/card/"
    client.get(card)
    element_of(world.inside)
    add_problems(world, 2)
    few = (count_queries(lambda: client.get("/problems/stats/")), count_queries(lambda: client.get(card)))
    add_problems(world, 20, start=2)
    many = (count_queries(lambda: client.get("/problems/stats/")), count_queries(lambda: client.get(card)))
    assert few == many == (7, 8)


def test_the_list_shows_only_the_scope(world: World) -> None:
    problem_of(world.inside), problem_of(world.outside)
    for role in Role.values:
        names = [p.project.name for p in login(world, role).get("/problems/").context["page"]]
        assert names == (
            [world.outside.project.name, world.inside.project.name]
            if role == Role.ADMIN
            else [world.inside.project.name]
        ) or sorted(names) == sorted([world.outside.project.name, world.inside.project.name]), (role, names)
        assert (world.outside.project.name in names) == (role == Role.ADMIN)


def test_the_xlsx_export_opens_with_the_figures(world: World) -> None:
    overdue = raise_and_assign(world, D(2024, 3, 1), working_days=5)  # due 03-08: 24 days overdue on 04-01
    closed = raise_and_assign(world, D(2024, 3, 4), working_days=5, title="已销号的问题", category="土地")
    for step, kwargs in (("accept", {}), ("resolve", {"resolution": "已供地"})):
        closed = actions.do_transition(
            as_user(world, Role.REPORTER), closed, closed.version, step, at=at(D(2024, 3, 6)), **kwargs
        )
    actions.do_transition(as_user(world, Role.SUPERVISOR), closed, closed.version, "close", at=at(D(2024, 3, 8)))
    problem_of(world.outside)  # out of the supervisor's scope: not exported

    response = login(world, Role.SUPERVISOR).get("/problems/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["问题清单", "按类别统计", "按区域统计", "按单位统计"]
    sheet = book["问题清单"]
    assert sheet["A1"].value == "问题清单（截至2024年4月1日）"
    assert [c.value for c in sheet[2]][:11] == [
        "编号",
        "项目",
        "区域",
        "问题",
        "类别",
        "渠道",
        "状态",
        "承办单位",
        "交办日期",
        "办理期限",
        "逾期天数",
    ]
    rows = {r[3]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {"配套道路未通", "已销号的问题"}
    row = rows["配套道路未通"]
    assert row[0] == overdue.number and row[6] == "已交办" and row[7] == world.inside.unit.name
    assert row[9] == dt.datetime(2024, 3, 8) and row[10] == 24 and row[13] == "测试reporter"
    assert rows["已销号的问题"][6] == "已销号" and rows["已销号的问题"][10] is None
    category = {r[0]: r[1:] for r in book["按类别统计"].iter_rows(min_row=2, values_only=True)}
    assert category == {"土地": (1, 0, 0, 1, 4), "水电气暖": (1, 1, 1, 0, None)}


def test_a_shortfall_becomes_a_problem_in_one_click(world: World) -> None:
    element = element_of(world.inside)  # land: 50亩 required, 20亩 secured
    client = login(world, Role.REPORTER)
    card = client.get(f"/problems/project/{world.inside.project.pk}/card/").content.decode()
    assert "30亩" in card and "按缺口提问题" in card
    response = client.post(f"/problems/elements/{element.pk}/raise/")
    problem = Problem.objects.get(element=element)
    assert response["Location"] == f"/problems/{problem.pk}/"
    assert (problem.title, problem.category) == ("土地缺口30亩", "土地")
    assert problem.description == "需求50亩，已落实20亩，缺口30亩，需求时间2024-05-31。"
    again = client.post(f"/problems/elements/{element.pk}/raise/", follow=True)
    assert "土地缺口已有未销号的问题，请在该问题中跟进。" in again.content.decode()
    assert Problem.objects.filter(element=element).count() == 1


def test_the_ledger_form_and_totals_by_region(world: World) -> None:
    client = login(world, Role.REGION_ADMIN)
    project = world.inside.project
    response = client.post(
        f"/problems/elements/project/{project.pk}/",
        {
            "land-kind": "land",
            "land-required": "80",
            "land-secured": "80",
            "funds-kind": "funds",
            "funds-required": "1.5亿",
            "funds-secured": "9000万元",
            "energy-kind": "energy",
            "energy-required": "",
            "emission-kind": "emission",
            "emission-required": "",
        },
    )
    assert response.status_code == 302
    totals = {(r["project__region__name"], r["kind"]): r for r in element_totals_by_region(world.users[Role.ADMIN])}
    assert totals[("潍城区", "funds")]["required_total"] == Decimal("15000")
    assert totals[("潍城区", "funds")]["shortfall_total"] == Decimal("6000")
    assert totals[("潍城区", "land")]["shortfall_total"] == Decimal("0")
    page = client.get("/problems/elements/").content.decode()
    assert "6000万元" in page and "1.5亿元" in page


# --- API ---------------------------------------------------------------------------------------------------------


def api(world: World, role: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {world.tokens[role]}"})


def test_api_walks_the_loop_with_the_same_rules(world: World) -> None:
    created = api(world, Role.REPORTER).post(
        "/api/problems",
        {"project_id": world.inside.project.pk, "title": "接口提出的问题", "category": "资金"},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    pk = body["id"]
    assert (body["state"], body["state_label"], body["version"], body["allowed"]) == ("raised", "已提出", 1, [])
    url = f"/api/problems/{pk}/transitions"

    refused = api(world, Role.REPORTER).post(
        url, {"transition": "assign", "version": 1}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "交办须由督导员办理（直通车问题也可由接收的领导办理），您无权操作。"
    wrong_state = api(world, Role.SUPERVISOR).post(
        url, {"transition": "close", "version": 1}, content_type="application/json"
    )
    assert wrong_state.status_code == 409
    assert wrong_state.json()["detail"] == "该问题当前状态为“已提出”，不能销号（当前可执行：会商、交办）。"
    assigned = api(world, Role.SUPERVISOR).post(
        url,
        {"transition": "assign", "version": 1, "unit_id": world.inside.unit.pk, "working_days": 3},
        content_type="application/json",
    )
    assert assigned.status_code == 200
    assert (assigned.json()["deadline"], assigned.json()["version"]) == ("2024-04-07", 2)
    stale = api(world, Role.ADMIN).post(url, {"transition": "accept", "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert stale.json()["changes"][0]["by"] == "测试supervisor"
    missing = api(world, Role.REPORTER).post(url, {"transition": "accept"}, content_type="application/json")
    assert missing.status_code == 422
    accepted = api(world, Role.REPORTER).post(
        url, {"transition": "accept", "version": 2}, content_type="application/json"
    )
    assert accepted.json()["allowed"] == ["resolve"]
    no_text = api(world, Role.REPORTER).post(
        url, {"transition": "resolve", "version": 3}, content_type="application/json"
    )
    assert no_text.status_code == 422 and no_text.json()["errors"] == {"resolution": ["办结须填写办理结果。"]}

    listed = api(world, Role.LEADER).get("/api/problems?state=in_progress").json()
    assert [p["title"] for p in listed["items"]] == ["接口提出的问题"]
    assert api(world, Role.LEADER).get("/api/problems?state=raised").json()["count"] == 0
    assert api(world, Role.REGION_ADMIN).get(f"/api/problems/{problem_of(world.outside).pk}").status_code == 404
    detail = api(world, Role.LEADER).get(f"/api/problems/{pk}").json()
    assert [e["transition"] for e in detail["events"]] == ["", "assign", "accept"]
    stats = api(world, Role.SUPERVISOR).get("/api/problems/stats").json()
    assert stats["category"] == [
        {"label": "资金", "total": 1, "open": 1, "overdue": 0, "closed": 0, "mean_days_to_close": None}
    ]


def test_api_element_ledger_and_one_click(world: World) -> None:
    client = api(world, Role.REPORTER)
    saved = client.post(
        "/api/problems/elements",
        {"project_id": world.inside.project.pk, "kind": "funds", "required": "2亿", "secured": "5000万"},
        content_type="application/json",
    )
    assert saved.status_code == 200
    body = saved.json()
    assert (Decimal(body["required"]), Decimal(body["shortfall"]), body["unit"]) == (
        Decimal(20000),
        Decimal(15000),
        "万元",
    )
    stale = client.post(
        "/api/problems/elements",
        {"project_id": world.inside.project.pk, "kind": "funds", "required": "3亿"},
        content_type="application/json",
    )
    assert stale.status_code == 422 and "version" in stale.json()["errors"]
    raised = client.post(f"/api/problems/elements/{body['id']}/raise")
    assert raised.status_code == 201 and raised.json()["title"] == "资金缺口15000万元"
