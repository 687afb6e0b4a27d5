"""Money, counts and dates as reports write them. No database."""

import datetime as dt
from decimal import Decimal

import pytest

from keyprojects.intake.amounts import find_counts, find_money, json_number
from keyprojects.intake.dates import context_year, find_dates, vague_time


@pytest.mark.parametrize(("text", "wan", "qualifier", "threshold"), [
    ("总投资103.3亿元", Decimal("1033000"), "", False),
    ("总投资27亿多元的", Decimal("270000"), "多", False),
    ("总投资8000多万元", Decimal("8000"), "多", False),
    ("总投资1.2万亿元", Decimal("120000000"), "", False),
    ("总产值超1420多亿元", Decimal("14200000"), "超", False),
    ("投资十五亿元", Decimal("150000"), "", False),
    ("投资三千万元", Decimal("3000"), "", False),
    ("投资3.6千万元", Decimal("3600"), "", False),
    ("投资1,500万元", Decimal("1500"), "", False),
    ("签约金额总计47.95亿元人民币", Decimal("479500"), "", False),
    ("投资5亿元以上项目93个", Decimal("50000"), "以上", True),
    ("力争全年完成投资170亿元以上。", Decimal("1700000"), "以上", False),
])
def test_money(text: str, wan: Decimal, qualifier: str, threshold: bool) -> None:
    [money] = find_money(text)
    assert (money.wan, money.qualifier, money.threshold) == (wan, qualifier, threshold)


@pytest.mark.parametrize("text", ["年发电量可达1.38亿千瓦时", "实施192个过千万元重点项目", "单个投资都在亿元以上"])
def test_not_money(text: str) -> None:
    assert find_money(text) == []


@pytest.mark.parametrize(("text", "value", "classifier", "qualifier"), [
    ("集中开工215个重大项目", 215, "个", ""), ("签约落地产业项目近500项", 500, "项", "近"),
    ("开竣工项目980个以上", 980, "个", "以上"), ("三条世界级生产线", 3, "条", ""), ("技改项目1.2万个左右", 12000, "个", "左右"),  # noqa: E501 (Chinese text is double width)
])
def test_counts(text: str, value: int, classifier: str, qualifier: str) -> None:
    count = find_counts(text)[0]
    assert (count.value, count.classifier, count.qualifier) == (value, classifier, qualifier)


def test_json_number() -> None:
    assert (json_number(Decimal("818000")), json_number(Decimal("0.5"))) == (818000, 0.5)


def test_dates_resolve_against_the_publication_date() -> None:
    found = find_dates("今天（3月3日）上午，昨天，2月26日，2024年2月26日", dt.date(2020, 3, 3), None)
    assert [(d.date, d.basis) for d in found] == [
        (dt.date(2020, 3, 3), "published"), (dt.date(2020, 3, 2), "published"),
        (dt.date(2020, 2, 26), "published"), (dt.date(2024, 2, 26), "text")]


def test_a_later_day_than_the_paper_is_last_year() -> None:
    [found] = find_dates("12月30日", dt.date(2020, 1, 2), None)
    assert found.date == dt.date(2019, 12, 30)


def test_without_publication_date_the_year_comes_from_the_page_or_nothing() -> None:
    assert [(d.date, d.basis) for d in find_dates("2月26日，今天", None, 2024)] == [
        (dt.date(2024, 2, 26), "context"), (None, "")]
    assert [(d.date, d.basis) for d in find_dates("2月26日", None, None)] == [(None, "")]


@pytest.mark.parametrize(("text", "year"), [
    ("2024年春季推进会，2月26日举行。", 2024),
    ("2022年12月21日至2023年6月开展行动，2022中国农民合作社500强。", 2022),
    ("到2025年建成，2023年首轮擂台赛，2023年度需求。", 2023),
    ("没有年份。", None),
])
def test_context_year(text: str, year: int | None) -> None:
    assert context_year(text) == year


@pytest.mark.parametrize(("text", "vague"), [("日前集中开工", True), ("一季度215个", True), ("东博会期间", True),
                                             ("2月26日，坊子区", False)])
def test_vague_time(text: str, vague: bool) -> None:
    assert vague_time(text) is vague
