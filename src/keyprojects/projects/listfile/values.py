"""Cell-level parsing for key-project lists: text, years, money with its unit, section and total rows. Pure.

Everything here takes one cell value as the spreadsheet reader gives it (``str``, ``int``, ``float``, ``bool``,
dates, or ``None`` for a blank cell) and either returns a clean value or raises :class:`ValueError` with a message in
the active language (Chinese by default).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from keyprojects.core.i18n import gettext as _
from keyprojects.core.money import UNIT_FACTORS_WAN, MoneyError, parse_money_wan

__all__ = [
    "CellValue",
    "SectionHeading",
    "TotalRow",
    "cell_text",
    "find_unit",
    "is_error_value",
    "parse_money_cell",
    "parse_section",
    "parse_total_label",
    "parse_years",
    "unit_note",
]

CellValue = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None

MIN_YEAR = 1949
MAX_YEAR = 2100

_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_CHINESE_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")
_DASHES = "-－—–~～至到"
_OPEN_START_RE = re.compile(rf"^\D*(\d{{4}})\D*?[{_DASHES}]+\s*(?:今|至今|待定)?\s*$")
_OPEN_END_RE = re.compile(rf"^\s*[{_DASHES}]+\D*(\d{{4}})\D*$")
_ERROR_VALUES = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA",
                           "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})

# Units as they appear in headers and notes, longest first so that 万元 is not read as 元.
_UNITS = sorted((u for u in UNIT_FACTORS_WAN if u != "万亿"), key=len, reverse=True)
_UNIT_ALTERNATIVES = "|".join(_UNITS)
_BRACKETED_UNIT_RE = re.compile(rf"[(（\[【]\s*(?:单位[:：]?\s*)?({_UNIT_ALTERNATIVES})\s*[)）\]】]")
_TRAILING_UNIT_RE = re.compile(rf"(?:[/／]|单位[:：]?)\s*({_UNIT_ALTERNATIVES})\s*$")
_NOTE_UNIT_RE = re.compile(rf"单\s*位\s*[:：]\s*({_UNIT_ALTERNATIVES})")

_CN_NUMERAL = "一二三四五六七八九十百零〇"
_SECTION_NUMBERED_RE = re.compile(
    rf"^(?:([{_CN_NUMERAL}]+)\s*[、.．,，]|[(（]([{_CN_NUMERAL}]+)[)）]\s*[、.．]?)\s*(.+)$")
_COUNT_RE = re.compile(r"[(（]\s*(?:共|计|合计)?\s*(\d+)\s*个(?:项目)?\s*[)）]\s*$")
_CATEGORY_WORDS_RE = re.compile(r"开工|续建|竣工|投产|前期|在建|储备|谋划|预备|完工|建成")
# Two different Chinese digits side by side ("两三亿", "三四千万") state a range, not an amount.
_APPROXIMATE_RE = re.compile(r"[一二两三四五六七八九]{2}")
_TOTAL_RE = re.compile(r"^(?:全市|全区|全县|全省|总)?(合计|总计|小计|共计)")


def _nfkc_compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _number_text(value: float) -> str:
    # repr gives the shortest text that reads back to the same float: 3.6, not 3.6000000000000001.
    if value.is_integer():
        return str(int(value))
    return repr(value)


def cell_text(value: CellValue) -> str | None:
    """The cell as trimmed text, ``None`` when blank. Numbers print as written (2024, not 2024.0)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        text = _number_text(value)
    elif isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.strip().strip("\u3000\ufeff\u200b").strip()
    return text or None


def is_error_value(text: str) -> bool:
    """True for the error values Excel shows in place of a formula result: #DIV/0!, #N/A, #REF! …"""
    return text.upper() in _ERROR_VALUES


def _check_error_value(text: str) -> None:
    if is_error_value(text):
        raise ValueError(_("单元格是公式错误值%(value)s，请在Excel或WPS中修正公式后再导入") % {"value": text})


def parse_years(value: CellValue) -> tuple[int | None, int | None]:
    """Start and end year from a 建设年限 cell: the first and last four-digit year in it.

    "2023-2025" → (2023, 2025); "2024—2026年" → (2024, 2026); "2024.3-2025.12" → (2024, 2025); "2024年" → (2024, 2024);
    "2024-" → (2024, None) and "-2026" → (None, 2026) for an open range; blank → (None, None).
    """
    if value is None:
        return None, None
    if isinstance(value, bool):
        raise ValueError(_("建设年限不是年份"))
    if isinstance(value, dt.date):  # datetime is a date too
        return value.year, value.year
    if isinstance(value, int | float) and not float(value).is_integer() and 1000 <= value < 10000:
        # 2024.3 typed as a number: the year is the integer part.
        year = int(value)
        _check_year(year, str(value))
        return year, year
    text = cell_text(value)
    if text is None:
        return None, None
    _check_error_value(text)
    compact = unicodedata.normalize("NFKC", text).translate(_CHINESE_DIGITS)
    years = [int(y) for y in _YEAR_RE.findall(compact)]
    if not years:
        raise ValueError(_("“%(text)s”中没有四位数的年份") % {"text": text})
    for year in years:
        _check_year(year, text)
    if len(years) == 1:
        if _OPEN_START_RE.match(compact):
            return years[0], None
        if _OPEN_END_RE.match(compact):
            return None, years[0]
    start, end = years[0], years[-1]
    if end < start:
        raise ValueError(_("“%(text)s”的结束年份早于开始年份") % {"text": text})
    return start, end


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(_("“%(text)s”中的年份%(year)s不合理") % {"text": text, "year": year})


def find_unit(header: str | None) -> str | None:
    """The money unit a header states: "总投资（亿元）" → 亿元, "计划总投资(万元)" → 万元, "投资/万元" → 万元."""
    if not header:
        return None
    text = unicodedata.normalize("NFKC", header)
    match = _BRACKETED_UNIT_RE.search(text) or _TRAILING_UNIT_RE.search(text) or _NOTE_UNIT_RE.search(text)
    return match.group(1) if match else None


def unit_note(text: str | None) -> str | None:
    """The unit of a note row above the header: "单位：亿元" → 亿元 (also "（单位：万元）" inside a title)."""
    if not text:
        return None
    match = _NOTE_UNIT_RE.search(unicodedata.normalize("NFKC", text))
    return match.group(1) if match else None


def parse_money_cell(value: CellValue, unit: str | None) -> Decimal | None:
    """An amount cell in 万元: the unit written in the cell wins, else ``unit`` (from the headers), else 万元.

    Blank gives ``None``. Raises ``ValueError`` with the reason otherwise.
    """
    if value is None:
        return None
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise ValueError(_("金额单元格是日期或时间，不是金额"))
    if isinstance(value, str):
        text = cell_text(value)
        if text is None:
            return None
        _check_error_value(text)
        if _APPROXIMATE_RE.search(text):
            # core.money reads "两三亿" digit by digit as 23亿; in a list it is an estimate, not an amount.
            raise ValueError(_("“%(text)s”是约数，请填写确切金额") % {"text": text})
        value = text
    try:
        return parse_money_wan(value, default_unit=unit or "万元")
    except MoneyError as exc:
        message = str(exc)
        if isinstance(value, str) and exc.code == "unreadable":
            message = _("“%(text)s”不是可识别的金额") % {"text": value}
        raise ValueError(message) from exc


@dataclass(frozen=True)
class SectionHeading:
    """A row such as "一、高端装备（12个）" that groups the rows below it."""

    title: str  # 高端装备 / 新开工 — numbering, count and the word 项目 dropped
    level: int  # 1 for "一、", 2 for "（一）" and unnumbered headings
    count: int | None  # the "（12个）" figure when written
    is_category: bool  # 新开工 / 续建 …; else an industry


def parse_section(text: str) -> SectionHeading | None:
    """Recognise a section heading; ``None`` when ``text`` is not one."""
    compact = _nfkc_compact(text)
    numbered = _SECTION_NUMBERED_RE.match(compact)
    count_match = _COUNT_RE.search(compact)
    if numbered is None and count_match is None:
        return None
    level = 1 if numbered is not None and numbered.group(1) else 2
    rest = numbered.group(3) if numbered is not None else compact
    count = None
    inner = _COUNT_RE.search(rest)
    if inner:
        count = int(inner.group(1))
        rest = rest[: inner.start()]
    rest = re.sub(r"(类)?项目$", "", rest).strip("：:、 ")
    if not rest or len(rest) > 30:
        return None
    return SectionHeading(title=rest, level=level, count=count, is_category=bool(_CATEGORY_WORDS_RE.search(rest)))


@dataclass(frozen=True)
class TotalRow:
    kind: str  # 合计 / 小计 (总计 and 共计 count as 合计)
    count: int | None  # "合计（50个）" → 50


def parse_total_label(text: str) -> TotalRow | None:
    """Recognise "合计", "合  计", "小计", "合计（50个）", "全市合计"; ``None`` otherwise."""
    compact = _nfkc_compact(text)
    match = _TOTAL_RE.match(compact)
    if match is None:
        return None
    rest = compact[match.end():]
    count_match = _COUNT_RE.match(rest)
    if rest and count_match is None and not re.fullmatch(r"[:：]?", rest):
        return None
    kind = "小计" if match.group(1) == "小计" else "合计"
    return TotalRow(kind=kind, count=int(count_match.group(1)) if count_match else None)
