"""Dates as news reports write them, resolved without guessing. Pure: no database.

* ``2024年2月26日`` carries its year; ``2月26日`` takes the year of the publication date (``--published``), or else
  the year
  the page itself is about (:func:`context_year`), and the result says which (``basis``);
* ``今天（3月3日）`` and ``昨天（2月19日）`` carry the day; ``今天`` alone is the publication date, ``昨天`` the day
  before;
  without a publication date they resolve to nothing;
* vague times (日前, 近日, 一季度, 期间, 去年1-11月 …) name no single day: :func:`vague_time` says so and the caller
  leaves the
  date out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["DateMention", "find_dates", "context_year", "vague_time", "to_int"]

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}  # noqa: E501 (Chinese text is double width)
_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
DATE_RE = re.compile(
    rf"(?P<rel>今天|今日|昨天|昨日|前天)?[（(]?(?:(?P<year>(?:19|20)\d{{2}})年)?(?P<month>{_NUM})月(?P<day>{_NUM})[日号]"
    rf"[）)]?|(?P<iso>(?:19|20)\d{{2}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})|(?P<bare>今天|今日|昨天|昨日|前天)"
)
VAGUE_RE = re.compile(
    r"日前|近日|近期|几天前|不久前|前不久|此前|期间|[一二三四]季度|上半年|下半年|前三季度|去年|前年|年初|年底|年内|"
    r"\d{1,2}[-－至到]\d{1,2}月|近年来|今年以来|截至目前|目前"
)
_YEAR_RE = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?:年|-\d{1,2}-\d{1,2})")
_MONTH_AFTER_RE = re.compile(r"\d{1,2}月\d{1,2}日")
_YEAR_NOT_CURRENT_RE = re.compile(r"(?:至|到|—|-)\s*$|^年(?:前|以前|底前)")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: dt.date | None  # None: no day can be named without guessing
    basis: str  # "text" (the year is written), "published", "context" (the year the page is about), "" (unresolved)


def to_int(text: str) -> int:
    """``26`` → 26, ``二十六`` → 26, ``十`` → 10."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return _CN_DIGITS.get(text, 0)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str, published: dt.date | None, year: int | None) -> list[DateMention]:
    """Every date in ``text`` resolved against the publication date or the page's year."""
    result: list[DateMention] = []
    for match in DATE_RE.finditer(text):
        start, end = match.span()
        if match.group("bare"):
            offset = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}[match.group("bare")]
            day = published - dt.timedelta(days=offset) if published else None
            result.append(DateMention(start, end, day, "published" if day else ""))
            continue
        if match.group("iso"):
            value = _safe_date(int(match.group("iso")), int(match.group("im")), int(match.group("id")))
            result.append(DateMention(start, end, value, "text" if value else ""))
            continue
        month, day_number = to_int(match.group("month")), to_int(match.group("day"))
        if match.group("year"):
            value = _safe_date(int(match.group("year")), month, day_number)
            result.append(DateMention(start, end, value, "text" if value else ""))
        elif published is not None:
            guess = _safe_date(published.year, month, day_number)
            # A report looks back, not forward: 12月30日 in a paper of 2 January is last year's.
            if guess is not None and guess > published + dt.timedelta(days=31):
                guess = _safe_date(published.year - 1, month, day_number)
            result.append(DateMention(start, end, guess, "published" if guess else ""))
        elif year is not None:
            value = _safe_date(year, month, day_number)
            result.append(DateMention(start, end, value, "context" if value else ""))
        else:
            result.append(DateMention(start, end, None, ""))
    return result


def context_year(text: str) -> int | None:
    """The year a page is about, from the years it writes.

    Each year written counts once, a full date (2022年12月21日) three times; the end of a range (至2023年6月) and
    targets
    (2025年前) do not count. Ties go to the later year. None when the text names no year.
    """
    scores: Counter[int] = Counter()
    for match in _YEAR_RE.finditer(text):
        before = text[max(0, match.start() - 2): match.start()]
        after = text[match.end() - 1: match.end() + 3]
        if _YEAR_NOT_CURRENT_RE.search(before) or _YEAR_NOT_CURRENT_RE.match(after):
            continue
        full_date = "-" in match.group(0) or _MONTH_AFTER_RE.match(text, match.end()) is not None
        scores[int(match.group(1))] += 3 if full_date else 1
    if not scores:
        return None
    best = max(scores.values())
    return max(year for year, score in scores.items() if score == best)


def vague_time(text: str) -> bool:
    """The clause places its event in a period, not on a day (日前, 一季度, 期间 …)."""
    return VAGUE_RE.search(text) is not None
