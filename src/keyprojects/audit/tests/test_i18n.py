"""The change log in English (the django_language cookie); Chinese by default. The log itself is data: what it stores
does not depend on the language of the page that wrote it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from keyprojects.accounts.choices import Role
from keyprojects.audit.selectors import entries_for
from keyprojects.core.testing.fixtures import PASSWORD, World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    yield
    translation.activate(settings.LANGUAGE_CODE)


def login(world: World, language: str | None = None) -> Client:
    client = Client()
    if language:
        client.cookies["django_language"] = language
    assert client.login(username=world.users[Role.ADMIN].username, password=PASSWORD)
    return client


def test_the_change_log_in_english_and_in_chinese(world: World) -> None:
    page = login(world, "en").get(reverse("audit:log")).content.decode()
    assert '<h1 class="h4">Full change log</h1>' in page and "全部变更记录" not in page
    chinese = login(world).get(reverse("audit:log")).content.decode()
    assert '<h1 class="h4">全部变更记录</h1>' in chinese


def test_labels_of_the_log_follow_the_page_and_its_content_stays_chinese(world: World) -> None:
    member = world.inside.member
    assert member is not None
    entries = list(entries_for(member))
    entry = next(e for e in entries if "负责范围" in e.changes)
    created = next(e for e in entries if e.action == "create")
    with translation.override("en"):
        labels = [label for label, _before, _after in entry.labelled_changes()]
        assert labels == ["Scope"]
        assert ("Role", None, "填报员") in created.labelled_changes()  # the field's label translated, the value kept
    assert [label for label, _before, _after in entry.labelled_changes()] == ["负责范围"]
