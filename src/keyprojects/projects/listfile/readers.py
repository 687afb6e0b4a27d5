"""Read .xlsx, .xls, .ods and .csv files into rows of cell values, within fixed bounds of time and memory.

The format is recognised from the content, not the file name (offices rename files freely). Spreadsheets are read with
python-calamine, which also reports merged ranges for .xlsx and .xls. CSV is decoded as UTF-8 (with or without BOM),
UTF-16 with BOM, or GB18030 (a superset of GBK), and its delimiter is sniffed.

Guards, each with a message the user can act on:

* size of the upload, and of the unzipped parts of .xlsx/.ods (zip bombs);
* the data area of a sheet, estimated from the XML before calamine expands it into a dense grid: an .ods row repeated a
  million times, or a stray value in cell XFD1048576, would otherwise cost gigabytes;
* formulas saved without their results (files written by scripts) would read as blank cells: refused, with the cells;
* more rows than a list can have, over-long cells (Excel's limit is 32,767 characters), binary or HTML files.

Blank rows are dropped here, so a million empty lines cost time proportional to the file size but no memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from keyprojects.core.i18n import gettext as _
from keyprojects.core.i18n import gettext_noop
from keyprojects.projects.listfile.errors import ListFileError
from keyprojects.projects.listfile.headers import MergedRange, column_letter
from keyprojects.projects.listfile.values import CellValue

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_DENSE_CELLS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "SheetData",
    "WorkbookData",
    "decode_text",
    "open_workbook",
]

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_DENSE_CELLS = 4_000_000  # rows × columns of a sheet's data area
MAX_ROWS = 200_000  # non-blank rows
MAX_COLUMNS = 256  # columns read; anything to the right is ignored
MAX_CELL_CHARS = 32_767
EXCEL_MAX_ROWS = 1_048_576
_CHUNK = 1 << 20

_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class SheetData:
    name: str
    rows: list[tuple[int, list[CellValue]]]  # (0-based sheet row, cells); blank rows are left out
    merged: list[MergedRange] = field(default_factory=list)
    ignored_columns: bool = False  # content beyond MAX_COLUMNS was dropped


@dataclass
class WorkbookData:
    format: str  # xlsx / xls / ods / csv
    sheet_names: list[str]
    _loader: Callable[[int], SheetData]

    def sheet(self, index: int) -> SheetData:
        return self._loader(index)


def open_workbook(data: bytes, filename: str = "") -> WorkbookData:
    """Recognise the format of ``data`` and return a workbook whose sheets load on demand."""
    if not data:
        raise ListFileError(_("文件为空"))
    if len(data) > MAX_FILE_BYTES:
        raise ListFileError(_("文件过大（%(size).1fMB），上限为%(limit)sMB")
                            % {"size": len(data) / 1024 / 1024, "limit": MAX_FILE_BYTES // 1024 // 1024})
    head = data[:2048]
    if head.startswith(b"PK\x03\x04"):
        return _open_zip(data)
    if head.startswith(_OLE2_MAGIC):
        return _open_calamine(data, "xls", guard=None)
    _refuse_known_non_spreadsheets(head, filename)
    return _open_csv(data)


# -- formats recognised only to be refused ---------------------------------------------------------------------------
def _refuse_known_non_spreadsheets(head: bytes, filename: str) -> None:
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"%pdf"):
        raise ListFileError(_("这是PDF文件，不是电子表格；请导入Excel、WPS表格（.xlsx/.xls/.ods）或CSV文件"))
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")):
        raise ListFileError(_("这是图片文件，不是电子表格；请导入Excel、WPS表格（.xlsx/.xls/.ods）或CSV文件"))
    if lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
            lowered.startswith(b"<") and (b"<html" in lowered or b"<table" in lowered)):
        raise ListFileError(_("这是网页（HTML）格式的文件（常见于系统导出的“.xls”），"
                              "请在Excel或WPS中打开并另存为.xlsx后再导入"))
    if lowered.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise ListFileError(_("这是“XML电子表格2003”格式，请在Excel或WPS中打开并另存为.xlsx后再导入"))
    if lowered.startswith((b"{\\rtf", b"\x1f\x8b", b"rar!", b"7z\xbc\xaf")):
        suffix = PurePath(filename).suffix
        if not suffix:
            raise ListFileError(_("该文件不是电子表格；请导入Excel、WPS表格（.xlsx/.xls/.ods）或CSV文件"))
        raise ListFileError(_("%(suffix)s文件不是电子表格；请导入Excel、WPS表格（.xlsx/.xls/.ods）或CSV文件")
                            % {"suffix": suffix})


# -- zip based: xlsx and ods -------------------------------------------------------------------------------------------
def _open_zip(data: bytes) -> WorkbookData:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ListFileError(_("文件已损坏，无法作为Excel（.xlsx）或ODS文件打开")) from exc
    declared = sum(info.file_size for info in archive.infolist())
    if declared > MAX_UNZIPPED_BYTES:
        raise ListFileError(_("文件解压后过大（%(size)sMB），上限为%(limit)sMB")
                            % {"size": declared // 1024 // 1024, "limit": MAX_UNZIPPED_BYTES // 1024 // 1024})
    if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIME:
        if "content.xml" not in names:
            raise ListFileError(_("ODS文件缺少内容（content.xml），文件可能已损坏"))
        with archive.open("content.xml") as stream:
            _guard_ods(stream)
        return _open_calamine(data, "ods", guard=None)
    if "xl/workbook.xml" in names:
        sheet_paths = _xlsx_sheet_paths(archive)

        def guard(index: int) -> ErrorCells:
            if index < len(sheet_paths) and sheet_paths[index] in names:
                with archive.open(sheet_paths[index]) as stream:
                    return _guard_xlsx_sheet(stream)
            return {}

        return _open_calamine(data, "xlsx", guard=guard)
    if "word/document.xml" in names:
        raise ListFileError(_("这是Word文档，不是电子表格；请把表格复制到Excel或WPS表格中保存为.xlsx后再导入"))
    if "ppt/presentation.xml" in names:
        raise ListFileError(_("这是PowerPoint演示文稿，不是电子表格"))
    raise ListFileError(_("这是压缩包，不是电子表格；请解压后导入其中的Excel文件"))


_ATTR_RE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    return {k.split(b":")[-1]: v for k, v in _ATTR_RE.findall(tag)}


def _xlsx_sheet_paths(archive: zipfile.ZipFile) -> list[str]:
    """Paths of the worksheets in workbook order (xl/worksheets/sheet1.xml …), read from workbook.xml and its rels."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return []
    targets: dict[bytes, bytes] = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        attrs = _attrs(tag)
        if b"Id" in attrs and b"Target" in attrs:
            targets[attrs[b"Id"]] = attrs[b"Target"]
    paths = []
    for tag in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", workbook):
        target = targets.get(_attrs(tag).get(b"id", b""), b"").decode("utf-8", "replace")
        paths.append(target.lstrip("/") if target.startswith("/") else f"xl/{target}")
    return paths


def _chunks(stream: IO[bytes], limit: int = MAX_UNZIPPED_BYTES) -> Iterator[bytes]:
    """Decompressed content in chunks cut after a '>' so that no tag is split; refuses more than ``limit`` bytes."""
    carry = b""
    total = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise ListFileError(_("文件解压后过大，上限为%(limit)sMB") % {"limit": limit // 1024 // 1024})
        buffer = carry + chunk
        cut = buffer.rfind(b">") + 1
        if cut == 0 and len(buffer) > 64 * _CHUNK:
            raise ListFileError(_("文件中有超长内容，单元格不能超过%(limit)s个字符") % {"limit": MAX_CELL_CHARS})
        yield buffer[:cut]
        carry = buffer[cut:]
    if carry:
        yield carry


def _too_large(rows: int, columns: int) -> ListFileError:
    return ListFileError(
        _("工作表的数据区域过大（%(rows)s行×%(columns)s列），上限为%(limit)s个单元格；"
          "表格中可能有大量空白行或远处的单元格有内容，请删除多余的行和列后再导入")
        % {"rows": rows, "columns": columns, "limit": MAX_DENSE_CELLS})


# Empty cells (<c r="A5" s="3"/>) carry only formatting, and rows left empty without them (a million formatted blank
# rows) carry nothing: both are dropped at C speed, so that the Python loop below sees only rows with content.
_XLSX_EMPTY_CELL_RE = re.compile(rb"<(?:\w+:)?c(?=[\s/])[^>]*/>")
_XLSX_EMPTY_ROW_RE = re.compile(rb"<(?:\w+:)?row(?=[\s/>])[^>]*?(?:/>|>\s*</(?:\w+:)?row>)")
_XLSX_ROW_RE = re.compile(rb"<(?:\w+:)?row(?=[\s>])([^>]*)>(.*?)</(?:\w+:)?row>", re.DOTALL)
_XLSX_VALUE_RE = re.compile(rb"<(?:\w+:)?(?:v|is)>(?!</)")
_XLSX_FORMULA_CELL_RE = re.compile(
    rb"<(?:\w+:)?c(?=[\s>])([^>]*)>((?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?f(?=[\s/>]).*?)</(?:\w+:)?c>", re.DOTALL)
_XLSX_CELL_START_RE = re.compile(rb"<(?:\w+:)?c(?=[\s>])")
_XLSX_ERROR_CELL_RE = re.compile(
    rb'<(?:\w+:)?c\b([^>]*\bt="e"[^>]*)>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>', re.DOTALL)
MAX_ERROR_CELLS = 10_000
ErrorCells = dict[tuple[int, int], str]  # (0-based row, column) → "#DIV/0!"
_ROW_NUMBER_RE = re.compile(rb'\br="(\d+)"')
_CELL_REF_RE = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_MAX_ROW_BYTES = 64 * _CHUNK


def _column_index(letters: bytes) -> int:
    index = 0
    for byte in letters:
        index = index * 26 + byte - 64
    return index - 1


def _xlsx_rows(stream: IO[bytes]) -> Iterator[tuple[bytes, bytes]]:
    """(attributes, content) of every worksheet row that has a cell with content."""
    carry = b""
    total = 0
    while True:
        chunk = stream.read(_CHUNK)
        total += len(chunk)
        if total > MAX_UNZIPPED_BYTES:
            raise ListFileError(_("文件解压后过大，上限为%(limit)sMB") % {"limit": MAX_UNZIPPED_BYTES // 1024 // 1024})
        buffer = _XLSX_EMPTY_ROW_RE.sub(b"", _XLSX_EMPTY_CELL_RE.sub(b"", carry + chunk))
        end = 0
        for match in _XLSX_ROW_RE.finditer(buffer):
            yield match.group(1), match.group(2)
            end = match.end()
        carry = buffer[end:] if end else buffer
        if len(carry) > _MAX_ROW_BYTES:
            raise ListFileError(_("文件中有超长内容，单元格不能超过%(limit)s个字符") % {"limit": MAX_CELL_CHARS})
        if not chunk:
            return


def _guard_xlsx_sheet(stream: IO[bytes]) -> ErrorCells:
    """Estimate the data area of a worksheet and find formulas saved without results, before calamine reads it.

    Returns the cells holding an error value (#DIV/0! …): calamine reads them as blank, which would hide them.
    """
    row = 0
    max_row = max_column = 0
    missing: list[str] = []
    errors: ErrorCells = {}
    for attrs, content in _xlsx_rows(stream):
        number = _ROW_NUMBER_RE.search(attrs)
        row = int(number.group(1)) if number else row + 1
        if row > EXCEL_MAX_ROWS:
            raise ListFileError(_("工作表超过Excel的最大行数%(limit)s，文件可能已损坏") % {"limit": EXCEL_MAX_ROWS})
        if b"<f" in content or b":f" in content:
            missing.extend(_formulas_without_result(content, row)[: 5 - len(missing)])
        if _XLSX_VALUE_RE.search(content) is None:
            continue
        if b't="e"' in content and len(errors) < MAX_ERROR_CELLS:
            for ref_attrs, value in _XLSX_ERROR_CELL_RE.findall(content):
                ref = _CELL_REF_RE.search(ref_attrs)
                if ref:
                    errors[(int(ref.group(2)) - 1, _column_index(ref.group(1)))] = value.decode("utf-8", "replace")
        refs = _CELL_REF_RE.findall(content)
        # The last cell of the row bounds its width (cells are in column order); without references, count them.
        width = _column_index(refs[-1][0]) + 1 if refs else len(_XLSX_CELL_START_RE.findall(content))
        max_row, max_column = row, max(max_column, width)
        if max_row * max_column > MAX_DENSE_CELLS:
            raise _too_large(max_row, max_column)
    if missing:
        cells = _("、").join(missing)
        raise ListFileError(_("文件中的公式没有计算结果（如%(cells)s单元格），可能是由程序生成的；"
                              "请在Excel或WPS中打开、保存后再导入，或把公式转换为数值") % {"cells": cells})
    return errors


def _formulas_without_result(content: bytes, row: int) -> list[str]:
    found = []
    for position, match in enumerate(_XLSX_FORMULA_CELL_RE.finditer(content)):
        if _XLSX_VALUE_RE.search(match.group(2)) is None:
            ref = _CELL_REF_RE.search(match.group(1))
            found.append(ref.group(1).decode() + ref.group(2).decode() if ref
                         else _("第%(row)s行第%(position)s个") % {"row": row, "position": position + 1})
    return found


_ODS_TAG_RE = re.compile(rb"<(/?)(?:\w+:)?(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>")
_REPEAT_RE = {
    b"row": re.compile(rb'number-rows-repeated="(\d+)"'),
    b"column": re.compile(rb'number-columns-repeated="(\d+)"'),
}


def _guard_ods(stream: IO[bytes]) -> None:
    """ODS compresses repeated rows and cells into one element with a repeat count; calamine expands those that hold
    a value. Estimate the expanded area of every table first."""
    row_index = 0
    row_repeat = 1
    column = 0
    row_last_value_column = 0
    max_row = max_column = 0
    for chunk in _chunks(stream):
        for match in _ODS_TAG_RE.finditer(chunk):
            closing, name, attrs, self_closing = match.groups()
            if name == b"table" and not closing:
                row_index, max_row, max_column = 0, 0, 0
            elif name == b"table-row" and not closing:
                repeat = _REPEAT_RE[b"row"].search(attrs)
                row_repeat = int(repeat.group(1)) if repeat else 1
                column, row_last_value_column = 0, 0
                if self_closing:
                    row_index += row_repeat
            elif name == b"table-row" and closing:
                row_index += row_repeat
                if row_last_value_column:
                    max_row = row_index
                    max_column = max(max_column, row_last_value_column)
                    if max_row * max_column > MAX_DENSE_CELLS:
                        raise _too_large(max_row, max_column)
            elif name in (b"table-cell", b"covered-table-cell") and not closing:
                repeat = _REPEAT_RE[b"column"].search(attrs)
                count = int(repeat.group(1)) if repeat else 1
                column += count
                if b"value-type" in attrs or not self_closing:
                    row_last_value_column = column


# -- calamine ---------------------------------------------------------------------------------------------------------
_FORMAT_NAMES = {"xlsx": gettext_noop("Excel（.xlsx）"), "xls": gettext_noop("Excel 97-2003（.xls）"),
                 "ods": gettext_noop("OpenDocument（.ods）")}


def _open_calamine(data: bytes, fmt: str, guard: Callable[[int], ErrorCells] | None) -> WorkbookData:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        if fmt == "xls":
            message = _("无法读取%(format)s文件：文件已损坏，或已加密（请取消密码后再导入）")
        else:
            message = _("无法读取%(format)s文件：文件已损坏")
        raise ListFileError(message % {"format": _(_FORMAT_NAMES[fmt])}) from exc
    visible = [
        (i, meta.name) for i, meta in enumerate(workbook.sheets_metadata)
        if meta.typ == SheetTypeEnum.WorkSheet and meta.visible == SheetVisibleEnum.Visible
    ] or list(enumerate(workbook.sheet_names))
    if not visible:
        raise ListFileError(_("文件中没有工作表"))

    def load(position: int) -> SheetData:
        index, name = visible[position]
        error_cells = guard(index) if guard is not None else {}
        try:
            sheet = workbook.get_sheet_by_index(index)
        except (CalamineError, ValueError, OSError) as exc:
            raise ListFileError(_("无法读取工作表“%(name)s”：文件已损坏") % {"name": name}) from exc
        return _sheet_data(name, sheet, error_cells)

    return WorkbookData(fmt, [name for _index, name in visible], load)


def _sheet_data(name: str, sheet: CalamineSheet, error_cells: ErrorCells) -> SheetData:
    end = sheet.end
    if end is None:
        return SheetData(name, [])
    height, width = end[0] + 1, end[1] + 1
    if height * width > MAX_DENSE_CELLS:
        raise _too_large(height, width)
    merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
    rows: list[tuple[int, list[CellValue]]] = []
    ignored = False
    for row_number, raw in enumerate(sheet.to_python(skip_empty_area=False)):
        if len(raw) > MAX_COLUMNS:
            ignored = ignored or any(v not in ("", None) for v in raw[MAX_COLUMNS:])
            raw = raw[:MAX_COLUMNS]
        if error_cells:
            raw = [error_cells.get((row_number, column), value) for column, value in enumerate(raw)]
        cells = _clean_cells(raw, row_number)
        if cells is not None:
            rows.append((row_number, cells))
            if len(rows) > MAX_ROWS:
                raise ListFileError(_("工作表超过%(limit)s行，请分成几个文件导入") % {"limit": MAX_ROWS})
    return SheetData(name, rows, merged, ignored)


def _clean_cells(raw: Sequence[CellValue], row_number: int) -> list[CellValue] | None:
    """Blank strings become ``None``; a row with no value at all gives ``None``. Over-long cells are refused."""
    cells: list[CellValue] = []
    blank = True
    for index, value in enumerate(raw):
        if isinstance(value, str):
            if len(value) > MAX_CELL_CHARS:
                raise ListFileError(_("第%(row)s行%(column)s列的单元格有%(length)s个字符，超过上限%(limit)s")
                                    % {"row": row_number + 1, "column": column_letter(index), "length": len(value),
                                       "limit": MAX_CELL_CHARS})
            if len(value) == MAX_CELL_CHARS:
                # calamine cuts longer cells to Excel's limit without saying so.
                raise ListFileError(_("第%(row)s行%(column)s列的单元格达到%(limit)s个字符的上限，内容可能已被截断")
                                    % {"row": row_number + 1, "column": column_letter(index), "limit": MAX_CELL_CHARS})
            if not value.strip():
                value = None
        if value is not None:
            blank = False
        cells.append(value)
    return None if blank else cells


# -- csv ---------------------------------------------------------------------------------------------------------------
def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 (which reads GBK and GB2312)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ListFileError(_("无法识别文件的文字编码（支持UTF-8和GBK/GB18030），或文件不是文本格式的CSV")) from exc


def _sniff_delimiter(text: str) -> str:
    sample = text[:20_000].splitlines()[:20]
    counts = {d: sum(line.count(d) for line in sample) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open_csv(data: bytes) -> WorkbookData:
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ListFileError(_("文件不是电子表格或CSV文本（含有二进制内容）；请导入.xlsx、.xls、.ods或.csv文件"))
    text = decode_text(data)
    if not text.strip():
        raise ListFileError(_("文件为空"))

    def load(_position: int) -> SheetData:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
        rows: list[tuple[int, list[CellValue]]] = []
        ignored = False
        row_number = -1
        try:
            for row_number, record in enumerate(reader):
                if len(record) > MAX_COLUMNS:
                    ignored = ignored or any(v.strip() for v in record[MAX_COLUMNS:])
                    record = record[:MAX_COLUMNS]
                cells = _clean_cells(list(record), row_number)
                if cells is not None:
                    rows.append((row_number, cells))
                    if len(rows) > MAX_ROWS:
                        raise ListFileError(_("文件超过%(limit)s行，请分成几个文件导入") % {"limit": MAX_ROWS})
        except csv.Error as exc:
            line = row_number + 2
            if "field larger" in str(exc):
                raise ListFileError(_("第%(row)s行附近有超长的单元格（超过%(limit)s个字符）")
                                    % {"row": line, "limit": csv.field_size_limit()}) from exc
            if "NUL" in str(exc):
                raise ListFileError(_("第%(row)s行含有二进制内容，文件不是CSV文本") % {"row": line}) from exc
            raise ListFileError(_("第%(row)s行不是有效的CSV格式：%(reason)s") % {"row": line, "reason": exc}) from exc
        return SheetData("CSV", rows, [], ignored)

    return WorkbookData("csv", ["CSV"], load)
