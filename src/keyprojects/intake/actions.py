"""The only code that writes intake data: ingest a report, accept or reject a fact.

Accepting writes into the registry through the projects actions (``do_set_milestone_actual``,
``do_create_batch_event``),
so the registry change and the fact's new status are audited in the same transaction.

Language: refusals are in the active language (gettext); what is written into the registry and the audit log is
Chinese whatever language the reviewer reads the pages in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from keyprojects.accounts.access import require_perm, require_region_in_scope
from keyprojects.accounts.permissions import PROJECT_CHANGE
from keyprojects.audit.actions import Actor, record, record_create
from keyprojects.audit.models import AuditAction
from keyprojects.core import clock, editing
from keyprojects.intake.choices import FactKind, FactStatus
from keyprojects.intake.linking import best_match
from keyprojects.intake.models import Article, Fact
from keyprojects.intake.pipeline import process
from keyprojects.intake.places import DEFAULT_AREA
from keyprojects.projects import actions as project_actions
from keyprojects.projects.choices import BatchKind, MilestoneKind
from keyprojects.projects.models import Project
from keyprojects.regions.models import Region

MILESTONE_KINDS = {"开工": MilestoneKind.START, "竣工": MilestoneKind.COMPLETION, "投产": MilestoneKind.PRODUCTION,
                   "主体完工": MilestoneKind.MAIN_STRUCTURE, "达效": MilestoneKind.AT_CAPACITY}
FACT_FIELDS = ("status", "project", "reviewer", "reviewed_at", "review_note")


def supervised_area() -> str:
    return str(getattr(settings, "KEYPROJECTS_INTAKE_AREA", DEFAULT_AREA))


def resolve_region(fields: dict[str, Any]) -> Region | None:
    code = fields.get("region_code")
    if code:
        region = Region.objects.filter(code=code).first()
        if region is not None:
            return region
    name = fields.get("region")
    if not name:
        return None
    matches = list(Region.objects.filter(name=name)[:2]) or list(Region.objects.filter(full_name=name)[:2])
    return matches[0] if len(matches) == 1 else None


def link_project(fields: dict[str, Any], region: Region | None) -> Project | None:
    """The registry project a project fact is about: the one of its region named most like it."""
    name = fields.get("name")
    if not name:
        return None
    qs = Project.objects.all()
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    pk = best_match(str(name), list(qs.values_list("pk", "name")))
    return Project.objects.filter(pk=pk).first() if pk is not None else None


@transaction.atomic
def do_ingest(actor: Actor, raw: str, source: str, published: dt.date | None = None) -> Article:
    """Store a report and its facts for review. Ingesting the same text again returns the stored article."""
    require_perm(actor.user, PROJECT_CHANGE)
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    existing = Article.objects.filter(digest=digest).first()
    if existing is not None:
        return existing
    processed = process(raw, published, supervised_area())
    title = next((a.title for a in processed.articles if a.title), "")[:300]
    article = Article.objects.create(
        source=source[:300], title=title, published=published, raw_text=raw, clean_text=processed.page.text,
        digest=digest, ingested_by=actor.user,
    )
    record_create(actor, article, ("source", "title", "published"), f"导入新闻稿，提取事实{len(processed.facts)}条")
    for record_ in processed.records():
        fields = {k: v for k, v in record_.items() if k not in ("kind", "evidence", "evidence_start", "evidence_end")}
        region = resolve_region(fields)
        Fact.objects.create(
            article=article, kind=record_["kind"], fields=fields, evidence=record_["evidence"],
            evidence_start=record_["evidence_start"], evidence_end=record_["evidence_end"], region=region,
            project=link_project(fields, region) if record_["kind"] == FactKind.PROJECT else None,
        )
    return article


def _authorise(actor: Actor, fact: Fact) -> None:
    require_perm(actor.user, PROJECT_CHANGE)
    if fact.region is not None:
        require_region_in_scope(actor.user, fact.region)


def _batch_kind(event: str) -> str:
    for kind in (BatchKind.SIGNING, BatchKind.PRODUCTION, BatchKind.COMPLETION, BatchKind.START):
        if kind.value in event:
            return kind.value
    return BatchKind.START.value


def _write_registry(actor: Actor, fact: Fact, project: Project | None) -> dict[str, Any]:
    """Write what an accepted fact says into the registry; the extra fields to store on the fact."""
    fields = fact.fields
    source = f"{fact.article.source}（新闻事实#{fact.pk}）"
    if fact.kind == FactKind.BATCH_EVENT:
        if fact.region is None:
            raise ValidationError(_("无法确定该集中活动的区域，不能写入登记册。"))
        if not fields.get("date"):
            raise ValidationError(_("该集中活动缺少日期，不能写入登记册。"))
        total = fields.get("total_investment_wan")
        event = project_actions.do_create_batch_event(
            actor,
            kind=_batch_kind(str(fields.get("event", ""))),
            title=f"{fact.region}{fields.get('event', '集中开工')}",
            region=fact.region, date=dt.date.fromisoformat(fields["date"]), venue=str(fields.get("venue") or "")[:200],
            reported_count=fields.get("project_count"),
            reported_total_wan=Decimal(str(total)) if total is not None else None, source=source[:300],
        )
        return {"batch_event": event}
    if fact.kind == FactKind.PROJECT and fields.get("milestone"):
        if project is None:
            raise ValidationError(_("请先选择登记册中的对应项目。"))
        kind = MILESTONE_KINDS.get(str(fields["milestone"]))
        if kind is None or not fields.get("date"):
            raise ValidationError(_("该事实缺少节点或日期，不能写入登记册。"))
        project_actions.do_set_milestone_actual(actor, project, kind, dt.date.fromisoformat(fields["date"]),
                                                note=f"据新闻：{source}"[:300])
    return {}


@transaction.atomic
def do_accept_fact(actor: Actor, fact: Fact, expected_version: int | None, project: Project | None = None,
                   note: str = "") -> Fact:
    """Accept a fact: write it into the registry (audited there) and mark it accepted (audited here)."""
    _authorise(actor, fact)
    locked = editing.lock_for_update(Fact, fact.pk, expected_version)
    if locked.status != FactStatus.PENDING:
        raise ValidationError(_("该事实已审核，不能重复处理。"))
    if project is not None:
        require_region_in_scope(actor.user, project.region)
    project = project or locked.project
    extra = _write_registry(actor, locked, project)
    return _review(actor, locked, FactStatus.ACCEPTED, note, project=project, **extra)


@transaction.atomic
def do_reject_fact(actor: Actor, fact: Fact, expected_version: int | None, note: str = "") -> Fact:
    _authorise(actor, fact)
    locked = editing.lock_for_update(Fact, fact.pk, expected_version)
    if locked.status != FactStatus.PENDING:
        raise ValidationError(_("该事实已审核，不能重复处理。"))
    return _review(actor, locked, FactStatus.REJECTED, note)


def _status(fact: Fact) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # for the audit entry, a stored record: Chinese
        return str(fact.get_status_display())


def _review(actor: Actor, fact: Fact, status: str, note: str, **values: Any) -> Fact:
    before = {"status": _status(fact), "project": str(fact.project) if fact.project else None}
    fact.status = status
    fact.reviewer = actor.user
    fact.reviewed_at = clock.now()
    fact.review_note = note[:300]
    for name, value in values.items():
        setattr(fact, name, value)
    fact.version += 1
    fact.save()
    after = {"status": _status(fact), "project": str(fact.project) if fact.project else None}
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    message = note or ("采纳新闻事实" if status == FactStatus.ACCEPTED else "驳回新闻事实")
    record(actor, AuditAction.UPDATE, fact, changes, message)
    return fact
