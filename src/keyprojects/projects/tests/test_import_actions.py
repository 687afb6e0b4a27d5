"""Importing lists into the registry: idempotent upsert, strict mode, atomicity, scope, plans, audit, round trip."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from keyprojects.accounts.choices import Role
from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditEntry, AuditSource
from keyprojects.core.testing.fixtures import World
from keyprojects.projects import import_actions
from keyprojects.projects.choices import PlanStatus, Stage
from keyprojects.projects.import_actions import do_import_list
from keyprojects.projects.list_export import export_rows, write_list_xlsx
from keyprojects.projects.listfile import ParseOptions, parse_list, parse_list_file
from keyprojects.projects.models import AnnualPlan, Project
from keyprojects.projects.tests.listfile_builders import SAMPLES, small_list, xlsx_bytes
from keyprojects.regions.loading import load_regions
from keyprojects.regions.models import Region

pytestmark = pytest.mark.django_db

SYSTEM = Actor(user=None, source=AuditSource.IMPORT)
WEIFANG = SAMPLES / "2024-weifang-key-projects.xlsx"


@pytest.fixture(autouse=True)
def regions(db: Any) -> None:
    if not Region.objects.exists():
        load_regions(Region)


def registry() -> dict[tuple[str, str], dict[str, Any]]:
    """Every project with its 2024 plan, keyed by (region code, name), without ids or codes."""
    plans = {p.project_id: p.current.planned_investment_wan if p.current else None
             for p in AnnualPlan.objects.filter(year=2024).select_related("current")}
    return {
        (p.region.code or "", p.name): {
            "owner": p.owner, "address": p.address, "industry": p.industry, "category": p.category,
            "level": p.level, "total": p.total_investment_wan, "scope": p.scope, "start": p.start_year,
            "end": p.end_year, "national_code": p.national_code, "plan": plans.get(p.pk, "none"),
        }
        for p in Project.objects.select_related("region")
    }


def test_importing_a_sample_creates_projects_plans_and_audit_entries() -> None:
    report = do_import_list(SYSTEM, parse_list_file(WEIFANG), filename="weifang.xlsx")
    assert (report.count("create"), report.count("update"), report.count("unchanged"), report.count("error")) == (
        80, 0, 0, 0)
    assert (report.plans_created, report.plans_changed) == (78, 0)
    assert report.summary() == "新建80个项目，更新0个，0个未变化；年度计划新建78个，调整0个"
    assert Project.objects.count() == 80
    assert AnnualPlan.objects.filter(year=2024).count() == 78
    project = Project.objects.get(name="年产4000套冲压模具及零部件项目")
    assert (project.region.code, project.owner, project.total_investment_wan, project.category, project.industry) == (
        "370725", "昌乐瑞欣机械科技有限公司", Decimal("36000"), "新开工", "高端装备")
    assert project.code == f"370725-{project.pk:06d}"
    assert project.stage == Stage.SIGNED
    assert Project.objects.get(name="富源高速涡轮机械产业园项目").stage == Stage.UNDER_CONSTRUCTION  # 续建
    plan = AnnualPlan.objects.get(project=project, year=2024)
    assert plan.current is not None and plan.current.planned_investment_wan == Decimal("12700")
    assert plan.original_id == plan.baseline_id == plan.current_id
    assert AuditEntry.objects.filter(action="create", object_id=str(project.pk), message__contains="第").count() == 1
    assert AuditEntry.objects.count() == 80 + 78
    # the two rows with a blank annual plan have no plan
    assert {p.name for p in Project.objects.filter(plans__isnull=True)} == {
        r.name for r in parse_list_file(WEIFANG).rows if r.annual_plan_wan is None}


def test_importing_the_same_list_again_changes_nothing() -> None:
    do_import_list(SYSTEM, parse_list_file(WEIFANG))
    entries, before = AuditEntry.objects.count(), registry()
    report = do_import_list(SYSTEM, parse_list_file(WEIFANG))
    assert (report.count("create"), report.count("update"), report.count("unchanged")) == (0, 0, 80)
    assert (report.plans_created, report.plans_changed) == (0, 0)
    assert AuditEntry.objects.count() == entries
    assert registry() == before


def test_a_changed_cell_updates_only_that_project_and_its_plan_version() -> None:
    do_import_list(SYSTEM, parse_list(xlsx_bytes(small_list()), "v1.xlsx"))
    rows = [[1, "甲项目", "甲公司", "潍坊市潍城区于河街道", "新建厂房", "2024-2026", 1.8, 0.6, "新开工"],
            [2, "乙项目", None, "寒亭经济开发区海龙路以西", "新建仓库", "2023—2025年", 2, 0.7, "续建"]]
    report = do_import_list(SYSTEM, parse_list(xlsx_bytes(small_list(total=3.8, annual=1.3, rows=rows)), "v2.xlsx"),
                            filename="v2.xlsx")
    assert [(o.name, o.action, o.changed) for o in report.outcomes] == [
        ("甲项目", "update", ["总投资（万元）", "结束年份", "年度计划"]), ("乙项目", "unchanged", [])]
    project = Project.objects.get(name="甲项目")
    assert (project.total_investment_wan, project.end_year, project.version) == (Decimal("18000"), 2026, 2)
    plan = project.plans.get(year=2024)
    assert plan.current is not None
    assert (plan.current.number, plan.current.planned_investment_wan, plan.current.status) == (
        2, Decimal("6000"), PlanStatus.APPROVED)
    assert plan.original is not None and plan.original.planned_investment_wan == Decimal("5000")
    update = AuditEntry.objects.get(action="update", object_id=str(project.pk), content_type__model="project")
    assert update.changes == {"total_investment_wan": ["15000", "18000"], "end_year": [2025, 2026]}


def test_strict_imports_nothing_when_a_row_is_bad() -> None:
    rows = [[1, "甲项目", "甲公司", "潍城区", "厂房", "2024", 1, 0.5, "新开工"],
            [2, "乙项目", "乙公司", "长松路以东", "厂房", "2024", 1, 0.5, "续建"]]
    result = parse_list(xlsx_bytes(small_list(total=None, annual=None, rows=rows)), "list.xlsx")
    report = do_import_list(SYSTEM, result, strict=True)
    assert report.aborted
    assert report.summary() == "严格模式：有1行出错，未导入任何项目"
    assert [str(i) for i in report.errors] == ["第6行“建设地点”列（D列）：无法从“长松路以东”识别山东省的区县"]
    assert Project.objects.count() == 0
    # without --strict the good row imports and the bad one is reported
    report = do_import_list(SYSTEM, result)
    assert [(o.row, o.action) for o in report.outcomes] == [(5, "create"), (6, "error")]
    assert report.summary() == "新建1个项目，更新0个，0个未变化；年度计划新建1个，调整0个；1行出错未导入"
    assert list(Project.objects.values_list("name", flat=True)) == ["甲项目"]


def test_database_checks_report_rows_with_column_and_reason() -> None:
    rows = [[1, "甲项目", "甲公司", "潍城区", "厂房", "2024", 1, 0.5, "在建"],
            [2, "乙" * 201, "乙公司", "潍城区", "厂房", "2024", 1, 0.5, "续建"],
            [3, "丙项目", "丙公司", "潍城区", "厂房", "2024", 1, 0.5, None]]
    data = xlsx_bytes([["单位：亿元"], ["序号", "项目名称", "建设单位", "建设地点", "建设内容及规模", "建设起止年限",
                                      "总投资", "2024年计划投资", "项目类型"], *rows])
    report = do_import_list(SYSTEM, parse_list(data, "list.xlsx"))
    assert [str(i) for i in report.errors] == [
        "第3行“项目类型”列（I列）：项目类型“在建”应为新开工、续建、竣工、建成投产、前期之一",
        "第4行“项目名称”列（B列）：项目名称超过200个字（现有201个）",
        "第5行“项目名称”列：项目类型为空，应为新开工、续建、竣工、建成投产、前期之一",
    ]
    assert Project.objects.count() == 0


def test_an_interrupted_import_leaves_the_database_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    do_import_list(SYSTEM, parse_list(xlsx_bytes(small_list()), "list.xlsx"))
    before, entries = registry(), AuditEntry.objects.count()
    seen: dict[str, int] = {}
    real = import_actions.record_many

    def interrupted(*args: Any, **kwargs: Any) -> None:
        # Ctrl-C after the 80 projects and their stage rows are written, before their audit entries
        seen["projects"] = Project.objects.count()
        raise KeyboardInterrupt

    monkeypatch.setattr(import_actions, "record_many", interrupted)
    with pytest.raises(KeyboardInterrupt):
        do_import_list(SYSTEM, parse_list_file(WEIFANG))
    assert seen == {"projects": 82}
    assert registry() == before
    assert AuditEntry.objects.count() == entries
    monkeypatch.setattr(import_actions, "record_many", real)
    assert do_import_list(SYSTEM, parse_list_file(WEIFANG)).count("create") == 80


def test_a_large_import_refreshes_the_planners_statistics(monkeypatch: pytest.MonkeyPatch) -> None:
    """From BULK_LOAD_ROWS new projects on (80 here), the tables written are analysed once the import is written;
    not for a dry run, nor below the threshold."""
    refreshed: list[tuple[str, ...]] = []
    def record(*models: type) -> None:
        refreshed.append(tuple(m.__name__ for m in models))

    monkeypatch.setattr(import_actions, "refresh_planner_statistics", record)
    monkeypatch.setattr(import_actions, "BULK_LOAD_ROWS", 80)
    do_import_list(SYSTEM, parse_list_file(WEIFANG), dry_run=True)
    do_import_list(SYSTEM, parse_list(xlsx_bytes(small_list()), "list.xlsx"))
    assert refreshed == []
    do_import_list(SYSTEM, parse_list_file(WEIFANG))
    assert refreshed == [("Project", "AnnualPlan", "PlanVersion", "StageTransition")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite plans without statistics")
def test_refreshed_statistics_count_the_new_rows() -> None:
    from keyprojects.core.statistics import refresh_planner_statistics

    do_import_list(SYSTEM, parse_list_file(WEIFANG))
    refresh_planner_statistics(Project)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Project._meta.db_table])
        assert cursor.fetchone()[0] == Project.objects.count() == 80


def test_a_dry_run_reports_what_would_happen_and_writes_nothing() -> None:
    report = do_import_list(SYSTEM, parse_list_file(WEIFANG), dry_run=True)
    assert report.summary() == (
        "将新建80个项目，将更新0个，0个未变化；年度计划将新建78个，将调整0个（试导入，未写入数据库）")
    assert Project.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_scope_and_permission_are_checked(world: World) -> None:
    # a 潍城区 region admin may import only the list's 潍城区 rows
    admin = Actor(user=world.users[Role.REGION_ADMIN], source=AuditSource.IMPORT)
    report = do_import_list(admin, parse_list_file(WEIFANG))
    created = {o.name for o in report.outcomes if o.action == "create"}
    assert created == {r.name for r in parse_list_file(WEIFANG).rows if r.region_code == "370702"}
    assert report.count("error") == 80 - len(created)
    assert str(report.errors[0]).endswith("不在您的管辖范围内。")
    with pytest.raises(PermissionDenied):
        do_import_list(Actor(user=world.users[Role.REPORTER], source=AuditSource.IMPORT), parse_list_file(WEIFANG))


def test_a_plan_change_by_someone_who_may_not_approve_is_proposed(world: World) -> None:
    admin = Actor(user=world.users[Role.REGION_ADMIN], source=AuditSource.IMPORT)
    project = world.inside.project  # 潍城年产10万吨新材料项目, plan 2024 = 50000
    header = ["项目名称", "所在县市区", "总投资（万元）", "2024年计划投资（万元）", "项目类型"]
    data = xlsx_bytes([header, [project.name, "潍城区", 150000, 60000, "新开工"]])
    report = do_import_list(admin, parse_list(data, "list.xlsx"))
    assert [(o.action, o.changed) for o in report.outcomes] == [("update", ["年度计划（待审批）"])]
    plan = project.plans.get(year=2024)
    assert plan.current is not None and plan.baseline is not None
    assert (plan.current.status, plan.current.planned_investment_wan) == (PlanStatus.PROPOSED, Decimal("60000"))
    assert plan.baseline.planned_investment_wan == Decimal("50000")
    assert [m.kind for m in plan.current.milestones.all()] == [m.kind for m in plan.baseline.milestones.all()]
    # importing again while the change waits for approval changes nothing and says so
    again = do_import_list(admin, parse_list(xlsx_bytes([header, [project.name, "潍城区", 150000, 70000, "新开工"]]),
                                             "list.xlsx"))
    assert [str(i) for i in again.issues] == [
        "第2行“年度计划投资”列：2024年计划已有待审批的调整，本次未修改年度计划投资"]


def test_leaders_and_units_are_linked_from_the_directory(world: World) -> None:
    header = ["项目名称", "建设地点", "总投资（万元）", "项目类型", "包靠领导", "责任单位"]
    data = xlsx_bytes([header, ["新项目", "潍城区", 100, "新开工", "潍城领导", "潍城区发展和改革局"],
                       ["另一项目", "潍城区", 100, "新开工", "无名氏", None]])
    report = do_import_list(SYSTEM, parse_list(data, "list.xlsx"))
    project = Project.objects.get(name="新项目")
    assert (project.leader, project.unit) == (world.inside.leader, world.inside.unit)
    assert [str(i) for i in report.issues] == [
        "1个包靠领导不在通讯录中或有重名（无名氏），这些项目未关联；请先在通讯录中添加后重新导入"]


def test_matching_by_national_code_renames_the_project() -> None:
    header = ["全国投资项目代码", "项目名称", "建设地点", "总投资（万元）", "项目类型"]
    do_import_list(SYSTEM, parse_list(xlsx_bytes([header, ["2024-370702-26-03-000001", "甲项目", "潍城区", 100,
                                                           "新开工"]]), "a.xlsx"))
    report = do_import_list(SYSTEM, parse_list(xlsx_bytes([header, ["2024-370702-26-03-000001", "甲项目（一期）",
                                                                    "潍城区", 100, "新开工"]]), "b.xlsx"))
    assert [(o.action, o.changed) for o in report.outcomes] == [("update", ["项目名称"])]
    assert list(Project.objects.values_list("name", flat=True)) == ["甲项目（一期）"]


def test_export_then_import_reproduces_the_registry_exactly() -> None:
    for sample in ("2024-weifang-key-projects.xlsx", "hanting-district-list.xls", "liaocheng-list.csv"):
        do_import_list(SYSTEM, parse_list_file(SAMPLES / sample))
    before = registry()
    assert len(before) == 194
    buffer = io.BytesIO()
    assert write_list_xlsx(export_rows(Project.objects.all(), 2024), 2024, buffer) == 194
    exported = parse_list(buffer.getvalue(), "export.xlsx")
    assert exported.all_issues() == []
    # into the same registry: nothing changes
    report = do_import_list(SYSTEM, exported)
    assert (report.count("unchanged"), report.count("create"), report.count("update")) == (194, 0, 0)
    assert registry() == before
    # into an empty registry: the same registry again
    AnnualPlan.objects.all().delete()
    Project.objects.all().delete()
    report = do_import_list(SYSTEM, parse_list(buffer.getvalue(), "export.xlsx"))
    assert report.count("create") == 194
    assert registry() == before


def test_parse_options_scope_the_import() -> None:
    result = parse_list_file(SAMPLES / "hanting-district-list.xls", ParseOptions(within="370703"))
    report = do_import_list(SYSTEM, result, year=2024)
    assert report.count("create") == 50
    assert set(Project.objects.values_list("region__code", flat=True)) == {"370703"}
