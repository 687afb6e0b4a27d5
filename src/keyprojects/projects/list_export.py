"""Export the registry as a key-project list (.xlsx) that the import reads back to the same registry.

The columns are the import's own headers, so export → import is exact: 项目编号 and 全国投资项目代码 match the
projects again, 区划代码 gives the region without any text resolution (所在县市区 is written too, for people), amounts
are in 万元 (stated in the header) and the annual plan header carries its year ("2024年计划投资（万元）").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.db.models import QuerySet

from keyprojects.projects.models import AnnualPlan, Project
from keyprojects.regions.gazetteer import gazetteer

__all__ = ["EXPORT_HEADERS", "ExportRow", "export_rows", "write_list_xlsx", "years_text"]


def _headers(year: int) -> list[str]:
    return ["序号", "项目编号", "全国投资项目代码", "项目名称", "建设单位", "所在县市区", "区划代码", "建设地点",
            "建设内容及规模", "建设起止年限", "总投资（万元）", f"{year}年计划投资（万元）", "项目类型", "产业领域",
            "项目级别", "包靠领导", "责任单位"]


EXPORT_HEADERS = _headers(2024)


@dataclass(frozen=True)
class ExportRow:
    code: str
    national_code: str | None
    name: str
    owner: str
    region_label: str
    region_code: str | None
    address: str
    scope: str
    years: str
    total_investment_wan: Decimal | None
    annual_plan_wan: Decimal | None
    category: str
    industry: str
    level: str
    leader: str
    unit: str

    def cells(self, seq: int) -> list[Any]:
        return [seq, self.code, self.national_code or "", self.name, self.owner, self.region_label,
                self.region_code or "", self.address, self.scope, self.years, self.total_investment_wan,
                self.annual_plan_wan, self.category, self.industry, self.level, self.leader, self.unit]


def years_text(start: int | None, end: int | None) -> str:
    """The 建设起止年限 cell the import reads back to the same two years: "2024-2026", "2024", "2024-", "-2026"."""
    if start is None and end is None:
        return ""
    if start == end:
        return str(start)
    return f"{start or ''}-{end or ''}"


def _region_label(code: str | None, name: str) -> str:
    division = gazetteer().by_code(code) if code else None
    return gazetteer().label(division) if division else name


def export_rows(projects: QuerySet[Project], year: int) -> list[ExportRow]:
    """One row per project, in the registry's order, with the current plan of ``year``: three queries in all."""
    queryset = projects.select_related("region", "leader", "unit").order_by("region__path", "code")
    plans = {
        p.project_id: p.current.planned_investment_wan if p.current else None
        for p in AnnualPlan.objects.filter(project__in=queryset, year=year).select_related("current")
    }
    return [
        ExportRow(
            code=p.code, national_code=p.national_code, name=p.name, owner=p.owner,
            region_label=_region_label(p.region.code, p.region.name), region_code=p.region.code, address=p.address,
            scope=p.scope, years=years_text(p.start_year, p.end_year), total_investment_wan=p.total_investment_wan,
            annual_plan_wan=plans.get(p.pk), category=p.category, industry=p.industry, level=p.level,
            leader=p.leader.name if p.leader else "", unit=p.unit.name if p.unit else "",
        )
        for p in queryset
    ]


def write_list_xlsx(rows: Iterable[ExportRow], year: int, stream: IO[bytes], title: str | None = None) -> int:
    """Write the list to ``stream``; returns the number of project rows."""
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("重点项目名单")
    bold = workbook.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True,
                                "border": 1})
    heading = workbook.add_format({"bold": True, "font_size": 16, "align": "center"})
    money = workbook.add_format({"num_format": "0.00", "border": 1})
    text = workbook.add_format({"border": 1, "text_wrap": False})
    headers = _headers(year)
    sheet.merge_range(0, 0, 0, len(headers) - 1, title or f"{year}年重点项目名单", heading)
    sheet.write_row(1, 0, headers, bold)
    count = 0
    for count, row in enumerate(rows, start=1):
        for column, value in enumerate(row.cells(count)):
            if isinstance(value, Decimal):
                # Amounts have two decimals at most and fewer than 15 digits: the float is exact when read back.
                sheet.write_number(count + 1, column, float(value), money)
            elif value is None or value == "":
                sheet.write_blank(count + 1, column, None, text)
            elif isinstance(value, int):
                sheet.write_number(count + 1, column, value, text)
            else:
                sheet.write_string(count + 1, column, str(value), text)
    sheet.freeze_panes(2, 4)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 2, 16)
    sheet.set_column(3, 3, 36)
    sheet.set_column(4, 8, 24)
    sheet.set_column(9, 16, 14)
    workbook.set_properties({"title": title or f"{year}年重点项目名单", "created": dt.datetime.now(dt.UTC)})
    workbook.close()
    return count
