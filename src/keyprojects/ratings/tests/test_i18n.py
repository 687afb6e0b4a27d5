"""The ratings room in English: 每周梳理, the project panel, the export and `keyprojects rate` follow the language
(Chinese stays the default); rating reasons are stored in Chinese whatever the language of the run and shown
translated; the English catalog is complete and compiled."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from keyprojects.accounts.choices import Role
from keyprojects.audit.models import AuditEntry
from keyprojects.core.testing.fixtures import PASSWORD, SYSTEM, World
from keyprojects.projects.choices import Level, MilestoneKind
from keyprojects.ratings import actions, reasons
from keyprojects.ratings.models import RatingRun, WeeklyRating
from keyprojects.ratings.scoring import Rules, RulesError
from keyprojects.ratings.tests.helpers import W12, W13, listed_projects

pytestmark = pytest.mark.django_db


def login(world: World, english: bool = False, role: str = Role.SUPERVISOR) -> Client:
    client = Client()
    assert client.login(username=world.users[role].username, password=PASSWORD)
    if english:
        client.cookies["django_language"] = "en"
    return client


def test_weekly_review_in_english_while_the_stored_reasons_stay_chinese(world: World) -> None:
    listed_projects(world, 2, invest_step=200)
    with translation.override("en"):  # rated by someone reading English: what is stored is Chinese all the same
        actions.do_rate_week(SYSTEM, W13)
    rating = WeeklyRating.objects.get(project=world.inside.project, week_start=W13.monday)
    assert rating.reason_list[0] == "【直接红牌】连续13周未报送周报"
    entry = AuditEntry.objects.filter(object_id=str(RatingRun.objects.get().pk)).latest("pk")
    assert entry.changes["结果"][1].startswith("2024-W13：共评定4个项目")

    url = reverse("ratings:weekly")
    english = login(world, english=True).get(url, {"week": "2024-W13"}).content.decode()
    assert "Weekly review" in english and "Red card" in english and "Export to Excel" in english
    assert "[Direct red card] No weekly report for 13 weeks in a row" in english
    assert "Week 13, 2024 (03.25–03.31)" in english
    assert "每周梳理" not in english and "【直接红牌】" not in english and "未报送周报" not in english
    chinese = login(world).get(url, {"week": "2024-W13"}).content.decode()
    assert "每周梳理" in chinese and "【直接红牌】连续13周未报送周报" in chinese and "红牌" in chinese
    assert "Weekly review" not in chinese and "Direct red card" not in chinese


def test_project_panel_and_override_in_english(world: World) -> None:
    for week in (W12, W13):
        actions.do_rate_week(SYSTEM, week)
    client = login(world, english=True)
    panel_url = reverse("ratings:project_panel", kwargs={"pk": world.inside.project.pk})
    panel = client.get(panel_url).content.decode()
    assert "Weekly score and blue/yellow/red card" in panel
    assert "2024-W13: Supervision notice (red card for 2 weeks in a row since Week 12, 2024" in panel
    assert '"score": "Score"' in panel  # the chart's words
    assert "2024-W13：督办" not in panel and "每周评分与蓝黄红牌" not in panel
    url = reverse("ratings:override", kwargs={"pk": world.inside.project.pk, "week": "2024-W13"})
    response = client.post(url, {"colour": "yellow", "reason": "已现场核实"}, follow=True)
    assert f"The 2024-W13 card of {world.inside.project.name} was changed to Yellow card." in response.content.decode()
    rating = WeeklyRating.objects.get(project=world.inside.project, week_start=W13.monday)
    assert rating.reason_list[-1].startswith("人工调整为黄牌：已现场核实（")  # stored in Chinese
    assert "Adjusted by hand to Yellow card: 已现场核实（" in client.get(panel_url).content.decode()
    assert "人工调整为黄牌：已现场核实（" in login(world).get(panel_url).content.decode()


def test_export_in_english(world: World) -> None:
    listed_projects(world, 1, invest_step=200)
    actions.do_rate_week(SYSTEM, W13)
    response = login(world, english=True).get(reverse("ratings:export"), {"week": "2024-W13", "colour": "red"})
    assert "weekly-review-2024-W13.xlsx" in response["Content-Disposition"]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Key projects Week 13, 2024 (03.25–03.31) Key project weekly review"
    assert rows[2][:4] == ["No.", "Project code", "Project name", "Region"]
    assert rows[3][2] == "潍城年产10万吨新材料项目" and rows[3][9] == "Red card"
    assert rows[3][11].startswith("[Direct red card] No weekly report for 13 weeks in a row; ")


def test_rate_command_in_english(world: World) -> None:
    out = StringIO()
    with translation.override("en"):
        call_command("rate", week="2024-W13", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:5] == [
        "2024-W13: projects rated: 2",
        "  Blue card 0",
        "  Yellow card 0",
        "  Red card 2",
        "  New supervision notices/summons 0",
    ]
    assert lines[5].startswith("  Time ") and lines[5].endswith(" s")


def test_rule_texts_and_errors_in_english(world: World) -> None:
    default = actions.ensure_default_rule_set(SYSTEM)
    client = login(world, english=True, role=Role.ADMIN)
    rules = client.get(reverse("ratings:rules")).content.decode()
    assert "Default scoring rules" in rules and "默认评分规则" not in rules
    detail = client.get(reverse("ratings:rule_detail", kwargs={"pk": default.pk})).content.decode()
    assert "Weight: investment" in detail and "Score thresholds" in detail and "Version 1 · " in detail
    assert "权重：投资完成" not in detail
    with translation.override("en"), pytest.raises(RulesError) as caught:
        Rules.from_params({"red_below": 90})
    assert caught.value.errors == {"red_below": "The red card threshold cannot be above the blue card threshold"}


# --- stored reasons ------------------------------------------------------------------------------------------------


def sample(template: reasons.Template) -> str:
    words = {"milestone": "开工", "group": "潍城区", "colour": "红牌", "note": "已核实（张三）", "level": "市重点"}
    values = {
        name: (reasons.REPORT_MISSING() if name == "reason" else words.get(name, 3))
        for name in template.pattern.groupindex
    }
    return template(**values)


@pytest.mark.parametrize("template", reasons.TEMPLATES, ids=lambda t: t.zh)
def test_every_stored_reason_reads_back(template: reasons.Template) -> None:
    line = sample(template)
    with translation.override("zh-hans"):
        assert reasons.reason_text(line) == line
    with translation.override("en"):
        shown = reasons.reason_text(line)
    assert shown != line and "%(" not in shown


def test_stored_reasons_in_english() -> None:
    with translation.override("en"):
        start = str(MilestoneKind.START.label)
        city = str(Level.CITY.label)
        assert reasons.reason_text("本年完成投资为计划进度的80%") == "Investment this year at 80% of the planned pace"
        assert reasons.reason_text("开工节点滞后1天完成") == f"{start} milestone completed 1 day late"
        assert reasons.reason_text("开工节点滞后19天完成") == f"{start} milestone completed 19 days late"
        assert reasons.reason_text("【直接红牌】问题逾期35天未解决（超过30天）") == (
            "[Direct red card] A problem unresolved 35 days past its deadline (more than 30 days)"
        )
        assert reasons.reason_text("【直接红牌】开工节点逾期32天（超过30天）") == (
            f"[Direct red card] {start} milestone 32 days overdue (more than 30 days)"
        )
        override = reasons.reason_text("人工调整为黄牌：开工节点逾期5天")
        assert override == "Adjusted by hand to Yellow card: 开工节点逾期5天"
        assert reasons.reason_text("在市重点项目11个项目中排第10名") == f"Ranked 10 of 11 projects in {city} projects"
        assert (
            reasons.reason_text("人工调整为黄牌：已核实（张三）") == "Adjusted by hand to Yellow card: 已核实（张三）"
        )
        assert reasons.reason_text("较早的写法") == "较早的写法"  # no template: shown as stored
        assert [(s.text, s.hard) for s in reasons.shown(["【直接红牌】连续2周未报送周报", "本周周报迟报"])] == [
            ("[Direct red card] No weekly report for 2 weeks in a row", True),
            ("This week's report was late", False),
        ]
        assert reasons.group_label("本区域") == "This region" and reasons.group_label("潍城区") == "潍城区"
