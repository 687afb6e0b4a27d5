"""English (gettext): the review pages, messages and command output follow the language; Chinese stays the default; the
news text, the facts and what accepting writes stay as they are; the catalog is complete and compiled."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from keyprojects.accounts.choices import Role
from keyprojects.audit.models import AuditEntry
from keyprojects.core.testing.fixtures import PASSWORD, SYSTEM, World
from keyprojects.intake import actions
from keyprojects.intake.models import Article, Fact

pytestmark = pytest.mark.django_db

REPORT = "本报讯 3月5日，潍城区18个重点项目集中开工，总投资56.8亿元。\n3月5日，潍城年产10万吨新材料项目正式开工建设。\n"


def login(world: World, role: str, language: str | None = None) -> Client:
    client = Client()
    assert client.login(username=world.users[role].username, password=PASSWORD)
    if language:
        client.cookies["django_language"] = language
    return client


def test_pages_are_in_english_with_the_cookie_and_in_chinese_without(world: World) -> None:
    article = actions.do_ingest(SYSTEM, REPORT, "潍坊日报", dt.date(2024, 3, 7))
    event = article.facts.get(kind="batch_event")

    page = login(world, Role.SUPERVISOR, "en").get("/intake/").content.decode()
    assert "News fact review" in page and "Evidence" in page and "Pending review" in page
    assert "新闻事实审核" not in page and "原文依据" not in page
    assert "潍城区18个重点项目集中开工" in page  # the news text is data
    detail = login(world, Role.SUPERVISOR, "en").get(f"/intake/facts/{event.pk}/").content.decode()
    assert "Batch event: 潍城区" in detail and "Accept and write to the registry" in detail
    assert "采纳并写入登记册" not in detail

    page = login(world, Role.SUPERVISOR).get("/intake/").content.decode()
    assert "新闻事实审核" in page and "原文依据" in page and "News fact review" not in page
    detail = login(world, Role.SUPERVISOR).get(f"/intake/facts/{event.pk}/").content.decode()
    assert "集中活动：潍城区" in detail and "采纳并写入登记册" in detail and "Accept and write" not in detail


def test_ingest_and_review_messages_follow_the_language(world: World) -> None:
    supervisor = login(world, Role.SUPERVISOR, "en")
    page = supervisor.post("/intake/ingest/", {"text": "", "source": ""}).content.decode()
    assert "Paste the text of the news report." in page and "请粘贴新闻稿正文" not in page
    report = {"text": REPORT, "source": "潍坊日报", "published": "2024-03-07"}
    page = supervisor.post("/intake/ingest/", report, follow=True).content.decode()
    assert "Imported “潍坊日报”: 2 facts to review." in page

    event = Fact.objects.get(kind="batch_event")
    page = supervisor.post(f"/intake/facts/{event.pk}/accept/", {"version": event.version}, follow=True)
    assert "Fact accepted and written to the registry." in page.content.decode()
    page = supervisor.post(f"/intake/facts/{event.pk}/accept/", {"version": event.version + 1}, follow=True)
    assert "This fact has already been reviewed." in page.content.decode()
    # What accepting wrote is a record for everyone: in Chinese.
    entry = AuditEntry.objects.get(object_id=str(event.pk), message="采纳新闻事实")
    assert entry.changes == {"status": ["待审核", "已采纳"]} and entry.object_repr == "集中活动 潍城区"


def test_the_ingest_command_speaks_the_active_language(world: World, tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    out = io.StringIO()
    call_command("ingest", str(path), stdout=out)
    with translation.override("en"):
        call_command("ingest", str(path), stdout=out)
    # Without a publication date the report yields one fact (the one English singular).
    assert out.getvalue().splitlines() == [f"{path}：1条事实待审核", f"{path}: 1 fact to review"]
    assert Article.objects.count() == 1
