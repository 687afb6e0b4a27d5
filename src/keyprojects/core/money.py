"""Money parsing and formatting. Pure: no database.

Money is stored as ``Decimal`` in 万元 (the unit of the official forms). Users type amounts the way they are written in
government documents: "15亿元", "1.5亿", "15000万元", "1,500万", "十五亿元", "103.3亿", "3.6千万元". This module turns
such text into an exact ``Decimal`` number of 万元, or raises :class:`MoneyError` with a message a civil servant
can act on.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from keyprojects.core.i18n import gettext as _

__all__ = [
    "MoneyError",
    "parse_money_wan",
    "parse_chinese_number",
    "format_wan",
    "format_money",
    "to_yi",
    "UNIT_FACTORS_WAN",
]

# How many 万元 one unit is worth.
UNIT_FACTORS_WAN: dict[str, Decimal] = {
    "万亿元": Decimal("100000000"),
    "万亿": Decimal("100000000"),
    "亿元": Decimal("10000"),
    "亿": Decimal("10000"),
    "千万元": Decimal("1000"),
    "千万": Decimal("1000"),
    "百万元": Decimal("100"),
    "百万": Decimal("100"),
    "万元": Decimal("1"),
    "万": Decimal("1"),
    "元": Decimal("0.0001"),
}
_UNITS_BY_LENGTH = sorted(UNIT_FACTORS_WAN, key=len, reverse=True)

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CHINESE_NUMBER_RE = re.compile(r"^[零〇○一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿点]+$")
_ARABIC_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
MAX_WAN = Decimal("999999999999.99")  # fits the database column (14 digits, 2 decimals)


class MoneyError(ValueError):
    """Text that is not an amount of money we can read without guessing. ``str(error)`` is the message shown to the
    user (in the active language); ``code`` says which kind of problem it is, for callers that reword it."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


def _normalise(text: str) -> str:
    # NFKC turns full-width digits, commas and dots (１，５００．５) into ASCII.
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    return text.replace("，", ",").replace("。", ".").replace("人民币", "").replace("RMB", "")


def parse_chinese_number(text: str) -> Decimal:
    """Parse a number written in Chinese numerals: "十五" → 15, "一百零三点三" → 103.3, "三千五百万" → 35000000."""
    text = text.strip()
    if not text or not _CHINESE_NUMBER_RE.match(text):
        raise MoneyError(_("“%(text)s”不是中文数字") % {"text": text})
    if "点" in text:
        whole, _point, frac = text.partition("点")
        if not frac or any(ch not in _DIGITS for ch in frac):
            raise MoneyError(_("“%(text)s”的小数部分无法识别") % {"text": text})
        integer = parse_chinese_number(whole) if whole else Decimal(0)
        return integer + Decimal("0." + "".join(str(_DIGITS[ch]) for ch in frac))
    total = 0
    for big_name, big_value in (("亿", 10**8), ("万", 10**4)):
        if big_name in text:
            head, _unit, text = text.partition(big_name)
            if not head:
                raise MoneyError(_("“%(unit)s”前缺少数字") % {"unit": big_name})
            total += (
                _parse_below_wan(head) * big_value if big_name == "万" else int(parse_chinese_number(head)) * big_value
            )
    return Decimal(total + (_parse_below_wan(text) if text else 0))


def _parse_below_wan(text: str) -> int:
    if "亿" in text or "万" in text:
        return int(parse_chinese_number(text))
    # A digit string with a zero such as "二〇二四" reads digit by digit; without one ("两三", "三四") it is a range,
    # an estimate ("两三亿"), which we refuse rather than guess.
    if all(ch in _DIGITS for ch in text) and len(text) > 1:
        if any(ch in "零〇○" for ch in text):
            return int("".join(str(_DIGITS[ch]) for ch in text))
        raise MoneyError(_("“%(text)s”是约数，请填写确切金额") % {"text": text}, code="approximate")
    value = 0
    pending: int | None = None
    for ch in text:
        if ch in _DIGITS:
            if pending:  # two digits in a row: "三四千" is an estimate
                raise MoneyError(_("“%(text)s”是约数，请填写确切金额") % {"text": text}, code="approximate")
            pending = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            value += (1 if pending is None else pending) * _SMALL_UNITS[ch]
            pending = None
        else:
            raise MoneyError(_("“%(text)s”中“%(char)s”无法识别") % {"text": text, "char": ch})
    return value + (pending or 0)


def _parse_number(text: str) -> Decimal:
    if _ARABIC_RE.match(text):
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the regex already guarantees a number
            raise MoneyError(_("“%(text)s”不是数字") % {"text": text}) from exc
    if _CHINESE_NUMBER_RE.match(text):
        return parse_chinese_number(text)
    # Mixed forms such as "1.5万" inside a number part ("2万5千") are not official usage: refuse rather than guess.
    raise MoneyError(_("“%(text)s”不是可识别的数字") % {"text": text}, code="unreadable")


def parse_money_wan(value: object, default_unit: str = "万元") -> Decimal:
    """Return the amount in 万元 as an exact Decimal.

    ``default_unit`` applies when the text carries no unit (a bare number in a column headed "（亿元）").
    Raises :class:`MoneyError` for empty, negative, ambiguous or unreadable input.
    """
    if default_unit not in UNIT_FACTORS_WAN:
        raise ValueError(f"unknown unit {default_unit!r}")
    if isinstance(value, bool) or value is None:
        raise MoneyError(_("金额不能为空"), code="empty")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
        unit = default_unit
    elif isinstance(value, float):
        # Spreadsheet cells arrive as floats: 3.6 must give 3.6, not 3.600000000000000088817841970012523.
        number = Decimal(repr(value))
        unit = default_unit
    else:
        text = _normalise(str(value))
        if not text:
            raise MoneyError(_("金额不能为空"), code="empty")
        unit = default_unit
        chinese = _chinese_amount_wan(text)
        if chinese is not None:
            return _finish(chinese)
        for candidate in _UNITS_BY_LENGTH:
            if text.endswith(candidate):
                unit = candidate
                text = text[: -len(candidate)]
                break
        # "约15亿元" / "超15亿元" are estimates; keep the number, the caller decides about the qualifier.
        text = re.sub(r"^(约|近|超过|超|逾|达|共计|总计|合计|计)", "", text)
        if not text:
            raise MoneyError(_("金额缺少数字"))
        if text.startswith("-"):
            raise MoneyError(_("金额不能为负数"), code="negative")
        number = _parse_number(text)
    if number < 0:
        raise MoneyError(_("金额不能为负数"), code="negative")
    if not number.is_finite():
        raise MoneyError(_("金额不是有限数字"))
    return _finish(number * UNIT_FACTORS_WAN[unit])


def _chinese_amount_wan(text: str) -> Decimal | None:
    """An amount written wholly in Chinese numerals ("十五亿元", "一千五百万元", "一百零三点三亿元") in 万元, else None.

    Here 万 and 亿 are part of the number ("一千五百万" is 15,000,000), so the unit table must not split them."""
    body = re.sub(r"^(约|近|超过|超|逾|达|共计|总计|合计|计)", "", text.removesuffix("元"))
    if not body or not _CHINESE_NUMBER_RE.match(body) or body[0] in "万亿点":
        return None
    if "点" in body and body[-1] in "万亿":
        return parse_chinese_number(body[:-1]) * (Decimal(10000) if body[-1] == "亿" else Decimal(1))
    return parse_chinese_number(body) / Decimal(10000)


def _finish(wan: Decimal) -> Decimal:
    if wan > MAX_WAN:
        raise MoneyError(_("金额过大，请检查单位（万元/亿元）"), code="too_large")
    wan = wan.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if wan.as_tuple().exponent < -2 else wan  # type: ignore[operator]
    return _strip(wan)


def _strip(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (36000, not 3.6E+4)."""
    if value == value.to_integral():
        return value.quantize(Decimal(1))
    return value.normalize()


def to_yi(wan: Decimal) -> Decimal:
    return _strip(wan / Decimal(10000))


def format_wan(wan: Decimal | None) -> str:
    """ "36000" → "36000万元"; used in forms so that what is shown parses back to the same amount."""
    if wan is None:
        return ""
    return f"{_strip(Decimal(wan))}万元"


def format_money(wan: Decimal | None) -> str:
    """Human display: ≥ 1亿 in 亿元 (two decimals at most), else 万元 (the units in the active language)."""
    if wan is None:
        return "—"
    wan = Decimal(wan)
    if abs(wan) >= 10000:
        yi = (wan / Decimal(10000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return _("%(amount)s亿元") % {"amount": _strip(yi)}
    return _("%(amount)s万元") % {"amount": _strip(wan)}
