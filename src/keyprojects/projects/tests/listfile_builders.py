"""Build small spreadsheets for the list-file tests: .xlsx (XlsxWriter, with cached formula results, or openpyxl,
without), .ods (written by hand: no ODS writer is installed) and .csv in a chosen encoding."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import xlsxwriter

SHARED = Path(__file__).resolve().parents[4] / ".." / "shared"
SAMPLES = SHARED / "data"

Cell = str | int | float | None
Rows = Sequence[Sequence[Cell]]


def xlsx_bytes(rows: Rows, merges: Sequence[str] = (), formulas: dict[str, tuple[str, float]] | None = None) -> bytes:
    """An .xlsx with ``rows`` from A1; ``merges`` like "G3:H3" (the first cell keeps its value); ``formulas`` maps a
    cell ("G9") to (formula, cached result)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("名单")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    for ref in merges:
        first = ref.split(":")[0]
        col = ord(first[0]) - 65
        row_index = int(first[1:]) - 1
        value = rows[row_index][col] if row_index < len(rows) and col < len(rows[row_index]) else None
        sheet.merge_range(ref, value if value is not None else "")
    for ref, (formula, result) in (formulas or {}).items():
        sheet.write_formula(ref, formula, None, result)
    workbook.close()
    return buffer.getvalue()


def raw_xlsx_bytes(sheet_rows_xml: bytes) -> bytes:
    """A minimal .xlsx around raw <row> elements: the fastest way to write a million rows in a test."""
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
             b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + sheet_rows_xml + b"</sheetData></worksheet>")
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types '
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook '
            'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def inline_row(row: int, values: Sequence[Cell]) -> bytes:
    """A <row> of inline strings and numbers, for :func:`raw_xlsx_bytes`."""
    cells = []
    for index, value in enumerate(values):
        ref = f"{chr(65 + index)}{row}"
        if value is None:
            continue
        if isinstance(value, int | float):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
    return f'<row r="{row}">{"".join(cells)}</row>'.encode()


def openpyxl_bytes(rows: Rows) -> bytes:
    """openpyxl writes formulas ("=SUM(…)") without a cached result, as scripts generating lists do."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _ods_cell(value: Cell, repeat: int = 1) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if value is None:
        return f"<table:table-cell{rep}/>"
    if isinstance(value, int | float):
        return (
            f'<table:table-cell{rep} office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return f'<table:table-cell{rep} office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


def ods_bytes(rows: Rows, extra_rows_xml: str = "") -> bytes:
    body = "".join("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="名单">{body}{extra_rows_xml}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def csv_bytes(rows: Rows, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    import csv

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def expected_rows(sample: str) -> list[dict[str, object]]:
    with open(SAMPLES / f"{sample}.expected.jsonl", encoding="utf-8") as fh:
        return [json.loads(line, parse_float=Decimal) for line in fh if line.strip()]


def sample_rows(sample: str) -> list[list[Cell]]:
    """The cells of a sample's first sheet, as plain values, to rebuild it in another format."""
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(SAMPLES / sample)).get_sheet_by_index(0)
    return [[None if v == "" else v for v in row] for row in sheet.to_python()]  # type: ignore[misc]


# A small city list used by many tests: title, unit note, one-row header, two sections and a 合计.
HEADER = [
    "序号",
    "项目名称",
    "建设单位",
    "建设地点",
    "建设内容及规模",
    "建设起止年限",
    "总投资",
    "2024年计划投资",
    "项目类型",
]


def small_list(total: Cell = 3.5, annual: Cell = 1.2, rows: Rows | None = None) -> list[list[Cell]]:
    body = (
        rows
        if rows is not None
        else [
            [1, "甲项目", "甲公司", "潍坊市潍城区于河街道", "新建厂房", "2024-2025", 1.5, 0.5, "新开工"],
            [2, "乙项目", None, "寒亭经济开发区海龙路以西", "新建仓库", "2023—2025年", 2, 0.7, "续建"],
        ]
    )
    return [
        ["2024年潍坊市重点项目名单"],
        ["单位：亿元"],
        HEADER,
        [f"一、高端装备（{len(body)}个）"],
        *[list(r) for r in body],
        ["合计", None, None, None, None, None, total, annual],
    ]
