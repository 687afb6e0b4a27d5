"""Ingest, the review queue and accepting into the registry: scope, permissions, audit. Needs the database."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.choices import Role
from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditEntry
from keyprojects.core.editing import VersionConflict
from keyprojects.core.testing.fixtures import PASSWORD, SYSTEM, World
from keyprojects.intake import actions
from keyprojects.intake.choices import FactStatus
from keyprojects.intake.models import Article, Fact
from keyprojects.projects.choices import MilestoneKind
from keyprojects.projects.models import BatchEvent, Milestone

pytestmark = pytest.mark.django_db

REPORT = (
    "本报讯 3月5日，潍城区18个重点项目集中开工，总投资56.8亿元。\n"
    "3月5日，潍城年产10万吨新材料项目正式开工建设。\n\n"
    "本报讯 3月6日，寒亭区集中签约项目9个，签约总额32亿元。\n"
)


def ui(world: World, role: str) -> Actor:
    return Actor(user=world.users[role], source="ui")


def ingested(world: World) -> Article:
    return actions.do_ingest(SYSTEM, REPORT, "潍坊日报 2024-03-07", dt.date(2024, 3, 7))


def fact(article: Article, kind: str, region_code: str) -> Fact:
    return article.facts.get(kind=kind, region__code=region_code)


def test_ingest_stores_facts_with_regions_and_links_the_project(world: World) -> None:
    article = ingested(world)
    rows = sorted((f.kind, f.region.code if f.region else None, f.fields.get("project_count"), f.fields.get("date"))
                  for f in article.facts.all())
    assert rows == [("batch_event", "370702", 18, "2024-03-05"), ("batch_event", "370703", 9, "2024-03-06"),
                    ("project", "370702", None, "2024-03-05")]
    assert fact(article, "project", "370702").project == world.inside.project
    assert actions.do_ingest(SYSTEM, REPORT, "again", dt.date(2024, 3, 7)) == article  # idempotent


def test_accepting_a_batch_event_records_it_in_the_registry_with_audit(world: World) -> None:
    event_fact = fact(ingested(world), "batch_event", "370702")
    before = AuditEntry.objects.count()
    actions.do_accept_fact(ui(world, Role.SUPERVISOR), event_fact, event_fact.version)
    event_fact.refresh_from_db()
    batch = BatchEvent.objects.get(pk=event_fact.batch_event_id)
    assert (batch.kind, batch.date, batch.reported_count, batch.reported_total_wan, batch.region.code) == (
        "集中开工", dt.date(2024, 3, 5), 18, Decimal("568000"), "370702")
    assert event_fact.status == FactStatus.ACCEPTED
    assert event_fact.reviewer == world.users[Role.SUPERVISOR]
    assert AuditEntry.objects.count() - before == 2  # the batch event created, the fact accepted


def test_accepting_a_milestone_sets_the_projects_actual_date(world: World) -> None:
    project_fact = fact(ingested(world), "project", "370702")
    actions.do_accept_fact(ui(world, Role.REGION_ADMIN), project_fact, project_fact.version)
    milestone = Milestone.objects.get(project=world.inside.project, kind=MilestoneKind.START)
    assert milestone.actual_date == dt.date(2024, 3, 5)


def test_reject_then_accept_is_refused(world: World) -> None:
    event_fact = fact(ingested(world), "batch_event", "370702")
    actions.do_reject_fact(ui(world, Role.SUPERVISOR), event_fact, event_fact.version, "重复报道")
    event_fact.refresh_from_db()
    assert (event_fact.status, event_fact.review_note) == (FactStatus.REJECTED, "重复报道")
    with pytest.raises(ValidationError, match="已审核"):
        actions.do_accept_fact(ui(world, Role.SUPERVISOR), event_fact, event_fact.version)


def test_stale_version_is_a_conflict(world: World) -> None:
    event_fact = fact(ingested(world), "batch_event", "370702")
    actions.do_reject_fact(ui(world, Role.SUPERVISOR), event_fact, event_fact.version)
    with pytest.raises(VersionConflict):
        actions.do_accept_fact(ui(world, Role.ADMIN), event_fact, 1)


def test_out_of_scope_fact_cannot_be_accepted(world: World) -> None:
    outside = fact(ingested(world), "batch_event", "370703")
    with pytest.raises(PermissionDenied):
        actions.do_accept_fact(ui(world, Role.SUPERVISOR), outside, outside.version)


def login(role: str) -> Client:
    client = Client()
    assert client.login(username=f"u_{role}", password=PASSWORD)
    return client


def test_queue_shows_only_facts_in_scope_and_outside_answers_404(world: World) -> None:
    article = ingested(world)
    client = login(Role.SUPERVISOR)
    page = client.get(reverse("intake:queue"))
    assert page.status_code == 200
    assert [f.region.code for f in page.context["page"]] == ["370702", "370702"]
    inside, outside = fact(article, "batch_event", "370702"), fact(article, "batch_event", "370703")
    detail = client.get(reverse("intake:fact", args=[inside.pk]))
    assert detail.status_code == 200
    assert detail.context["evidence"] == "本报讯 3月5日，潍城区18个重点项目集中开工，总投资56.8亿元。"
    assert client.get(reverse("intake:fact", args=[outside.pk])).status_code == 404
    assert client.post(reverse("intake:accept", args=[outside.pk]), {"version": outside.version}).status_code == 404


def test_accept_through_the_page_and_permissions(world: World) -> None:
    inside = fact(ingested(world), "batch_event", "370702")
    assert login(Role.LEADER).post(reverse("intake:accept", args=[inside.pk]),
                                     {"version": inside.version}).status_code == 403
    assert Client().get(reverse("intake:queue")).status_code == 302  # anonymous: to the login page
    response = login(Role.SUPERVISOR).post(reverse("intake:accept", args=[inside.pk]), {"version": inside.version})
    assert response.status_code == 302
    inside.refresh_from_db()
    assert inside.status == FactStatus.ACCEPTED


def test_ingest_command_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.txt"
    path.write_text("今天（4月8日），济宁市任城区集中签约项目12个，签约总额8600万元。", encoding="utf-8")
    call_command("ingest", str(path), "--json", "--published", "2023-04-08")
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(line) for line in lines] == [{
        "kind": "batch_event", "event": "集中签约", "region": "济宁市任城区", "region_code": "370811",
        "date": "2023-04-08", "project_count": 12, "total_investment_wan": 8600,
        "evidence": "今天（4月8日），济宁市任城区集中签约项目12个，签约总额8600万元。",
        "evidence_start": 0, "evidence_end": 36,
        "source": str(path),
    }]
