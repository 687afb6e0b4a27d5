"""One problem through the UI from 已提出 to 已销号: the reporter raises it on the project page, the supervisor assigns
it, the unit accepts and resolves it, the supervisor closes it. Screenshots in test-artifacts/problem-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from keyprojects.accounts.choices import Role
from keyprojects.core.testing.fixtures import PASSWORD, World, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_as(browser: Any, live_server: Any, world: World, role: str, path: str) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next={path}")
    page.fill("#id_username", world.users[role].username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    return page


def test_a_problem_from_raised_to_closed(live_server: Any, browser: Any, artifacts: Path) -> None:
    world = make_world()
    project = world.inside.project

    # The reporter raises it from the project page's 问题 card (loaded by htmx).
    reporter = open_as(browser, live_server, world, Role.REPORTER, f"/projects/{project.pk}/")
    reporter.wait_for_selector("#raise-problem")
    reporter.click("#raise-problem")
    reporter.fill("#id_title", "施工用电增容未批复")
    reporter.select_option("#id_category", label="水电气暖")
    reporter.fill("#id_description", "二期厂房需增容2000千伏安，申请已提交供电公司一个月未批复。")
    reporter.screenshot(path=str(artifacts / "problem-1-raise.png"), full_page=True)
    reporter.click("#raise-form button[type=submit]")
    reporter.wait_for_selector("#problem-title")
    assert reporter.inner_text("#problem-state") == "已提出"
    problem_url = reporter.url.replace(live_server.url, "")

    # The supervisor assigns it to the unit with 3 working days: 2024-04-01 → 清明 4-04..06 off → Sunday 4-07 works.
    supervisor = open_as(browser, live_server, world, Role.SUPERVISOR, problem_url)
    supervisor.wait_for_selector("#problem-actions")
    supervisor.click("#problem-actions >> text=交办")
    supervisor.select_option("#id_unit", label=world.inside.unit.name)
    supervisor.fill("#id_working_days", "3")
    supervisor.fill("#id_comment", "请本周内协调供电公司办结")
    supervisor.screenshot(path=str(artifacts / "problem-2-assign.png"), full_page=True)
    supervisor.click("#act-form button[type=submit]")
    supervisor.wait_for_selector("#problem-deadline")
    assert supervisor.inner_text("#problem-state") == "已交办"
    assert "2024年4月7日（3个工作日）" in supervisor.inner_text("#problem-deadline")

    # The unit accepts and resolves it.
    reporter.goto(f"{live_server.url}{problem_url}")
    reporter.click("#problem-actions >> text=签收办理")
    reporter.click("#act-form button[type=submit]")
    reporter.wait_for_selector("#problem-state")
    assert reporter.inner_text("#problem-state") == "办理中"
    reporter.click("#problem-actions >> text=办结")
    reporter.fill("#id_resolution", "供电公司已批复增容，4月3日完成送电。")
    reporter.click("#act-form button[type=submit]")
    reporter.wait_for_selector("#problem-resolution")
    assert reporter.inner_text("#problem-state") == "已办结"
    assert reporter.locator("#problem-actions >> text=销号").count() == 0  # the unit cannot close its own result

    # The supervisor verifies and closes it.
    supervisor.goto(f"{live_server.url}{problem_url}")
    supervisor.click("#problem-actions >> text=销号")
    supervisor.fill("#id_comment", "经核验已送电")
    supervisor.click("#act-form button[type=submit]")
    supervisor.wait_for_selector("#timeline")
    assert supervisor.inner_text("#problem-state") == "已销号"
    steps = supervisor.locator("#timeline > li strong").all_inner_texts()
    assert [s.split()[0] for s in steps] == ["提出", "交办", "签收办理", "办结", "销号"]
    supervisor.screenshot(path=str(artifacts / "problem-3-closed.png"), full_page=True)

    # The project page shows it, and the list counts it as closed.
    supervisor.goto(f"{live_server.url}/projects/{project.pk}/")
    supervisor.wait_for_selector("#project-problems")
    assert "已销号" in supervisor.inner_text("#project-problems")
    supervisor.screenshot(path=str(artifacts / "problem-4-project-card.png"), full_page=True)
    supervisor.goto(f"{live_server.url}/problems/stats/")
    assert supervisor.inner_text("#stat-closed") == "1"
    reporter.goto(f"{live_server.url}/notifications/")
    assert "已销号：施工用电增容未批复" in reporter.inner_text("#notice-list")
    reporter.screenshot(path=str(artifacts / "problem-5-inbox.png"), full_page=True)
