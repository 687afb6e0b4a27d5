"""/api/projects: the same validation, scoping and conflict rules as the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from keyprojects.accounts.choices import Role
from keyprojects.audit.models import AuditEntry
from keyprojects.audit.selectors import entries_for
from keyprojects.core.testing.fixtures import World
from keyprojects.projects.models import Project

pytestmark = pytest.mark.django_db


def api(world: World, role: str = Role.REGION_ADMIN) -> Client:
    return Client(headers={"Authorization": f"Bearer {world.tokens[role]}"})


def test_create_accepts_written_money_and_is_audited_as_api(world: World) -> None:
    response = api(world).post(
        "/api/projects",
        {
            "name": "接口新建项目",
            "region_id": world.inside.region.pk,
            "total_investment_wan": "十五亿元",
            "start_year": 2024,
            "end_year": 2026,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total_investment_wan"] == "150000" or Decimal(body["total_investment_wan"]) == Decimal(150000)
    assert body["region_name"] == "潍城区" and body["version"] == 1
    [entry] = entries_for(Project.objects.get(pk=body["id"]))
    assert (entry.source, entry.action, entry.actor) == ("api", "create", world.users[Role.REGION_ADMIN])


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"total_investment_wan": "十五亿多"}, 422, "无法识别的金额"),
        ({"total_investment_wan": "-3亿"}, 422, "金额不能为负数"),
        ({"start_year": 2026, "end_year": 2024}, 422, "结束年份不能早于开始年份"),
        ({"national_code": "123"}, 422, "全国投资项目代码应为24位"),
        ({"category": "开工了"}, 422, "开工了"),
    ],
)
def test_bad_input_gets_a_clear_error_and_writes_nothing(
    world: World, payload: dict, status: int, message: str
) -> None:
    before = (Project.objects.count(), AuditEntry.objects.count())
    response = api(world).post(
        "/api/projects",
        {"name": "坏数据项目", "region_id": world.inside.region.pk, **payload},
        content_type="application/json",
    )
    assert response.status_code == status
    assert message in response.content.decode("unicode_escape") or message in response.json().__repr__()
    assert (Project.objects.count(), AuditEntry.objects.count()) == before


def test_patch_with_stale_version_is_409_with_the_other_change(world: World) -> None:
    project = world.inside.project
    url = f"/api/projects/{project.pk}"
    first = api(world, Role.SUPERVISOR).patch(
        url, {"version": 1, "owner": "督导员改的"}, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = api(world).patch(url, {"version": 1, "owner": "区县管理员改的"}, content_type="application/json")
    assert second.status_code == 409
    body = second.json()
    assert body["current_version"] == 2
    assert body["changes"][0]["by"] == "测试supervisor"
    assert body["changes"][0]["changes"] == {"owner": ["山东潍城新材料有限公司", "督导员改的"]}
    assert Project.objects.get(pk=project.pk).owner == "督导员改的"


def test_patch_and_delete_need_a_version(world: World) -> None:
    project = world.inside.project
    response = api(world).patch(f"/api/projects/{project.pk}", {"owner": "x"}, content_type="application/json")
    assert response.status_code == 422 and "version" in response.json()["errors"]
    assert api(world).delete(f"/api/projects/{project.pk}").status_code == 422
    assert api(world).delete(f"/api/projects/{project.pk}?version=1").status_code == 204


def test_related_objects_outside_scope_are_refused(world: World) -> None:
    response = api(world).patch(
        f"/api/projects/{world.inside.project.pk}",
        {"version": 1, "leader_id": world.outside.leader.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "不存在或不在您的范围内" in response.json()["errors"]["leader_id"][0]


def test_list_filters(world: World) -> None:
    client = api(world, Role.ADMIN)
    names = [p["name"] for p in client.get(f"/api/projects?region_id={world.outside.region.pk}").json()["items"]]
    assert names == ["寒亭年产10万吨新材料项目"]
    assert client.get("/api/projects?q=潍城").json()["count"] == 1


def test_openapi_and_docs_are_served(world: World) -> None:
    schema = Client().get("/api/openapi.json")
    assert schema.status_code == 200
    assert "/api/projects/{project_id}" in schema.json()["paths"]
    docs = Client().get("/api/docs")
    assert docs.status_code == 200
