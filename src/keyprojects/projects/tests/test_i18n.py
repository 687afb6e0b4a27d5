"""The project pages and the list import in English (the django_language cookie), Chinese by default; the English
catalogs of the apps this work covers are complete and compiled."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from keyprojects.accounts.choices import Role
from keyprojects.audit.models import AuditEntry
from keyprojects.core.testing.fixtures import PASSWORD, World
from keyprojects.projects.tests.listfile_builders import xlsx_bytes


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def login(world: World, role: str = Role.ADMIN, language: str | None = None) -> Client:
    client = Client()
    if language:
        client.cookies["django_language"] = language
    assert client.login(username=world.users[role].username, password=PASSWORD)
    return client


# -- pages -----------------------------------------------------------------------------------------------------------
def test_project_list_and_detail_in_english(world: World) -> None:
    client = login(world, language="en")
    page = client.get(reverse("projects:list")).content.decode()
    assert '<h1 class="h4 mb-0">Projects</h1>' in page and '<h1 class="h4 mb-0">项目库</h1>' not in page
    assert "<th>Project name</th>" in page and "<th>项目名称</th>" not in page
    assert ">Filter</button>" in page and ">筛选</button>" not in page
    assert "15 × 100M yuan" in page  # money in English units; the data stays as it is
    assert world.inside.project.name in page
    detail = client.get(reverse("projects:detail", args=[world.inside.project.pk])).content.decode()
    assert "Basic information" in detail and "基本信息" not in detail
    assert "Signed (since 2024-01-05)" in detail  # the stage's display label, translated
    assert "2024 annual plan (current version 1)" in detail
    assert "31 days late" in detail and "滞后31天" not in detail


def test_project_pages_stay_chinese_without_the_cookie(world: World) -> None:
    client = login(world)
    page = client.get(reverse("projects:list")).content.decode()
    assert '<h1 class="h4 mb-0">项目库</h1>' in page and "<th>项目名称</th>" in page and "15亿元" in page
    detail = client.get(reverse("projects:detail", args=[world.inside.project.pk])).content.decode()
    assert "基本信息" in detail and "签约（2024-01-05起）" in detail and "2024年度计划（当前第1版）" in detail
    assert "滞后31天" in detail and "Basic information" not in detail


def test_form_errors_and_messages_in_english(world: World) -> None:
    client = login(world, language="en")
    project = world.inside.project
    response = client.post(reverse("projects:stage", args=[project.pk]),
                           {"version": project.version, "stage": "negotiating", "on": "2024-03-01", "note": ""})
    page = response.content.decode()
    assert "Moving back to an earlier stage requires a reason." in page and "阶段回退必须填写原因" not in page
    response = client.post(reverse("projects:stage", args=[project.pk]), {
        "version": project.version, "stage": "negotiating", "on": "2024-03-01", "note": "合同未落实"}, follow=True)
    assert "Project stage updated." in response.content.decode()
    # the change log is data: the stage labels are kept in Chinese, whoever wrote them
    entry = AuditEntry.objects.filter(object_id=str(project.pk), action="update").latest("at")
    assert entry.changes["stage"] == ["签约", "洽谈"]


def test_import_errors_and_the_streamed_import_in_english(world: World) -> None:
    client = login(world, language="en")
    page = client.get(reverse("projects_import:upload")).content.decode()
    assert "Import a key project list" in page and "Upload and preview" in page
    header = ["项目名称", "建设地点", "总投资（万元）", "2024年计划投资（万元）", "项目类型"]
    data = xlsx_bytes([header, ["甲项目", "潍城区", 100, 50, "新开工"], ["乙项目", "长松路以东", "待定", 20, "续建"]])
    response = client.post(reverse("projects_import:upload"),
                           {"file": SimpleUploadedFile("list.xlsx", data), "year": "", "within": ""})
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    preview = client.get(reverse("projects_import:preview", args=[token])).content.decode()
    assert "Projects to create: 1, to update: 0, unchanged: 0" in preview
    assert "建设地点: Cannot find a county/district of Shandong Province in “长松路以东”" in preview
    assert "总投资（万元）: “待定” is not a recognisable amount" in preview
    assert "不是可识别的金额" not in preview
    response = client.post(reverse("projects_import:run", args=[token]))
    translation.activate("zh-hans")  # the server streams after the view returned, maybe after another request
    body = b"".join(response.streaming_content).decode()
    assert "kpPhase('Checking 2 rows…')" in body
    assert "Projects created: 1, updated: 0, unchanged: 0; annual plans created: 1, changed: 0" in body
    assert "Row 3, column “建设地点”" in body and "新建1个项目" not in body


def test_a_place_error_is_chinese_again_for_a_chinese_page(world: World) -> None:
    """The gazetteer memoises resolutions: its cache must not hand an English message to a Chinese page."""
    header = ["项目名称", "建设地点", "总投资（万元）", "项目类型"]
    data = xlsx_bytes([header, ["乙项目", "长松路以东", 20, "续建"]])
    for language, expected in (("en", "Cannot find a county/district"), (None, "无法从“长松路以东”识别山东省的区县")):
        client = login(world, language=language)
        response = client.post(reverse("projects_import:upload"),
                               {"file": SimpleUploadedFile("list.xlsx", data), "year": "2024", "within": ""})
        token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
        assert expected in client.get(reverse("projects_import:preview", args=[token])).content.decode()
