"""English (gettext): the pages, messages, refusals, API errors, export and command output follow the language cookie
or Accept-Language; Chinese stays the default; what is stored or sent as a notice stays Chinese; the catalog is
complete."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from keyprojects.accounts.choices import Role
from keyprojects.audit.models import AuditEntry
from keyprojects.core.testing.fixtures import World, element_of, problem_of
from keyprojects.notifications.models import Notice
from keyprojects.problems.models import Problem, ProblemEvent
from keyprojects.problems.tests.helpers import login

pytestmark = pytest.mark.django_db



def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_pages_are_in_english_with_the_cookie_and_in_chinese_without(world: World) -> None:
    problem = problem_of(world.inside)

    page = english(login(world, Role.SUPERVISOR)).get("/problems/").content.decode()
    assert "Problem management" in page and "All problems" in page and "Land" in page
    assert "问题闭环管理" not in page and "全部问题" not in page
    detail = english(login(world, Role.SUPERVISOR)).get(f"/problems/{problem.pk}/").content.decode()
    assert "Problem details" in detail and "Land · No. " in detail
    assert "问题信息" not in detail

    page = login(world, Role.SUPERVISOR).get("/problems/").content.decode()
    assert "问题闭环管理" in page and "全部问题" in page
    assert "Problem management" not in page and "All problems" not in page
    detail = login(world, Role.SUPERVISOR).get(f"/problems/{problem.pk}/").content.decode()
    assert "问题信息" in detail and "土地 · 编号 " in detail and "Problem details" not in detail


def test_refusals_and_messages_follow_the_language(world: World) -> None:
    problem = problem_of(world.inside)
    refused = english(login(world, Role.REPORTER)).get(f"/problems/{problem.pk}/assign/")
    assert refused.status_code == 403
    assert "“Assign” is done by a supervisor" in refused.content.decode()
    assert "须由督导员办理" not in refused.content.decode()
    assert "交办须由督导员办理" in login(world, Role.REPORTER).get(f"/problems/{problem.pk}/assign/").content.decode()

    data = {"version": problem.version, "unit": world.inside.unit.pk, "working_days": 5}
    done = english(login(world, Role.SUPERVISOR)).post(f"/problems/{problem.pk}/assign/", data, follow=True)
    assert f"Assigned: {problem.title}" in done.content.decode()


def test_api_errors_follow_accept_language(world: World) -> None:
    problem = problem_of(world.inside)
    url, data = f"/api/problems/{problem.pk}/transitions", {"transition": "close", "version": problem.version}
    auth = {"Authorization": f"Bearer {world.tokens[Role.SUPERVISOR]}"}
    answer = Client(headers={**auth, "Accept-Language": "en"}).post(url, data, content_type="application/json")
    assert answer.status_code == 409
    assert answer.json()["detail"] == (
        "This problem is “Raised”, so “Closed (verified)” is not possible (possible now: Consultation, Assign)."
    )
    answer = Client(headers=auth).post(url, data, content_type="application/json")
    assert answer.json()["detail"] == "该问题当前状态为“已提出”，不能销号（当前可执行：会商、交办）。"


def test_the_export_has_english_headings(world: World) -> None:
    problem_of(world.inside)
    response = english(login(world, Role.SUPERVISOR)).get("/problems/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Problem list", "By category", "By region", "By unit"]
    sheet = book["Problem list"]
    assert str(sheet["A1"].value).startswith("Problem list (as of ")
    assert [c.value for c in sheet[2]][:4] == ["No.", "Project", "Region", "Problem"]
    assert sheet["E3"].value == "Land"


def test_what_is_stored_or_notified_stays_chinese_for_an_english_user(world: World) -> None:
    reporter = english(login(world, Role.REPORTER))
    data = {"title": "环评批复未取得", "category": "环境指标/环评", "channel": "direct"}
    page = reporter.post(f"/problems/new/{world.inside.project.pk}/", data, follow=True).content.decode()
    assert "Problem raised: 环评批复未取得" in page
    problem = Problem.objects.get(title="环评批复未取得")
    assert ProblemEvent.objects.get(problem=problem).details["渠道"] == "直通车"
    assert Notice.objects.get(dedupe_key=f"problem:{problem.pk}:raised").title == "直通车问题：环评批复未取得"
    assert "Channel: </span>Direct channel" in reporter.get(f"/problems/{problem.pk}/").content.decode()

    supervisor = english(login(world, Role.SUPERVISOR))
    element = element_of(world.inside)
    page = supervisor.post(f"/problems/elements/{element.pk}/raise/", follow=True).content.decode()
    assert "Problem raised for the shortfall: 土地缺口30亩" in page  # the title is data
    ledger = {"funds-kind": "funds", "funds-required": "1.5亿", "funds-secured": "0"}
    page = supervisor.post(f"/problems/elements/project/{world.inside.project.pk}/", ledger, follow=True)
    assert "Resource guarantee ledger saved (1 item)." in page.content.decode()
    assert AuditEntry.objects.get(object_repr__endswith=" 资金").changes["kind"] == [None, "资金"]


def test_the_sweep_command_speaks_the_active_language(world: World) -> None:
    out = io.StringIO()
    call_command("sweep_problems", "--date", "2024-04-06", stdout=out)  # a Saturday
    with translation.override("en"):
        call_command("sweep_problems", "--date", "2024-04-06", stdout=out)
    assert out.getvalue().splitlines() == [
        "今天不是工作日，不发督办。",
        "Today is not a working day: no supervision notices sent.",
    ]
