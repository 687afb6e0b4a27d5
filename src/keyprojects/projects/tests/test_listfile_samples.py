"""Every sample list in ../shared/data imports to exactly its .expected.jsonl (the acceptance contract)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keyprojects.projects.listfile import CONTRACT_KEYS, ParseOptions, parse_list, parse_list_file
from keyprojects.projects.tests.listfile_builders import SAMPLES, expected_rows, ods_bytes, sample_rows, xlsx_bytes

SAMPLE_FILES = ["2024-weifang-key-projects.xlsx", "hanting-district-list.xls", "liaocheng-list.csv"]
MONEY_KEYS = ("total_investment_wan", "annual_plan_wan")


def assert_rows_equal(actual: list[dict[str, object]], expected: list[dict[str, object]]) -> None:
    assert len(actual) == len(expected)
    for position, (got, want) in enumerate(zip(actual, expected, strict=True), start=1):
        for key, value in want.items():
            if key in MONEY_KEYS and value is not None:
                assert isinstance(got[key], Decimal), (position, key)
                assert got[key] == Decimal(str(value)), (position, key, got[key], value)
            else:
                assert got[key] == value, (position, key, got[key], value)


@pytest.mark.parametrize("sample", SAMPLE_FILES)
def test_sample_parses_to_expected_rows(sample: str) -> None:
    # given a sample list, when it is parsed
    result = parse_list_file(SAMPLES / sample)
    # then every row equals the expected row field by field, with no error or warning
    assert_rows_equal([r.contract() for r in result.rows], expected_rows(sample))
    assert result.all_issues() == []
    assert list(result.rows[0].contract()) == list(CONTRACT_KEYS)


def test_contract_keys_are_the_readme_keys_plus_region_code() -> None:
    readme_keys = list(expected_rows(SAMPLE_FILES[0])[0])
    assert [k for k in CONTRACT_KEYS if k != "region_code"] == readme_keys
    assert CONTRACT_KEYS.index("region_code") == CONTRACT_KEYS.index("region_name") + 1


def test_weifang_layout_is_read_from_the_merged_two_row_header() -> None:
    result = parse_list_file(SAMPLES / "2024-weifang-key-projects.xlsx")
    assert result.format == "xlsx"
    assert result.title == "2024年潍坊市重点项目名单"
    assert result.header_rows == (3, 4)
    assert result.plan_year == 2024
    columns = {c.field: c for c in result.columns if c.field}
    assert (columns["total_investment"].letter, columns["total_investment"].unit) == ("G", "亿元")
    assert (columns["annual_plan"].label, columns["annual_plan"].unit) == ("投资（亿元）/2024年计划投资", "亿元")
    assert columns["leader"].letter == "J" and columns["unit"].letter == "K"
    # row numbers are Excel's: the first project is on row 6, under the section heading on row 5
    assert result.rows[0].row == 6
    assert result.rows[-1].row == 93
    assert sum(r.total_investment_wan or 0 for r in result.rows) == Decimal("7576700")
    assert sum(r.annual_plan_wan or 0 for r in result.rows) == Decimal("2399500")
    seed = next(r for r in result.rows if r.name == "年产4000套冲压模具及零部件项目")
    assert (seed.owner, seed.region_name, seed.region_code, seed.total_investment_wan) == (
        "昌乐瑞欣机械科技有限公司",
        "昌乐县",
        "370725",
        Decimal("36000"),
    )
    assert seed.leader is not None and seed.unit is not None


def test_weifang_region_codes_cover_districts_zones_and_the_city() -> None:
    result = parse_list_file(SAMPLES / "2024-weifang-key-projects.xlsx")
    codes = {r.region_code for r in result.rows}
    assert {"3707Z1", "3707Z2", "3707Z3", "370772", "370700"} <= codes
    assert len(codes) == 17


def test_hanting_sections_give_the_category_when_the_column_is_blank() -> None:
    result = parse_list_file(SAMPLES / "hanting-district-list.xls")
    assert result.format == "xls"
    assert result.header_rows == (2,)
    categories = [r.category for r in result.rows]
    assert (categories.count("新开工"), categories.count("续建"), categories.count("建成投产")) == (18, 20, 12)
    assert {r.region_code for r in result.rows} == {"370703"}


def test_hanting_resolves_the_same_inside_its_own_district() -> None:
    inside = parse_list_file(SAMPLES / "hanting-district-list.xls", ParseOptions(within="370703"))
    assert_rows_equal([r.contract() for r in inside.rows], expected_rows("hanting-district-list.xls"))


def test_liaocheng_is_gbk_with_units_in_cells() -> None:
    data = (SAMPLES / "liaocheng-list.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = parse_list(data, "liaocheng-list.csv")
    assert result.format == "csv"
    levels = [r.level for r in result.rows]
    assert (levels.count("省重点"), levels.count("市重点"), levels.count(None)) == (11, 50, 3)
    seed = next(r for r in result.rows if r.name == "奥博生物新型糖醇及氨基酸智造项目")
    assert (seed.total_investment_wan, seed.region_name, seed.owner) == (Decimal("516000"), "高唐县", None)


def test_weifang_rebuilt_as_ods_without_merge_information_parses_the_same() -> None:
    # given the city list as .ods: calamine gives no merged ranges, so the parent header "投资（亿元）" over two
    # columns must be found from the layout alone
    data = ods_bytes(sample_rows("2024-weifang-key-projects.xlsx"))
    result = parse_list(data, "list.ods")
    assert result.format == "ods"
    assert_rows_equal([r.contract() for r in result.rows], expected_rows("2024-weifang-key-projects.xlsx"))


def test_hanting_rebuilt_as_xlsx_parses_the_same() -> None:
    data = xlsx_bytes(sample_rows("hanting-district-list.xls"))
    result = parse_list(data, "list.xlsx")
    assert_rows_equal([r.contract() for r in result.rows], expected_rows("hanting-district-list.xls"))
    assert result.all_issues() == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_liaocheng_in_other_encodings_parses_the_same(encoding: str) -> None:
    text = (SAMPLES / "liaocheng-list.csv").read_bytes().decode("gbk")
    result = parse_list(text.encode(encoding), "list.csv")
    assert_rows_equal([r.contract() for r in result.rows], expected_rows("liaocheng-list.csv"))


def test_liaocheng_tab_separated_parses_the_same() -> None:
    text = (SAMPLES / "liaocheng-list.csv").read_bytes().decode("gbk")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
    result = parse_list(out.getvalue().encode("utf-8"), "list.txt")
    assert_rows_equal([r.contract() for r in result.rows], expected_rows("liaocheng-list.csv"))
