"""Open-data export of the registry in the Open Contracting for Infrastructure Data Standard (OC4IDS), version 0.9.

Each project becomes an OC4IDS project: ``id`` is the national project code of the investment-project approval platform
(全国投资项目代码) when the project has one, else ``keyprojects-`` and our project code; amounts are in yuan (CNY),
converted exactly from 万元; the region is a location in the GB/T 2260 gazetteer; the annual plan is a budget breakdown
line; industry, category and level are additional classifications. The projects are wrapped in a project package.

The schema (``data/oc4ids/project-schema.json``, Apache-2.0) is vendored; :func:`schema_errors` checks a project
against it with a small JSON Schema draft-04 validator covering the keywords that schema uses ($ref, type, enum,
required, properties, items, minLength, uniqueItems, format date-time and uri), so that no validation library is needed
at run time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from django.db.models import QuerySet

from keyprojects.core import clock
from keyprojects.projects.choices import Stage
from keyprojects.projects.models import AnnualPlan, Project

__all__ = ["OC4IDS_VERSION", "project_package", "project_to_oc4ids", "schema", "schema_errors"]

OC4IDS_VERSION = "0.9"
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "oc4ids" / "project-schema.json"
GAZETTEER_SCHEME = "CN-GB2260"  # GB/T 2260 division codes; Weifang's functional zones use codes of our own (3707Z1 …)
_STATUS: dict[str, str] = {
    Stage.LEAD: "identification", Stage.NEGOTIATING: "identification", Stage.SIGNED: "preparation",
    Stage.LANDED: "preparation", Stage.UNDER_CONSTRUCTION: "implementation", Stage.COMPLETED: "completed",
    Stage.PRODUCING: "completed", Stage.AT_CAPACITY: "completed",
}
_AUTHORITY_SUFFIXES = ("局", "委员会", "政府", "管委会", "管理委员会", "办公室", "办事处", "委")
_SHANGHAI_OFFSET = "+08:00"


def _yuan(wan: Decimal) -> int | float:
    """万元 → 元, exactly: two decimals in 万元 are whole yuan."""
    yuan = wan * 10000
    return int(yuan) if yuan == yuan.to_integral_value() else float(yuan)


def _money(wan: Decimal) -> dict[str, Any]:
    return {"amount": _yuan(wan), "currency": "CNY"}


def _year_start(year: int) -> str:
    return f"{year:04d}-01-01T00:00:00{_SHANGHAI_OFFSET}"


def _year_end(year: int) -> str:
    return f"{year:04d}-12-31T23:59:59{_SHANGHAI_OFFSET}"


def project_id(project: Project) -> str:
    return project.national_code or f"keyprojects-{project.code}"


def project_to_oc4ids(project: Project, plans: Iterable[tuple[int, Decimal | None]] = ()) -> dict[str, Any]:
    """One OC4IDS project. ``plans`` are (year, planned investment in 万元) of the project's annual plans."""
    data: dict[str, Any] = {"id": project_id(project), "title": project.name}
    if project.updated_at:
        data["updated"] = project.updated_at.isoformat()
    if project.scope:
        data["description"] = project.scope
    data["status"] = _STATUS.get(project.stage, "preparation")
    period = {}
    if project.start_year:
        period["startDate"] = _year_start(project.start_year)
    if project.end_year:
        period["endDate"] = _year_end(project.end_year)
    if period:
        data["period"] = period
    schemes = (("项目类型", project.category), ("产业领域", project.industry), ("项目级别", project.level))
    classifications = [{"scheme": scheme, "id": value, "description": value} for scheme, value in schemes if value]
    if classifications:
        data["additionalClassifications"] = classifications
    region = project.region
    location: dict[str, Any] = {"id": "1", "description": project.address or region.name,
                                "address": {"region": region.name, "countryName": "中国"}}
    if project.address:
        location["address"]["streetAddress"] = project.address
    if region.code:
        location["gazetteer"] = {"scheme": GAZETTEER_SCHEME, "identifiers": [region.code]}
    data["locations"] = [location]
    budget: dict[str, Any] = {}
    if project.total_investment_wan is not None:
        budget["amount"] = _money(project.total_investment_wan)
    breakdown = [
        {"id": str(year), "description": f"{year}年度计划投资", "amount": _money(amount),
         "period": {"startDate": _year_start(year), "endDate": _year_end(year)}}
        for year, amount in sorted(plans) if amount is not None
    ]
    if breakdown:
        budget["budgetBreakdown"] = breakdown
    if budget:
        data["budget"] = budget
    parties = []
    if project.owner:
        role = "publicAuthority" if project.owner.endswith(_AUTHORITY_SUFFIXES) else "funder"
        parties.append({"id": "owner", "name": project.owner, "roles": [role]})
    if project.unit_id and project.unit is not None:
        parties.append({"id": f"unit-{project.unit_id}", "name": project.unit.name, "roles": ["administrativeEntity"]})
    if parties:
        data["parties"] = parties
    return data


def project_package(projects: QuerySet[Project], publisher: str, uri: str = "") -> dict[str, Any]:
    """The registry as an OC4IDS project package, in the registry's order (two queries)."""
    queryset = projects.select_related("region", "unit").order_by("region__path", "code")
    plans: dict[int, list[tuple[int, Decimal | None]]] = {}
    for plan in AnnualPlan.objects.filter(project__in=queryset).select_related("current").order_by("year"):
        plans.setdefault(plan.project_id, []).append(
            (plan.year, plan.current.planned_investment_wan if plan.current else None))
    package: dict[str, Any] = {
        "version": OC4IDS_VERSION,
        "publishedDate": clock.now().replace(microsecond=0).isoformat(),
        "publisher": {"name": publisher},
        "projects": [project_to_oc4ids(p, plans.get(p.pk, ())) for p in queryset],
    }
    if uri:
        package["uri"] = uri
    return package


# -- validation ---------------------------------------------------------------------------------------------------
@cache
def schema() -> dict[str, Any]:
    with open(SCHEMA_PATH, encoding="utf-8") as fh:
        loaded: dict[str, Any] = json.load(fh)
        return loaded


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,), "null": (type(None),),
    "number": (int, float), "integer": (int,),
}


def schema_errors(instance: Any, root: Mapping[str, Any] | None = None) -> list[str]:
    """Every violation of the OC4IDS project schema (or ``root``) in ``instance``, as "path: reason"."""
    root = root if root is not None else schema()
    errors: list[str] = []
    _check(instance, root, root, "$", errors)
    return errors


def _resolve(node: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    seen = 0
    while "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local references are supported: {ref}")
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node, seen = target, seen + 1
        if seen > 32:
            raise ValueError(f"reference loop at {ref}")
    return node


def _is_type(value: Any, name: str) -> bool:
    if isinstance(value, bool) and name in ("number", "integer"):
        return False
    if name == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _JSON_TYPES[name])


def _check(value: Any, node: Mapping[str, Any], root: Mapping[str, Any], path: str, errors: list[str]) -> None:
    node = _resolve(node, root)
    types = node.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else list(types)
        if not any(_is_type(value, name) for name in names):
            errors.append(f"{path}: 应为{'/'.join(names)}，实为{type(value).__name__}")
            return
    if "enum" in node and value not in node["enum"]:
        errors.append(f"{path}: “{value}”不在允许的取值中")
    if isinstance(value, str):
        if "minLength" in node and len(value) < node["minLength"]:
            errors.append(f"{path}: 长度小于{node['minLength']}")
        fmt = node.get("format")
        if fmt == "date-time" and not _is_date_time(value):
            errors.append(f"{path}: “{value}”不是RFC 3339日期时间")
        if fmt == "uri" and not urlparse(value).scheme:
            errors.append(f"{path}: “{value}”不是URI")
    if isinstance(value, dict):
        for name in node.get("required", ()):
            if name not in value:
                errors.append(f"{path}: 缺少必填字段{name}")
        for name, child in node.get("properties", {}).items():
            if name in value:
                _check(value[name], child, root, f"{path}.{name}", errors)
    if isinstance(value, list):
        if node.get("uniqueItems"):
            canonical = [json.dumps(item, sort_keys=True) for item in value]
            if len(set(canonical)) != len(canonical):
                errors.append(f"{path}: 有重复的元素")
        if isinstance(node.get("items"), Mapping):
            for index, item in enumerate(value):
                _check(item, node["items"], root, f"{path}[{index}]", errors)


def _is_date_time(text: str) -> bool:
    if "T" not in text and "t" not in text:
        return False
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None  # RFC 3339 requires an offset
