"""调度通报 in English: the cadence pages follow the 中文 / English switch; the official documents stay Chinese."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from keyprojects.accounts.choices import Role
from keyprojects.cadence.tests.conftest import login
from keyprojects.core.testing.fixtures import World

pytestmark = pytest.mark.django_db


def _client(world: World, english: bool) -> Client:
    client = login(Client(), world, Role.SUPERVISOR)
    if english:
        client.cookies["django_language"] = "en"
    return client


def test_the_cadence_pages_in_english(world: World) -> None:
    client = _client(world, english=True)
    index = client.get(reverse("cadence:index")).content.decode()
    assert ">Dispatch and bulletins</h1>" in index
    assert ">Half-monthly dispatch</a>" in index and ">Monthly bulletin</a>" in index
    assert ">Semi-annual observation</a>" in index and ">Performance assessment</a>" in index
    assert "半月调度" not in index and "调度通报" not in index
    rounds = client.get(reverse("cadence:round_list")).content.decode()
    assert ">Semi-annual observation</h1>" in rounds and "No observation rounds yet" in rounds
    assert ">New observation round</a>" in rounds and "观摩" not in rounds
    agenda = client.get(reverse("cadence:agenda")).content.decode()
    assert "1. Red card projects" in agenda and "Summons list" in agenda and "一、红牌项目" not in agenda


def test_the_cadence_pages_stay_chinese_without_the_cookie(world: World) -> None:
    client = _client(world, english=False)
    index = client.get(reverse("cadence:index")).content.decode()
    assert ">调度通报</h1>" in index and ">半月调度</a>" in index and "Half-monthly dispatch" not in index
    rounds = client.get(reverse("cadence:round_list")).content.decode()
    assert ">半年观摩</h1>" in rounds and "尚无观摩活动" in rounds and "Semi-annual observation" not in rounds


def test_the_official_documents_stay_chinese_in_english(world: World) -> None:
    client = _client(world, english=True)
    response = client.get(reverse("cadence:quarterly_xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "季度" in cells and "Quarterly" not in cells
