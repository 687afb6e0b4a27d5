"""The cadence in a browser: the home page's charts, the dispatch agenda turned into a meeting with a decision, and a
judge's score sheet. Screenshots in test-artifacts/cadence-*.png."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from keyprojects.accounts.choices import Role
from keyprojects.audit.actions import Actor
from keyprojects.cadence import actions
from keyprojects.cadence.choices import RoundStatus, TargetKind
from keyprojects.cadence.models import DispatchDecision
from keyprojects.cadence.tests.builders import build_month
from keyprojects.core.testing.fixtures import PASSWORD, World, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_as(browser: Any, live_server: Any, world: World, role: str, path: str, width: int = 1400) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next={path}")
    page.fill("#id_username", world.users[role].username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    return page


def test_dashboard_agenda_and_score_sheet(live_server: Any, browser: Any, artifacts: Path) -> None:
    world = make_world()
    month = build_month(world)

    # The home page keeps its counts and loads the charts below them.
    home = open_as(browser, live_server, world, Role.SUPERVISOR, "/")
    home.wait_for_selector("#stat-projects")
    assert home.inner_text("#stat-projects") == "5"
    for chart in ("chart-colours", "chart-investment", "chart-stages", "chart-batches", "chart-problems"):
        home.wait_for_function(f"document.querySelector('#{chart} canvas') !== null")
    assert home.inner_text("#dash-red") == "2" and home.inner_text("#dash-blue") == "3"
    assert "潍城新材料研发中心项目" in home.inner_text("#top-red")
    home.screenshot(path=str(artifacts / "cadence-home-dashboard.png"), full_page=True)
    home.goto(f"{live_server.url}/cadence/dashboard/")
    home.wait_for_function("document.querySelector('#chart-colours canvas') !== null")
    home.set_viewport_size({"width": 1920, "height": 1080})
    home.wait_for_timeout(300)
    home.screenshot(path=str(artifacts / "cadence-projector.png"), full_page=True)

    # The agenda of 1 April becomes a meeting; a decision is assigned to a unit with 5 working days.
    page = open_as(browser, live_server, world, Role.SUPERVISOR, "/cadence/agenda/?day=2024-04-01")
    page.wait_for_selector("#agenda-counts")
    assert page.inner_text("#count-red") == "2" and page.inner_text("#count-stalled") == "1"
    assert "新亮红牌" in page.inner_text("#agenda-red")
    page.screenshot(path=str(artifacts / "cadence-agenda.png"), full_page=True)
    page.click("#open-meeting")
    page.wait_for_selector("#meeting-form")
    page.fill("#id_chair", "王区长")
    page.fill("#id_venue", "区政府三楼会议室")
    page.click("#meeting-form button[type=submit]")
    page.wait_for_selector("#decision-form")
    assert page.inner_text("#meeting-title") == "潍城区2024年4月上半月重点项目调度会"
    page.select_option("#id_project", label="潍城冷链物流中心项目")
    page.fill("#id_text", "区自然资源局两周内落实冷库用地指标")
    page.select_option("#id_category", label="土地")
    page.select_option("#id_unit", label=month.industry_unit.name)
    page.fill("#id_working_days", "5")
    page.click("#decision-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "已记录决定事项，交办潍城区工业和信息化局，办理期限2024年4月9日" in page.inner_text(".alert-success")
    assert "区自然资源局两周内落实冷库用地指标" in page.inner_text("#decision-table")
    decision = DispatchDecision.objects.get()
    assert decision.problem is not None and decision.problem.state == "assigned"
    page.screenshot(path=str(artifacts / "cadence-meeting.png"), full_page=True)

    # A judge of the round scores on a tablet-sized screen; the weighted total is shown as he types.
    supervisor = Actor(user=world.users[Role.SUPERVISOR], source="ui")
    round_ = actions.do_create_round(
        supervisor,
        actions.RoundSetup(
            title="潍城区2024年上半年重点项目现场观摩",
            region=world.inside.region,
            year=2024,
            half=1,
            held_on=dt.date(2024, 3, 28),
            target_kind=TargetKind.PROJECT,
            criteria=[("建设进度", Decimal(40)), ("投资强度", Decimal(30)), ("科技含量与带动作用", Decimal(20)),
                      ("现场管理", Decimal(10))],
            projects=[world.inside.project, month.projects["潍城医养结合综合体项目"]],
            regions=[],
            panel=[world.users[Role.PANEL]],
        ),
    )
    round_ = actions.do_set_round_status(supervisor, round_, round_.version, RoundStatus.SCORING)
    target = round_.targets.get(project=world.inside.project)
    judge = open_as(
        browser, live_server, world, Role.PANEL, f"/cadence/rounds/{round_.pk}/targets/{target.pk}/score/", width=1024
    )
    judge.wait_for_selector("#score-form")
    for criterion, value in zip(round_.criteria.order_by("order"), ("90", "85", "80", "95"), strict=True):
        judge.fill(f"#id_score_{criterion.pk}", value)
    judge.fill("#id_comment", "进度快，现场管理规范")
    judge.wait_for_function("document.querySelector('#score-total').textContent === '87.00'")
    judge.screenshot(path=str(artifacts / "cadence-score-sheet.png"), full_page=True)
    judge.click("#save-score")
    judge.wait_for_selector(".alert-success")
    assert "已保存对“潍城年产10万吨新材料项目”的评分：加权得分87.00分。" in judge.inner_text(".alert-success")
    assert judge.inner_text("#score-target").startswith("2. 潍城医养结合综合体项目")  # on to the next target
