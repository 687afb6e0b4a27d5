"""Project pages: filters, sorting, pagination, fixed query counts, forms that keep the user's input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.choices import Role
from keyprojects.core.testing.fixtures import PASSWORD, SYSTEM, World
from keyprojects.core.testing.queries import count_queries
from keyprojects.directory.models import Person
from keyprojects.projects import actions
from keyprojects.projects.choices import MilestoneKind
from keyprojects.projects.models import Project

pytestmark = pytest.mark.django_db


def login(world: World, role: str = Role.REGION_ADMIN) -> Client:
    client = Client()
    assert client.login(username=world.users[role].username, password=PASSWORD)
    return client


def add_projects(world: World, n: int, start: int = 0) -> list[Project]:
    side = world.inside
    made = []
    for i in range(start, start + n):
        leader = Person.objects.create(name=f"领导{i}", region=side.region, is_leader=True)
        project = actions.do_create_project(
            SYSTEM,
            name=f"批量项目{i:03d}",
            region=side.region,
            total_investment_wan=Decimal(1000 + i),
            industry="高端装备" if i % 2 else "医养健康",
            category="续建" if i % 3 else "新开工",
            leader=leader,
            unit=side.unit,
        )
        actions.do_create_plan(SYSTEM, project, 2024, Decimal(100 + i), {MilestoneKind.START: dt.date(2024, 3, 1)})
        made.append(project)
    return made


def test_list_query_count_does_not_grow(world: World) -> None:
    client = login(world)
    url = reverse("projects:list")
    client.get(url)  # warm the session and content-type caches
    add_projects(world, 3)
    few = count_queries(lambda: client.get(url))
    add_projects(world, 40, start=3)
    many = count_queries(lambda: client.get(url))
    assert few == many == 9


def test_detail_query_count_does_not_grow(world: World) -> None:
    client = login(world)
    project = world.inside.project
    url = reverse("projects:detail", kwargs={"pk": project.pk})
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for year in (2025, 2026):
        actions.do_create_plan(SYSTEM, project, year, Decimal(10), {MilestoneKind.COMPLETION: dt.date(year, 9, 1)})
    actions.do_set_milestone_actual(SYSTEM, project, MilestoneKind.START, dt.date(2024, 3, 5))
    for i in range(5):
        project = actions.do_update_project(SYSTEM, project, project.version, scope=f"第{i}次修改")
    many = count_queries(lambda: client.get(url))
    assert few == many == 13


def test_filters_and_search(world: World) -> None:
    add_projects(world, 6)
    client = login(world, Role.ADMIN)
    url = reverse("projects:list")

    def names(**params: object) -> list[str]:
        response = client.get(url, params)
        found = [p.name for p in response.context["page"]]
        return found if "sort" in params else sorted(found)

    assert names(industry="高端装备") == ["批量项目001", "批量项目003", "批量项目005"]
    assert names(category="新开工", region=world.inside.region.pk) == sorted(
        ["潍城年产10万吨新材料项目", "批量项目000", "批量项目003"]
    )
    assert names(region=world.outside.region.pk) == ["寒亭年产10万吨新材料项目"]
    assert names(q="新材料") == sorted(["潍城年产10万吨新材料项目", "寒亭年产10万吨新材料项目"])
    assert names(q="山东寒亭") == ["寒亭年产10万吨新材料项目"]
    # Letters keep matching whatever their case (Chinese text, which has none, is matched as it is: faster)
    Project.objects.filter(pk=world.outside.project.pk).update(owner="Hanting New Materials Co., Ltd.")
    assert names(q="hanting NEW") == ["寒亭年产10万吨新材料项目"]
    assert names(leader=world.outside.leader.pk) == ["寒亭年产10万吨新材料项目"]
    assert names(unit=world.outside.unit.pk) == ["寒亭年产10万吨新材料项目"]
    assert names(level="市重点") == sorted(["潍城年产10万吨新材料项目", "寒亭年产10万吨新材料项目"])
    assert names(stage="signed", q="批量项目00", sort="-investment")[:2] == ["批量项目005", "批量项目004"]
    assert names(sort="investment")[:2] == ["批量项目000", "批量项目001"]


def test_out_of_scope_filter_choice_is_rejected_not_applied(world: World) -> None:
    client = login(world)  # 潍城区 region admin
    response = client.get(reverse("projects:list"), {"region": world.outside.region.pk})
    assert [p.name for p in response.context["page"]] == [world.inside.project.name]
    assert "region" in response.context["form"].errors


def test_pagination(world: World, settings: object) -> None:
    add_projects(world, 55)
    client = login(world)
    first = client.get(reverse("projects:list"))
    assert len(first.context["page"]) == 50
    second = client.get(reverse("projects:list"), {"page": 2})
    assert len(second.context["page"]) == 6
    assert "第 2 / 2 页，共 56 条" in second.content.decode()


def test_htmx_request_gets_only_the_table(world: World) -> None:
    client = login(world)
    response = client.get(reverse("projects:list"), {"q": "潍城"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<nav" not in body.split("<table")[0]
    assert "潍城年产10万吨新材料项目" in body


@pytest.mark.parametrize(
    ("typed", "wan"),
    [("15亿元", "150000"), ("1.5亿", "15000"), ("15000万元", "15000"), ("1,500万", "1500"), ("十五亿元", "150000")],
)
def test_create_form_accepts_money_forms(world: World, typed: str, wan: str) -> None:
    client = login(world)
    response = client.post(
        reverse("projects:create"),
        {"name": "新建测试项目", "region": world.inside.region.pk, "category": "新开工", "total_investment_wan": typed},
    )
    assert response.status_code == 302, response.context["form"].errors
    project = Project.objects.get(name="新建测试项目")
    assert project.total_investment_wan == Decimal(wan)
    assert project.code == f"370702-{project.pk:06d}"


def test_form_error_keeps_what_the_user_typed(world: World) -> None:
    client = login(world)
    response = client.post(
        reverse("projects:create"),
        {
            "name": "保留输入的项目",
            "owner": "山东某某有限公司",
            "region": world.inside.region.pk,
            "category": "新开工",
            "total_investment_wan": "十五亿多",
            "scope": "新建厂房3万平方米",
            "start_year": "2025",
            "end_year": "2024",
            "national_code": "2020-370785-26-03",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "无法识别的金额" in body
    assert "结束年份不能早于开始年份。" in body
    assert "全国投资项目代码应为24位" in body
    for typed in ("保留输入的项目", "山东某某有限公司", "十五亿多", "新建厂房3万平方米", "2020-370785-26-03"):
        assert typed in body
    assert not Project.objects.filter(name="保留输入的项目").exists()


def test_stale_edit_is_refused_with_the_other_change_shown(world: World) -> None:
    project = world.inside.project
    alice = login(world, Role.REGION_ADMIN)
    bob = login(world, Role.SUPERVISOR)
    form_page = alice.get(reverse("projects:edit", kwargs={"pk": project.pk}))
    initial = form_page.context["form"].initial
    assert initial["version"] == project.version
    data = {
        "name": project.name,
        "region": project.region_id,
        "category": project.category,
        "total_investment_wan": "15亿元",
        "version": initial["version"],
    }
    # Bob saves first, changing the owner.
    assert (
        bob.post(reverse("projects:edit", kwargs={"pk": project.pk}), {**data, "owner": "鲍勃改的建设单位"}).status_code
        == 302
    )
    # Alice's save is based on the old version: refused, her input kept, Bob's change shown.
    response = alice.post(reverse("projects:edit", kwargs={"pk": project.pk}), {**data, "owner": "爱丽丝的建设单位"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "该记录已被测试supervisor修改" in body
    assert "鲍勃改的建设单位" in body  # the other person's change
    assert "爱丽丝的建设单位" in body  # what she typed
    project.refresh_from_db()
    assert project.owner == "鲍勃改的建设单位"


def test_detail_shows_change_log(world: World) -> None:
    project = world.inside.project
    actions.do_update_project(SYSTEM, project, project.version, total_investment_wan=Decimal("160000"))
    body = login(world).get(reverse("projects:detail", kwargs={"pk": project.pk})).content.decode()
    assert "变更记录" in body
    assert "<del>150000</del> → <ins>160000</ins>" in body


def test_delete_through_ui(world: World) -> None:
    project = world.inside.project
    client = login(world)
    response = client.post(reverse("projects:delete", kwargs={"pk": project.pk}), {"version": project.version})
    assert response.status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()
