"""Rating a whole week: set-based (fixed query count), idempotent, rank shares, rule versions, overrides,
escalations, and the problem and notification rooms when they are installed."""

from __future__ import annotations

import datetime as dt
import importlib.util
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from keyprojects.accounts.choices import Role
from keyprojects.audit.actions import Actor
from keyprojects.audit.selectors import entries_for
from keyprojects.core.testing.fixtures import SYSTEM, World
from keyprojects.core.testing.queries import count_queries
from keyprojects.ratings import actions, inputs, scoring
from keyprojects.ratings.choices import Colour, EscalationKind
from keyprojects.ratings.models import ColourOverride, Escalation, RatingRun, RuleSet, WeeklyRating
from keyprojects.ratings.tests.helpers import W12, W13, listed_projects
from keyprojects.reports.weeks import IsoWeek

pytestmark = pytest.mark.django_db

ROW_FIELDS = [f.name for f in WeeklyRating._meta.concrete_fields if f.name not in ("id", "computed_at")]


def rows(week: IsoWeek) -> list[tuple[Any, ...]]:
    return list(WeeklyRating.objects.filter(week_start=week.monday).order_by("project_id").values_list(*ROW_FIELDS))


def actor(world: World, role: str) -> Actor:
    return Actor(user=world.users[role], source="ui")


def test_query_count_does_not_grow_with_the_number_of_projects(world: World) -> None:
    listed_projects(world, 3)
    actions.do_rate_week(SYSTEM, W13)  # creates the default rule set once
    few = count_queries(lambda: actions.do_rate_week(SYSTEM, W13))
    listed_projects(world, 30, start=3)
    many = count_queries(lambda: actions.do_rate_week(SYSTEM, W13))
    assert WeeklyRating.objects.filter(week_start=W13.monday).count() == 35  # 33 + the two world projects
    # PostgreSQL: synchronous_commit and jit for the transaction; the lock against project deletion (core.locks)
    postgres_settings = 2 if connection.vendor == "postgresql" else 0
    assert few == many == (15 if inputs.problems_module() is not None else 14) + postgres_settings


def test_recomputing_gives_the_same_rows(world: World) -> None:
    listed_projects(world, 6)
    first = actions.do_rate_week(SYSTEM, W13)
    before = rows(W13)
    second = actions.do_rate_week(SYSTEM, W13)
    assert rows(W13) == before
    assert first.counts == second.counts and first.projects == second.projects == 8
    assert RatingRun.objects.count() == 2


def test_a_weeks_rating_of_the_default_rules(world: World) -> None:
    """潍城 project reports 2,000 of its 50,000 plan by W13; 寒亭's never reports."""
    from keyprojects.reports.testing import submit

    submit(world.inside.project, IsoWeek(2024, 9), 1000, 1000)
    submit(world.inside.project, W13, 2000, 2000)
    result = actions.do_rate_week(SYSTEM, W13)
    assert result.summary() == "2024-W13：共评定2个项目，蓝牌0个，黄牌0个，红牌2个，未评定0个；新增督办/约谈0个。"
    inside = WeeklyRating.objects.get(project=world.inside.project, week_start=W13.monday)
    assert inside.report_status == "late"  # W13's deadline was Friday 2024-03-29 18:00; the clock says 2024-04-01
    assert inside.reason_list[:4] == [
        "本年完成投资为计划进度的16%",
        "开工节点逾期30天",
        "近4周完成投资为同期计划的26%",
        "本周周报迟报",
    ]
    assert (inside.c_investment, inside.c_milestones, inside.c_reporting) == pytest.approx((0.1608, 0.5, 0.4), abs=1e-4)
    outside = WeeklyRating.objects.get(project=world.outside.project, week_start=W13.monday)
    assert outside.hard_red and outside.colour == Colour.RED
    assert outside.reason_list[0] == "【直接红牌】连续13周未报送周报"


def test_a_deleted_projects_ratings_go_with_it(world: World) -> None:
    """The ratings table has no database-level foreign keys (docs/decisions.md): Django's cascade removes them."""
    from keyprojects.projects.actions import do_delete_project

    actions.do_rate_week(SYSTEM, W12)
    actions.do_rate_week(SYSTEM, W13)
    project = world.inside.project
    assert WeeklyRating.objects.filter(project=project).count() == 2
    do_delete_project(actor(world, Role.ADMIN), project, project.version)
    assert not WeeklyRating.objects.filter(project_id=project.pk).exists()
    assert WeeklyRating.objects.filter(project=world.outside.project).count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time")
def test_a_rating_run_waits_for_a_project_deletion_in_progress(world: World) -> None:
    """While another transaction deletes a project (holding the lock shared), a rating run cannot start writing."""
    import psycopg
    from django.db import OperationalError, transaction

    from keyprojects.core import locks

    actions.ensure_default_rule_set(SYSTEM)  # not a rating: its lock would last as long as the test's transaction
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
    )
    try:
        with other.transaction():
            other.execute("SELECT pg_advisory_xact_lock_shared(%s)", [locks.PROJECT_RATINGS])
            with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '200ms'")
                actions.do_rate_week(SYSTEM, W13)
        with transaction.atomic():
            assert actions.do_rate_week(SYSTEM, W13).projects == 2  # the deletion ended: the run goes ahead
    finally:
        other.close()


def test_rank_policy_gives_the_configured_shares(world: World) -> None:
    actions.do_create_rule_set(SYSTEM, "潍城区比拼", world.inside.region, "rank", IsoWeek(2024, 1))
    projects = listed_projects(world, 10, invest_step=200)  # all behind plan: ten different scores
    actions.do_rate_week(SYSTEM, W13)
    ratings = {r.project_id: r for r in WeeklyRating.objects.filter(week_start=W13.monday, project__in=projects)}
    colours = [ratings[p.pk].colour for p in reversed(projects)]  # highest investment first
    # 11 projects of 潍城区 in the group (the world's own project reports nothing and is last):
    # round(11 × 30%) = 3 blue, round(11 × 20%) = 2 red
    assert colours == ["blue", "blue", "blue", "yellow", "yellow", "yellow", "yellow", "yellow", "yellow", "red"]
    assert ratings[projects[-1].pk].rank == 1 and ratings[projects[-1].pk].group_size == 11
    assert ratings[projects[-1].pk].group_label == "潍城区"
    assert "在潍城区11个项目中排第10名" in ratings[projects[0].pk].reason_list


def test_new_rule_version_leaves_earlier_weeks_alone(world: World) -> None:
    rule_set = actions.do_create_rule_set(SYSTEM, "潍城区规则", world.inside.region, "default", IsoWeek(2024, 1))
    listed_projects(world, 4)
    actions.do_rate_week(SYSTEM, W12)
    w12_before = rows(W12)
    v2 = actions.do_add_rule_version(
        SYSTEM, rule_set, rule_set.version, scoring.DEFAULTS | {"blue_min": 10, "red_below": 5}, W13, "放宽分数线"
    )
    actions.do_rate_week(SYSTEM, W13)
    actions.do_rate_week(SYSTEM, W12)
    assert rows(W12) == w12_before
    inside_w13 = WeeklyRating.objects.filter(week_start=W13.monday, project__region=world.inside.region)
    assert {r.rule_version_id for r in inside_w13} == {v2.pk}
    assert {r.colour for r in inside_w13 if not r.hard_red} == {Colour.BLUE}
    with pytest.raises(ValidationError) as caught:
        actions.do_add_rule_version(SYSTEM, RuleSet.objects.get(pk=rule_set.pk), None, scoring.DEFAULTS, W12, "回退")
    assert caught.value.message_dict == {"valid_from": ["起用周不能早于当前版本的起用周（2024-W13）。"]}
    [entry] = [e for e in entries_for(rule_set) if e.action == "update"]
    assert entry.changes["蓝牌分数线（不低于）"] == [85, 10] and entry.message == "放宽分数线"


def test_rule_sets_are_configured_by_supervisors_in_their_region(world: World) -> None:
    with pytest.raises(PermissionDenied):
        actions.do_create_rule_set(actor(world, Role.REGION_ADMIN), "x", world.inside.region, "rank", W13)
    with pytest.raises(PermissionDenied):
        actions.do_create_rule_set(actor(world, Role.SUPERVISOR), "x", world.outside.region, "rank", W13)
    made = actions.do_create_rule_set(
        actor(world, Role.SUPERVISOR), "潍城区节点滞后", world.inside.region, "node_lag", W13
    )
    assert made.versions.get().rules.policy == "node_lag"
    with pytest.raises(ValidationError) as caught:
        actions.do_create_rule_set(actor(world, Role.SUPERVISOR), "再来一个", world.inside.region, "rank", W13)
    assert caught.value.message_dict == {"region": ["潍城区已有评分规则，请在原规则上新增版本。"]}


def test_override_keeps_the_computed_colour_and_survives_recomputation(world: World) -> None:
    actions.do_rate_week(SYSTEM, W13)
    project = world.inside.project
    supervisor = actor(world, Role.SUPERVISOR)
    with pytest.raises(ValidationError) as caught:
        actions.do_override_colour(supervisor, project, W13, Colour.YELLOW, "  ")
    assert caught.value.message_dict == {"reason": ["人工调整颜色必须填写原因。"]}
    with pytest.raises(PermissionDenied):
        actions.do_override_colour(actor(world, Role.REGION_ADMIN), project, W13, Colour.YELLOW, "原因")
    with pytest.raises(PermissionDenied):
        actions.do_override_colour(supervisor, world.outside.project, W13, Colour.YELLOW, "原因")
    with pytest.raises(ValidationError, match="2024-W12尚未评分"):
        actions.do_override_colour(supervisor, project, W12, Colour.YELLOW, "原因")
    actions.do_override_colour(supervisor, project, W13, Colour.YELLOW, "已现场核实，土地手续本周办结")
    rating = WeeklyRating.objects.get(project=project, week_start=W13.monday)
    assert (rating.computed_colour, rating.colour, rating.overridden) == ("red", "yellow", True)
    assert rating.reason_list[-1] == "人工调整为黄牌：已现场核实，土地手续本周办结（测试supervisor）"
    [entry] = [e for e in entries_for(ColourOverride.objects.get()) if e.action == "update"]
    assert entry.changes == {"颜色": ["红牌", "黄牌"], "计算颜色": [None, "红牌"]}
    actions.do_rate_week(SYSTEM, W13)
    rating = WeeklyRating.objects.get(project=project, week_start=W13.monday)
    assert (rating.computed_colour, rating.colour, rating.overridden) == ("red", "yellow", True)
    assert rating.reason_list[-1] == "人工调整为黄牌：已现场核实，土地手续本周办结"
    actions.do_clear_override(supervisor, project, W13, "核实有误")
    rating.refresh_from_db()
    assert (rating.colour, rating.overridden) == ("red", False)


def test_red_two_weeks_is_supervised_and_two_more_weeks_is_summoned(world: World) -> None:
    """Neither project ever reports: hard red every week from the second week without a report."""
    for week in range(10, 13):
        actions.do_rate_week(SYSTEM, IsoWeek(2024, week))
    # W10 is the first rated week: streak 1; W11: 2 → 督办 (streak from W10); W12: 3
    assert sorted(Escalation.objects.values_list("project__name", "kind", "week_start", "red_weeks")) == [
        ("寒亭年产10万吨新材料项目", "duban", IsoWeek(2024, 11).monday, 2),
        ("潍城年产10万吨新材料项目", "duban", IsoWeek(2024, 11).monday, 2),
    ]
    result = actions.do_rate_week(SYSTEM, W13)
    assert {(e.project.name, e.kind) for e in result.escalations} == {
        ("寒亭年产10万吨新材料项目", EscalationKind.SUMMONS),
        ("潍城年产10万吨新材料项目", EscalationKind.SUMMONS),
    }
    assert actions.do_rate_week(SYSTEM, W13).escalation_ids == []  # once per streak
    assert Escalation.objects.count() == 4
    recipients = actions.escalation_recipients(list(Escalation.objects.filter(project=world.inside.project)))
    by_kind = {
        e.kind: sorted(u.username for u in recipients[e.pk])
        for e in Escalation.objects.filter(project=world.inside.project)
    }
    assert by_kind == {"duban": ["u_leader", "u_reporter"], "yuetan": ["u_supervisor"]}


@pytest.mark.skipif(
    importlib.util.find_spec("keyprojects.notifications.actions") is None, reason="notifications room not installed"
)
def test_escalations_send_one_notice_each(world: World, django_capture_on_commit_callbacks: Any) -> None:
    """The notices go out after the rating committed, one per escalation, once."""
    from keyprojects.notifications.models import Notice

    for week in (10, 11):
        with django_capture_on_commit_callbacks(execute=True):
            actions.do_rate_week(SYSTEM, IsoWeek(2024, week))
    notices = Notice.objects.filter(kind="rating_duban").order_by("title")
    assert [n.title for n in notices] == [
        "督办通知：寒亭年产10万吨新材料项目连续2周红牌",
        "督办通知：潍城年产10万吨新材料项目连续2周红牌",
    ]
    escalation = Escalation.objects.get(project=world.inside.project)
    assert escalation.notice_id == notices[1].pk
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_rate_week(SYSTEM, IsoWeek(2024, 11))
    assert Notice.objects.filter(kind="rating_duban").count() == 2
    assert actions.notify_escalations([escalation.pk]) == 0  # already notified


@pytest.mark.skipif(
    importlib.util.find_spec("keyprojects.notifications.actions") is None, reason="notifications room not installed"
)
def test_a_notice_that_did_not_go_out_is_sent_by_the_next_rating(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyprojects.notifications.models import Notice

    for week in (10, 11):
        with django_capture_on_commit_callbacks(execute=False):  # the process died before the notices went out
            actions.do_rate_week(SYSTEM, IsoWeek(2024, week))
    assert Escalation.objects.filter(notice_id__isnull=True).count() == 2 and not Notice.objects.exists()
    monkeypatch.setattr(actions, "NOTICE_BATCH", 1)  # a commit per notice: both batches are sent
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_rate_week(SYSTEM, IsoWeek(2024, 12))  # W12 creates nothing new
    assert Notice.objects.filter(kind="rating_duban").count() == 2
    assert not Escalation.objects.filter(notice_id__isnull=True).exists()


def test_problem_counts_feed_the_problem_component(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    project = world.inside.project
    fake = SimpleNamespace(
        problem_counts_by_project=lambda as_of: [
            {"project_id": project.pk, "open": 2, "overdue_open": 1, "max_overdue_days": 35}
        ]
    )
    monkeypatch.setattr(inputs, "problems_module", lambda: fake)
    actions.do_rate_week(SYSTEM, W13)
    rating = WeeklyRating.objects.get(project=project, week_start=W13.monday)
    assert rating.c_problems == pytest.approx(0.4)  # 1 − 0.4·1 − 0.1·2
    assert "【直接红牌】问题逾期35天未解决（超过30天）" in rating.reason_list
    other = WeeklyRating.objects.get(project=world.outside.project, week_start=W13.monday)
    assert other.c_problems == 1.0


def test_without_the_problem_room_the_component_is_left_out(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "problems_module", lambda: None)
    actions.do_rate_week(SYSTEM, W13)
    assert set(WeeklyRating.objects.values_list("c_problems", flat=True)) == {None}


@pytest.mark.skipif(
    importlib.util.find_spec("keyprojects.problems.selectors") is None, reason="problems room not installed"
)
def test_the_real_problem_room_is_asked(world: World) -> None:
    actions.do_rate_week(SYSTEM, W13)
    assert WeeklyRating.objects.get(project=world.inside.project, week_start=W13.monday).c_problems == 1.0


def test_future_weeks_cannot_be_rated(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.do_rate_week(SYSTEM, IsoWeek(2024, 15))
    assert caught.value.message_dict == {"week": ["不能计算未来周次（2024-W15）的评分；本周为2024-W14。"]}


def test_current_week_before_the_deadline_is_pending_not_missing(world: World) -> None:
    actions.do_rate_week(SYSTEM, IsoWeek(2024, 14))
    rating = WeeklyRating.objects.get(project=world.inside.project, week_start=IsoWeek(2024, 14).monday)
    assert rating.report_status == "pending" and rating.c_reporting is None
    assert dt.date(2024, 4, 1) == IsoWeek(2024, 14).monday
