"""A person's path through the registry: log in, filter the list, open a project, look at it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from keyprojects.accounts.choices import Role
from keyprojects.core.testing.fixtures import PASSWORD, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_filter_open_project(live_server: Any, page: Any, artifacts: Path) -> None:
    world = make_world()
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", world.users[Role.ADMIN].username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#stat-projects")
    assert page.inner_text("#stat-projects") == "2"
    assert page.inner_text("#stat-investment") == "30亿元"
    page.wait_for_function("document.querySelector('#chart-region canvas') !== null")
    page.screenshot(path=str(artifacts / "home.png"), full_page=True)

    page.click("text=项目库")
    page.wait_for_selector("table.table-projects")
    assert page.locator("table.table-projects tbody tr").count() == 2
    # Filter by region through htmx: the table is replaced without a page load.
    page.select_option("#id_region", label="寒亭区")
    page.wait_for_function("document.querySelectorAll('table.table-projects tbody tr').length === 1")
    assert "region=" in page.url
    rows = page.locator("table.table-projects tbody tr")
    assert "寒亭年产10万吨新材料项目" in rows.first.inner_text()
    page.screenshot(path=str(artifacts / "project-list-filtered.png"), full_page=True)

    rows.first.locator("a").first.click()
    page.wait_for_selector("#project-name")
    assert page.inner_text("#project-name") == "寒亭年产10万吨新材料项目"
    assert page.inner_text("#project-investment") == "15亿元"
    assert page.locator("#change-log").is_visible()
    assert "2024年度计划" in page.content()
    page.screenshot(path=str(artifacts / "project-detail.png"), full_page=True)


def test_edit_form_keeps_input_on_error(live_server: Any, page: Any, artifacts: Path) -> None:
    world = make_world()
    project = world.inside.project
    page.goto(f"{live_server.url}/accounts/login/?next=/projects/{project.pk}/edit/")
    page.fill("#id_username", world.users[Role.REGION_ADMIN].username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#id_total_investment_wan")
    assert page.input_value("#id_total_investment_wan") == "150000万元"
    page.fill("#id_total_investment_wan", "十五亿多")
    page.fill("#id_owner", "浏览器里改的建设单位")
    page.click("button[type=submit]")
    page.wait_for_selector(".errorlist")
    assert "无法识别的金额" in page.inner_text(".errorlist")
    assert page.input_value("#id_total_investment_wan") == "十五亿多"
    assert page.input_value("#id_owner") == "浏览器里改的建设单位"
    page.screenshot(path=str(artifacts / "project-edit-error.png"), full_page=True)
    page.fill("#id_total_investment_wan", "16亿元")
    page.click("button[type=submit]")
    page.wait_for_selector("#project-name")
    assert page.inner_text("#project-investment") == "16亿元"
    assert "浏览器里改的建设单位" in page.inner_text("#change-log")
