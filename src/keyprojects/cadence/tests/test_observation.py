"""半年观摩: a round set up by a supervisor, scored by its five judges (the worked example of docs/observation.md),
closed and ranked; judges score only the rounds they sit on, only while scoring is open."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.actions import do_create_user
from keyprojects.accounts.choices import Role
from keyprojects.accounts.models import User
from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditEntry
from keyprojects.cadence import actions, selectors
from keyprojects.cadence.choices import RoundStatus
from keyprojects.cadence.models import ObservationRound, ObservationSheet, ObservationTarget
from keyprojects.cadence.tests.builders import Scenario
from keyprojects.cadence.tests.conftest import login
from keyprojects.core.editing import VersionConflict
from keyprojects.core.testing.fixtures import PASSWORD, SYSTEM
from keyprojects.core.testing.queries import count_queries

pytestmark = pytest.mark.django_db
D = Decimal
# docs/observation.md: the five judges' scores (建设进度, 投资强度, 科技含量与带动作用, 现场管理).
PROJECT_A = [(90, 85, 80, 95), (80, 80, 70, 90), (95, 90, 90, 100), (85, 88, 75, 80), (70, 75, 60, 85)]
PROJECT_B = [(90, 90, 85, 85), (85, 85, 80, 85), (85, 90, 85, 80), (90, "92.5", 90, 85), (60, 60, 60, 60)]


@pytest.fixture
def judges(month: Scenario) -> list[User]:
    region = month.world.inside.region
    return [
        do_create_user(SYSTEM, f"judge{i}", PASSWORD, Role.PANEL, f"评委{i}", regions=[region]) for i in range(1, 6)
    ]


def set_up(month: Scenario, judges: list[User]) -> tuple[ObservationRound, ObservationTarget, ObservationTarget]:
    client = login(Client(), month.world, Role.SUPERVISOR)
    a = month.world.inside.project
    b = month.projects["潍城医养结合综合体项目"]
    response = client.post(
        reverse("cadence:round_create"),
        {
            "title": "潍城区2024年上半年重点项目现场观摩",
            "region": month.world.inside.region.pk,
            "year": 2024,
            "half": 1,
            "held_on": "2024-03-28",
            "target_kind": "project",
            "criteria": "建设进度 40\n投资强度 30\n科技含量与带动作用 20\n现场管理 10",
            "projects": [a.pk, b.pk],
            "panel": [j.pk for j in judges],
        },
    )
    round_ = ObservationRound.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cadence:round_detail", args=[round_.pk])
    assert round_.status == RoundStatus.DRAFT
    entry = AuditEntry.objects.get(content_type__model="observationround", object_id=str(round_.pk))
    assert entry.message == "评分指标：建设进度40、投资强度30、科技含量与带动作用20、现场管理10；观摩对象2个；评委5人"
    client.post(reverse("cadence:round_status", args=[round_.pk]), {"status": "scoring", "version": round_.version})
    round_.refresh_from_db()
    assert round_.status == RoundStatus.SCORING
    target_a = round_.targets.get(project=a)
    target_b = round_.targets.get(project=b)
    return round_, target_a, target_b


def scores_of(round_: ObservationRound, values: tuple[Any, ...]) -> dict[int, Decimal | None]:
    return {c.pk: D(str(v)) for c, v in zip(round_.criteria.order_by("order"), values, strict=True)}


def test_five_judges_score_and_the_trimmed_mean_ranks(month: Scenario, judges: list[User]) -> None:
    round_, a, b = set_up(month, judges)
    # The first judge scores project A on the page, as he would on a tablet at the site.
    client = Client()
    assert client.login(username="judge1", password=PASSWORD)
    url = reverse("cadence:round_score", args=[round_.pk, a.pk])
    form = {f"score_{c.pk}": v for c, v in zip(round_.criteria.order_by("order"), PROJECT_A[0], strict=True)}
    response = client.post(url, {**form, "comment": "进度快，现场管理规范"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cadence:round_score", args=[round_.pk, b.pk])  # on to the next target
    sheet = ObservationSheet.objects.get(member__user__username="judge1", target=a)
    assert (sheet.total, sheet.comment) == (D("87.00"), "进度快，现场管理规范")
    for judge, values in zip(judges[1:], PROJECT_A[1:], strict=True):
        actions.do_save_sheet(Actor(user=judge, source="ui"), a, scores_of(round_, values), "")
    for judge, values in zip(judges, PROJECT_B, strict=True):
        actions.do_save_sheet(Actor(user=judge, source="ui"), b, scores_of(round_, values), "")

    view = selectors.round_view(round_)
    by_name = {r.target.name: r for r in view.results}
    first = by_name["潍城医养结合综合体项目"]
    second = by_name["潍城年产10万吨新材料项目"]
    assert sorted(second.totals) == [D("71.00"), D("79.00"), D("83.40"), D("87.00"), D("93.00")]
    assert (second.trimmed.dropped_high, second.trimmed.dropped_low, second.result, second.rank) == (
        D("93.00"), D("71.00"), D("83.13"), 2
    )
    assert sorted(first.totals) == [D("60.00"), D("84.00"), D("86.00"), D("88.50"), D("90.25")]
    assert (first.result, first.rank) == (D("86.17"), 1)
    assert [r.target.name for r in view.results] == ["潍城医养结合综合体项目", "潍城年产10万吨新材料项目"]
    assert second.comments == [("评委1", "进度快，现场管理规范")]

    # Results are the organiser's while scoring; everyone's once closed.
    assert "评分情况（评分中，结果未公布）" in login(Client(), month.world, Role.SUPERVISOR).get(
        reverse("cadence:round_detail", args=[round_.pk])
    ).content.decode()
    assert 'id="round-results"' not in client.get(reverse("cadence:round_detail", args=[round_.pk])).content.decode()
    supervisor = Actor(user=month.world.users[Role.SUPERVISOR], source="ui")
    round_ = actions.do_set_round_status(supervisor, round_, round_.version, RoundStatus.CLOSED)
    page = client.get(reverse("cadence:round_detail", args=[round_.pk])).content.decode()
    assert 'id="round-results"' in page and "观摩结果" in page and "去掉最高分93.00、最低分71.00" in page
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("cadence:round_xlsx", args=[round_.pk])).content))
    results = book["观摩结果"]
    assert [c.value for c in results[3]] == [
        "排名", "观摩对象", "所在区域",
        "建设进度（40）", "投资强度（30）", "科技含量与带动作用（20）", "现场管理（10）",
        "评委评分", "去掉最高分", "去掉最低分", "最终得分",
    ]
    assert [c.value for c in results[4]][:2] == [1, "潍城医养结合综合体项目"]
    assert [c.value for c in results[4]][7:] == ["90.25、88.5、86、84、60", 90.25, 60, 86.17]
    assert [c.value for c in results[5]][3] == 84  # 建设进度 of A: (90 + 80 + 95 + 85 + 70) / 5
    assert book["评委点评"].cell(4, 4).value == "进度快，现场管理规范"

    with pytest.raises(ValidationError, match="观摩活动当前状态为“已结束”，不在评分阶段。"):
        actions.do_save_sheet(Actor(user=judges[0], source="ui"), a, scores_of(round_, PROJECT_A[0]))


def test_only_the_panel_scores_and_only_its_own_sheet(month: Scenario, judges: list[User]) -> None:
    round_, a, _ = set_up(month, judges)
    url = reverse("cadence:round_score", args=[round_.pk, a.pk])
    outsider = login(Client(), month.world, Role.PANEL)  # a 观摩评委 of the district who is not on this panel
    assert outsider.get(url).status_code == 403
    with pytest.raises(PermissionDenied, match="您不是本次观摩的评委，不能评分。"):
        panel = Actor(user=month.world.users[Role.PANEL], source="ui")
        actions.do_save_sheet(panel, a, scores_of(round_, PROJECT_A[0]))
    assert login(Client(), month.world, Role.SUPERVISOR).get(url).status_code == 403
    with pytest.raises(PermissionDenied, match="您的角色无权执行此操作。"):
        admin = Actor(user=month.world.users[Role.ADMIN], source="ui")
        actions.do_save_sheet(admin, a, scores_of(round_, PROJECT_A[0]))

    judge = Client()
    assert judge.login(username="judge2", password=PASSWORD)
    criteria = list(round_.criteria.order_by("order"))
    missing = judge.post(url, {f"score_{criteria[0].pk}": "80", f"score_{criteria[2].pk}": "101"})
    text = missing.content.decode()
    assert missing.status_code == 200
    assert "请为“投资强度”打分。" in text and "确保该值小于或等于100。" in text
    assert not ObservationSheet.objects.exists()

    actor = Actor(user=judges[1], source="ui")
    sheet = actions.do_save_sheet(actor, a, scores_of(round_, PROJECT_A[1]), "第一次")
    actions.do_save_sheet(actor, a, scores_of(round_, PROJECT_A[0]), "改了", expected_version=sheet.version)
    with pytest.raises(VersionConflict):
        actions.do_save_sheet(actor, a, scores_of(round_, PROJECT_A[2]), "过期的", expected_version=sheet.version)
    assert ObservationSheet.objects.get().total == D("87.00")


def test_the_round_is_fixed_once_scoring_starts(month: Scenario, judges: list[User]) -> None:
    round_, a, _ = set_up(month, judges)
    supervisor = Actor(user=month.world.users[Role.SUPERVISOR], source="ui")
    setup = actions.RoundSetup(
        title="改名", region=round_.region, year=2024, half=1, held_on=dt.date(2024, 3, 28), target_kind="project",
        criteria=[("建设进度", D(100))], projects=[a.project], regions=[], panel=judges,  # type: ignore[list-item]
    )
    with pytest.raises(ValidationError, match="观摩活动当前状态为“评分中”，只有设置中的活动可以修改。"):
        actions.do_update_round(supervisor, round_, round_.version, setup)
    actions.do_save_sheet(Actor(user=judges[0], source="ui"), a, scores_of(round_, PROJECT_A[0]))
    with pytest.raises(ValidationError, match="已有评委提交评分，不能退回设置。"):
        actions.do_set_round_status(supervisor, round_, round_.version, RoundStatus.DRAFT)
    with pytest.raises(ValidationError, match="观摩活动当前状态为“评分中”，不能改为“评分中”。"):
        actions.do_set_round_status(supervisor, round_, round_.version, RoundStatus.SCORING)


def test_set_up_errors_are_named(month: Scenario, judges: list[User]) -> None:
    client = login(Client(), month.world, Role.SUPERVISOR)
    response = client.post(
        reverse("cadence:round_create"),
        {
            "title": "观摩",
            "region": month.world.inside.region.pk,
            "year": 2024,
            "half": 1,
            "held_on": "2024-03-28",
            "target_kind": "project",
            "criteria": "建设进度 40\n建设进度 60",
            "projects": [month.world.inside.project.pk],
            "panel": [judges[0].pk],
        },
    )
    text = response.content.decode()
    assert response.status_code == 200 and "评分指标名称不能重复。" in text
    assert not ObservationRound.objects.exists()
    response = client.post(
        reverse("cadence:round_create"),
        {
            "title": "观摩",
            "region": month.world.inside.region.pk,
            "year": 2024,
            "half": 1,
            "held_on": "2024-03-28",
            "target_kind": "project",
            "criteria": "建设进度 40",
            "panel": [judges[0].pk],
        },
    )
    assert "请选择观摩项目。" in response.content.decode()
    reporter = month.world.users[Role.REPORTER]
    setup = actions.RoundSetup(
        title="观摩", region=month.world.inside.region, year=2024, half=1, held_on=dt.date(2024, 3, 28),
        target_kind="project", criteria=[("建设进度", D(40))], projects=[month.world.inside.project], regions=[],
        panel=[judges[0], reporter],
    )
    with pytest.raises(ValidationError, match="评委须为启用的“观摩评委”账号：测试reporter。"):
        actions.do_create_round(Actor(user=month.world.users[Role.SUPERVISOR], source="ui"), setup)


def test_the_api_and_a_round_of_districts(month: Scenario, judges: list[User]) -> None:
    admin = Client(headers={"Authorization": f"Bearer {month.world.tokens[Role.ADMIN]}"})
    city = month.world.inside.region.parent
    assert city is not None
    created = admin.post(
        "/api/cadence/rounds",
        {
            "title": "全市2024年上半年县市区观摩比拼",
            "region_id": city.pk,
            "year": 2024,
            "half": 1,
            "held_on": "2024-06-20",
            "target_kind": "region",
            "region_ids": [month.world.inside.region.pk, month.world.outside.region.pk],
            "panel_usernames": [j.username for j in judges[:3]],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert [t["name"] for t in body["targets"]] == ["潍城区", "寒亭区"]
    assert [c["name"] for c in body["criteria"]] == ["建设进度", "投资强度", "科技含量与带动作用", "现场管理"]
    started = admin.post(
        f"/api/cadence/rounds/{body['id']}/status", {"status": "scoring", "version": body["version"]},
        content_type="application/json",
    )
    assert started.json()["status_label"] == "评分中"
    # A judge from 潍城区 sits on this city round: he sees it and scores 寒亭区 too.
    judge = judges[0]
    from keyprojects.accounts.actions import do_create_token

    token = do_create_token(SYSTEM, judge, "test")[1]
    api = Client(headers={"Authorization": f"Bearer {token}"})
    detail = api.get(f"/api/cadence/rounds/{body['id']}").json()
    assert detail["results"] is None  # not published yet
    hanting = next(t for t in detail["targets"] if t["name"] == "寒亭区")
    saved = api.post(
        f"/api/cadence/targets/{hanting['id']}/sheet",
        {"scores": {str(c["id"]): 80 for c in detail["criteria"]}, "comment": "比拼氛围浓厚"},
        content_type="application/json",
    )
    assert saved.status_code == 200 and saved.json()["total"] == "80.00"
    stale = api.post(
        f"/api/cadence/targets/{hanting['id']}/sheet",
        {"scores": {str(c["id"]): 90 for c in detail["criteria"]}, "version": 0},
        content_type="application/json",
    )
    assert stale.status_code == 409


def test_list_pages_run_a_fixed_number_of_queries(month: Scenario, judges: list[User]) -> None:
    set_up(month, judges)
    client = login(Client(), month.world, Role.SUPERVISOR)
    listing = count_queries(lambda: client.get(reverse("cadence:round_list")))
    round_ = ObservationRound.objects.get()
    detail = count_queries(lambda: client.get(reverse("cadence:round_detail", args=[round_.pk])))
    target = round_.targets.first()
    assert target is not None
    for judge in judges:
        actions.do_save_sheet(Actor(user=judge, source="ui"), target, scores_of(round_, PROJECT_A[0]))
    assert count_queries(lambda: client.get(reverse("cadence:round_list"))) == listing == 6
    assert count_queries(lambda: client.get(reverse("cadence:round_detail", args=[round_.pk]))) == detail == 10
