"""Row handling of the list import: totals and sections checked, row errors with row, column and reason, the header
mapping and its corrections."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keyprojects.projects.listfile import ListFileError, ParseOptions, Severity, parse_list
from keyprojects.projects.tests.listfile_builders import HEADER, csv_bytes, ods_bytes, small_list, xlsx_bytes


def messages(data: bytes, options: ParseOptions | None = None, name: str = "list.xlsx") -> list[str]:
    return [str(issue) for issue in parse_list(data, name, options).all_issues()]


def test_a_consistent_small_list_has_no_issue() -> None:
    result = parse_list(xlsx_bytes(small_list()), "list.xlsx")
    assert [(r.name, r.total_investment_wan, r.annual_plan_wan, r.industry) for r in result.rows] == [
        ("甲项目", Decimal("15000"), Decimal("5000"), "高端装备"),
        ("乙项目", Decimal("20000"), Decimal("7000"), "高端装备"),
    ]
    assert [r.row for r in result.rows] == [5, 6]
    assert result.all_issues() == []


def test_a_total_that_does_not_match_the_rows_is_a_warning_with_its_row() -> None:
    # given a 合计 of 3.6亿元 over rows summing to 3.5亿元 (the unit comes from the note "单位：亿元")
    result = parse_list(xlsx_bytes(small_list(total=3.6)), "list.xlsx")
    # then the rows still import, and the mismatch names row 7 and the column
    assert len(result.good_rows) == 2
    assert [str(i) for i in result.all_issues()] == [
        "第7行“总投资”列（G列）：“合计”的总投资为36000万元，与所列2个项目之和35000万元不符（相差-1000万元）"
    ]
    assert result.all_issues()[0].severity is Severity.WARNING


def test_a_rounded_total_within_its_last_digit_is_not_a_mismatch() -> None:
    rows = [
        [1, "甲项目", "甲公司", "潍城区", "厂房", "2024", 1.234, 0.5, "新开工"],
        [2, "乙项目", "乙公司", "潍城区", "厂房", "2024", 1.001, 0.5, "新开工"],
    ]
    assert messages(xlsx_bytes(small_list(total=2.24, annual=1.0, rows=rows))) == []
    assert messages(xlsx_bytes(small_list(total=2.25, annual=1.0, rows=rows))) == [
        "第7行“总投资”列（G列）：“合计”的总投资为22500万元，与所列2个项目之和22350万元不符（相差-150万元）"
    ]


def test_subtotals_are_checked_per_section_and_the_total_on_top_against_all_rows() -> None:
    rows = [
        ["寒亭区2024年重点项目计划表"],
        ["序号", "项目名", "项目单位", "所在地", "建设年限", "计划总投资（万元）", "年度计划投资（万元）", "建设性质"],
        [None, "合计（3个）", None, None, None, 600, 250],
        [None, "（一）新开工项目（2个）"],
        [1, "甲项目", "甲公司", "寒亭区固堤街道", "2024", 100, 50, None],
        [2, "乙项目", "乙公司", "寒亭区开元街道", "2024", 200, 100, "新开工"],
        [None, "小计", None, None, None, 300, 150],
        [None, "（二）续建项目（2个）"],
        [1, "丙项目", "丙公司", "寒亭区朱里街道", "2023-2025", 300, 100, None],
        [None, "小计", None, None, None, 310, 150],
    ]
    result = parse_list(xlsx_bytes(rows), "list.xlsx")
    assert [(r.name, r.category) for r in result.rows] == [
        ("甲项目", "新开工"),
        ("乙项目", "新开工"),
        ("丙项目", "续建"),
    ]
    assert [str(i) for i in result.all_issues()] == [
        "第8行：“（二）续建项目（2个）”标明2个项目，其下实际有1个",
        "第10行“计划总投资（万元）”列（F列）：“小计”的总投资为310万元，与所列1个项目之和300万元不符（相差-10万元）",
        "第10行“年度计划投资（万元）”列（G列）：“小计”的年度计划投资为150万元，与所列1个项目之和100万元不符（相差-50万元）",
    ]


def test_row_errors_name_the_row_the_column_and_the_reason() -> None:
    rows = [
        [1, "甲项目", "甲公司", "潍城区于河街道", "厂房", "待定", "约两亿元左右", 0.5, "新开工"],
        [2, "乙项目", "乙公司", "长松路以东", "厂房", "2024", 2, 0.7, "续建"],
        [3, None, "丙公司", "潍城区", "厂房", "2024", 1, 0.2, "续建"],
        [4, "丁项目", "丁公司", "高新区", "厂房", "2025-2024", 1, 0.2, "续建"],
    ]
    result = parse_list(xlsx_bytes(small_list(total=None, annual=None, rows=rows)), "list.xlsx")
    assert [str(i) for i in result.all_issues()] == [
        "第5行“建设起止年限”列（F列）：“待定”中没有四位数的年份",
        "第5行“总投资”列（G列）：“约两亿元左右”不是可识别的金额",
        "第6行“建设地点”列（D列）：无法从“长松路以东”识别山东省的区县",
        "第7行“项目名称”列（B列）：项目名称为空",
        "第8行“建设地点”列（D列）：“高新区”可能指济南高新技术产业开发区、青岛高新技术产业开发区、烟台高新技术产业开发区、"
        "潍坊市高新区、济宁高新技术产业开发区、临沂高新技术产业开发区、菏泽高新技术开发区，无法确定，请写明所属市或区县",
        "第8行“建设起止年限”列（F列）：“2025-2024”的结束年份早于开始年份",
    ]
    assert result.good_rows == []
    assert [r.row for r in result.bad_rows] == [5, 6, 7, 8]


def test_ambiguous_places_resolve_inside_the_import_scope() -> None:
    rows = [
        [1, "丁项目", "丁公司", "高新区清池街道", "厂房", "2024", 1, 0.2, "续建"],
        [2, "戊项目", "戊公司", "开元街道", "厂房", "2024", 1, 0.2, "续建"],
    ]
    result = parse_list(
        xlsx_bytes(small_list(total=None, annual=None, rows=rows)), "list.xlsx", ParseOptions(within="370700")
    )
    assert [(r.region_name, r.region_code) for r in result.rows] == [("高新区", "3707Z1"), ("寒亭区", "370703")]


def test_a_place_outside_the_import_scope_is_an_error() -> None:
    rows = [[1, "甲项目", "甲公司", "聊城市临清市", "厂房", "2024", 1, 0.2, "续建"]]
    result = parse_list(
        xlsx_bytes(small_list(total=None, annual=None, rows=rows)), "list.xlsx", ParseOptions(within="370700")
    )
    assert [str(i) for i in result.all_issues()] == [
        "第5行“建设地点”列（D列）：无法从“聊城市临清市”识别潍坊市范围内的区县"
    ]


def test_region_column_and_address_combine_and_conflicts_are_reported() -> None:
    rows = [
        ["序号", "项目名称", "所在县市区", "建设地点", "总投资（万元）"],
        [1, "甲项目", "潍坊市", "潍城区于河街道", 100],
        [2, "乙项目", "寒亭区", "坊子区凤凰街道", 100],
        [3, "丙项目", "寒亭区", "海龙路以西", 100],
    ]
    result = parse_list(xlsx_bytes(rows), "list.xlsx")
    assert [r.region_name for r in result.rows] == ["潍城区", None, "寒亭区"]
    assert [str(i) for i in result.all_issues()] == [
        "第3行“所在县市区”列（C列）：所在县市区“寒亭区”与建设地点“坊子区凤凰街道”不一致"
    ]


def test_a_region_code_column_wins_and_is_validated() -> None:
    rows = [
        ["项目名称", "所在县市区", "区划代码", "总投资（万元）"],
        ["甲项目", "潍坊市高新区", "3707Z1", 100],
        ["乙项目", "某地", "999999", 100],
    ]
    result = parse_list(xlsx_bytes(rows), "list.xlsx")
    assert (result.rows[0].region_name, result.rows[0].region_code) == ("高新区", "3707Z1")
    assert [str(i) for i in result.all_issues()] == [
        "第3行“区划代码”列（C列）：区划代码“999999”不是山东省的市、县（市、区）或功能区"
    ]


def test_the_same_project_twice_is_an_error_on_the_second_row() -> None:
    rows = [
        [1, "甲项目", "甲公司", "潍城区", "厂房", "2024", 1, 0.2, "续建"],
        [2, "甲项目", "甲公司", "潍坊市潍城区", "厂房", "2024", 1, 0.2, "续建"],
        [3, "甲项目", "甲公司", "寒亭区", "厂房", "2024", 1, 0.2, "续建"],
    ]
    result = parse_list(xlsx_bytes(small_list(total=None, annual=None, rows=rows)), "list.xlsx")
    assert [str(i) for i in result.all_issues()] == ["第6行“项目名称”列（B列）：与第5行是同一个项目（重复）"]


def test_plan_above_total_is_a_warning() -> None:
    rows = [[1, "甲项目", "甲公司", "潍城区", "厂房", "2024", 1, 1.5, "续建"]]
    result = parse_list(xlsx_bytes(small_list(total=None, annual=None, rows=rows)), "list.xlsx")
    assert [str(i) for i in result.all_issues()] == ["第5行“2024年计划投资”列（H列）：年度计划投资大于总投资"]
    assert len(result.good_rows) == 1


def test_amounts_without_any_unit_are_wan_with_one_warning_per_column() -> None:
    rows = [
        ["项目名称", "建设地点", "总投资", "年度计划投资"],
        ["甲项目", "潍城区", 100000, "5亿元"],
        ["乙项目", "潍城区", 200, 30],
    ]
    result = parse_list(csv_bytes(rows), "list.csv", ParseOptions(year=2024))
    assert [(r.total_investment_wan, r.annual_plan_wan) for r in result.rows] == [
        (Decimal(100000), Decimal(50000)),
        (Decimal(200), Decimal(30)),
    ]
    assert [str(i) for i in result.all_issues()] == [
        "第2行“总投资”列（C列）：该列和表头都未注明金额单位，按万元计",
        "第3行“年度计划投资”列（D列）：该列和表头都未注明金额单位，按万元计",
    ]
    assert result.plan_year == 2024


def test_the_plan_year_must_agree_with_the_header() -> None:
    with pytest.raises(ListFileError) as caught:
        parse_list(xlsx_bytes(small_list()), "list.xlsx", ParseOptions(year=2025))
    assert str(caught.value) == "表头“2024年计划投资”是2024年的计划，与指定的年度2025不一致"


def test_notes_blank_lines_repeated_headers_and_footers_are_skipped() -> None:
    rows = [
        ["序号", "项目名称", "建设单位", "建设地点", "总投资（万元）"],
        [1, "甲项目", "甲公司", "潍城区", 100],
        [None, None, None, None, None],
        ["序号", "项目名称", "建设单位", "建设地点", "总投资（万元）"],
        [2, "乙项目", "乙公司", "潍城区", 100],
        ["备注：1.序号空缺的项目已调出名单"],
        ["制表：市发展改革委"],
        ["第1页"],
    ]
    result = parse_list(csv_bytes(rows), "list.csv")
    assert [r.name for r in result.rows] == ["甲项目", "乙项目"]
    assert [str(i) for i in result.all_issues()] == ["第8行：无法识别的行“第1页”，已跳过"]


def test_unit_in_a_row_under_the_header() -> None:
    rows = [
        ["项目名称", "建设地点", "总投资", "年度计划投资"],
        [None, None, "亿元", "万元"],
        ["甲项目", "潍城区", 1.5, 300],
    ]
    result = parse_list(xlsx_bytes(rows), "list.xlsx")
    assert result.header_rows == (1, 2)
    assert (result.rows[0].total_investment_wan, result.rows[0].annual_plan_wan) == (Decimal(15000), Decimal(300))


def test_synonyms_ignore_case_spacing_width_and_line_breaks() -> None:
    rows = [
        [
            "项 目 名 称",
            "项目\n单位",
            "所在县（市、区）",
            "计划总投资\n（亿元）",
            "２０２４年度计划投资(万元)",
            "建设性质",
            "产业领域",
            "项目级别",
            "建设起止年限",
        ],
        ["甲项目", "甲公司", "潍城区", 1.5, 300, "新开工", "高端装备", "市重点", "2024—2025年"],
    ]
    result = parse_list(xlsx_bytes(rows), "list.xlsx")
    assert [c.field for c in result.columns] == [
        "name",
        "owner",
        "region",
        "total_investment",
        "annual_plan",
        "category",
        "industry",
        "level",
        "years",
    ]
    assert result.plan_year == 2024
    row = result.rows[0]
    assert (
        row.owner,
        row.region_name,
        row.total_investment_wan,
        row.annual_plan_wan,
        row.category,
        row.industry,
        row.level,
        row.start_year,
        row.end_year,
    ) == ("甲公司", "潍城区", Decimal(15000), Decimal(300), "新开工", "高端装备", "市重点", 2024, 2025)


def test_an_unknown_header_can_be_mapped_by_label_or_letter_and_columns_ignored() -> None:
    rows = [["工程名称", "业主", "位置", "总投资（万元）", "计划投资（万元）"], ["甲项目", "甲公司", "潍城区", 100, 20]]
    data = xlsx_bytes(rows)
    # without a mapping the header is not found: "工程名称" is not a known synonym
    with pytest.raises(ListFileError, match="未找到表头"):
        parse_list(data, "list.xlsx")
    mapping = {"工程名称": "name", "C": "address", "计划投资（万元）": "annual_plan", "业主": ""}
    result = parse_list(data, "list.xlsx", ParseOptions(mapping=mapping, year=2024))
    assert [c.field for c in result.columns] == ["name", None, "address", "total_investment", "annual_plan"]
    row = result.rows[0]
    assert (row.name, row.owner, row.region_name, row.annual_plan_wan) == ("甲项目", None, "潍城区", Decimal(20))
    assert result.columns[4].unit == "万元"


def test_a_mapped_field_is_taken_away_from_the_column_that_had_it() -> None:
    rows = [["项目名称", "建设地点", "所在地", "总投资（万元）"], ["甲项目", "长松路以东", "潍城区", 100]]
    result = parse_list(xlsx_bytes(rows), "list.xlsx", ParseOptions(mapping={"C": "address"}))
    assert [c.field for c in result.columns] == ["name", None, "address", "total_investment"]
    assert result.rows[0].region_name == "潍城区"


def test_a_district_list_without_location_column_uses_the_import_scope() -> None:
    rows = [["项目名称", "建设单位", "总投资（万元）", "建设年限"], ["甲项目", "甲公司", 100, "2024"]]
    with pytest.raises(ListFileError) as caught:
        parse_list(xlsx_bytes(rows), "list.xlsx")
    assert str(caught.value) == "表头中没有“建设地点”“所在县市区”或“区划代码”列，无法确定项目所属区县"
    result = parse_list(xlsx_bytes(rows), "list.xlsx", ParseOptions(within="370703"))
    assert (result.rows[0].region_name, result.rows[0].region_code) == ("寒亭区", "370703")


def test_two_row_header_in_ods_finds_the_parent_group_without_merge_information() -> None:
    rows = [
        ["单位：万元"],
        ["项目名称", "建设地点", "投资（亿元）", None, "项目类型"],
        [None, None, "总投资", "2024年计划投资", None],
        ["甲项目", "潍城区", 1.5, 0.5, "新开工"],
    ]
    result = parse_list(ods_bytes(rows), "list.ods")
    assert [(c.label, c.field, c.unit) for c in result.columns] == [
        ("项目名称", "name", None),
        ("建设地点", "address", None),
        ("投资（亿元）/总投资", "total_investment", "亿元"),
        ("投资（亿元）/2024年计划投资", "annual_plan", "亿元"),
        ("项目类型", "category", None),
    ]
    assert (result.rows[0].total_investment_wan, result.rows[0].annual_plan_wan) == (Decimal(15000), Decimal(5000))


def test_merged_cells_over_several_project_rows_fill_each_row_only_for_the_header() -> None:
    # a vertically merged owner cell gives its value to the first row only: the others are blank, not guessed
    rows = [
        ["项目名称", "建设单位", "建设地点", "总投资（万元）"],
        ["甲项目", "甲公司", "潍城区", 100],
        ["乙项目", None, "潍城区", 100],
    ]
    result = parse_list(xlsx_bytes(rows, merges=["B2:B3"]), "list.xlsx")
    assert [r.owner for r in result.rows] == ["甲公司", None]


def test_progress_is_reported() -> None:
    calls: list[tuple[int, int]] = []
    body = [[i, f"项目{i}", "公司", "潍城区", "厂房", "2024", 1, 0.5, "新开工"] for i in range(1, 451)]
    rows = [HEADER, *body]
    parse_list(csv_bytes(rows), "list.csv", ParseOptions(progress=lambda done, total: calls.append((done, total))))
    assert calls == [(200, 450), (400, 450), (450, 450)]
