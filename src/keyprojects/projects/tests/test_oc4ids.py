"""OC4IDS open-data export: every project of the imported samples validates against the published schema (0.9.1)."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

import pytest

from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.projects.import_actions import do_import_list
from keyprojects.projects.listfile import parse_list, parse_list_file
from keyprojects.projects.models import Project
from keyprojects.projects.oc4ids import SCHEMA_PATH, project_package, schema, schema_errors
from keyprojects.projects.tests.listfile_builders import SAMPLES, xlsx_bytes
from keyprojects.regions.loading import load_regions
from keyprojects.regions.models import Region

SYSTEM = Actor(user=None, source=AuditSource.IMPORT)


def test_the_vendored_schema_is_the_published_file() -> None:
    text = SCHEMA_PATH.read_text(encoding="utf-8")
    assert len(text) == 56605
    assert hashlib.sha256(text.encode()).hexdigest() == (
        "61025dd78e3ddc82b0148f157deddc31f942e3e550c623b288a47a7804102903")
    assert schema()["id"] == "https://standard.open-contracting.org/infrastructure/schema/0__9__1/project-schema.json"
    assert (SCHEMA_PATH.parent / "LICENSE.txt").read_text().count("Apache License") >= 2


@pytest.mark.parametrize(("document", "errors"), [
    ({"id": "x"}, []),
    ({}, ["$: 缺少必填字段id"]),
    ({"id": 5}, ["$.id: 应为string，实为int"]),
    ({"id": "x", "status": "building"}, ["$.status: “building”不在允许的取值中"]),
    ({"id": "x", "period": {"startDate": "2024-01-01"}}, ["$.period.startDate: “2024-01-01”不是RFC 3339日期时间"]),
    ({"id": "x", "period": {"startDate": "2024-01-01T00:00:00"}},
     ["$.period.startDate: “2024-01-01T00:00:00”不是RFC 3339日期时间"]),
    ({"id": "x", "budget": {"amount": {"amount": "36000", "currency": "CNY"}}},
     ["$.budget.amount.amount: 应为number，实为str"]),
    ({"id": "x", "budget": {"amount": {"amount": True, "currency": "CNY"}}},
     ["$.budget.amount.amount: 应为number，实为bool"]),
    ({"id": "x", "budget": {"amount": {"amount": 1, "currency": "RMB"}}},
     ["$.budget.amount.currency: “RMB”不在允许的取值中"]),
    ({"id": "x", "locations": [{"id": ""}]}, ["$.locations[0].id: 长度小于1"]),
    ({"id": "x", "locations": [{"description": "a"}]}, ["$.locations[0]: 缺少必填字段id"]),
    ({"id": "x", "locations": [{"id": "1"}, {"id": "1"}]}, ["$.locations: 有重复的元素"]),
    ({"id": "x", "parties": [{"contactPoint": {"url": "example"}}]},
     ["$.parties[0].contactPoint.url: “example”不是URI"]),
    ({"id": "x", "contractingProcesses": [{"id": "c", "summary": {"modifications": [{"id": 3}]}}]}, []),
])
def test_the_validator_enforces_the_schema(document: dict[str, Any], errors: list[str]) -> None:
    assert schema_errors(document) == errors


@pytest.mark.django_db
def test_every_imported_sample_project_is_valid_oc4ids() -> None:
    if not Region.objects.exists():
        load_regions(Region)
    for sample in ("2024-weifang-key-projects.xlsx", "hanting-district-list.xls", "liaocheng-list.csv"):
        do_import_list(SYSTEM, parse_list_file(SAMPLES / sample))
    header = ["全国投资项目代码", "项目名称", "建设地点", "总投资（万元）", "2024年计划投资（万元）", "项目类型"]
    do_import_list(SYSTEM, parse_list(xlsx_bytes([header, ["2024-370702-26-03-000123", "代码项目", "潍城区", 4911228.5,
                                                           12.34, "新开工"]]), "code.xlsx"))
    package = project_package(Project.objects.all(), publisher="潍坊市重大项目服务中心")
    assert package["version"] == "0.9"
    assert len(package["projects"]) == 195
    assert [(p["id"], errors) for p in package["projects"] if (errors := schema_errors(p))] == []
    json.dumps(package, ensure_ascii=False)  # serialisable as it stands
    coded = next(p for p in package["projects"] if p["title"] == "代码项目")
    assert coded["id"] == "2024-370702-26-03-000123"  # the national project code travels as the OC4IDS id
    assert coded["budget"]["amount"] == {"amount": 49112285000, "currency": "CNY"}
    assert coded["budget"]["budgetBreakdown"] == [{
        "id": "2024", "description": "2024年度计划投资", "amount": {"amount": 123400, "currency": "CNY"},
        "period": {"startDate": "2024-01-01T00:00:00+08:00", "endDate": "2024-12-31T23:59:59+08:00"}}]
    seed = next(p for p in package["projects"] if p["title"] == "年产4000套冲压模具及零部件项目")
    project = Project.objects.get(name="年产4000套冲压模具及零部件项目")
    assert seed["id"] == f"keyprojects-{project.code}"
    assert seed["budget"]["amount"] == {"amount": 360000000, "currency": "CNY"}
    assert seed["locations"][0]["gazetteer"] == {"scheme": "CN-GB2260", "identifiers": ["370725"]}
    assert seed["parties"] == [{"id": "owner", "name": "昌乐瑞欣机械科技有限公司", "roles": ["funder"]}]
    assert {"scheme": "产业领域", "id": "高端装备", "description": "高端装备"} in seed["additionalClassifications"]
    assert seed["period"] == {"startDate": "2024-01-01T00:00:00+08:00", "endDate": "2026-12-31T23:59:59+08:00"}
    assert seed["status"] == "preparation"
    zone = next(p for p in package["projects"]
                if p["locations"][0].get("gazetteer", {}).get("identifiers") == ["3707Z1"])
    assert zone["locations"][0]["address"]["region"] == "高新区"
    assert Decimal(str(seed["budget"]["amount"]["amount"])) == project.total_investment_wan * 10000  # type: ignore[operator]


@pytest.mark.django_db
def test_the_export_validates_with_jsonschema_too_when_it_is_installed() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not Region.objects.exists():
        load_regions(Region)
    do_import_list(SYSTEM, parse_list_file(SAMPLES / "hanting-district-list.xls"))
    validator = jsonschema.Draft4Validator(schema(), format_checker=jsonschema.FormatChecker())
    for project in project_package(Project.objects.all(), publisher="寒亭区")["projects"]:
        assert list(validator.iter_errors(project)) == []
