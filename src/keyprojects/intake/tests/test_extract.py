"""Extraction on texts written for these tests, in shapes the seeds do not have. No database."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from keyprojects.intake.evaluate import acceptance, evaluate_seeds
from keyprojects.intake.pipeline import process, records


def facts(text: str, published: dt.date | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    found = records(text, published=published)
    for record in found:
        for key in ("evidence", "evidence_start", "evidence_end"):
            record.pop(key)
    return [r for r in found if kind is None or r["kind"] == kind]


def test_one_line_signing_event_in_wan_with_published_date() -> None:
    text = "今天（4月8日），济宁市任城区集中签约项目12个，签约总额8600万元。"
    assert facts(text, dt.date(2023, 4, 8)) == [{
        "kind": "batch_event", "event": "集中签约", "region": "济宁市任城区", "region_code": "370811",
        "date": "2023-04-08", "project_count": 12, "total_investment_wan": 8600,
    }]


def test_the_site_named_in_the_sentence_before_is_the_events_venue() -> None:
    text = (
        "3月5日，寿光市在晨鸣纸业产业园项目现场，举行一季度重点项目建设推进会。"
        "推进会上，寿光市15个重大项目集中开工，总投资52亿元。"
        "寿光市在会议中心召开总结会。会后，寿光市另有3个项目集中签约，总投资6亿元。"
    )
    events = facts(text, dt.date(2024, 3, 6), kind="batch_event")
    assert [(e["event"], e["project_count"], e.get("venue")) for e in events] == [
        ("集中开工", 15, "晨鸣纸业产业园项目现场"),
        ("集中签约", 3, None),  # 会后 does not refer back to a site, and a 会议中心 is not one
    ]


def test_one_named_project_starting_is_a_project_fact_not_a_batch() -> None:
    text = (
        "记者从省交通运输厅了解到，潍坊至烟台高速公路改扩建工程今天（5月6日）开工建设，项目总投资98.6亿元，工期4年。"
        "这是今年全省开工的首条高速改扩建工程，工程总投资居全省首位。"
    )
    found = facts(text, dt.date(2024, 5, 6))
    assert [f["kind"] for f in found] == ["project"]
    assert (found[0]["name"], found[0]["investment_wan"]) == ("潍坊至烟台高速公路改扩建工程", 986000)
    # A count keeps a described start an event: 此次开工的项目共有28个
    text = "3月1日，临朐县一季度重点项目集中开工。此次开工的项目共有28个，总投资96亿元。"
    [event] = facts(text, dt.date(2024, 3, 1), kind="batch_event")
    assert (event["region"], event["project_count"], event["total_investment_wan"]) == ("临朐县", 28, 960000)


def test_the_amount_of_the_project_named_in_the_sentence_before() -> None:
    text = (
        "今天（9月3日），省重点水利工程——潍坊峡山水库增容工程通过竣工验收。"
        "该工程集防洪、供水、灌溉等效益于一体，工程总投资12.5亿元。"
    )
    [project] = facts(text, dt.date(2024, 9, 3), kind="project")
    assert (project["name"], project["investment_wan"]) == ("潍坊峡山水库增容工程", 125000)


def test_production_event_of_another_province_and_chinese_numerals() -> None:
    text = "昨天（6月30日），江苏常州十二个重点项目集中投产，总投资三十五亿元。"
    assert facts(text, dt.date(2022, 7, 1)) == [{
        "kind": "batch_event", "event": "集中投产", "region": "江苏常州", "date": "2022-06-30", "project_count": 12,
        "total_investment_wan": 350000,
    }]


def test_multi_line_column_layout_with_headline_after_the_body() -> None:
    text = (
        "　　本报讯 （记者 王 芳 李明）3月5\n日，临沂市兰山区举行2023年春季\n重点项目集中开工仪式。\n"
        "　　活动现场，兰山区集中开工项目\n31个，总投资86.5亿元，涉及先进制\n造业、现代物流等领域。\n\n"
        "兰山区31个项目集中开工\n"
    )
    processed = process(text)
    assert [a.title for a in processed.articles] == ["兰山区31个项目集中开工"]
    assert processed.articles[0].bylines[0].reporters == ("王芳", "李明")
    assert facts(text) == [{
        "kind": "batch_event", "event": "集中开工", "region": "临沂市兰山区", "region_code": "371302",
        "date": "2023-03-05", "date_basis": "context", "project_count": 31, "total_investment_wan": 865000,
    }]


def test_planned_and_subset_counts_are_not_events() -> None:
    text = ("今年诸城市春季集中开工项目65个，总投资285.9亿元，参加潍坊市集中开工项目20个，总投资151亿元。"
            "高新区将推动海王智慧医药产业基地等32个项目一季度开工建设，潍柴高端农业装备等40个项目年内建成投产。")
    events = facts(text, dt.date(2024, 2, 27), kind="batch_event")
    assert [(e["region"], e.get("project_count"), e.get("total_investment_wan")) for e in events] == [
        ("诸城市", 65, 2859000)]


def test_vague_time_leaves_the_date_out() -> None:
    text = "今天（1月6日），省里召开会议。日前，广东肇庆28个重大项目集中开工，总投资超过150亿元。"
    [event] = facts(text, dt.date(2022, 1, 6), kind="batch_event")
    assert "date" not in event
    assert (event["region"], event["project_count"], event["total_investment_wan"], event["qualifier"]) == (
        "广东肇庆", 28, 1500000, "超过")


def test_two_places_sharing_one_trigger_make_two_events() -> None:
    text = "几天前，河北保定12个项目、山西大同的9个项目集中开工。"
    assert [(e["region"], e["project_count"]) for e in facts(text, kind="batch_event")] == [("河北保定", 12),
                                                                                          ("山西大同", 9)]


def test_project_with_owner_investment_output_and_milestone() -> None:
    text = ("2月20日，由山东远航新材料有限公司投资12亿元建设的年产20万吨可降解塑料项目在寿光市正式开工。"
            "项目达产后，可实现年产值30亿元。")
    [project] = facts(text, dt.date(2024, 2, 21), kind="project")
    assert project == {
        "kind": "project", "name": "年产20万吨可降解塑料项目", "investment_wan": 120000,
        "owner": "山东远航新材料有限公司", "milestone": "开工", "date": "2024-02-20", "capacity": "年产20万吨",
        "region": "寿光市", "region_code": "370783", "annual_output_value_wan": 300000,
    }


def test_total_of_one_named_project_is_not_a_batch_total() -> None:
    text = "酒泉30个重大项目集中开工，总投资60亿元的张掖碳谷项目全面动工。"
    found = facts(text, kind=None)
    assert [(f["kind"], f.get("region"), f.get("project_count"), f.get("total_investment_wan"),
             f.get("investment_wan")) for f in found] == [
        ("batch_event", "酒泉", 30, None, None), ("project", "张掖", None, None, 600000)]


def test_pipeline_statistics_of_last_year() -> None:
    text = "据统计，去年全市新签约项目316个，新落地开工项目152个，新增到位资金286.4亿元。临沂市将继续发力。"
    [stat] = facts(text, dt.date(2024, 3, 1), kind="pipeline_stat")
    assert (stat["region"], stat["year"], stat["signed_count"], stat["started_count"], stat["funds_in_place_wan"]) == (
        "临沂市", 2023, 316, 152, 2864000)


def test_nothing_from_text_without_facts() -> None:
    text = "2019年度国家科学技术奖共评选出296个项目和12名科技专家。40家企业和机构集中签约第六届进博会。"
    assert facts(text, dt.date(2020, 1, 10)) == []


SHARED = Path(__file__).resolve().parents[5] / "shared"


@pytest.mark.skipif(not (SHARED / "intake" / "seed-facts.jsonl").exists(), reason="shared/ not beside the repository")
def test_seed_acceptance() -> None:
    ok, failures = acceptance(evaluate_seeds(SHARED))
    assert failures == []
    assert ok
