"""Amounts of money and counts as news reports write them. Pure: no database.

Money in every written form becomes an exact number of 万元 through :func:`keyprojects.core.money.parse_money_wan`:
``103.3亿元``, ``1.2万亿元``, ``27亿多元``, ``8000多万元``, ``3.6千万元``, ``十五亿元``, ``1,500万元``,
``47.95亿元人民币``.
Qualifiers (约, 超过, 近, 多, 以上 …) are kept apart: the number is what is written, the qualifier says how exact it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from keyprojects.core.money import MoneyError, parse_chinese_number, parse_money_wan

__all__ = ["Money", "Count", "find_money", "find_counts", "json_number"]

_CN_NUM = "零〇一二两三四五六七八九十百千"
_CN_DIGIT = set("一二两三四五六七八九十")
MONEY_RE = re.compile(
    r"(?P<qual>约|近|超过|超|逾|过|达到|达|共计|合计|总计|累计|计)?"
    rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN_NUM}]+(?:点[零〇一二三四五六七八九]+)?)"
    r"(?P<more1>多|余)?(?P<unit>万亿|亿|千万|百万|万)(?P<more2>多|余)?(?P<yuan>元)?(?P<tail>以上|及以上|左右|多)?"
    r"(?:人民币)?"
)
COUNT_RE = re.compile(
    r"(?P<qual>近|超过|超|约|共计|合计|总计|共有|共|计)?"
    rf"(?P<num>\d+(?:\.\d+)?万?|[{_CN_NUM}]+)(?P<more>多|余)?(?P<cl>个|项|条|座|批|家|场|名|位|所)(?P<tail>以上|左右)?"
)
_NOT_MONEY_AFTER = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    wan: Decimal
    qualifier: str  # 约 / 近 / 超过 / 多 / 以上 … or ""
    text: str
    threshold: bool  # "过千万元" / "5亿元以上" before a noun: a size class, not an amount


@dataclass(frozen=True)
class Count:
    start: int
    end: int
    value: int
    classifier: str
    qualifier: str


def _is_number(text: str) -> bool:
    return text[:1].isdigit() or any(ch in _CN_DIGIT for ch in text)


def find_money(text: str) -> list[Money]:
    result: list[Money] = []
    for match in MONEY_RE.finditer(text):
        number = match.group("num")
        if not _is_number(number):
            continue
        if not match.group("yuan") and _NOT_MONEY_AFTER.match(text, match.end()) and \
                not text.startswith("人民币", match.end()):
            continue  # 1.38亿千瓦时, 1.2万个: a quantity, not money
        try:
            wan = parse_money_wan(number.replace(",", "") + match.group("unit") + "元")
        except MoneyError:
            continue
        qualifier = match.group("qual") or ""
        if qualifier in ("达到", "达", "共计", "合计", "总计", "累计", "计"):
            qualifier = ""
        more = match.group("more1") or match.group("more2") or ""
        tail = match.group("tail") or ""
        qualifier = qualifier or more or tail
        following = text[match.end(): match.end() + 12]
        threshold = (match.group("qual") == "过" or tail in ("以上", "及以上")) and re.match(
            r"(?:的|级)?[^，。；、]{0,8}(?:项目|企业)", following) is not None
        result.append(Money(match.start(), match.end(), wan, qualifier, match.group(0), threshold))
    return result


def _count_value(text: str) -> int | None:
    try:
        if text.endswith("万"):
            return int(Decimal(text[:-1]) * 10000) if text[:-1].replace(".", "", 1).isdigit() else None
        if text.isdigit():
            return int(text)
        if not any(ch in _CN_DIGIT for ch in text):
            return None
        return int(parse_chinese_number(text))
    except (MoneyError, ArithmeticError, ValueError):
        return None


def find_counts(text: str) -> list[Count]:
    result: list[Count] = []
    for match in COUNT_RE.finditer(text):
        value = _count_value(match.group("num"))
        if value is None:
            continue
        qualifier = match.group("qual") or ""
        if qualifier in ("共计", "合计", "总计", "共有", "共", "计"):
            qualifier = ""
        qualifier = qualifier or match.group("more") or match.group("tail") or ""
        result.append(Count(match.start(), match.end(), value, match.group("cl"), qualifier))
    return result


def json_number(value: Decimal) -> int | float:
    """Whole 万元 as an int (818000), fractions as a float (0.5)."""
    return int(value) if value == value.to_integral() else float(value)
