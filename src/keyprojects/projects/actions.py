"""The only code that writes projects, plans, milestones and batch events. Every function is atomic, checks the
actor's permission and scope, and records its audit entry in the same transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from keyprojects.accounts.access import require_perm, require_region_in_scope
from keyprojects.accounts.permissions import PLAN_APPROVE, PROJECT_CHANGE, PROJECT_DELETE
from keyprojects.audit.actions import Actor, record, record_create, snapshot
from keyprojects.audit.models import AuditAction
from keyprojects.core import clock, editing, locks
from keyprojects.projects.choices import STAGE_ORDER, MilestoneKind, PlanStatus, Stage
from keyprojects.projects.models import (
    AnnualPlan,
    BatchEvent,
    Milestone,
    PlannedMilestone,
    PlanVersion,
    Project,
    StageTransition,
)
from keyprojects.regions.models import Region

PROJECT_FIELDS = (
    "national_code",
    "name",
    "owner",
    "region",
    "address",
    "industry",
    "category",
    "level",
    "total_investment_wan",
    "scope",
    "start_year",
    "end_year",
    "stage",
    "stage_since",
    "leader",
    "unit",
    "task_force",
    "person_in_charge",
    "tags",
)
EDITABLE_PROJECT_FIELDS = tuple(f for f in PROJECT_FIELDS if f not in ("stage", "stage_since"))
MILESTONE_FIELDS = ("kind", "actual_date", "note")
BATCH_FIELDS = ("kind", "title", "region", "date", "venue", "reported_count", "reported_total_wan", "source")


def _authorise_project(actor: Actor, perm: str, region: Region) -> None:
    require_perm(actor.user, perm)
    require_region_in_scope(actor.user, region)


def project_code(region: Region, pk: int) -> str:
    return f"{region.code or f'R{region.pk}'}-{pk:06d}"


@transaction.atomic
def do_create_project(actor: Actor, **values: Any) -> Project:
    _authorise_project(actor, PROJECT_CHANGE, values["region"])
    unknown = set(values) - set(EDITABLE_PROJECT_FIELDS) - {"stage", "stage_since"}
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    values.setdefault("stage", Stage.SIGNED)
    values.setdefault("stage_since", clock.today())
    project = Project(code=f"new-{uuid.uuid4().hex[:20]}", **values)
    project.full_clean(exclude=["code"])
    project.save()
    project.code = project_code(project.region, project.pk)
    project.save(update_fields=["code"])
    assert project.stage_since is not None
    StageTransition.objects.create(
        project=project, from_stage="", to_stage=project.stage, on=project.stage_since, actor=actor.user, note="建档"
    )
    record_create(actor, project, ("code", *PROJECT_FIELDS))
    return project


@transaction.atomic
def do_update_project(actor: Actor, project: Project, expected_version: int | None, **values: Any) -> Project:
    _authorise_project(actor, PROJECT_CHANGE, project.region)
    if "region" in values:
        require_region_in_scope(actor.user, values["region"])
    unknown = set(values) - set(EDITABLE_PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"fields that cannot be edited here: {sorted(unknown)}")
    return editing.update(actor, Project, project.pk, expected_version, values, PROJECT_FIELDS)


@transaction.atomic
def do_delete_project(actor: Actor, project: Project, expected_version: int | None) -> None:
    _authorise_project(actor, PROJECT_DELETE, project.region)
    locks.hold(locks.PROJECT_RATINGS, shared=True)  # not while a rating run writes this project's row
    editing.delete(actor, Project, project.pk, expected_version, ("code", *PROJECT_FIELDS))


@transaction.atomic
def do_change_stage(
    actor: Actor, project: Project, expected_version: int | None, stage: str, on: dt.date, note: str = ""
) -> Project:
    """Move the project along its lifecycle. Going back needs a reason; a date in the future is refused."""
    _authorise_project(actor, PROJECT_CHANGE, project.region)
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": _("未知的项目阶段。")})
    if on > clock.today():
        raise ValidationError({"on": _("阶段变更日期不能晚于今天。")})
    locked = editing.lock_for_update(Project, project.pk, expected_version)
    if stage == locked.stage:
        raise ValidationError({"stage": _("项目已处于该阶段。")})
    if STAGE_ORDER.index(stage) < STAGE_ORDER.index(locked.stage) and not note.strip():
        raise ValidationError({"note": _("阶段回退必须填写原因。")})
    if locked.stage_since and on < locked.stage_since:
        raise ValidationError({"on": _("日期不能早于上一阶段的开始日期（%(date)s）。") % {"date": locked.stage_since}})
    before = snapshot(locked, ("stage", "stage_since"))
    StageTransition.objects.create(
        project=locked, from_stage=locked.stage, to_stage=stage, on=on, actor=actor.user, note=note
    )
    locked.stage, locked.stage_since = stage, on
    locked.version += 1
    locked.save(update_fields=["stage", "stage_since", "version", "updated_at"])
    after = snapshot(locked, ("stage", "stage_since"))
    record(actor, AuditAction.UPDATE, locked, {k: [before[k], after[k]] for k in after if before[k] != after[k]}, note)
    return locked


# --- annual plans and baselines -------------------------------------------------------------------------------


def _validate_curve(curve: list[Any] | None) -> list[float] | None:
    if curve in (None, []):
        return None
    if not isinstance(curve, list) or len(curve) != 12:
        raise ValidationError({"monthly_curve": _("月度计划曲线须为12个月的累计比例。")})
    values = [float(v) for v in curve]
    if any(v < 0 or v > 1 for v in values) or any(b < a for a, b in zip(values, values[1:], strict=False)):
        raise ValidationError({"monthly_curve": _("月度累计比例须在0到1之间且逐月不减。")})
    if abs(values[-1] - 1) > 1e-9:
        raise ValidationError({"monthly_curve": _("12月的累计比例须为1（100%）。")})
    return values


def _new_version(
    actor: Actor,
    plan: AnnualPlan,
    number: int,
    planned_investment_wan: Decimal | None,
    milestones: dict[str, dt.date],
    monthly_curve: list[Any] | None,
    targets: str,
    reason: str,
    status: str,
) -> PlanVersion:
    if planned_investment_wan is not None and planned_investment_wan < 0:
        raise ValidationError({"planned_investment_wan": _("计划投资不能为负数。")})
    unknown = set(milestones) - set(MilestoneKind.values)
    if unknown:
        raise ValidationError({"milestones": _("未知的节点：%(kinds)s") % {"kinds": _("、").join(sorted(unknown))}})
    for kind, day in milestones.items():
        if day.year < plan.year - 10 or day.year > plan.year + 10:
            message = _("%(milestone)s计划日期不合理：%(date)s") % {"milestone": MilestoneKind(kind).label, "date": day}
            raise ValidationError({"milestones": message})
    now = clock.now()
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        planned_investment_wan=planned_investment_wan,
        monthly_curve=_validate_curve(monthly_curve),
        targets=targets,
        reason=reason,
        status=status,
        created_by=actor.user,
        decided_by=actor.user if status == PlanStatus.APPROVED else None,
        decided_at=now if status == PlanStatus.APPROVED else None,
    )
    PlannedMilestone.objects.bulk_create(
        [PlannedMilestone(version=version, kind=kind, planned_date=day) for kind, day in milestones.items()]
    )
    return version


def _version_summary(version: PlanVersion | None) -> dict[str, Any]:
    if version is None:
        return {}
    summary: dict[str, Any] = {
        gettext_noop("版本"): version.number,
        gettext_noop("计划投资"): snapshot(version, ("planned_investment_wan",))["planned_investment_wan"],
    }
    with translation.override(settings.LANGUAGE_CODE):  # the log is data, kept in the platform's language
        for m in version.milestones.all():
            summary[str(m.get_kind_display())] = m.planned_date.isoformat()
    return summary


@transaction.atomic
def do_create_plan(
    actor: Actor,
    project: Project,
    year: int,
    planned_investment_wan: Decimal | None,
    milestones: dict[str, dt.date] | None = None,
    monthly_curve: list[Any] | None = None,
    targets: str = "",
) -> AnnualPlan:
    """Put the project on a year's list. Version 1 is approved at once: it is the original and the baseline."""
    _authorise_project(actor, PROJECT_CHANGE, project.region)
    if AnnualPlan.objects.filter(project=project, year=year).exists():
        raise ValidationError({"year": _("该项目已有%(year)s年度计划；调整计划请提交新版本。") % {"year": year}})
    plan = AnnualPlan.objects.create(project=project, year=year)
    version = _new_version(
        actor, plan, 1, planned_investment_wan, milestones or {}, monthly_curve, targets, "", PlanStatus.APPROVED
    )
    plan.original = plan.baseline = plan.current = version
    plan.save(update_fields=["original", "baseline", "current"])
    record(actor, AuditAction.CREATE, plan, {k: [None, v] for k, v in _version_summary(version).items()})
    return plan


@transaction.atomic
def do_propose_plan_change(
    actor: Actor,
    plan: AnnualPlan,
    expected_version: int | None,
    planned_investment_wan: Decimal | None,
    milestones: dict[str, dt.date],
    reason: str,
    monthly_curve: list[Any] | None = None,
    targets: str = "",
    approve: bool = False,
) -> PlanVersion:
    """A changed plan is a new version; earlier versions stay. Approving it makes it the new baseline."""
    _authorise_project(actor, PROJECT_CHANGE, plan.project.region)
    if not reason.strip():
        raise ValidationError({"reason": _("调整计划必须说明原因。")})
    if approve:
        require_perm(actor.user, PLAN_APPROVE)
    locked = editing.lock_for_update(AnnualPlan, plan.pk, expected_version)
    if locked.current and locked.current.status == PlanStatus.PROPOSED:
        raise ValidationError(_("已有待审批的计划调整，请先审批或驳回。"))
    number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = _new_version(
        actor,
        locked,
        number,
        planned_investment_wan,
        milestones,
        monthly_curve,
        targets,
        reason,
        PlanStatus.APPROVED if approve else PlanStatus.PROPOSED,
    )
    before = _version_summary(locked.current)
    locked.current = version
    if approve:
        locked.baseline = version
    locked.version += 1
    locked.save()
    after = _version_summary(version)
    record(
        actor,
        AuditAction.UPDATE,
        locked,
        {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)},
        f"计划调整：{reason}",
    )
    return version


@transaction.atomic
def do_decide_plan_version(actor: Actor, version: PlanVersion, approve: bool, comment: str = "") -> PlanVersion:
    plan = version.plan
    _authorise_project(actor, PLAN_APPROVE, plan.project.region)
    locked = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != PlanStatus.PROPOSED:
        raise ValidationError(_("该计划版本已审批，不能重复处理。"))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("驳回须说明原因。")})
    locked.status = PlanStatus.APPROVED if approve else PlanStatus.REJECTED
    locked.decided_by, locked.decided_at = actor.user, clock.now()
    locked.save()
    plan_locked = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if approve:
        plan_locked.baseline = locked
    else:
        plan_locked.current = plan_locked.baseline
    plan_locked.version += 1
    plan_locked.save()
    record(
        actor,
        AuditAction.UPDATE,
        plan_locked,
        {"基准计划": [None, f"第{locked.number}版"]} if approve else {f"第{locked.number}版": ["待审批", "已驳回"]},
        comment or ("批准计划调整" if approve else "驳回计划调整"),
    )
    return locked


# --- milestones ------------------------------------------------------------------------------------------------


@transaction.atomic
def do_set_milestone_actual(
    actor: Actor,
    project: Project,
    kind: str,
    actual_date: dt.date | None,
    note: str = "",
    expected_version: int | None = None,
) -> Milestone:
    """Record the date a milestone was met (or clear it). Used by the UI, the API and accepted news facts."""
    _authorise_project(actor, PROJECT_CHANGE, project.region)
    if kind not in MilestoneKind.values:
        raise ValidationError({"kind": _("未知的节点类型。")})
    if actual_date and actual_date > clock.today():
        raise ValidationError({"actual_date": _("完成日期不能晚于今天。")})
    milestone = Milestone.objects.select_for_update().filter(project=project, kind=kind).first()
    if milestone is None:
        milestone = Milestone(project=project, kind=kind, actual_date=actual_date, note=note)
        return editing.create(actor, milestone, MILESTONE_FIELDS)
    return editing.update(
        actor, Milestone, milestone.pk, expected_version, {"actual_date": actual_date, "note": note}, MILESTONE_FIELDS
    )


# --- batch events ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_create_batch_event(actor: Actor, projects: list[Project] | None = None, **values: Any) -> BatchEvent:
    _authorise_project(actor, PROJECT_CHANGE, values["region"])
    event = editing.create(actor, BatchEvent(**values), BATCH_FIELDS)
    if projects:
        _check_projects_in_region(event, projects)
        event.projects.set(projects)
        record(actor, AuditAction.UPDATE, event, {gettext_noop("项目"): [None, f"{len(projects)}个"]}, "关联项目")
    return event


@transaction.atomic
def do_update_batch_event(
    actor: Actor, event: BatchEvent, expected_version: int | None, projects: list[Project] | None = None, **values: Any
) -> BatchEvent:
    _authorise_project(actor, PROJECT_CHANGE, event.region)
    event = editing.update(actor, BatchEvent, event.pk, expected_version, values, BATCH_FIELDS)
    if projects is not None:
        _check_projects_in_region(event, projects)
        before = event.projects.count()
        event.projects.set(projects)
        changes = {gettext_noop("项目"): [f"{before}个", f"{len(projects)}个"]}
        record(actor, AuditAction.UPDATE, event, changes, "关联项目")
    return event


def _check_projects_in_region(event: BatchEvent, projects: list[Project]) -> None:
    outside = [p.name for p in projects if not p.region.path.startswith(event.region.path)]
    if outside:
        message = _("以下项目不在%(region)s：%(names)s") % {"region": event.region, "names": _("、").join(outside[:5])}
        raise ValidationError({"projects": message})
