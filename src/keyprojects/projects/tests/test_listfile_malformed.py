"""Malformed files get a clear Chinese error, in bounded time and memory: not a spreadsheet, empty, a million blank
rows, formulas without results, huge cells, decompression bombs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from keyprojects.projects.listfile import ListFileError, parse_list
from keyprojects.projects.tests.listfile_builders import (
    HEADER,
    SAMPLES,
    csv_bytes,
    inline_row,
    ods_bytes,
    openpyxl_bytes,
    raw_xlsx_bytes,
    xlsx_bytes,
)

BASE = [HEADER, [1, "甲项目", "甲公司", "潍城区", "厂房", "2024", 1, 0.5, "新开工"]]
MILLION = 1_000_000


def error_of(data: bytes, name: str = "list.xlsx") -> str:
    with pytest.raises(ListFileError) as caught:
        parse_list(data, name)
    return str(caught.value)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "list.xlsx", "文件为空"),
    (b" \r\n\r\n ", "list.csv", "文件为空"),
    (bytes(range(256)) * 20, "list.xlsx",
     "文件不是电子表格或CSV文本（含有二进制内容）；请导入.xlsx、.xls、.ods或.csv文件"),
    (b"%PDF-1.7\n1 0 obj", "list.xlsx",
     "这是PDF文件，不是电子表格；请导入Excel、WPS表格（.xlsx/.xls/.ods）或CSV文件"),
    (b"\x89PNG\r\n\x1a\n0000", "list.xls",
     "这是图片文件，不是电子表格；请导入Excel、WPS表格（.xlsx/.xls/.ods）或CSV文件"),
    ("<html><body><table><tr><td>项目名称</td></tr></table></body></html>".encode(), "list.xls",
     "这是网页（HTML）格式的文件（常见于系统导出的“.xls”），请在Excel或WPS中打开并另存为.xlsx后再导入"),
    (_zip({"notes.txt": b"hello"}), "list.xlsx", "这是压缩包，不是电子表格；请解压后导入其中的Excel文件"),
    (_zip({"word/document.xml": b"<w/>"}), "list.xlsx",
     "这是Word文档，不是电子表格；请把表格复制到Excel或WPS表格中保存为.xlsx后再导入"),
    (b"\x80\xff" * 100, "list.csv", "无法识别文件的文字编码（支持UTF-8和GBK/GB18030），或文件不是文本格式的CSV"),
])
def test_files_that_are_not_spreadsheets(data: bytes, name: str, message: str) -> None:
    assert error_of(data, name) == message


def test_a_truncated_xlsx_is_reported_as_damaged() -> None:
    data = (SAMPLES / "2024-weifang-key-projects.xlsx").read_bytes()
    assert error_of(data[: len(data) // 2]) == "文件已损坏，无法作为Excel（.xlsx）或ODS文件打开"


def test_a_truncated_xls_is_reported_as_damaged_or_encrypted() -> None:
    data = (SAMPLES / "hanting-district-list.xls").read_bytes()
    assert error_of(data[:4096], "list.xls") == (
        "无法读取Excel 97-2003（.xls）文件：文件已损坏，或已加密（请取消密码后再导入）")


def test_an_empty_workbook_and_a_list_without_header() -> None:
    assert error_of(xlsx_bytes([])) == "文件中没有任何内容"
    assert error_of(xlsx_bytes([["甲", "乙"], [1, 2]])).startswith("未找到表头：前30行中没有同时写有“项目名称”")


def test_a_header_without_project_rows_gives_no_rows() -> None:
    result = parse_list(xlsx_bytes([HEADER]), "list.xlsx")
    assert result.rows == []


def test_too_large_a_file_is_refused_before_reading() -> None:
    assert error_of(b"a" * (50 * 1024 * 1024 + 1), "list.csv") == "文件过大（50.0MB），上限为50MB"


def test_a_million_blank_csv_lines_cost_no_memory_and_little_time() -> None:
    last = csv_bytes([[2, "乙项目", "乙公司", "潍城区", "厂房", "2024", 1, 0.5]])
    data = csv_bytes(BASE) + b",,,,,,,,\r\n" * MILLION + last
    started = time.perf_counter()
    result = parse_list(data, "list.csv")
    assert time.perf_counter() - started < 15
    assert [(r.name, r.row) for r in result.rows] == [("甲项目", 2), ("乙项目", MILLION + 3)]


def test_a_million_formatted_blank_xlsx_rows_are_skipped() -> None:
    rows = b"".join(inline_row(i + 1, row) for i, row in enumerate(BASE))
    blank = b"".join(b'<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/><c r="I%d" s="1"/></row>' % (r, r, r)
                     for r in range(3, MILLION + 3))
    started = time.perf_counter()
    result = parse_list(raw_xlsx_bytes(rows + blank), "list.xlsx")
    assert time.perf_counter() - started < 15
    assert [r.name for r in result.rows] == ["甲项目"]


def _measure_in_child(tmp_path: Path, data: bytes, name: str) -> dict[str, object]:
    """Parse in a fresh interpreter and report its error, elapsed time and peak memory."""
    path = tmp_path / name
    path.write_bytes(data)
    script = (
        "import json, resource, sys, time\n"
        "from keyprojects.projects.listfile import ListFileError, parse_list_file\n"
        "from keyprojects.regions.gazetteer import gazetteer\n"
        "gazetteer()\n"
        "started = time.perf_counter()\n"
        "try:\n"
        "    parse_list_file(sys.argv[1]); error = None\n"
        "except ListFileError as exc:\n"
        "    error = str(exc)\n"
        "peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:  # ru_maxrss counts the parent's pages copied before exec; VmHWM starts afresh with the program\n"
        "    status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "    peak_kb = int(status.split()[0])\n"
        "except (OSError, IndexError):\n"
        "    pass\n"
        "print(json.dumps({'error': error, 'seconds': time.perf_counter() - started, 'peak_mb': peak_kb / 1024}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    completed = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, env=env,
                               timeout=120, check=True)
    return json.loads(completed.stdout)


TOO_LARGE = "，上限为4000000个单元格；表格中可能有大量空白行或远处的单元格有内容，请删除多余的行和列后再导入"


def test_a_million_rows_holding_a_space_are_refused_in_bounded_memory(tmp_path: Path) -> None:
    # given a sheet whose million "blank" rows each hold a space in column I (calamine would expand them into a
    # dense grid of 9 million cells)
    rows = b"".join(inline_row(i + 1, row) for i, row in enumerate(BASE))
    spaces = b"".join(b'<row r="%d"><c r="I%d" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row>' % (r, r)
                      for r in range(3, MILLION + 3))
    report = _measure_in_child(tmp_path, raw_xlsx_bytes(rows + spaces), "spaces.xlsx")
    assert report["error"] == f"工作表的数据区域过大（444445行×9列）{TOO_LARGE}"
    assert report["seconds"] < 15  # type: ignore[operator]
    assert report["peak_mb"] < 150  # type: ignore[operator]


def test_an_ods_row_repeated_a_million_times_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    # given a 1 KB .ods whose last row, holding a value, is repeated a million times (1.2 GB once expanded)
    bomb = ('<table:table-row table:number-rows-repeated="1000000">'
            '<table:table-cell table:number-columns-repeated="10" office:value-type="string"><text:p> </text:p>'
            "</table:table-cell></table:table-row>")
    data = ods_bytes(BASE, bomb)
    assert len(data) < 2000
    report = _measure_in_child(tmp_path, data, "bomb.ods")
    assert report["error"] == f"工作表的数据区域过大（1000002行×10列）{TOO_LARGE}"
    assert report["seconds"] < 5  # type: ignore[operator]
    assert report["peak_mb"] < 100  # type: ignore[operator]


def test_empty_ods_rows_repeated_to_the_end_of_the_sheet_are_harmless() -> None:
    tail = ('<table:table-row table:number-rows-repeated="1048000">'
            '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    result = parse_list(ods_bytes(BASE, tail), "list.ods")
    assert [r.name for r in result.rows] == ["甲项目"]


def test_a_value_in_the_last_cell_of_the_sheet_is_refused() -> None:
    rows = b"".join(inline_row(i + 1, row) for i, row in enumerate(BASE))
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    assert error_of(raw_xlsx_bytes(rows + far)) == f"工作表的数据区域过大（1048576行×16384列）{TOO_LARGE}"


def test_formulas_saved_without_results_are_refused_with_their_cells() -> None:
    data = openpyxl_bytes([*BASE, ["合计", None, None, None, None, None, "=SUM(G2:G2)", "=SUM(H2:H2)"]])
    assert error_of(data) == ("文件中的公式没有计算结果（如G3、H3单元格），可能是由程序生成的；"
                              "请在Excel或WPS中打开、保存后再导入，或把公式转换为数值")


def test_formulas_with_saved_results_use_the_results() -> None:
    data = xlsx_bytes([*BASE, ["合计"]], formulas={"G3": ("=SUM(G2:G2)", 1), "H3": ("=SUM(H2:H2)", 0.5)})
    result = parse_list(data, "list.xlsx")
    assert [r.name for r in result.rows] == ["甲项目"]
    assert [i.message for i in result.issues if "合计" in i.message] == []


def test_a_formula_error_value_is_a_row_error() -> None:
    data = xlsx_bytes(BASE, formulas={"G2": ("=1/0", "#DIV/0!")})  # type: ignore[dict-item]
    result = parse_list(data, "list.xlsx")
    assert [str(e) for e in result.rows[0].errors] == [
        "第2行“总投资”列（G列）：单元格是公式错误值#DIV/0!，请在Excel或WPS中修正公式后再导入"]


def test_huge_cells_are_refused() -> None:
    long_csv = csv_bytes([*BASE, [2, "乙项目", "乙公司", "潍城区", "长" * 40_000]])
    assert error_of(long_csv, "list.csv") == "第3行E列的单元格有40000个字符，超过上限32767"
    enormous_csv = csv_bytes(BASE) + ('"' + "长" * 200_000 + '"\r\n').encode()
    assert error_of(enormous_csv, "list.csv") == "第3行附近有超长的单元格（超过131072个字符）"
    # openpyxl writes 100,000 characters; calamine would silently keep 32,767 of them
    truncated = openpyxl_bytes([*BASE, [2, "乙项目", "乙公司", "潍城区", "长" * 100_000]])
    assert error_of(truncated) == "第3行E列的单元格达到32767个字符的上限，内容可能已被截断"


def test_a_zip_bomb_is_refused_from_its_declared_size() -> None:
    data = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b" " * (401 * 1024 * 1024)})
    assert len(data) < 1024 * 1024
    assert error_of(data) == "文件解压后过大（401MB），上限为400MB"
