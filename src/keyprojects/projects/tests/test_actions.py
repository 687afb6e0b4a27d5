"""Project actions: plans with original and baseline, stage transitions, milestones, batch events, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from keyprojects.accounts.choices import Role
from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditEntry
from keyprojects.core.editing import VersionConflict
from keyprojects.core.testing.fixtures import SYSTEM, World
from keyprojects.projects import actions, selectors
from keyprojects.projects.choices import BatchKind, MilestoneKind, PlanStatus, Stage
from keyprojects.projects.models import BatchEvent, PlanVersion, Project, StageTransition

pytestmark = pytest.mark.django_db


def actor(world: World, role: str) -> Actor:
    return Actor(user=world.users[role], source="ui")


def test_plan_change_keeps_original_and_baseline_and_reports_variance_against_both(world: World) -> None:
    project = world.inside.project
    plan = project.plans.get(year=2024)
    supervisor, region_admin = actor(world, Role.SUPERVISOR), actor(world, Role.REGION_ADMIN)
    # Approved change: start moves from 03-01 to 04-15, plan investment 50000 → 40000.
    v2 = actions.do_propose_plan_change(
        supervisor,
        plan,
        plan.version,
        Decimal(40000),
        {MilestoneKind.START: dt.date(2024, 4, 15)},
        reason="土地摘牌延后",
        approve=True,
    )
    plan.refresh_from_db()
    assert (plan.original.number, plan.baseline.number, plan.current.number) == (1, 2, 2)
    # Proposed, not yet approved: start 05-01. The baseline stays at version 2.
    v3 = actions.do_propose_plan_change(
        region_admin,
        plan,
        plan.version,
        Decimal(35000),
        {MilestoneKind.START: dt.date(2024, 5, 1)},
        reason="设备到货延迟",
    )
    plan.refresh_from_db()
    assert (plan.original_id, plan.baseline_id, plan.current_id) == (plan.original_id, v2.pk, v3.pk)
    assert v3.status == PlanStatus.PROPOSED
    actions.do_set_milestone_actual(SYSTEM, project, MilestoneKind.START, dt.date(2024, 3, 20))

    [view] = selectors.plan_views(project)
    start = next(m for m in view.milestones if m.kind == MilestoneKind.START)
    assert (start.original, start.baseline, start.current) == (
        dt.date(2024, 3, 1),
        dt.date(2024, 4, 15),
        dt.date(2024, 5, 1),
    )
    assert start.delay_vs_original == 19  # met 03-20 against 03-01
    assert start.delay_vs_baseline == -26  # 26 days ahead of the approved baseline
    assert view.investment_vs_original == Decimal(-15000)
    assert view.investment_vs_baseline == Decimal(-5000)
    production = next(m for m in view.milestones if m.kind == MilestoneKind.PRODUCTION)
    assert production.original == dt.date(2025, 6, 30) and production.baseline is None and production.current is None

    # Approving v3 makes it the baseline; the original is still version 1.
    actions.do_decide_plan_version(supervisor, v3, approve=True)
    plan.refresh_from_db()
    assert (plan.original.number, plan.baseline.number, plan.current.number) == (1, 3, 3)
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", "status")) == [
        (1, "approved"),
        (2, "approved"),
        (3, "approved"),
    ]


def test_plan_change_rules(world: World) -> None:
    plan = world.inside.project.plans.get()
    region_admin = actor(world, Role.REGION_ADMIN)
    with pytest.raises(ValidationError, match="调整计划必须说明原因"):
        actions.do_propose_plan_change(region_admin, plan, plan.version, Decimal(1), {}, reason=" ")
    with pytest.raises(PermissionDenied):
        actions.do_propose_plan_change(region_admin, plan, plan.version, Decimal(1), {}, reason="x", approve=True)
    with pytest.raises(ValidationError, match="计划投资不能为负数"):
        actions.do_propose_plan_change(region_admin, plan, plan.version, Decimal(-1), {}, reason="x")
    actions.do_propose_plan_change(region_admin, plan, plan.version, Decimal(1), {}, reason="x")
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="已有待审批的计划调整"):
        actions.do_propose_plan_change(region_admin, plan, plan.version, Decimal(2), {}, reason="y")
    with pytest.raises(VersionConflict):
        actions.do_propose_plan_change(region_admin, plan, plan.version - 1, Decimal(2), {}, reason="y")
    proposed = plan.current
    with pytest.raises(ValidationError, match="驳回须说明原因"):
        actions.do_decide_plan_version(actor(world, Role.SUPERVISOR), proposed, approve=False)
    actions.do_decide_plan_version(actor(world, Role.SUPERVISOR), proposed, approve=False, comment="依据不足")
    plan.refresh_from_db()
    assert plan.current_id == plan.baseline_id == plan.original_id
    with pytest.raises(ValidationError, match="已有2024年度计划"):
        actions.do_create_plan(region_admin, world.inside.project, 2024, Decimal(1))
    with pytest.raises(ValidationError, match="月度累计比例"):
        actions.do_create_plan(region_admin, world.inside.project, 2025, Decimal(1), monthly_curve=[0.5] * 11 + [0.4])


def test_stage_transitions_are_dated_and_going_back_needs_a_reason(world: World) -> None:
    project = world.inside.project
    a = actor(world, Role.REGION_ADMIN)
    project = actions.do_change_stage(a, project, project.version, Stage.UNDER_CONSTRUCTION, dt.date(2024, 2, 26))
    with pytest.raises(ValidationError, match="阶段回退必须填写原因"):
        actions.do_change_stage(a, project, project.version, Stage.LANDED, dt.date(2024, 3, 1))
    with pytest.raises(ValidationError, match="日期不能早于上一阶段的开始日期"):
        actions.do_change_stage(a, project, project.version, Stage.COMPLETED, dt.date(2024, 2, 1))
    with pytest.raises(ValidationError, match="不能晚于今天"):
        actions.do_change_stage(a, project, project.version, Stage.COMPLETED, dt.date(2024, 4, 2))
    project = actions.do_change_stage(a, project, project.version, Stage.LANDED, dt.date(2024, 3, 1), "停工整改")
    assert list(StageTransition.objects.filter(project=project).values_list("to_stage", "on")) == [
        ("signed", dt.date(2024, 1, 5)),
        ("construction", dt.date(2024, 2, 26)),
        ("landed", dt.date(2024, 3, 1)),
    ]
    entry = AuditEntry.objects.filter(object_id=str(project.pk), action="update").order_by("-id").first()
    assert entry.changes == {"stage": ["开工在建", "落地"], "stage_since": ["2024-02-26", "2024-03-01"]}
    assert entry.message == "停工整改"


def test_batch_event_totals_come_from_its_projects(world: World) -> None:
    side = world.inside
    extra = actions.do_create_project(
        SYSTEM, name="第二个项目", region=side.region, total_investment_wan=Decimal("33000")
    )
    batch = BatchEvent.objects.with_totals().get(pk=side.batch.pk)
    assert (batch.project_count, batch.total_investment_wan) == (1, Decimal("150000"))
    actions.do_update_batch_event(SYSTEM, side.batch, side.batch.version, projects=[side.project, extra])
    batch = BatchEvent.objects.with_totals().get(pk=side.batch.pk)
    assert (batch.project_count, batch.total_investment_wan) == (2, Decimal("183000"))
    with pytest.raises(ValidationError, match="以下项目不在潍城区：寒亭年产10万吨新材料项目"):
        actions.do_create_batch_event(
            SYSTEM,
            projects=[world.outside.project],
            kind=BatchKind.START,
            title="x",
            region=side.region,
            date=dt.date(2024, 2, 26),
        )


def test_region_admin_cannot_move_a_project_out_of_its_region(world: World) -> None:
    project = world.inside.project
    with pytest.raises(PermissionDenied, match="“寒亭区”不在您的管辖范围内"):
        actions.do_update_project(
            actor(world, Role.REGION_ADMIN), project, project.version, region=world.outside.region
        )
    with pytest.raises(PermissionDenied):
        actions.do_create_project(actor(world, Role.REPORTER), name="填报员不能建项目", region=world.inside.region)


def test_national_code_is_validated_and_unique(world: World) -> None:
    project = world.inside.project
    with pytest.raises(ValidationError, match="全国投资项目代码应为24位"):
        actions.do_update_project(SYSTEM, project, project.version, national_code="2020-370785-26-03-03328")
    project = actions.do_update_project(SYSTEM, project, project.version, national_code="2020-370785-26-03-033286")
    other = world.outside.project
    with pytest.raises(ValidationError, match="全国投资项目代码"):
        actions.do_update_project(SYSTEM, other, other.version, national_code="2020-370785-26-03-033286")


def test_every_write_is_audited_in_the_same_transaction(world: World) -> None:
    project = world.inside.project
    before = AuditEntry.objects.count()
    updated = actions.do_update_project(
        actor(world, Role.REGION_ADMIN),
        project,
        project.version,
        owner="新建设单位",
        total_investment_wan=Decimal("160000"),
    )
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry.changes == {
        "owner": ["山东潍城新材料有限公司", "新建设单位"],
        "total_investment_wan": ["150000", "160000"],
    }
    assert (entry.actor, entry.source, entry.action, entry.object_version) == (
        world.users[Role.REGION_ADMIN],
        "ui",
        "update",
        updated.version,
    )
    # A write that fails leaves neither the change nor an audit entry.
    with pytest.raises(ValidationError):
        actions.do_update_project(SYSTEM, updated, updated.version, owner="x", end_year=2000)
    assert AuditEntry.objects.count() == before + 1
    assert Project.objects.get(pk=project.pk).owner == "新建设单位"
    # A no-op write writes nothing.
    actions.do_update_project(SYSTEM, updated, updated.version, owner="新建设单位")
    assert AuditEntry.objects.count() == before + 1


def test_audit_log_is_append_only(world: World) -> None:
    entry = AuditEntry.objects.first()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(message="x")
