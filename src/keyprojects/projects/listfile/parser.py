"""Turn a key-project list (the rows of one sheet) into project rows, with row-level errors and warnings. Pure.

Rows below the header are classified one by one:

* blank rows, repeated header rows and notes ("备注：…") are skipped;
* 合计 / 小计 rows are skipped and checked: a 小计 against the rows since the section heading (or the previous 小计),
  a 合计 against every project row of the sheet, wherever it stands (some lists put it right under the header);
* section headings ("一、高端装备（12个）", "（一）新开工项目（18个）") set the industry or the category of the
  rows under them, and their count is checked;
* every other row with a project name is a project row. Its cells are parsed; a cell that cannot be read gives an
  error naming the row (as Excel numbers it), the column and the reason, and the row is not imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from keyprojects.core.i18n import gettext as _
from keyprojects.core.money import UNIT_FACTORS_WAN
from keyprojects.projects.listfile.errors import Issue, ListFileError, Severity
from keyprojects.projects.listfile.headers import (
    FIELD_LABELS,
    Column,
    HeaderLayout,
    detect_header,
    match_field,
    row_fields,
)
from keyprojects.projects.listfile.readers import MAX_COLUMNS, MAX_FILE_BYTES, SheetData, open_workbook
from keyprojects.projects.listfile.values import (
    CellValue,
    SectionHeading,
    cell_text,
    is_error_value,
    parse_money_cell,
    parse_section,
    parse_total_label,
    parse_years,
    unit_note,
)
from keyprojects.regions.divisions import Division
from keyprojects.regions.gazetteer import Gazetteer, Resolution, gazetteer

__all__ = ["CONTRACT_KEYS", "ParseOptions", "ParseResult", "ParsedRow", "parse_list", "parse_list_file", "peek_rows"]

# The keys of `keyprojects import --json`, in this order (../shared/data/README.md, plus the region code).
CONTRACT_KEYS = ("name", "owner", "region_name", "region_code", "total_investment_wan", "annual_plan_wan", "start_year",
                 "end_year", "category", "industry", "level", "scope")
_TEXT_FIELDS = ("owner", "scope", "category", "industry", "level", "leader", "unit", "address", "code", "national_code")
_PROJECT_CONTENT_FIELDS = ("owner", "address", "region", "years", "start_year", "end_year", "scope", "category",
                           "level", "industry", "national_code", "code")
_NOTE_RE = re.compile(r"^(?:备\s*注|注\s*[:：0-9一二三四五六七八九十、.]|说\s*明\s*[:：]|附注|填报单位|填报人|"
                      r"制表|审核|联系人|联系电话|数据来源|资料来源)")
_TITLE_YEAR_RE = re.compile(r"(20\d{2})\s*年")
PROGRESS_EVERY = 200


@dataclass
class ParsedRow:
    """One project row of the list. ``issues`` holds its errors (row not importable) and warnings."""

    row: int  # 1-based, as Excel numbers it
    name: str
    owner: str | None = None
    region_name: str | None = None
    region_code: str | None = None
    total_investment_wan: Decimal | None = None
    annual_plan_wan: Decimal | None = None
    start_year: int | None = None
    end_year: int | None = None
    category: str | None = None
    industry: str | None = None
    level: str | None = None
    scope: str | None = None
    # Outside the JSON contract, used by the import:
    code: str | None = None
    national_code: str | None = None
    address: str | None = None
    leader: str | None = None
    unit: str | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(issue.is_error for issue in self.issues)

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.is_error]

    def contract(self) -> dict[str, object]:
        """The row as `--json` prints it, keys in contract order."""
        return {key: getattr(self, key) for key in CONTRACT_KEYS}


@dataclass(frozen=True)
class ParseOptions:
    mapping: Mapping[str, str] = field(default_factory=dict)  # header label or column letter → field key ("" ignores)
    year: int | None = None  # the plan year of 年度计划投资, when the header does not say
    within: str | None = None  # region code: resolve places inside this subtree only
    sheet: str | None = None  # sheet name; default: the first visible sheet with a header
    header_row: int | None = None  # 1-based row of the header, when detection cannot find it
    progress: Callable[[int, int], None] | None = None  # (rows done, rows in total)


@dataclass
class ParseResult:
    format: str
    sheet_name: str
    title: str | None
    header_rows: tuple[int, ...]  # 1-based
    columns: tuple[Column, ...]
    plan_year: int | None
    rows: list[ParsedRow]
    issues: list[Issue]  # about the file or about 合计/小计/section rows; row issues are on the rows

    @property
    def good_rows(self) -> list[ParsedRow]:
        return [r for r in self.rows if r.ok]

    @property
    def bad_rows(self) -> list[ParsedRow]:
        return [r for r in self.rows if not r.ok]

    def all_issues(self) -> list[Issue]:
        """File issues first, then every row's issues, in row order."""
        row_issues = [issue for r in self.rows for issue in r.issues]
        return sorted(self.issues + row_issues,
                      key=lambda i: (i.row is not None, i.row or 0, len(i.column_letter or ""), i.column_letter or ""))

    @property
    def error_count(self) -> int:
        return sum(1 for i in self.all_issues() if i.is_error)


def parse_list_file(path: str | Path, options: ParseOptions | None = None) -> ParseResult:
    """Read and parse the list at ``path``; the file size is checked before it is read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ListFileError(_("文件过大（%(size).1fMB），上限为%(limit)sMB")
                                    % {"size": size / 1024 / 1024, "limit": MAX_FILE_BYTES // 1024 // 1024})
        data = path.read_bytes()
    except OSError as exc:
        raise ListFileError(_("无法读取文件“%(name)s”：%(reason)s")
                            % {"name": path.name, "reason": exc.strerror or exc}) from exc
    return parse_list(data, path.name, options)


def parse_list(data: bytes, filename: str = "", options: ParseOptions | None = None) -> ParseResult:
    """Parse a key-project list given as bytes. Raises :class:`ListFileError` when the file cannot be used at all."""
    options = options or ParseOptions()
    workbook = open_workbook(data, filename)
    positions = list(range(len(workbook.sheet_names)))
    if options.sheet is not None:
        if options.sheet not in workbook.sheet_names:
            raise ListFileError(_("文件中没有名为“%(sheet)s”的工作表") % {"sheet": options.sheet})
        positions = [workbook.sheet_names.index(options.sheet)]
    empty = True
    for position in positions:
        sheet = workbook.sheet(position)
        empty = empty and not sheet.rows
        layout = detect_header(sheet.rows, sheet.merged, options.mapping, options.header_row)
        if layout is not None:
            return _SheetParser(workbook.format, sheet, layout, options).parse()
    if empty:
        raise ListFileError(_("文件中没有任何内容") if len(positions) == 1 else _("文件的工作表都是空的"))
    if options.header_row is not None:
        raise ListFileError(_("第%(row)s行是空行，不能作为表头") % {"row": options.header_row})
    raise ListFileError(_("未找到表头：前30行中没有同时写有“项目名称”和建设单位、建设地点、总投资等列名的行；"
                          "请检查是否为重点项目名单，或在导入页面指定各列的含义"))


def peek_rows(data: bytes, filename: str = "", limit: int = 15,
              sheet: str | None = None) -> list[tuple[int, list[str]]]:
    """The first non-blank rows of a sheet as text, (1-based row, cells), to let the user point at the header."""
    workbook = open_workbook(data, filename)
    position = workbook.sheet_names.index(sheet) if sheet in workbook.sheet_names else 0
    rows = workbook.sheet(position).rows[:limit]
    return [(number + 1, [cell_text(v) or "" for v in cells]) for number, cells in rows]


@dataclass
class _Section:
    heading: SectionHeading
    row: int  # 1-based
    label: str
    start: int  # index into the project rows
    declared: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)  # field → (value, tolerance)


@dataclass
class _Total:
    row: int
    label: str
    kind: str
    count: int | None
    start: int
    end: int | None  # None: all rows (合计), resolved at the end
    declared: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)


class _SheetParser:
    def __init__(self, fmt: str, sheet: SheetData, layout: HeaderLayout, options: ParseOptions) -> None:
        self.fmt = fmt
        self.sheet = sheet
        self.layout = layout
        self.options = options
        self.gazetteer: Gazetteer = gazetteer()
        self.columns: dict[str, Column] = {c.field: c for c in layout.columns if c.field}
        self.issues: list[Issue] = []
        self.rows: list[ParsedRow] = []
        self.sections: list[_Section] = []
        self.totals: list[_Total] = []
        self.last_subtotal_end = 0
        self.seen: dict[tuple[str, ...], int] = {}
        self.warned_bare_unit: set[str] = set()
        self.note_unit: str | None = None
        self.title: str | None = None
        self.default_region: Division | None = None

    # -- setup ------------------------------------------------------------------------------------------------------
    def parse(self) -> ParseResult:
        if "name" not in self.columns:
            raise ListFileError(_("表头中没有“项目名称”列；请指定哪一列是项目名称"))
        above = self.sheet.rows[: self.layout.first_row]
        for _row, cells in above:
            for value in cells:
                text = cell_text(value)
                if text and self.note_unit is None:
                    self.note_unit = unit_note(text)
                if text and self.title is None and unit_note(text) is None:
                    self.title = text
        self._check_location_columns()
        plan_year = self._plan_year()
        if self.sheet.ignored_columns:
            self.issues.append(Issue(Severity.WARNING, _("第%(count)s列之后的内容已忽略") % {"count": MAX_COLUMNS}))
        body = self.sheet.rows[self.layout.last_row + 1:]
        total_rows = len(body)
        for done, (sheet_row, cells) in enumerate(body, start=1):
            self._row(sheet_row + 1, cells)
            if self.options.progress and done % PROGRESS_EVERY == 0:
                self.options.progress(done, total_rows)
        self._close_sections(level=0)
        self._check_totals()
        if self.options.progress:
            self.options.progress(total_rows, total_rows)
        header_rows = tuple(self.sheet.rows[i][0] + 1 for i in range(self.layout.first_row, self.layout.last_row + 1))
        return ParseResult(self.fmt, self.sheet.name, self.title, header_rows, self.layout.columns, plan_year,
                           self.rows, self.issues)

    def _check_location_columns(self) -> None:
        if any(f in self.columns for f in ("region", "address", "region_code")):
            return
        scope = self.gazetteer.by_code(self.options.within) if self.options.within else None
        if scope is None or scope.level == "province":
            raise ListFileError(_("表头中没有“建设地点”“所在县市区”或“区划代码”列，无法确定项目所属区县"))
        self.default_region = scope

    def _plan_year(self) -> int | None:
        header_year = self.layout.plan_year
        if header_year and self.options.year and header_year != self.options.year:
            column = self.columns["annual_plan"]
            raise ListFileError(_("表头“%(label)s”是%(header_year)s年的计划，与指定的年度%(year)s不一致")
                                % {"label": column.short_label, "header_year": header_year, "year": self.options.year})
        title_year = None
        if self.title:
            match = _TITLE_YEAR_RE.search(self.title)
            title_year = int(match.group(1)) if match else None
        return header_year or self.options.year or title_year

    # -- rows -------------------------------------------------------------------------------------------------------
    def _get(self, cells: Sequence[CellValue], field_key: str) -> CellValue:
        column = self.columns.get(field_key)
        if column is None or column.index >= len(cells):
            return None
        return cells[column.index]

    def _row(self, row: int, cells: list[CellValue]) -> None:
        name_column = self.columns["name"]
        first_index, first_text = next(
            ((i, t) for i, v in enumerate(cells) if (t := cell_text(v)) is not None), (0, None))
        if first_text is None:
            return
        name = cell_text(self._get(cells, "name"))
        leading = first_text if first_index <= name_column.index else None
        if leading is not None:
            total = parse_total_label(leading)
            if total is not None:
                self._total_row(row, cells, leading, total.kind, total.count)
                return
            if _NOTE_RE.match(leading) and name in (None, leading):
                return
        if self._is_repeated_header(cells):
            return
        if leading is not None:
            heading = parse_section(leading)
            if heading is not None and not self._has_project_content(cells):
                self._section_row(row, cells, leading, heading)
                return
        if name is None:
            if self._has_project_content(cells) or self._get(cells, "total_investment") is not None:
                self.rows.append(ParsedRow(row=row, name="", issues=[
                    Issue(Severity.ERROR, _("项目名称为空"), row, name_column.short_label, name_column.letter)]))
            else:
                self.issues.append(Issue(Severity.WARNING,
                                         _("无法识别的行“%(text)s”，已跳过") % {"text": first_text[:30]}, row))
            return
        self.rows.append(self._project_row(row, cells, name))

    def _has_project_content(self, cells: Sequence[CellValue]) -> bool:
        return any(cell_text(self._get(cells, f)) is not None for f in _PROJECT_CONTENT_FIELDS)

    def _is_repeated_header(self, cells: Sequence[CellValue]) -> bool:
        name_text = cell_text(self._get(cells, "name"))
        return (name_text is not None and match_field(name_text, None)[0] == "name"
                and len(set(row_fields(cells))) >= 3)

    def _declared(self, cells: Sequence[CellValue], row: int, label: str) -> dict[str, tuple[Decimal, Decimal]]:
        declared = {}
        for field_key in ("total_investment", "annual_plan"):
            value = self._get(cells, field_key)
            column = self.columns.get(field_key)
            if value is None or column is None:
                continue
            try:
                amount = parse_money_cell(value, self._unit(column))
            except ValueError as exc:
                self.issues.append(Issue(Severity.WARNING,
                                         _("“%(label)s”的金额无法读取，未核对：%(reason)s")
                                         % {"label": label, "reason": exc},
                                         row, column.short_label, column.letter))
                continue
            if amount is not None:
                declared[field_key] = (amount, _tolerance(value, self._unit(column)))
        return declared

    def _total_row(self, row: int, cells: Sequence[CellValue], label: str, kind: str, count: int | None) -> None:
        declared = self._declared(cells, row, label)
        if kind == "小计":
            start = max(self.last_subtotal_end, self.sections[-1].start if self.sections else 0)
            self.totals.append(_Total(row, label, kind, count, start, len(self.rows), declared))
            self.last_subtotal_end = len(self.rows)
        else:
            self.totals.append(_Total(row, label, kind, count, 0, None, declared))

    def _section_row(self, row: int, cells: Sequence[CellValue], label: str, heading: SectionHeading) -> None:
        self._close_sections(heading.level)
        self.sections.append(_Section(heading, row, label, len(self.rows), self._declared(cells, row, label)))

    def _close_sections(self, level: int) -> None:
        while self.sections and self.sections[-1].heading.level >= level:
            section = self.sections.pop()
            rows = self.rows[section.start:]
            count = section.heading.count
            if count is not None and count != len(rows):
                self.issues.append(Issue(
                    Severity.WARNING, _("“%(label)s”标明%(declared)s个项目，其下实际有%(actual)s个")
                    % {"label": section.label, "declared": count, "actual": len(rows)}, section.row))
            self._check_sums(section.row, section.label, rows, section.declared)

    def _check_totals(self) -> None:
        for total in self.totals:
            rows = self.rows[total.start:total.end] if total.end is not None else self.rows
            if total.count is not None and total.count != len(rows):
                self.issues.append(Issue(
                    Severity.WARNING, _("“%(label)s”标明%(declared)s个项目，实际有%(actual)s个")
                    % {"label": total.label, "declared": total.count, "actual": len(rows)}, total.row))
            self._check_sums(total.row, total.label, rows, total.declared)

    def _check_sums(self, row: int, label: str, rows: Sequence[ParsedRow],
                    declared: Mapping[str, tuple[Decimal, Decimal]]) -> None:
        for field_key, (amount, tolerance) in declared.items():
            column = self.columns[field_key]
            attribute = "total_investment_wan" if field_key == "total_investment" else "annual_plan_wan"
            if any(issue.column == column.short_label and issue.is_error for r in rows for issue in r.issues):
                continue  # an unreadable amount makes the sum meaningless; the row error says why
            actual = sum((getattr(r, attribute) or Decimal(0) for r in rows), Decimal(0))
            if abs(actual - amount) > tolerance:
                self.issues.append(Issue(
                    Severity.WARNING,
                    _("“%(label)s”的%(field)s为%(declared)s万元，与所列%(count)s个项目之和%(actual)s万元不符"
                      "（相差%(difference)s万元）")
                    % {"label": label, "field": _(FIELD_LABELS[field_key]), "declared": _wan(amount),
                       "count": len(rows), "actual": _wan(actual), "difference": _wan(actual - amount)},
                    row, column.short_label, column.letter))

    def _unit(self, column: Column) -> str | None:
        return column.unit or self.note_unit

    # -- one project row --------------------------------------------------------------------------------------------
    def _project_row(self, row: int, cells: Sequence[CellValue], name: str) -> ParsedRow:
        parsed = ParsedRow(row=row, name=name)
        width = len(cells)
        texts = {f: cell_text(cells[c.index]) if c.index < width else None for f, c in self.columns.items()}
        for field_key in _TEXT_FIELDS:
            setattr(parsed, field_key, texts.get(field_key))

        def error(field_key: str, message: str, severity: Severity = Severity.ERROR) -> None:
            column = self.columns.get(field_key)
            parsed.issues.append(Issue(severity, message, row, column.short_label if column else None,
                                       column.letter if column else None))

        for field_key in ("name", "region", "region_code", *_TEXT_FIELDS):
            text = texts.get(field_key)
            if text is not None and text.startswith("#") and is_error_value(text):
                error(field_key, _("单元格是公式错误值%(value)s，请在Excel或WPS中修正公式后再导入") % {"value": text})

        for field_key, attribute in (("total_investment", "total_investment_wan"), ("annual_plan", "annual_plan_wan")):
            column = self.columns.get(field_key)
            if column is None:
                continue
            value = self._get(cells, field_key)
            try:
                setattr(parsed, attribute, parse_money_cell(value, self._unit(column)))
            except ValueError as exc:
                error(field_key, str(exc))
                continue
            if value is not None and self._unit(column) is None and not _has_unit(value) \
                    and field_key not in self.warned_bare_unit:
                self.warned_bare_unit.add(field_key)
                self.issues.append(Issue(Severity.WARNING, _("该列和表头都未注明金额单位，按万元计"), row,
                                         column.short_label, column.letter))
        self._years(parsed, cells, error)
        section_category = next((s.heading.title for s in reversed(self.sections) if s.heading.is_category), None)
        section_industry = next((s.heading.title for s in reversed(self.sections) if not s.heading.is_category), None)
        parsed.category = parsed.category or section_category
        parsed.industry = parsed.industry or section_industry
        self._region(parsed, texts, error)
        if (parsed.total_investment_wan is not None and parsed.annual_plan_wan is not None
                and parsed.annual_plan_wan > parsed.total_investment_wan):
            error("annual_plan", _("年度计划投资大于总投资"), Severity.WARNING)
        key = ("code", parsed.national_code) if parsed.national_code else (
            ("code", parsed.code) if parsed.code else ("name", name, parsed.region_code or ""))
        if parsed.ok and key in self.seen:
            error("national_code" if parsed.national_code else "name",
                  _("与第%(row)s行是同一个项目（重复）") % {"row": self.seen[key]})
        elif parsed.ok:
            self.seen[key] = row
        return parsed

    def _years(self, parsed: ParsedRow, cells: Sequence[CellValue], error: Callable[..., None]) -> None:
        if "years" in self.columns:
            try:
                parsed.start_year, parsed.end_year = parse_years(self._get(cells, "years"))
            except ValueError as exc:
                error("years", str(exc))
        for field_key in ("start_year", "end_year"):
            if field_key in self.columns:
                try:
                    start, end = parse_years(self._get(cells, field_key))
                except ValueError as exc:
                    error(field_key, str(exc))
                    continue
                year = start if start is not None else end
                if year is not None:
                    setattr(parsed, field_key, year)
        if parsed.start_year and parsed.end_year and parsed.end_year < parsed.start_year:
            error("years" if "years" in self.columns else "end_year", _("结束年份早于开始年份"))

    def _region(self, parsed: ParsedRow, texts: Mapping[str, str | None], error: Callable[..., None]) -> None:
        division: Division | None = None
        code_text = texts.get("region_code")
        region_text = texts.get("region")
        within = self.options.within
        if code_text:
            division = self.gazetteer.by_code(code_text.upper())
            if division is None or division.level in ("town", "province"):
                error("region_code", _("区划代码“%(code)s”不是山东省的市、县（市、区）或功能区") % {"code": code_text})
                return
            if within and not self.gazetteer.is_within(division, within):
                error("region_code", _("区划代码“%(code)s”（%(name)s）不在导入范围内")
                      % {"code": code_text, "name": division.name})
                return
        elif region_text or parsed.address:
            division = self._resolve_places(region_text, parsed.address, error)
            if division is None:
                return
        elif self.default_region is not None:
            division = self.default_region
        else:
            field_key = "region" if "region" in self.columns else "address"
            error(field_key, _("未填写建设地点，无法确定所属区县"))
            return
        parsed.region_name, parsed.region_code = division.name, division.code

    def _resolve_places(self, region_text: str | None, address: str | None,
                        error: Callable[..., None]) -> Division | None:
        within = self.options.within
        by_region: Resolution | None = self.gazetteer.resolve(region_text, within) if region_text else None
        by_address: Resolution | None = self.gazetteer.resolve(address, within) if address else None
        if by_region is not None and by_region.division is not None:
            found = by_region.division
            deeper = by_address.division if by_address is not None else None
            if deeper is not None and deeper != found and found.code:
                if self.gazetteer.is_within(deeper, found.code):
                    return deeper  # 所在县市区 says 潍坊市, 建设地点 names the district
                if not (deeper.code and self.gazetteer.is_within(found, deeper.code)):
                    error("region", _("所在县市区“%(region)s”与建设地点“%(address)s”不一致")
                          % {"region": region_text, "address": address})
                    return None
            return found
        if by_region is not None:
            if by_address is not None and by_address.division is not None and (
                    not by_region.candidates or by_address.division in by_region.candidates):
                return by_address.division
            error("region", by_region.error or _("无法识别所属区县"))
            return None
        assert by_address is not None
        if by_address.division is None:
            error("address", by_address.error or _("无法识别所属区县"))
        return by_address.division


def _has_unit(value: CellValue) -> bool:
    return isinstance(value, str) and any(unit in value for unit in UNIT_FACTORS_WAN)


def _tolerance(value: CellValue, unit: str | None) -> Decimal:
    """Half a unit of the last digit shown in a 合计 cell (757.67亿元 → 0.005亿元 = 50万元): totals typed from
    rounded figures must not raise false alarms, and exact totals still match exactly."""
    text = cell_text(value) or ""
    for candidate in sorted(UNIT_FACTORS_WAN, key=len, reverse=True):
        if text.endswith(candidate):
            unit, text = candidate, text[: -len(candidate)]
            break
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return Decimal(5).scaleb(-(decimals + 1)) * UNIT_FACTORS_WAN[unit or "万元"]


def _wan(amount: Decimal) -> str:
    text = format(amount.normalize(), "f")
    return text
