"""Submitting weekly reports: DESIGN §3 validation, history, timeliness, conflicts, scope — nothing stored is lost."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from keyprojects.accounts.choices import Role
from keyprojects.audit.actions import Actor
from keyprojects.audit.selectors import entries_for
from keyprojects.core.editing import VersionConflict
from keyprojects.core.testing.fixtures import World
from keyprojects.reports import actions
from keyprojects.reports.choices import Timeliness
from keyprojects.reports.models import ReportRevision, WeeklyReport
from keyprojects.reports.testing import report_input
from keyprojects.reports.weeks import IsoWeek

pytestmark = pytest.mark.django_db
W13, W14 = IsoWeek(2024, 13), IsoWeek(2024, 14)  # the clock says Monday 2024-04-01: W14 is the current week


def reporter(world: World) -> Actor:
    return Actor(user=world.users[Role.REPORTER], source="ui")


def test_first_submission_then_resubmission_keeps_the_old_one(world: World) -> None:
    project = world.inside.project
    first = actions.do_submit_report(reporter(world), project, W14, report_input(2000, 5000), expected_version=0)
    assert first.created and first.report.timeliness == Timeliness.ON_TIME and first.report.version == 1
    second = actions.do_submit_report(
        reporter(world), project, W14, report_input(2500, 5500, progress_text="钢结构吊装完成"), expected_version=1
    )
    report = WeeklyReport.objects.get()
    assert not second.created and second.changed
    assert (report.version, report.submission_count, report.investment_year_wan) == (2, 2, Decimal(2500))
    assert report.timeliness == Timeliness.ON_TIME
    revision = ReportRevision.objects.get()
    assert (revision.number, revision.data["investment_year_wan"], revision.data["progress_text"]) == (
        1,
        "2000",
        "主体结构施工中",
    )
    entries = list(entries_for(report))
    assert [e.action for e in entries] == ["update", "create"]
    assert entries[0].changes["investment_year_wan"] == ["2000", "2500"]
    unchanged = actions.do_submit_report(
        reporter(world), project, W14, report_input(2500, 5500, progress_text="钢结构吊装完成"), expected_version=2
    )
    assert not unchanged.changed and WeeklyReport.objects.get().version == 2


def test_a_past_week_is_late_and_changing_it_needs_a_reason(world: World) -> None:
    project = world.inside.project
    report = actions.do_submit_report(reporter(world), project, W13, report_input(1000, 3000), 0).report
    assert report.timeliness == Timeliness.LATE  # due Friday 2024-03-29 18:00
    with pytest.raises(ValidationError) as caught:
        actions.do_submit_report(reporter(world), project, W13, report_input(1200, 3200), 1)
    assert caught.value.message_dict == {
        "correction_reason": ["已过本周填报截止时间（03月29日 18:00），修改已报送的周报须填写更正说明。"]
    }
    fixed = actions.do_submit_report(
        reporter(world), project, W13, report_input(1200, 3200, correction_reason="漏报设备款"), 1
    ).report
    assert fixed.version == 2 and fixed.timeliness == Timeliness.LATE


def test_cumulative_figures_may_not_fall_without_a_reason(world: World) -> None:
    project = world.inside.project
    actions.do_submit_report(reporter(world), project, IsoWeek(2024, 12), report_input(3000, 8000), 0)
    with pytest.raises(ValidationError) as caught:
        actions.do_submit_report(reporter(world), project, W13, report_input(2800, 7000), 0)
    assert caught.value.message_dict == {
        "investment_year_wan": ["本年完成投资（2800万元）低于2024-W12填报的3000万元；如确需更正，请填写更正说明。"],
        "investment_total_wan": ["累计完成投资（7000万元）低于2024-W12填报的8000万元；如确需更正，请填写更正说明。"],
    }
    assert WeeklyReport.objects.count() == 1
    done = actions.do_submit_report(
        reporter(world), project, W13, report_input(2800, 7000, correction_reason="上周误将合同额计入"), 0
    )
    assert done.created


def test_other_rules_of_design_3(world: World) -> None:
    project = world.inside.project
    with pytest.raises(ValidationError) as caught:
        actions.do_submit_report(
            reporter(world),
            project,
            W14,
            actions.ReportInput(
                investment_year_wan=Decimal(5000),
                investment_total_wan=Decimal(4000),
                stage="x",
                progress_text=" ",
                percent_complete=120,
            ),
            0,
        )
    assert caught.value.message_dict == {
        "stage": ["请选择项目所处阶段。"],
        "progress_text": ["请填写形象进度。"],
        "percent_complete": ["完成百分比应在0到100之间。"],
        "investment_total_wan": ["开工以来累计完成投资（4000万元）不能小于本年完成投资（5000万元）。"],
    }
    with pytest.raises(ValidationError) as caught:
        actions.do_submit_report(reporter(world), project, W14, report_input(-1, 10), 0)
    assert caught.value.message_dict["investment_year_wan"] == ["金额不能为负数。"]
    with pytest.raises(ValidationError) as caught:
        actions.do_submit_report(reporter(world), project, IsoWeek(2024, 15), report_input(1, 1), 0)
    assert caught.value.message_dict == {"week": ["不能填报未来的周次（2024-W15）；本周为2024-W14。"]}
    assert WeeklyReport.objects.count() == 0


def test_above_total_investment_is_flagged_not_refused(world: World) -> None:
    project = world.inside.project  # total 150,000万元; +10% tolerated
    ok = actions.do_submit_report(reporter(world), project, W14, report_input(1000, 165000), 0)
    assert ok.warnings == [] and not ok.report.over_total
    flagged = actions.do_submit_report(reporter(world), project, W14, report_input(1000, 170000), 1)
    assert flagged.warnings == ["累计完成投资17亿元超过项目总投资15亿元的110%，已标记待核实。"]
    assert WeeklyReport.objects.get().over_total


def test_someone_elses_project_is_refused(world: World) -> None:
    with pytest.raises(PermissionDenied) as caught:
        actions.do_submit_report(reporter(world), world.outside.project, W14, report_input(1, 1), 0)
    assert str(caught.value) == "“寒亭年产10万吨新材料项目”不在您的填报范围内。"
    with pytest.raises(PermissionDenied):
        actions.do_submit_report(
            Actor(world.users[Role.LEADER], "ui"), world.inside.project, W14, report_input(1, 1), 0
        )
    assert WeeklyReport.objects.count() == 0


def test_two_people_submitting_the_same_week(world: World) -> None:
    """Both opened an empty form (version 0). The first wins; the second is told who submitted and when, and the
    first report is untouched."""
    project = world.inside.project
    region_admin = Actor(world.users[Role.REGION_ADMIN], "ui")
    actions.do_submit_report(reporter(world), project, W14, report_input(2000, 5000), 0)
    with pytest.raises(VersionConflict) as caught:
        actions.do_submit_report(region_admin, project, W14, report_input(9999, 9999), 0)
    message = str(caught.value)
    assert message.startswith("该项目2024-W14的周报已由测试reporter于04月01日 ")
    assert message.endswith("提交（第1版），您填写的内容未保存。请查看当前内容后再提交。")
    assert WeeklyReport.objects.get().investment_year_wan == Decimal(2000)


def test_the_insert_race_is_caught_by_the_unique_constraint(world: World) -> None:
    """Both checked before either inserted: the database's unique constraint decides, with the same clear error."""
    project = world.inside.project
    actions.do_submit_report(reporter(world), project, W14, report_input(2000, 5000), 0)
    with mock.patch.object(actions, "locked_report", return_value=None), pytest.raises(VersionConflict) as caught:
        actions.do_submit_report(Actor(world.users[Role.REGION_ADMIN], "ui"), project, W14, report_input(1, 1), 0)
    assert "您填写的内容未保存" in str(caught.value)
    assert WeeklyReport.objects.get().investment_year_wan == Decimal(2000)
