"""The account pages in English (the django_language cookie); Chinese by default."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from keyprojects.accounts.access import require_region_in_scope
from keyprojects.accounts.choices import Role
from keyprojects.core.testing.fixtures import PASSWORD, World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    yield
    translation.activate(settings.LANGUAGE_CODE)


def client_for(language: str | None = None) -> Client:
    client = Client()
    if language:
        client.cookies["django_language"] = language
    return client


def test_login_page_in_english_and_in_chinese() -> None:
    page = client_for("en").get(reverse("accounts:login")).content.decode()
    assert "Log in to the Key Project Supervision Platform" in page and "登录重点项目督导平台" not in page
    page = client_for("en").post(reverse("accounts:login"), {"username": "x", "password": "y"}).content.decode()
    assert "Incorrect user name or password; please try again." in page
    page = client_for().get(reverse("accounts:login")).content.decode()
    assert "登录重点项目督导平台" in page and "Log in to" not in page


def test_user_pages_and_their_errors_in_english(world: World) -> None:
    client = client_for("en")
    assert client.login(username=world.users[Role.ADMIN].username, password=PASSWORD)
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert "<th>User name</th>" in page and "<th>用户名</th>" not in page
    assert "Supervisor" in page and "Active" in page  # role labels and the status
    response = client.post(reverse("accounts:user_create"), {"username": "new_user", "password": "long-enough-1",
                                                             "role": Role.REPORTER, "full_name": "新人"})
    page = response.content.decode()
    assert "Select at least one region or unit in charge; otherwise the user sees no data." in page
    assert "请至少选择一个负责区域或负责单位" not in page
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "API tokens" in profile and "Create a new token" in profile and "生成新令牌" not in profile
    # the errors of the access checks
    with translation.override("en"), pytest.raises(PermissionDenied, match="is outside your jurisdiction."):
        require_region_in_scope(world.users[Role.REGION_ADMIN], world.outside.region)
    with translation.override(settings.LANGUAGE_CODE), pytest.raises(PermissionDenied, match="不在您的管辖范围内"):
        require_region_in_scope(world.users[Role.REGION_ADMIN], world.outside.region)


def test_user_pages_stay_chinese_without_the_cookie(world: World) -> None:
    client = client_for()
    assert client.login(username=world.users[Role.ADMIN].username, password=PASSWORD)
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert "<th>用户名</th>" in page and "督导员" in page and "User name" not in page
