"""Cell parsers of the list import: money with units, years, section and total labels (pure, with hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keyprojects.projects.listfile.values import (
    SectionHeading,
    TotalRow,
    cell_text,
    find_unit,
    parse_money_cell,
    parse_section,
    parse_total_label,
    parse_years,
    unit_note,
)

# -- money ---------------------------------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=Decimal("9999999"), places=2, allow_nan=False, allow_infinity=False)


def _with_separators(number: Decimal) -> str:
    whole, _, frac = f"{number:.2f}".partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac.strip("0") else "")


@given(
    amount=amounts,
    unit=st.sampled_from(["万元", "万", "亿元", "亿"]),
    separators=st.booleans(),
    header_unit=st.sampled_from([None, "万元", "亿元"]),
)
def test_a_unit_in_the_cell_wins_over_the_header(
    amount: Decimal, unit: str, separators: bool, header_unit: str | None
) -> None:
    text = (_with_separators(amount) if separators else f"{amount:f}") + unit
    factor = Decimal(10000) if unit.startswith("亿") else Decimal(1)
    assert parse_money_cell(text, header_unit) == amount * factor


@given(amount=amounts, header_unit=st.sampled_from(["万元", "亿元"]))
def test_a_float_cell_is_read_exactly_in_the_header_unit(amount: Decimal, header_unit: str) -> None:
    # spreadsheets store 3.6 as the nearest binary float; the parsed amount must still be exactly 36000
    factor = Decimal(10000) if header_unit == "亿元" else Decimal(1)
    assert parse_money_cell(float(amount), header_unit) == amount * factor


@given(amount=st.integers(min_value=0, max_value=10**9))
def test_an_integer_cell_without_any_unit_is_wan(amount: int) -> None:
    assert parse_money_cell(amount, None) == Decimal(amount)


@given(text=st.text(max_size=40))
def test_money_parser_never_fails_with_anything_but_a_value_error(text: str) -> None:
    try:
        result = parse_money_cell(text, "万元")
    except ValueError as exc:
        assert str(exc)
    else:
        assert result is None or result >= 0


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (7.14, "亿元", Decimal("71400")),
        (757.67, "亿元", Decimal("7576700")),
        ("79,360", "万元", Decimal("79360")),
        (4911228.5, "万元", Decimal("4911228.5")),
        ("3.6亿元", None, Decimal("36000")),
        ("1.2亿", "万元", Decimal("12000")),
        ("28000万元", "亿元", Decimal("28000")),
        ("63,050万元", None, Decimal("63050")),
        ("5000万", None, Decimal("5000")),
        ("  ", "万元", None),
        (None, "亿元", None),
    ],
)
def test_money_examples(value: object, unit: str | None, expected: Decimal | None) -> None:
    assert parse_money_cell(value, unit) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("待定", "“待定”不是可识别的金额"),
        ("两三亿", "“两三亿”是约数，请填写确切金额"),
        ("三四千万元", "“三四千万元”是约数，请填写确切金额"),
        ("-5", "金额不能为负数"),
        ("#DIV/0!", "单元格是公式错误值#DIV/0!，请在Excel或WPS中修正公式后再导入"),
        (dt.date(2024, 3, 1), "金额单元格是日期或时间，不是金额"),
    ],
)
def test_money_errors(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_money_cell(value, "万元")  # type: ignore[arg-type]
    assert str(caught.value) == message


# -- years ---------------------------------------------------------------------------------------------------------

years = st.integers(min_value=1990, max_value=2099)
months = st.integers(min_value=1, max_value=12)
dashes = st.sampled_from(["-", "—", "－", "–", "~", "至", "——"])


@given(
    start=years,
    length=st.integers(min_value=0, max_value=10),
    dash=dashes,
    m1=months,
    m2=months,
    shape=st.sampled_from(
        [
            "{s}{d}{e}",
            "{s}{d}{e}年",
            "{s}年{d}{e}年",
            "{s}.{m1}{d}{e}.{m2}",
            "{s}年{m1}月{d}{e}年{m2}月",
            " {s} {d} {e} ",
            "{s}/{m1}{d}{e}/{m2}",
        ]
    ),
)
def test_a_range_gives_the_years_at_both_ends(start: int, length: int, dash: str, m1: int, m2: int, shape: str) -> None:
    end = min(start + length, 2100)
    text = shape.format(s=start, e=end, d=dash, m1=m1, m2=m2)
    assert parse_years(text) == (start, end)


@given(year=years, shape=st.sampled_from(["{y}", "{y}年", "{y}年度", "{y}.5", "{y}年3月"]))
def test_a_single_year_gives_start_equal_to_end(year: int, shape: str) -> None:
    assert parse_years(shape.format(y=year)) == (year, year)


@given(year=years)
def test_numeric_year_cells(year: int) -> None:
    assert parse_years(year) == (year, year)
    assert parse_years(float(year)) == (year, year)
    assert parse_years(year + 0.3) == (year, year)
    assert parse_years(dt.date(year, 5, 1)) == (year, year)


@given(start=st.integers(min_value=1990, max_value=2090), length=st.integers(min_value=1, max_value=5))
def test_a_reversed_range_is_an_error(start: int, length: int) -> None:
    with pytest.raises(ValueError, match="结束年份早于开始年份"):
        parse_years(f"{start + length}-{start}")


@given(text=st.text(max_size=30))
@settings(max_examples=300)
def test_year_parser_never_fails_with_anything_but_a_value_error(text: str) -> None:
    try:
        start, end = parse_years(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert start is None or 1949 <= start <= 2100
        assert end is None or 1949 <= end <= 2100


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-2025", (2023, 2025)),
        ("2024—2026年", (2024, 2026)),
        ("2024.3-2025.12", (2024, 2025)),
        ("2024.4-2024.11", (2024, 2024)),
        ("2023年-2027年", (2023, 2027)),
        ("2024年", (2024, 2024)),
        ("二〇二四年", (2024, 2024)),
        ("2024-", (2024, None)),
        ("2024年至今", (2024, None)),
        ("-2026", (None, 2026)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_year_examples(value: object, expected: tuple[int | None, int | None]) -> None:
    assert parse_years(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("待定", "“待定”中没有四位数的年份"),
        ("1800-2024", "“1800-2024”中的年份1800不合理"),
        ("2026-2024", "“2026-2024”的结束年份早于开始年份"),
    ],
)
def test_year_errors(value: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_years(value)
    assert str(caught.value) == message


# -- units, sections, totals, text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("总投资（亿元）", "亿元"),
        ("计划总投资(万元)", "万元"),
        ("投资/万元", "万元"),
        ("总投资 （ 亿元 ）", "亿元"),
        ("年度计划投资【万元】", "万元"),
        ("总投资（单位：亿元）", "亿元"),
        ("总投资", None),
        ("建设单位", None),
    ],
)
def test_header_units(header: str, unit: str | None) -> None:
    assert find_unit(header) == unit


def test_unit_notes() -> None:
    assert unit_note("单位：亿元") == "亿元"
    assert unit_note("2024年重点项目名单（单位：万元）") == "万元"
    assert unit_note("单位:万元") == "万元"
    assert unit_note("建设单位") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一、高端装备（12个）", SectionHeading("高端装备", 1, 12, False)),
        ("九、社会民生（9个）", SectionHeading("社会民生", 1, 9, False)),
        ("（一）新开工项目（18个）", SectionHeading("新开工", 2, 18, True)),
        ("（三）建成投产项目（12个）", SectionHeading("建成投产", 2, 12, True)),
        ("(二)续建项目", SectionHeading("续建", 2, None, True)),
        ("十一、城市更新类项目（共5个）", SectionHeading("城市更新", 1, 5, False)),
        ("新开工项目（18个）", SectionHeading("新开工", 2, 18, True)),
        ("年产3万吨光伏支架项目", None),
        ("一期工程", None),
    ],
)
def test_sections(text: str, expected: SectionHeading | None) -> None:
    assert parse_section(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("合计", TotalRow("合计", None)),
        ("合  计", TotalRow("合计", None)),
        ("合计（50个）", TotalRow("合计", 50)),
        ("小计", TotalRow("小计", None)),
        ("总计", TotalRow("合计", None)),
        ("全市合计", TotalRow("合计", None)),
        ("小计：", TotalRow("小计", None)),
        ("合计投资项目", None),
        ("合成氨项目", None),
    ],
)
def test_total_labels(text: str, expected: TotalRow | None) -> None:
    assert parse_total_label(text) == expected


def test_cell_text() -> None:
    assert cell_text(2024.0) == "2024"
    assert cell_text(3.6) == "3.6"
    assert cell_text("  甲公司\u3000") == "甲公司"
    assert cell_text("") is None
    assert cell_text(None) is None
    assert cell_text(dt.date(2024, 3, 1)) == "2024-03-01"
