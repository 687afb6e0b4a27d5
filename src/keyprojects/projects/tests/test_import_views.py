"""The import pages: upload → preview with row errors → mapping → confirm with streamed progress; the downloads."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.choices import Role
from keyprojects.audit.models import AuditEntry
from keyprojects.core.testing.fixtures import PASSWORD, World
from keyprojects.projects.listfile import parse_list
from keyprojects.projects.models import ImportColumnLabel, Project
from keyprojects.projects.tests.listfile_builders import SAMPLES, xlsx_bytes

pytestmark = pytest.mark.django_db

WEIFANG = SAMPLES / "2024-weifang-key-projects.xlsx"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def login(world: World, role: str = Role.ADMIN) -> Client:
    client = Client()
    assert client.login(username=world.users[role].username, password=PASSWORD)
    return client


def upload(client: Client, data: bytes, name: str = "list.xlsx", **fields: Any) -> str:
    response = client.post(reverse("projects_import:upload"),
                           {"file": SimpleUploadedFile(name, data), "year": "", "within": "", **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.search(r"/projects/import/([0-9a-f]{32})/$", response["Location"])
    assert match is not None
    return match.group(1)


def streamed(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def test_anonymous_users_are_sent_to_login_and_readers_are_refused(world: World) -> None:
    response = Client().get(reverse("projects_import:upload"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert login(world, Role.REPORTER).get(reverse("projects_import:upload")).status_code == 403
    assert login(world, Role.LEADER).post(reverse("projects_import:run", args=["0" * 32])).status_code == 403


def test_upload_preview_and_confirm_a_city_list(world: World, media: Path) -> None:
    client = login(world)
    assert client.get(reverse("projects_import:upload")).status_code == 200
    token = upload(client, WEIFANG.read_bytes(), "2024-weifang-key-projects.xlsx")
    stored = list(media.glob("imports/*/*.xlsx"))
    assert len(stored) == 1
    # preview: nothing written yet
    page = client.get(reverse("projects_import:preview", args=[token])).content.decode()
    assert "将新建80个项目，将更新0个，0个未变化；年度计划将新建78个，将调整0个" in page
    assert "年产4000套冲压模具及零部件项目" in page
    assert "第2页" not in page and "第 1 / 1 页" not in page  # 80 rows fit on one page of 100
    assert Project.objects.count() == 2  # the world's two projects
    # confirm: the page streams the progress, then the result
    response = client.post(reverse("projects_import:run", args=[token]))
    assert response.status_code == 200 and response.streaming
    body = streamed(response)
    assert "kpProgress(80, 80)" in body and "kpDone()" in body
    assert "新建80个项目，更新0个，0个未变化；年度计划新建78个，调整0个" in body
    assert body.rstrip().endswith("</html>")
    assert Project.objects.count() == 82
    assert AuditEntry.objects.filter(source="import").count() == 80 + 78
    # the upload is gone: a second click cannot import it twice
    assert list(media.glob("imports/*/*.xlsx")) == []
    assert client.get(reverse("projects_import:preview", args=[token])).status_code == 404


def test_row_errors_show_in_the_preview_and_strict_imports_nothing(world: World) -> None:
    client = login(world)
    header = ["项目名称", "建设地点", "总投资（万元）", "2024年计划投资（万元）", "项目类型"]
    data = xlsx_bytes([header, ["甲项目", "潍城区", 100, 50, "新开工"], ["乙项目", "长松路以东", "待定", 20, "续建"]])
    token = upload(client, data)
    page = client.get(reverse("projects_import:preview", args=[token]), {"only": "problems"}).content.decode()
    assert "建设地点：无法从“长松路以东”识别山东省的区县" in page
    assert "总投资（万元）：“待定”不是可识别的金额" in page
    assert "甲项目" not in page  # only the rows with problems
    body = streamed(client.post(reverse("projects_import:run", args=[token]), {"strict": "on"}))
    assert "严格模式：有1行出错，未导入任何项目" in body
    assert not Project.objects.filter(name="甲项目").exists()
    body = streamed(client.post(reverse("projects_import:run", args=[token])))
    assert "新建1个项目，更新0个，0个未变化；年度计划新建1个，调整0个；1行出错未导入" in body
    assert Project.objects.filter(name="甲项目").exists()


@pytest.mark.django_db(transaction=True)  # as in production: no test transaction around the request
def test_a_closed_connection_rolls_the_import_back(world: World) -> None:
    client = login(world)
    token = upload(client, WEIFANG.read_bytes())
    response = client.post(reverse("projects_import:run", args=[token]))
    chunks = iter(response.streaming_content)
    while b"kpProgress(0, 80)" not in next(chunks):
        pass
    response.close()  # what the server does when the browser goes away
    assert Project.objects.count() == 2
    assert AuditEntry.objects.filter(source="import").count() == 0


def test_a_header_that_is_not_recognised_can_be_pointed_at_and_mapped(world: World) -> None:
    client = login(world)
    data = xlsx_bytes([["2024年某区项目表"], ["工程", "位置", "投资（万元）", "性质"],
                       ["甲项目", "潍城区", 100, "新开工"]])
    token = upload(client, data)
    page = client.get(reverse("projects_import:preview", args=[token])).content.decode()
    assert "未找到表头" in page and 'value="2"' in page  # the first rows, to choose the header row
    client.post(reverse("projects_import:mapping", args=[token]), {"header_row": "2"})
    page = client.get(reverse("projects_import:preview", args=[token])).content.decode()
    assert "表头中没有“项目名称”列；请指定哪一列是项目名称" in page
    # after choosing the header row the columns can be mapped by letter
    client.post(reverse("projects_import:mapping", args=[token]), {"header_row": "2"})
    job_mapping = {"col_A": "name", "col_B": "address", "col_C": "total_investment", "col_D": "category"}
    client.post(reverse("projects_import:mapping", args=[token]), job_mapping)
    page = client.get(reverse("projects_import:preview", args=[token])).content.decode()
    assert "将新建1个项目，将更新0个，0个未变化" in page


def test_the_mapping_form_corrects_a_column(world: World) -> None:
    client = login(world)
    data = xlsx_bytes([["项目名称", "建设地点", "所在地", "总投资（万元）", "项目类型"],
                       ["甲项目", "长松路以东", "潍城区", 100, "新开工"]])
    token = upload(client, data)
    page = client.get(reverse("projects_import:preview", args=[token])).content.decode()
    assert "无法从“长松路以东”识别山东省的区县" in page
    client.post(reverse("projects_import:mapping", args=[token]),
                {"col_A": "name", "col_B": "", "col_C": "address", "col_D": "total_investment", "col_E": "category"})
    page = client.get(reverse("projects_import:preview", args=[token])).content.decode()
    assert "将新建1个项目" in page and "无法从" not in page


def test_a_corrected_mapping_is_remembered_for_the_next_import(world: World) -> None:
    """The user teaches the importer two headings; next year's file, with the columns moved, is read right at once."""
    client = login(world)
    first = xlsx_bytes([["项目名称", "建设单位", "落地位置", "投资盘子（万元）", "项目类型"],
                        ["甲项目", "甲公司", "潍城区", 100, "新开工"]])
    token = upload(client, first)
    page = client.get(reverse("projects_import:preview", args=[token])).content.decode()
    assert "将新建1个项目" not in page
    response = client.post(reverse("projects_import:mapping", args=[token]), {
        "col_A": "name", "col_B": "owner", "col_C": "address", "col_D": "total_investment", "col_E": "category",
        "remember": "on"})
    assert response.status_code == 302
    labels = dict(ImportColumnLabel.objects.filter(user=world.users[Role.ADMIN]).values_list("label", "field"))
    assert labels == {"落地位置": "address", "投资盘子（万元）": "total_investment"}
    assert "将新建1个项目" in client.get(reverse("projects_import:preview", args=[token])).content.decode()

    second = xlsx_bytes([["项目类型", "投资盘子（万元）", "项目名称", "落地位置", "建设单位"],
                         ["续建", 250, "乙项目", "寒亭区", "乙公司"]])
    token = upload(client, second)
    page = client.get(reverse("projects_import:preview", args=[token])).content.decode()
    assert "将新建1个项目" in page
    # Another user has not taught the importer anything.
    other = login(world, Role.SUPERVISOR)
    page = other.get(reverse("projects_import:preview", args=[upload(other, second)])).content.decode()
    assert "将新建1个项目" not in page


def test_out_of_scope_rows_are_errors_for_a_district_admin(world: World) -> None:
    client = login(world, Role.REGION_ADMIN)  # 潍城区
    token = upload(client, WEIFANG.read_bytes())
    page = client.get(reverse("projects_import:preview", args=[token])).content.decode()
    inside = sum(1 for r in parse_list(WEIFANG.read_bytes(), "x.xlsx").rows if r.region_code == "370702")
    assert f"将新建{inside}个项目" in page
    assert f"{80 - inside}行出错未导入" in page
    assert "不在您的管辖范围内" in page


def test_export_downloads_the_projects_in_scope(world: World) -> None:
    response = login(world, Role.REGION_ADMIN).get(reverse("projects_import:export"), {"year": "2024"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    result = parse_list(response.content, "export.xlsx")
    assert [(r.name, r.region_code, r.annual_plan_wan) for r in result.rows] == [
        (world.inside.project.name, "370702", 50000)]
    everything = parse_list(login(world).get(reverse("projects_import:export"), {"year": "2024"}).content, "x.xlsx")
    assert len(everything.rows) == 2
