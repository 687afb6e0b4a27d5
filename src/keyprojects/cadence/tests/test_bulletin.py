"""每月通报: the figures, the DOCX (opened with python-docx) and the XLSX (opened with openpyxl), the CLI, the pages.

The month is March 2024 in the test world's city (潍坊市): 潍城区 with the five projects of builders.py, 寒亭区 with
the world's project. Plans 90,000 + 50,000 万元; 本年完成投资 at the end of March 17,200 + 3,000 万元; 31 March is day
91 of the leap year, so the plan due is P × 91/366.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Avg
from django.test import Client
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from keyprojects.accounts.choices import Role
from keyprojects.cadence.bulletin import bulletin_data
from keyprojects.cadence.bulletin_docx import bulletin_docx
from keyprojects.cadence.periods import Month
from keyprojects.cadence.tests.builders import Scenario
from keyprojects.cadence.tests.conftest import login
from keyprojects.cadence.workbooks import bulletin_xlsx
from keyprojects.ratings.models import WeeklyRating
from keyprojects.regions.models import Region

pytestmark = pytest.mark.django_db
MARCH = Month(2024, 3)
D = Decimal


def mean_score(path: str) -> str:
    """The month's mean weekly score of a region's projects, straight from the ratings."""
    value = WeeklyRating.objects.filter(
        week_start__in=[w.monday for w in MARCH.weeks()], project__region__path__startswith=path
    ).aggregate(m=Avg("score"))["m"]
    return str(D(str(value)).quantize(D("0.1"), rounding=ROUND_HALF_UP))


def city(month: Scenario) -> Region:
    return month.world.inside.region.parent  # type: ignore[return-value]


def test_the_figures_of_march(month: Scenario) -> None:
    data = bulletin_data(month.world.users[Role.ADMIN], MARCH, city(month))
    assert (data.title, data.doc_number, data.issuer, data.issued_on) == (
        "关于2024年3月份全市重点项目建设情况的通报",
        "潍重项办〔2024〕3号",
        "潍坊市重点项目建设工作领导小组办公室",
        dt.date(2024, 4, 1),
    )
    total = data.total
    assert (total.plan.projects, total.plan.plan_wan, total.plan.done_wan) == (6, D(140000), D(20200))
    assert total.plan.due_wan == D("14918.03") + D("7459.02") + D("12431.69")
    assert (total.plan.rate_due, total.plan.rate_year) == (D("58.0"), D("14.4"))
    assert (total.cards.blue, total.cards.yellow, total.cards.red) == (3, 0, 3)
    weicheng, hanting = sorted(data.regions, key=lambda g: g.label != "潍城区")
    assert (weicheng.plan.projects, weicheng.plan.rate_due, weicheng.cards.red) == (5, D("76.9"), 2)
    assert (hanting.plan.projects, hanting.plan.rate_due, hanting.cards.red) == (1, D("24.1"), 1)
    assert str(weicheng.cards.mean_score) == mean_score(month.world.inside.region.path)
    assert [r.rank for r in data.regions] == [1, 2]
    assert [r.label for r in data.units] == sorted(
        (r.label for r in data.units), key=lambda name: [u.label for u in data.units].index(name)
    )
    assert {u.label for u in data.units} == {"潍城区发展和改革局", "潍城区工业和信息化局", "寒亭区发展和改革局"}
    # In the official order of the regions (370702 潍城区, 370703 寒亭区), lowest score first.
    assert [r.name for r in data.red] == ["潍城新材料研发中心项目", "潍城冷链物流中心项目", "寒亭年产10万吨新材料项目"]
    p = data.problems
    assert (p.raised, p.direct, p.resolved, p.open_at_end, p.overdue_at_end, p.summoned) == (3, 1, 1, 2, 1, 0)


def test_a_district_bulletin_has_no_ranking_of_one(month: Scenario) -> None:
    data = bulletin_data(month.world.users[Role.SUPERVISOR], MARCH, month.world.inside.region)
    assert data.regions == []  # every project sits at 潍城区 itself
    assert data.title == "关于2024年3月份全区重点项目建设情况的通报"
    assert [u.label for u in data.units] and "寒亭区发展和改革局" not in [u.label for u in data.units]
    doc = Document(io.BytesIO(bulletin_docx(data)))
    headings = [p.text for p in doc.paragraphs if p.style and p.text[:2] in ("一、", "二、", "三、", "四、", "五、")]
    assert headings == [
        "一、总体情况", "二、责任单位推进情况", "三、红牌项目情况", "四、问题办理情况", "五、下步工作要求"
    ]
    assert "表1  责任单位重点项目推进情况排名" in [p.text for p in doc.paragraphs]


def east_asian_font(paragraph: object) -> str:
    run = paragraph.runs[0]  # type: ignore[attr-defined]
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_the_docx_is_a_government_bulletin(month: Scenario) -> None:
    data = bulletin_data(month.world.users[Role.ADMIN], MARCH, city(month))
    doc = Document(io.BytesIO(bulletin_docx(data)))
    texts = [p.text for p in doc.paragraphs]
    by_text = {p.text: p for p in doc.paragraphs if p.text}

    head = by_text["潍坊市重点项目建设工作领导小组办公室文件"]
    assert east_asian_font(head) == "方正小标宋简体" and str(head.runs[0].font.color.rgb) == "FF0000"
    number = by_text["潍重项办〔2024〕3号"]
    assert number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == "FF0000"  # the red rule
    for line in ("关于2024年3月份全市重点项目", "建设情况的通报"):
        assert east_asian_font(by_text[line]) == "方正小标宋简体"
        assert by_text[line].runs[0].font.size.pt == 22
    addressees = "各县市区人民政府、市属开发区管委会，市直有关部门："
    assert texts.index("关于2024年3月份全市重点项目") < texts.index(addressees)

    headings = [t for t in texts if t[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert headings == [
        "一、总体情况",
        "二、各县市区推进情况",
        "三、责任单位推进情况",
        "四、红牌项目情况",
        "五、问题办理情况",
        "六、下步工作要求",
    ]
    assert all(east_asian_font(by_text[h]) == "黑体" for h in headings)
    first_requirement = next(p for p in doc.paragraphs if p.text.startswith("（一）压实推进责任。"))
    assert east_asian_font(first_requirement) == "楷体_GB2312"
    overview = texts[texts.index("一、总体情况") + 1]
    assert overview == (
        "截至2024年3月31日，全市列入2024年度计划的重点项目6个，年度计划投资14.00亿元，本年累计完成投资2.02亿元，"
        "占年度计划的14.4%，为序时进度的58.0%。按第13周（3月25日—3月31日）评价结果，亮蓝牌3个、黄牌0个、红牌3个；"
        f"本月5周平均得分{mean_score(city(month).path)}分。"
    )
    assert east_asian_font(by_text[overview]) == "仿宋_GB2312" and by_text[overview].runs[0].font.size.pt == 16
    assert texts[texts.index("四、红牌项目情况") + 1] == (
        "本月末红牌项目3个，其中潍城区2个、寒亭区1个。连续亮红牌、已下发督办通知的2个，"
        "其中经督办仍无明显进展、列入约谈名单的2个。红牌项目名单见附件。"
    )
    assert texts[texts.index("二、各县市区推进情况") + 1] == "按本月平均得分排序，依次为潍城区、寒亭区。具体情况见表1。"
    problems = texts[texts.index("五、问题办理情况") + 1]
    assert problems.startswith("本月新提出问题3个（其中直通车1个），办结1个，销号0个；月末尚未办结2个，其中逾期1个")

    regions, units, red, colophon = doc.tables
    assert [c.text for c in regions.rows[0].cells] == [
        "排名", "区域", "项目数", "蓝牌", "黄牌", "红牌", "平均得分",
        "年度计划（亿元）", "本年完成（亿元）", "序时进度完成率",
    ]
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in regions.rows[1:]}
    weicheng = mean_score(month.world.inside.region.path)
    assert rows["潍城区"] == ["1", "潍城区", "5", "3", "0", "2", weicheng, "9.00", "1.72", "76.9%"]
    hanting = mean_score(month.world.outside.region.path)
    assert rows["寒亭区"][2:] == ["1", "0", "0", "1", hanting, "5.00", "0.30", "24.1%"]
    assert len(units.rows) == 1 + 3
    assert regions.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # the header repeats on every page
    assert [r.cells[1].text for r in red.rows[1:]] == [
        "潍城新材料研发中心项目",
        "潍城冷链物流中心项目",
        "寒亭年产10万吨新材料项目",
    ]
    silent = [c.text for c in red.rows[1].cells]
    assert silent[2:7] == ["潍城区", "潍城区工业和信息化局", "潍城第二领导", silent[5], "5"]
    assert silent[7].startswith("【直接红牌】连续2周未报送周报")
    assert colophon.rows[0].cells[0].text == "抄送：市委办公室，市人大常委会办公室，市政府办公室，市政协办公室。"
    assert colophon.rows[1].cells[0].text == "潍坊市重点项目建设工作领导小组办公室\t2024年4月1日印发"

    assert "附件：2024年3月份红牌项目名单" in texts
    signature = texts.index("潍坊市重点项目建设工作领导小组办公室")
    assert texts[signature + 1] == "2024年4月1日"
    assert "2024年3月份红牌项目名单" in texts and "（第13周评价结果，共3个）" in texts

    body, attachment, last = doc.sections
    def mm(*lengths: object) -> tuple[float, ...]:
        return tuple(round(length.mm) for length in lengths)  # type: ignore[attr-defined]

    assert mm(body.page_width, body.page_height) == (210, 297)
    assert mm(body.top_margin, body.bottom_margin, body.left_margin, body.right_margin) == (37, 35, 28, 26)
    assert mm(attachment.page_width, attachment.page_height) == (297, 210)  # the red list is landscape
    assert mm(last.page_width, last.page_height) == (210, 297)
    assert doc.settings.odd_and_even_pages_header_footer
    footer = body.footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert 'w:instrText' in footer._p.xml and " PAGE " in footer._p.xml


def test_the_xlsx(month: Scenario) -> None:
    data = bulletin_data(month.world.users[Role.ADMIN], MARCH, city(month))
    book = openpyxl.load_workbook(io.BytesIO(bulletin_xlsx(data)))
    assert book.sheetnames == ["通报概况", "区域排名", "责任单位排名", "红牌项目"]
    overview = book["通报概况"]
    assert overview["A1"].value == "关于2024年3月份全市重点项目建设情况的通报"
    assert [overview.cell(4, c).value for c in range(1, 8)] == [
        "列入计划项目（个）", "年度计划投资（亿元）", "本年完成投资（亿元）", "序时进度完成率",
        "蓝牌（个）", "黄牌（个）", "红牌（个）",
    ]
    values = [overview.cell(5, c).value for c in range(1, 8)]
    assert values[:3] == [6, 14, 2.02] and round(values[3], 3) == 0.58 and values[4:] == [3, 0, 3]
    assert overview.cell(5, 7).fill.fgColor.rgb == "FFDC3545"  # the red card is red
    assert overview.cell(5, 4).number_format == "0.0%"

    regions = book["区域排名"]
    assert regions.freeze_panes == "C4"
    header = [c.value for c in regions[3]]
    assert header[:7] == ["排名", "区域", "项目数", "蓝牌", "黄牌", "红牌", "平均得分"]
    assert regions.cell(3, 4).fill.fgColor.rgb == "FF0D6EFD" and regions.cell(3, 6).fill.fgColor.rgb == "FFDC3545"
    weicheng = [c.value for c in regions[4]]
    assert weicheng[:6] == [1, "潍城区", 5, 3, 0, 2]
    assert weicheng[7:11] == [90000, 22377.05, 17200, pytest.approx(0.769)]
    assert regions.cell(4, 8).number_format == "#,##0.00" and regions.cell(4, 11).number_format == "0.0%"
    total = [c.value for c in regions[6]]
    assert total[0] == "合计" and total[2:6] == [6, 3, 0, 3] and total[7] == 140000
    red = book["红牌项目"]
    assert [red.cell(r, 3).value for r in range(4, 7)] == [
        "潍城新材料研发中心项目",
        "潍城冷链物流中心项目",
        "寒亭年产10万吨新材料项目",
    ]
    assert red.freeze_panes == "C4"


def test_the_cli_writes_both_files(month: Scenario, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("bulletin", month="2024-03", out=str(tmp_path), region="370700", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "关于2024年3月份全市重点项目建设情况的通报（潍重项办〔2024〕3号）"
    assert lines[1] == "  项目 6 个；蓝牌 3，黄牌 0，红牌 3"
    stem = "潍坊市2024年3月重点项目建设情况通报"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{stem}.docx", f"{stem}.xlsx"]
    assert Document(str(tmp_path / f"{stem}.docx")).tables[0].rows[1].cells[1].text == "潍城区"
    with pytest.raises(Exception, match="“2024-3x”不是有效的月份"):
        call_command("bulletin", month="2024-3x", out=str(tmp_path))


def test_pages_and_downloads(month: Scenario) -> None:
    client = login(Client(), month.world, Role.SUPERVISOR)
    page = client.get(reverse("cadence:bulletin"), {"month": "2024-03"})
    text = page.content.decode()
    assert page.status_code == 200 and "关于2024年3月份全区重点项目建设情况的通报" in text
    assert "潍城冷链物流中心项目" in text and "寒亭年产10万吨新材料项目" not in text
    docx = client.get(reverse("cadence:bulletin_docx"), {"month": "2024-03"})
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "filename*=UTF-8''" in docx["Content-Disposition"]
    assert "潍重项办〔2024〕3号" in [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    xlsx = client.get(reverse("cadence:bulletin_xlsx"), {"month": "2024-03"})
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["通报概况", "责任单位排名", "红牌项目"]
    # 寒亭区 is outside a 潍城区 supervisor's scope: the form falls back to his own district.
    other = client.get(reverse("cadence:bulletin"), {"month": "2024-03", "region": month.world.outside.region.pk})
    assert "寒亭年产10万吨新材料项目" not in other.content.decode()
    api = Client(headers={"Authorization": f"Bearer {month.world.tokens[Role.SUPERVISOR]}"})
    assert api.get(f"/api/cadence/bulletin?month=2024-03&region_id={month.world.outside.region.pk}").status_code == 404
    body = api.get("/api/cadence/bulletin?month=2024-03").json()
    assert (body["total"]["projects"], body["total"]["red"], body["week"]) == (5, 2, "2024-W13")
    assert api.get("/api/cadence/bulletin?month=2024-3x").status_code == 422


def test_the_bulletin_page_runs_a_fixed_number_of_queries(month: Scenario) -> None:
    from keyprojects.cadence.tests.builders import build_more_reds
    from keyprojects.core.testing.queries import count_queries

    client = login(Client(), month.world, Role.SUPERVISOR)
    url = reverse("cadence:bulletin") + "?month=2024-03"
    before = count_queries(lambda: client.get(url))
    build_more_reds(month)  # two more red projects, another unit's problems
    assert count_queries(lambda: client.get(url)) == before == 16
