"""The region pages and the gazetteer's messages in English (the django_language cookie); Chinese by default."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from keyprojects.accounts.choices import Role
from keyprojects.core.testing.fixtures import PASSWORD, World
from keyprojects.regions.gazetteer import resolve_region


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


@pytest.mark.django_db
def test_region_pages_in_english_and_in_chinese(world: World) -> None:
    region = world.inside.region
    english = login(world, "en")
    page = english.get(reverse("regions:list")).content.decode()
    assert 'placeholder="Region name"' in page and "<th>Code</th>" in page and "<th>代码</th>" not in page
    detail = english.get(reverse("regions:detail", args=[region.pk])).content.decode()
    assert "View projects in this region" in detail and "<th>Subregion</th>" in detail
    assert "County/district" in detail  # the level's display label
    assert "于河街道" in detail  # names are data
    chinese = login(world)
    page = chinese.get(reverse("regions:list")).content.decode()
    assert 'placeholder="区域名称"' in page and "<th>代码</th>" in page
    detail = chinese.get(reverse("regions:detail", args=[region.pk])).content.decode()
    assert "查看本区域项目" in detail and "<th>下级区域</th>" in detail and "View projects" not in detail


@pytest.mark.django_db
def test_gazetteer_messages_follow_the_active_language() -> None:
    with translation.override("en"):
        assert resolve_region("火星路").error == "Cannot find a county/district of Shandong Province in “火星路”"
    # the same text again, now for a Chinese page: the memoised English answer is not reused
    assert resolve_region("火星路").error == "无法从“火星路”识别山东省的区县"
    with translation.override("en"):
        error = resolve_region("市中区").error
    assert error is not None and error.startswith("“市中区” may refer to ") and "please state the city" in error
