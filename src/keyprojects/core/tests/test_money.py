"""Money parsing: the written forms of DESIGN §3, round trips, and garbage."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyprojects.core.money import MoneyError, format_money, format_wan, parse_chinese_number, parse_money_wan


@pytest.mark.parametrize(
    ("text", "wan"),
    [
        ("15亿元", "150000"),
        ("1.5亿", "15000"),
        ("15000万元", "15000"),
        ("1,500万", "1500"),
        ("十五亿元", "150000"),
        ("103.3亿", "1033000"),
        ("103.3亿元", "1033000"),
        ("3.6亿元", "36000"),
        ("28000万元", "28000"),
        ("63,050万元", "63050"),
        ("5000万", "5000"),
        ("3.6千万元", "3600"),
        ("一百零三点三亿元", "1033000"),
        ("１５亿元", "150000"),
        (" 15 亿元 ", "150000"),
        ("500", "500"),
        ("0", "0"),
        ("两亿元", "20000"),
        ("一千五百万元", "1500"),
        ("约15亿元", "150000"),
        ("2000000元", "200"),
        ("0.01万元", "0.01"),
    ],
)
def test_written_forms(text: str, wan: str) -> None:
    assert parse_money_wan(text) == Decimal(wan)


def test_default_unit_applies_to_bare_numbers() -> None:
    assert parse_money_wan("3.6", default_unit="亿元") == Decimal("36000")
    assert parse_money_wan(3.6, default_unit="亿元") == Decimal("36000")  # a float cell, exactly
    assert parse_money_wan(757.67, default_unit="亿元") == Decimal("7576700")
    assert parse_money_wan("3.6万元", default_unit="亿元") == Decimal("3.6")  # the cell's own unit wins


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "金额不能为空"),
        ("   ", "金额不能为空"),
        ("-5亿元", "金额不能为负数"),
        ("abc", "“abc”不是可识别的数字"),
        ("15亿元万", "不是可识别的数字"),
        ("亿元", "金额缺少数字"),
        ("1.2.3亿", "不是可识别的数字"),
        ("2万5千", "不是可识别的数字"), ("两三亿元", "“两三”是约数，请填写确切金额"),
    ("三四千万元", "“三四千”是约数，请填写确切金额"),
        ("1e5", "不是可识别的数字"),
        ("99999999999亿元", "金额过大，请检查单位（万元/亿元）"),
    ],
)
def test_garbage_gets_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(MoneyError) as info:
        parse_money_wan(text)
    assert message in str(info.value)


def test_chinese_numerals() -> None:
    assert parse_chinese_number("二十八") == 28
    assert parse_chinese_number("一百零三点三") == Decimal("103.3")
    assert parse_chinese_number("三千五百万") == 35000000
    assert parse_chinese_number("二〇二四") == 2024


def test_display() -> None:
    assert format_money(Decimal("1033000")) == "103.3亿元"
    assert format_money(Decimal("5000")) == "5000万元"
    assert format_money(None) == "—"
    assert format_wan(Decimal("36000.00")) == "36000万元"


money = st.decimals(min_value=0, max_value=Decimal("99999999"), places=2, allow_nan=False, allow_infinity=False)


@given(money)
def test_round_trip_form_value(wan: Decimal) -> None:
    assert parse_money_wan(format_wan(wan)) == wan


@given(money)
def test_round_trip_yi(wan: Decimal) -> None:
    yi = wan / 10000
    assert parse_money_wan(f"{yi}亿元") == wan


@given(st.integers(min_value=0, max_value=10**9))
def test_thousands_separators(n: int) -> None:
    assert parse_money_wan(f"{n:,}万元") == n


@given(st.text(alphabet="abcxyz!@#$%^&*()[]{}<>?/\\|~`", min_size=1, max_size=20))
def test_garbage_never_parses(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_money_wan(text)
