"""The directory pages in English (the django_language cookie); Chinese by default."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from keyprojects.accounts.choices import Role
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


def test_directory_pages_in_english(world: World) -> None:
    client = login(world, "en")
    page = client.get(reverse("directory:list", args=["units"])).content.decode()
    assert "<th>Unit name</th>" in page and "<th>单位名称</th>" not in page
    assert 'placeholder="Name"' in page and ">Search</button>" in page
    detail = client.get(reverse("directory:detail", args=["units", world.inside.unit.pk])).content.decode()
    assert "<td>Department</td>" in detail  # the kind's display label
    assert world.inside.unit.name in detail  # names are data
    form = client.get(reverse("directory:edit", args=["taskforces", world.inside.task_force.pk])).content.decode()
    assert "Task force name" in form and "Task force head" in form and "专班负责人" not in form
    response = client.post(reverse("directory:create", args=["people"]), {"name": "", "region": ""})
    assert "This field is required." in response.content.decode()  # Django's own messages follow too


def test_directory_pages_stay_chinese_without_the_cookie(world: World) -> None:
    client = login(world)
    page = client.get(reverse("directory:list", args=["units"])).content.decode()
    assert "<th>单位名称</th>" in page and 'placeholder="名称"' in page and "Unit name" not in page
    form = client.get(reverse("directory:edit", args=["taskforces", world.inside.task_force.pk])).content.decode()
    assert "专班负责人" in form and "Task force head" not in form
