"""The weekly Excel round trip: a unit downloads its week's template (its projects, last week's figures, this week's
report when there is one) and uploads it back. Pure: no database; the caller passes rows in and gets rows out.

Headers are matched after normalisation ("本年完成投资（亿元）" = "本年完成投资" with bare numbers in 亿元), so a
sheet from another tool with the same column names is read too; the reference columns (上周…) are never read back.
The template is written in the reader's language; an upload is read whatever language its headers and stage names are
in (Chinese, or any configured language's translation of the template's headers).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

import xlsxwriter
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from python_calamine import CalamineError, CalamineWorkbook

from keyprojects.core.money import UNIT_FACTORS_WAN, MoneyError, parse_money_wan
from keyprojects.projects.choices import Stage
from keyprojects.reports.i18n import join_list
from keyprojects.reports.weeks import IsoWeek, WeekError

MONEY_FIELDS = ("investment_year_wan", "investment_total_wan")
TEXT_FIELDS = ("progress_text", "problems_text", "next_week_plan", "correction_reason")
INPUT_FIELDS = (
    "investment_year_wan",
    "investment_total_wan",
    "progress_text",
    "percent_complete",
    "problems_text",
    "next_week_plan",
)

# field → (header written in the template (translated), other Chinese names accepted on upload)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "code": (gettext_noop("项目编号"), ("项目代码", "编号", "全国投资项目代码")),
    "name": (gettext_noop("项目名称"), ()),
    "prev_year": (gettext_noop("上周本年完成投资（万元）"), ()),
    "prev_total": (gettext_noop("上周累计完成投资（万元）"), ()),
    "investment_year_wan": (
        gettext_noop("本年完成投资（万元）"),
        ("本年完成投资", "今年完成投资", "年度完成投资", "本年累计完成投资"),
    ),
    "investment_total_wan": (
        gettext_noop("开工以来累计完成投资（万元）"),
        ("累计完成投资", "开工以来累计完成投资", "开工累计完成投资"),
    ),
    "stage": (gettext_noop("所处阶段"), ("项目阶段", "阶段")),
    "progress_text": (gettext_noop("形象进度"), ("工程形象进度", "进展情况")),
    "percent_complete": (gettext_noop("完成百分比（%）"), ("完成百分比", "完成比例", "形象进度百分比")),
    "problems_text": (gettext_noop("存在问题"), ("存在的问题", "问题")),
    "next_week_plan": (gettext_noop("下周计划"), ("下周工作计划",)),
    "correction_reason": (gettext_noop("更正说明"), ("更正原因",)),
    "version": (gettext_noop("数据版本（勿改）"), ("数据版本",)),
}
# The short names of the required columns, for messages.
LABELS = {
    "investment_year_wan": gettext_noop("本年完成投资"),
    "investment_total_wan": gettext_noop("开工以来累计完成投资"),
    "progress_text": gettext_noop("形象进度"),
}
# Units of translated headers ("10k yuan") as the money parser knows them; keys normalised like `_norm`'s units.
_UNIT_NAMES = {"10kyuan": "万元", "100myuan": "亿元", "yuan": "元"}
_WEEK_IN_TEXT = re.compile(r"(\d{4})\s*-\s*W\s*(\d{1,2})", re.IGNORECASE)


@dataclass
class TemplateRow:
    code: str
    name: str
    prev_year_wan: Decimal | None
    prev_total_wan: Decimal | None
    current: dict[str, Any]  # this week's report when one exists: field → value
    version: int  # 0 when the week has no report yet


def _norm(text: Any) -> tuple[str, str | None]:
    """Header text → (name without unit and marks, unit in parentheses or None)."""
    value = unicodedata.normalize("NFKC", str(text or "")).replace("\n", "")
    value = re.sub(r"\s+", "", value).strip("*＊")
    unit = None
    match = re.search(r"\(([^()]*)\)$", value)
    if match:
        unit = match.group(1)
        value = value[: match.start()]
    return value.strip("*").casefold(), unit


_ALIASES = {_norm(header)[0]: f for f, (header, others) in COLUMNS.items()} | {
    _norm(o)[0]: f for f, (_header, others) in COLUMNS.items() for o in others
}


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """Normalised header name → field: the Chinese names, then the template headers in every configured language."""
    found = dict(_ALIASES)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for field_name, (header, _others) in COLUMNS.items():
                found.setdefault(_norm(_(header))[0], field_name)
    return found


@lru_cache(maxsize=1)
def _stages() -> dict[str, str]:
    """Stage name (any configured language, case-folded) or code → code."""
    found = {s.value: s.value for s in Stage}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found |= {str(s.label).casefold(): s.value for s in Stage}
    return found


def stage_of(text: str) -> str | None:
    stages = _stages()
    return stages.get(text) or stages.get(text.casefold())


def build_template(title: str, week: IsoWeek, deadline: dt.datetime, rows: list[TemplateRow]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(_("%(week)s周报") % {"week": week})
    title_fmt = book.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    meta_fmt = book.add_format({"font_color": "#555555"})
    head_fmt = book.add_format(
        {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "vcenter", "align": "center"}
    )
    ref_head_fmt = book.add_format(
        {"bold": True, "bg_color": "#EDEDED", "border": 1, "text_wrap": True, "valign": "vcenter", "align": "center"}
    )
    ref_fmt = book.add_format({"bg_color": "#F2F2F2", "border": 1, "num_format": "#,##0.00", "font_color": "#555555"})
    locked_fmt = book.add_format({"bg_color": "#F2F2F2", "border": 1, "text_wrap": True})
    money_fmt = book.add_format({"border": 1, "num_format": "#,##0.00"})
    text_fmt = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    cell_fmt = book.add_format({"border": 1})
    fields = list(COLUMNS)
    heading = _("%(unit)s %(week)s 重点项目进展周报") % {"unit": title, "week": week.display_label}
    sheet.merge_range(0, 0, 0, len(fields) - 2, heading, title_fmt)
    sheet.set_row(0, 26)
    sheet.write(1, 0, _("周次"), meta_fmt)
    sheet.write(1, 1, str(week), meta_fmt)
    sheet.write(1, 2, _("截止时间：%(deadline)s") % {"deadline": f"{deadline:%Y-%m-%d %H:%M}"}, meta_fmt)
    sheet.write(1, 4, _("金额单位：万元（也可填“1.2亿元”）；灰色列仅供参考，不会导入；未填写的行不导入。"), meta_fmt)
    header_row = 2
    for col, name in enumerate(fields):
        header = _(COLUMNS[name][0])
        required = name in ("investment_year_wan", "investment_total_wan", "progress_text")
        grey = name in ("code", "name", "prev_year", "prev_total", "version")
        sheet.write(header_row, col, header + (" *" if required else ""), ref_head_fmt if grey else head_fmt)
    sheet.set_row(header_row, 36)
    for i, row in enumerate(rows):
        r = header_row + 1 + i
        values: dict[str, Any] = {
            "code": row.code,
            "name": row.name,
            "prev_year": row.prev_year_wan,
            "prev_total": row.prev_total_wan,
            "version": row.version,
            **row.current,
        }
        for col, name in enumerate(fields):
            value = values.get(name)
            if isinstance(value, Decimal):
                value = float(value)
            if name == "stage" and value:
                value = str(Stage(str(value)).label)
            fmt = (
                ref_fmt
                if name in ("prev_year", "prev_total")
                else locked_fmt
                if name in ("code", "name", "version")
                else money_fmt
                if name in MONEY_FIELDS
                else text_fmt
                if name in TEXT_FIELDS
                else cell_fmt
            )
            if value is None or value == "":
                sheet.write_blank(r, col, None, fmt)
            else:
                sheet.write(r, col, value, fmt)
    last = header_row + max(len(rows), 1)
    stage_col = fields.index("stage")
    sheet.data_validation(
        header_row + 1, stage_col, last, stage_col, {"validate": "list", "source": [str(s.label) for s in Stage]}
    )
    pct_col = fields.index("percent_complete")
    sheet.data_validation(
        header_row + 1,
        pct_col,
        last,
        pct_col,
        {
            "validate": "integer",
            "criteria": "between",
            "minimum": 0,
            "maximum": 100,
            "error_message": _("请填写0到100之间的整数"),
        },
    )
    widths = {
        "code": 16,
        "name": 34,
        "progress_text": 30,
        "problems_text": 24,
        "next_week_plan": 24,
        "correction_reason": 18,
    }
    for col, name in enumerate(fields):
        sheet.set_column(col, col, widths.get(name, 14), None, {"hidden": name == "version"})
    sheet.freeze_panes(header_row + 1, 2)
    book.close()
    return out.getvalue()


@dataclass
class SheetRow:
    line: int  # the row number as Excel shows it
    code: str
    name: str
    values: dict[str, Any] = field(default_factory=dict)
    version: int | None = None
    errors: list[str] = field(default_factory=list)
    empty: bool = False


@dataclass
class ParsedSheet:
    week: IsoWeek | None
    rows: list[SheetRow]


class SheetError(ValueError):
    """The file as a whole cannot be read (not a spreadsheet, no header row)."""


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(data: bytes) -> list[list[Any]]:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return list(book.get_sheet_by_index(0).to_python(skip_empty_area=False))
    except (CalamineError, ValueError, OSError, IndexError) as exc:
        raise SheetError(_("无法读取该文件，请上传 .xlsx 或 .xls 格式的周报表格。")) from exc
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types for every kind of broken file
        raise SheetError(_("无法读取该文件，请上传 .xlsx 或 .xls 格式的周报表格。")) from exc


def parse_week_sheet(data: bytes) -> ParsedSheet:
    table = read_sheet(data)
    header_at = None
    columns: dict[int, tuple[str, str | None]] = {}
    week: IsoWeek | None = None
    aliases = _aliases()
    for index, head in enumerate(table[:15]):
        found = {}
        for col, cell in enumerate(head):
            name, unit = _norm(cell)
            if name in aliases:
                found[col] = (aliases[name], unit)
        if "code" in {f for f, _ in found.values()} and len(found) >= 3:
            header_at, columns = index, found
            break
        for cell in head:
            match = _WEEK_IN_TEXT.search(str(cell or ""))
            if match and week is None:
                try:
                    week = IsoWeek.parse(f"{match.group(1)}-W{match.group(2)}")
                except WeekError:
                    pass
    if header_at is None:
        raise SheetError(_("未找到表头：表格中应有“项目编号”“本年完成投资”“形象进度”等列。"))
    present = {f for f, _unit in columns.values()}
    required = ("investment_year_wan", "investment_total_wan", "progress_text")
    missing = [_(LABELS[f]) for f in required if f not in present]
    if missing:
        raise SheetError(_("表格缺少必填列：%(columns)s。") % {"columns": join_list(missing)})
    rows: list[SheetRow] = []
    for offset, raw in enumerate(table[header_at + 1 :]):
        line = header_at + 2 + offset
        cells = {f: (raw[c] if c < len(raw) else None, unit) for c, (f, unit) in columns.items()}
        row = SheetRow(
            line=line,
            code=_cell_text(cells.get("code", (None, None))[0]),
            name=_cell_text(cells.get("name", (None, None))[0]),
        )
        if all(_cell_text(cells.get(f, (None, None))[0]) == "" for f in INPUT_FIELDS):
            row.empty = True
            if row.code or row.name:
                rows.append(row)
            continue
        if not row.code:
            row.errors.append(_("缺少项目编号"))
        _read_values(row, cells)
        rows.append(row)
    return ParsedSheet(week=week, rows=rows)


def _read_values(row: SheetRow, cells: dict[str, tuple[Any, str | None]]) -> None:
    for name in MONEY_FIELDS:
        value, unit = cells.get(name, (None, None))
        if _cell_text(value) == "":
            row.values[name] = None
            continue
        unit = _UNIT_NAMES.get((unit or "").casefold(), unit)
        try:
            row.values[name] = parse_money_wan(value, default_unit=unit if unit in UNIT_FACTORS_WAN else "万元")
        except MoneyError as exc:
            row.errors.append(_("“%(column)s”无法识别的金额：%(reason)s") % {"column": _(LABELS[name]), "reason": exc})
    for name in TEXT_FIELDS:
        row.values[name] = _cell_text(cells.get(name, (None, None))[0])
    stage_text = _cell_text(cells.get("stage", (None, None))[0])
    if stage_text:
        stage = stage_of(stage_text)
        if stage is not None:
            row.values["stage"] = stage
        else:
            row.errors.append(
                _("“所处阶段”应为%(choices)s之一，而不是“%(value)s”")
                % {"choices": join_list(s.label for s in Stage), "value": stage_text}
            )
    percent = cells.get("percent_complete", (None, None))[0]
    if _cell_text(percent) != "":
        row.values["percent_complete"] = _percent(percent, row)
    version = _cell_text(cells.get("version", (None, None))[0])
    if version:
        try:
            row.version = int(version)
        except ValueError:
            row.errors.append(_("“数据版本”列被修改，请重新下载模板"))


def _percent(value: Any, row: SheetRow) -> int | None:
    if isinstance(value, float) and 0 < value < 1:
        value *= 100  # a cell formatted as a percentage arrives as a fraction
    text = _cell_text(value).rstrip("%％")
    try:
        number = Decimal(text)
    except ArithmeticError:
        row.errors.append(_("“完成百分比”应为0到100之间的数字，而不是“%(value)s”") % {"value": _cell_text(value)})
        return None
    if not 0 <= number <= 100:
        row.errors.append(_("“完成百分比”应在0到100之间，而不是%(value)s") % {"value": text})
        return None
    return int(number.to_integral_value())
