"""A reporter submits the week's report on a phone; a supervisor reads 每周梳理 and a project's score chart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from keyprojects.accounts.choices import Role
from keyprojects.core.testing.fixtures import PASSWORD, SYSTEM, make_world
from keyprojects.projects.actions import do_set_milestone_actual
from keyprojects.projects.choices import MilestoneKind
from keyprojects.ratings.actions import do_rate_week
from keyprojects.reports.models import WeeklyReport
from keyprojects.reports.testing import submit
from keyprojects.reports.weeks import IsoWeek

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def login(page: Any, url: str, username: str) -> None:
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_reporter_submits_on_a_phone(live_server: Any, browser: Any, artifacts: Path) -> None:
    world = make_world()
    submit(world.inside.project, IsoWeek(2024, 13), 1800, 4800)
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    try:
        login(page, f"{live_server.url}/accounts/login/?next=/reports/", world.users[Role.REPORTER].username)
        page.wait_for_selector("#week-counts")
        assert "2024年第14周" in page.inner_text("#week-label")
        assert "待报 1" in page.inner_text("#week-counts")
        page.screenshot(path=str(artifacts / "report-week-phone.png"), full_page=True)
        page.click("text=填报 >> nth=-1")  # the project's button (the nav link comes first)
        page.wait_for_selector("#submit-report")
        assert "上次填报（2024-W13）" in page.inner_text("#previous-figures")
        page.fill("#id_investment_year_wan", "两千万")
        page.fill("#id_investment_total_wan", "5200万")
        page.select_option("#id_stage", label="开工在建")
        page.fill("#id_percent_complete", "35")
        page.fill("#id_progress_text", "钢结构厂房主体封顶，设备基础施工中")
        page.fill("#id_next_week_plan", "设备基础浇筑")
        page.screenshot(path=str(artifacts / "report-form-phone.png"), full_page=True)
        page.click("#submit-report")
        page.wait_for_selector("#report-figures")
        assert "2024-W14周报已报送" in page.content()
        assert page.inner_text("#report-timeliness") == "按时"
        page.screenshot(path=str(artifacts / "report-detail-phone.png"), full_page=True)
    finally:
        context.close()
    report = WeeklyReport.objects.get(week_start=IsoWeek(2024, 14).monday)
    assert (report.investment_year_wan, report.investment_total_wan) == (2000, 5200)


def test_supervisor_reads_the_weekly_list_and_a_chart(live_server: Any, page: Any, artifacts: Path) -> None:
    world = make_world()
    project = world.inside.project
    do_set_milestone_actual(SYSTEM, project, MilestoneKind.START, dt.date(2024, 3, 5))
    # Far behind in February, catching up in March: red → yellow → blue.
    for week, amount in ((6, 600), (7, 1500), (8, 3000), (9, 5000), (10, 7500), (11, 9500), (12, 11500), (13, 13000)):
        submit(project, IsoWeek(2024, week), amount, amount + 20000)
    for week in range(6, 14):
        do_rate_week(SYSTEM, IsoWeek(2024, week))
    login(page, f"{live_server.url}/accounts/login/?next=/ratings/", world.users[Role.SUPERVISOR].username)
    page.wait_for_selector("#colour-counts")
    assert (page.inner_text("#count-blue"), page.inner_text("#count-red")) == ("1", "0")
    row = page.locator("table.table-weekly tbody tr").first
    assert "潍城年产10万吨新材料项目" in row.inner_text()
    page.screenshot(path=str(artifacts / "weekly-list.png"), full_page=True)
    page.select_option("#id_colour", "blue")
    page.wait_for_function("document.querySelectorAll('table.table-weekly tbody tr[data-colour=blue]').length === 1")
    row = page.locator("table.table-weekly tbody tr").first
    row.locator("a").first.click()
    page.wait_for_selector("#project-name")
    page.wait_for_selector("#latest-rating")
    page.wait_for_function("document.querySelector('#chart-score canvas') !== null")
    page.wait_for_function("document.querySelector('#chart-colours canvas') !== null")
    assert "每周评分与蓝黄红牌" in page.inner_text("#project-rating")
    page.locator("#project-rating").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "project-score-chart.png"), full_page=True)


@pytest.mark.parametrize("width", [1440, 1700])
def test_the_account_buttons_stay_on_screen_in_english(live_server: Any, browser: Any, width: int) -> None:
    """A district admin (one more button: Users) with a long name, English labels: nothing runs off the right edge."""
    world = make_world()
    admin = world.users[Role.REGION_ADMIN]
    admin.full_name = "潍坊市重大项目服务中心 督导员 张立军"
    admin.save(update_fields=["full_name"])
    context = browser.new_context(locale="en-US", viewport={"width": width, "height": 600})
    page = context.new_page()
    try:
        login(page, f"{live_server.url}/accounts/login/?next=/ratings/", admin.username)
        page.wait_for_selector("#language-switch")
        assert page.inner_text("nav a.btn >> nth=0") == "Users"
        for selector in ("#language-switch", "nav form button.btn-light"):
            box = page.locator(selector).bounding_box()
            assert box is not None and box["x"] + box["width"] <= width, selector
        label = page.locator(".kp-user-label")
        assert label.is_visible() == (width >= 1700)
        assert label.get_attribute("title") == "潍坊市重大项目服务中心 督导员 张立军 · County administrator"
    finally:
        context.close()
