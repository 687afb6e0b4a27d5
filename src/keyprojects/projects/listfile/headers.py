"""Find the header of a key-project list and map its columns to fields. Pure.

Headers are matched by synonyms, insensitive to case, spaces, line breaks and full-/half-width forms. Units written
in a header ("总投资（亿元）") or on a parent cell merged over two columns ("投资（亿元）" over 总投资 and
2024年计划投资) are kept per column. A two-row header is recognised when the row under the header row names
further fields and has no project name of its own. The user may correct the mapping by header label or column letter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from keyprojects.core.i18n import gettext as _
from keyprojects.core.i18n import gettext_noop
from keyprojects.projects.listfile.values import CellValue, cell_text, find_unit

__all__ = [
    "FIELD_LABELS",
    "FIELDS",
    "Column",
    "HeaderLayout",
    "apply_mapping",
    "column_letter",
    "detect_header",
    "match_field",
    "normalise_label",
    "row_fields",
]

# Field keys, in the order the export writes them, with the label the UI shows (in Chinese: show it through gettext).
FIELD_LABELS: dict[str, str] = {
    "seq": gettext_noop("序号"),
    "code": gettext_noop("项目编号"),
    "national_code": gettext_noop("全国投资项目代码"),
    "name": gettext_noop("项目名称"),
    "owner": gettext_noop("建设单位"),
    "region": gettext_noop("所在县市区"),
    "region_code": gettext_noop("区划代码"),
    "address": gettext_noop("建设地点"),
    "scope": gettext_noop("建设内容及规模"),
    "years": gettext_noop("建设起止年限"),
    "start_year": gettext_noop("开始年份"),
    "end_year": gettext_noop("结束年份"),
    "total_investment": gettext_noop("总投资"),
    "annual_plan": gettext_noop("年度计划投资"),
    "category": gettext_noop("项目类型"),
    "industry": gettext_noop("产业领域"),
    "level": gettext_noop("项目级别"),
    "leader": gettext_noop("包靠领导"),
    "unit": gettext_noop("责任单位"),
    "remark": gettext_noop("备注"),
}
FIELDS = tuple(FIELD_LABELS)
MONEY_FIELDS = frozenset({"total_investment", "annual_plan"})

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "排序", "序", "no", "no."),
    "code": ("项目编号", "平台项目编号", "项目序列号"),
    "national_code": ("全国投资项目代码", "项目代码", "国家项目代码", "统一项目代码", "投资项目代码", "项目统一代码",
                      "审批监管平台代码", "在线审批监管平台项目代码", "赋码"),
    "name": ("项目名称", "项目名", "名称", "项目", "建设项目名称", "项目全称"),
    "owner": ("建设单位", "项目单位", "业主单位", "项目建设单位", "项目业主", "业主", "实施单位", "项目实施单位",
              "建设主体", "项目法人", "项目法人单位", "投资主体", "承建单位", "申报单位"),
    "region": ("所在县市区", "所在县市区域", "所属县市区", "县市区", "所在区县", "所属区县", "区县", "所在县区",
               "所属县区", "县区", "所在县", "所在区", "所属区域", "所在区域", "区域", "属地", "所在地区", "地区",
               "行政区划",
               "所在县市区功能区", "县市区功能区", "所属县市区功能区"),
    "region_code": ("区划代码", "行政区划代码", "地区代码", "区域代码"),
    "address": ("建设地点", "所在地", "项目地点", "建设地址", "项目所在地", "地点", "项目地址", "建设位置", "项目位置",
                "选址", "项目选址", "所在位置"),
    "scope": ("建设内容及规模", "建设规模及内容", "建设内容", "建设规模", "主要建设内容", "建设内容和规模",
              "建设规模和内容", "主要建设内容及规模", "主要建设规模及内容", "建设内容与规模", "项目内容",
              "项目建设内容", "建设性质及主要内容"),
    "years": ("建设起止年限", "建设年限", "起止年限", "建设期限", "建设周期", "起止年份", "建设起止年份",
              "建设起止时间", "起止时间", "建设工期", "工期", "建设期"),
    "start_year": ("开始年份", "开工年份", "起始年份", "计划开工年份"),
    "end_year": ("结束年份", "竣工年份", "完工年份", "计划竣工年份"),
    "total_investment": ("总投资", "计划总投资", "项目总投资", "估算总投资", "总投资额", "投资总额", "概算总投资",
                         "计划总投资额", "总投资规模"),
    "annual_plan": ("年度计划投资", "年度计划", "本年计划投资", "年度投资计划", "年计划投资", "本年度计划投资",
                    "年度计划投资额", "当年计划投资", "年度投资", "计划年度投资"),
    "category": ("项目类型", "建设性质", "项目性质", "建设类型", "类型", "项目类别", "类别", "项目状态"),
    "industry": ("产业领域", "行业", "所属行业", "产业类别", "产业类型", "行业类别", "领域", "所属产业", "行业领域",
                 "产业", "所属领域", "行业分类", "产业分类"),
    "level": ("项目级别", "级别", "项目层级", "层级", "重点级别"),
    "leader": ("包靠领导", "包挂领导", "责任领导", "联系领导", "分包领导", "帮包领导", "包保领导", "包靠市级领导",
               "包靠县级领导", "牵头领导", "分管领导"),
    "unit": ("责任单位", "牵头单位", "包靠单位", "主责单位", "责任部门", "牵头部门", "推进责任单位", "服务专班",
             "责任主体单位"),
    "remark": ("备注", "说明", "附注"),
}
# "2024年计划投资", "2024年度计划投资", "2024年投资计划" …
_ANNUAL_YEAR_RE = re.compile(r"^(\d{4})年(?:度)?(?:计划)?(?:完成)?投资(?:计划)?(?:额)?$")
_BRACKETS_RE = re.compile(r"[(\[【][^)\]】]*[)\]】]")
_PUNCTUATION_RE = re.compile(r"[\s()\[\]【】、,，;；:：*★※/\\\-—_\"'“”‘’·.。]")

_BARE_UNITS = frozenset({"万元", "亿元", "元", "千万元", "百万元", "万", "亿"})

MAX_HEADER_SEARCH_ROWS = 30
MIN_HEADER_FIELDS = 3

_SYNONYM_INDEX: dict[str, str] = {}


def normalise_label(text: str) -> str:
    """Compare-form of a header: NFKC, lower case, no spaces, punctuation or line breaks."""
    return _PUNCTUATION_RE.sub("", unicodedata.normalize("NFKC", text).lower())


def _build_index() -> None:
    for field_key, synonyms in _SYNONYMS.items():
        for synonym in synonyms:
            _SYNONYM_INDEX.setdefault(normalise_label(synonym), field_key)


_build_index()


def match_field(label: str, extra: Mapping[str, str] | None = None) -> tuple[str | None, int | None]:
    """The field a header label names, and the plan year when the label carries one ("2024年计划投资" → 2024).

    ``extra`` maps normalised labels to fields (a mapping the user saved); it is consulted first.
    """
    text = unicodedata.normalize("NFKC", label)
    for candidate in (text, _BRACKETS_RE.sub("", text)):
        key = normalise_label(candidate)
        if not key:
            continue
        if extra and key in extra:
            return extra[key] or None, None
        if key in _SYNONYM_INDEX:
            return _SYNONYM_INDEX[key], None
        year_match = _ANNUAL_YEAR_RE.match(key)
        if year_match:
            return "annual_plan", int(year_match.group(1))
    return None, None


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True)
class Column:
    index: int  # 0-based
    label: str  # as written; "投资（亿元）/总投资" for a column under a parent header
    field: str | None
    unit: str | None  # money unit from the column's own header or its parent's
    year: int | None = None  # plan year written in the header

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def short_label(self) -> str:
        return self.label.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class HeaderLayout:
    first_row: int  # position in the row list of the (first) header row
    last_row: int  # position of the last header row (same as first for a one-row header)
    columns: tuple[Column, ...]

    def column_for(self, field_key: str) -> Column | None:
        return next((c for c in self.columns if c.field == field_key), None)

    @property
    def plan_year(self) -> int | None:
        column = self.column_for("annual_plan")
        return column.year if column else None


Row = Sequence[CellValue]
MergedRange = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based, inclusive)


def row_fields(row: Row, extra: Mapping[str, str] | None = None) -> list[str]:
    """The fields that the cells of ``row`` name, in column order (a header row names several)."""
    found = []
    for value in row:
        text = cell_text(value)
        if text and len(text) <= 40:
            field_key, _year = match_field(text, extra)
            if field_key:
                found.append(field_key)
    return found


def detect_header(rows: Sequence[tuple[int, Row]], merged: Sequence[MergedRange] = (),
                  mapping: Mapping[str, str] | None = None, header_row: int | None = None) -> HeaderLayout | None:
    """Find the header among the first rows: the first row naming the project-name column and at least two other
    fields. ``rows`` are (0-based sheet row, cells) pairs of the non-blank rows; ``merged`` the merged ranges;
    ``mapping`` the user's corrections (header label or column letter → field), applied to the result;
    ``header_row`` (1-based, as Excel numbers it) says where the header is when the user knows better."""
    extra = _label_mapping(mapping)
    for position, (sheet_row, cells) in enumerate(rows[:MAX_HEADER_SEARCH_ROWS] if header_row is None else rows):
        if header_row is not None:
            if sheet_row != header_row - 1:
                continue
        else:
            fields = row_fields(cells, extra)
            if "name" not in fields or len(set(fields)) < MIN_HEADER_FIELDS:
                continue
        second: tuple[int, Row] | None = None
        if position + 1 < len(rows) and rows[position + 1][0] == sheet_row + 1:
            second = rows[position + 1]
            if not _is_sub_header(cells, second[1], extra):
                second = None
        columns = _columns(sheet_row, cells, second, merged, extra)
        layout = HeaderLayout(first_row=position, last_row=position + (1 if second else 0), columns=columns)
        return apply_mapping(layout, mapping or {})
    return None


def _label_mapping(mapping: Mapping[str, str] | None) -> dict[str, str]:
    """The label keys of a user mapping, normalised (column-letter keys are applied after detection)."""
    return {normalise_label(k): v for k, v in (mapping or {}).items() if not _is_letter_key(k) and normalise_label(k)}


def _is_letter_key(key: str) -> bool:
    return re.fullmatch(r"[A-Za-z]{1,3}", key.strip()) is not None


def _is_sub_header(top: Row, below: Row, extra: Mapping[str, str]) -> bool:
    """The row under the header continues it when it names a field and leaves the name column blank (merged)."""
    texts = [t for v in below if (t := cell_text(v)) is not None]
    if not row_fields(below, extra) and not (texts and all(_bare_unit(t) for t in texts)):
        return False
    name_index = next((i for i, v in enumerate(top)
                       if cell_text(v) and match_field(cell_text(v) or "", extra)[0] == "name"), None)
    if name_index is None or name_index >= len(below):
        return True
    below_name = cell_text(below[name_index])
    return below_name is None or below_name == cell_text(top[name_index])


def _columns(sheet_row: int, top: Row, second: tuple[int, Row] | None, merged: Sequence[MergedRange],
             extra: Mapping[str, str]) -> tuple[Column, ...]:
    width = max(len(top), len(second[1]) if second else 0)
    columns: list[Column] = []
    for index in range(width):
        top_text = cell_text(top[index]) if index < len(top) else None
        if second is None:
            if top_text is None:
                continue
            field_key, year = match_field(top_text, extra)
            columns.append(Column(index, top_text, field_key, find_unit(top_text) if field_key else None, year))
            continue
        below = second[1]
        below_text = cell_text(below[index]) if index < len(below) else None
        if below_text is None or below_text == top_text:
            # Merged vertically over both rows (or repeated): the top cell is the column's own header.
            if top_text is None:
                continue
            field_key, year = match_field(top_text, extra)
            columns.append(Column(index, top_text, field_key, find_unit(top_text) if field_key else None, year))
            continue
        if top_text is not None and _bare_unit(below_text):
            # "总投资" over "（万元）": the row below only gives the unit.
            field_key, year = match_field(top_text, extra)
            unit = find_unit(top_text) or _bare_unit(below_text)
            columns.append(Column(index, top_text, field_key, unit if field_key else None, year))
            continue
        parent = top_text if top_text is not None else _parent_text(sheet_row, index, top, below, merged)
        field_key, year = match_field(below_text, extra)
        if field_key is None and parent:
            field_key, year = match_field(parent + below_text, extra)
        unit = find_unit(below_text) or find_unit(parent)
        label = f"{parent}/{below_text}" if parent else below_text
        columns.append(Column(index, label, field_key, unit if field_key else None, year))
    return _drop_duplicates(columns)


def _bare_unit(text: str) -> str | None:
    """"万元", "（亿元）", "单位：万元" alone in a cell → the unit; ``None`` for anything else."""
    compact = normalise_label(text).removeprefix("单位")
    return compact if compact in _BARE_UNITS else None


def _drop_duplicates(columns: list[Column]) -> tuple[Column, ...]:
    """The first column of a field wins; a later one with the same field is kept unmapped for the user to correct."""
    seen: set[str] = set()
    result = []
    for column in columns:
        if column.field is not None and column.field in seen:
            column = replace(column, field=None, unit=None)
        elif column.field is not None:
            seen.add(column.field)
        result.append(column)
    return tuple(result)


def _parent_text(sheet_row: int, index: int, top: Row, below: Row, merged: Sequence[MergedRange]) -> str | None:
    """The text of the parent cell over ``index``: from the merged range when known, else the nearest cell to the left
    in the top row whose own column also has a sub-header (a group, not a single column merged vertically)."""
    for first_row, first_col, last_row, last_col in merged:
        if first_row <= sheet_row <= last_row and first_col <= index <= last_col:
            return cell_text(top[first_col]) if first_col < len(top) else None
    if merged:
        return None
    for left in range(index - 1, -1, -1):
        text = cell_text(top[left]) if left < len(top) else None
        if text is not None:
            has_sub = left < len(below) and cell_text(below[left]) is not None
            return text if has_sub else None
    return None


def apply_mapping(layout: HeaderLayout, mapping: Mapping[str, str]) -> HeaderLayout:
    """Correct the detected mapping. Keys are header labels (compared normalised) or column letters ("G"); values are
    field keys, or "" to ignore the column. A field assigned by the user is taken away from any other column."""
    if not mapping:
        return layout
    by_key: dict[str, str] = {}
    for key, value in mapping.items():
        if value and value not in FIELD_LABELS:
            raise ValueError(_("未知字段：%(field)s") % {"field": value})
        by_key[key.strip().upper() if _is_letter_key(key) else normalise_label(key)] = value
    columns = list(layout.columns)
    assigned: dict[int, str] = {}
    for i, column in enumerate(columns):
        for key in (column.letter, normalise_label(column.label), normalise_label(column.short_label)):
            if key in by_key:
                assigned[i] = by_key[key]
                break
    taken = {value for value in assigned.values() if value}
    for i, column in enumerate(columns):
        if i in assigned:
            new_field = assigned[i] or None
            unit = column.unit or (find_unit(column.label) if new_field in MONEY_FIELDS else None)
            columns[i] = replace(column, field=new_field, unit=unit if new_field in MONEY_FIELDS else None)
        elif column.field in taken:
            columns[i] = replace(column, field=None, unit=None)
    return replace(layout, columns=tuple(columns))
