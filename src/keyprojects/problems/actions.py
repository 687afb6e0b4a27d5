"""The only code that writes problems, their events, element ledgers, the loop's rules and holiday schedules.

Every function is atomic, re-checks the actor's permission and scope, records its audit entry in the same transaction
and writes its notices there too (notifications.do_notify puts them in the outbox; the `deliver` job sends them).
A step on a problem locks the row and compares the version the user saw (core.editing): of two people acting at once,
one wins and the other gets a conflict message that names the first.

`at` parameters exist for the demo loader, which replays a plausible history; pages and the API never pass them.

Language: errors the user sees are in the active language (gettext, the Chinese text is the msgid). What is stored —
event comments and details, audit messages, deadline warnings, titles made from a shortfall — and the notices are
written in Chinese whatever language the acting user reads the pages in: the notices go to Chinese staff groups and
robots, and the records are shared by everyone (`_stored`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from keyprojects.accounts.access import require_perm, require_region_in_scope
from keyprojects.accounts.models import User
from keyprojects.accounts.permissions import (
    CALENDAR_MANAGE,
    ELEMENT_CHANGE,
    PROBLEM_MANAGE,
    PROBLEM_RAISE,
)
from keyprojects.audit.actions import Actor, diff, record, record_create, snapshot
from keyprojects.audit.models import AuditAction
from keyprojects.core import clock, editing
from keyprojects.directory.models import Unit
from keyprojects.notifications import selectors as recipients
from keyprojects.notifications.actions import do_notify
from keyprojects.problems import selectors, workflow
from keyprojects.problems.choices import (
    ELEMENT_CATEGORY,
    ELEMENT_UNITS,
    OPEN_STATES,
    Channel,
    ElementKind,
    Escalation,
    EventKind,
    State,
    Transition,
)
from keyprojects.problems.deadlines import ScheduleError, build_schedule
from keyprojects.problems.models import (
    CalendarDay,
    CalendarYear,
    ElementItem,
    Problem,
    ProblemEvent,
    RegionRules,
)
from keyprojects.projects.models import Project
from keyprojects.regions.models import Region

PROBLEM_FIELDS = (
    "title",
    "description",
    "category",
    "channel",
    "state",
    "assigned_unit",
    "working_days",
    "deadline",
    "direct_leader",
    "resolution",
    "escalation",
)
ELEMENT_FIELDS = ("kind", "required", "secured", "needed_by", "secured_on", "note")
RULES_FIELDS = ("region", "top_leader", "normal_days", "direct_days", "escalate_after", "summon_after")


def _now(at: dt.datetime | None) -> dt.datetime:
    return (at or clock.now()).astimezone(clock.SHANGHAI)


def _stored() -> translation.override:
    """Within it, choice labels and warnings come out in Chinese: for text that is stored or sent as a notice."""
    return translation.override(settings.LANGUAGE_CODE)


def _link(problem: Problem) -> str:
    return reverse("problems:detail", args=[problem.pk])


def _require_project_in_scope(actor: Actor, project: Project) -> None:
    if actor.user is not None and not Project.objects.for_user(actor.user).filter(pk=project.pk).exists():
        raise PermissionDenied(_("该项目不在您的管辖范围内。"))


def _event(
    problem: Problem,
    actor: Actor,
    kind: str,
    at: dt.datetime,
    *,
    transition: str = "",
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    details: dict[str, Any] | None = None,
) -> ProblemEvent:
    return ProblemEvent.objects.create(
        problem=problem,
        kind=kind,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        at=at,
        on=at.date(),
        actor=actor.user,
        actor_label=actor.label[:150],
        comment=comment,
        details=details or {},
    )


def _users(*groups: list[User]) -> list[User]:
    return list({u.pk: u for group in groups for u in group}.values())


def _handlers(problem: Problem) -> list[User]:
    """Who answers for a problem: the assigned unit (or, before 交办, the project's unit) and the project's leader."""
    return _users(
        recipients.users_of_unit(problem.assigned_unit_id or problem.project.unit_id),
        recipients.users_of_person(problem.project.leader_id),
    )


# --- raising ------------------------------------------------------------------------------------------------------


@transaction.atomic
def do_raise_problem(
    actor: Actor,
    project: Project,
    *,
    title: str,
    description: str = "",
    category: str,
    channel: str = Channel.NORMAL,
    element: ElementItem | None = None,
    at: dt.datetime | None = None,
) -> Problem:
    """已提出. A 直通车 problem goes straight to the region's top leader with a deadline of N working days."""
    require_perm(actor.user, PROBLEM_RAISE)
    _require_project_in_scope(actor, project)
    if not title.strip():
        raise ValidationError({"title": _("请填写问题。")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("未知的渠道。")})
    now = _now(at)
    problem = Problem(
        project=project,
        title=title.strip(),
        description=description.strip(),
        category=category,
        channel=channel,
        raised_by=actor.user,
        raised_by_label=actor.label[:150],
        raised_on=now.date(),
        element=element,
    )
    rules = selectors.rules_for(project.region)
    if channel == Channel.DIRECT:
        problem.direct_leader_id = rules.top_leader_id or project.leader_id
        deadline = selectors.load_calendar().add_working_days(problem.raised_on, rules.direct_days)
        with _stored():
            problem.working_days, problem.deadline, problem.deadline_warning = (
                rules.direct_days,
                deadline.day,
                deadline.warning,
            )
    problem.full_clean()
    problem.save()
    with _stored():
        details = {"渠道": str(Channel(channel).label)}
    if problem.deadline:
        details["办理期限"] = problem.deadline.isoformat()
    _event(problem, actor, EventKind.RAISE, now, to_state=State.RAISED, comment=problem.description, details=details)
    record_create(actor, problem, ("project", *PROBLEM_FIELDS))
    # Notices go to Chinese staff (in-app, e-mail, group robots): Chinese, not translated.
    body = f"项目：{project.name}\n类别：{problem.category}\n提出人：{actor.label}\n{problem.description}".strip()
    if channel == Channel.DIRECT:
        do_notify(
            kind="problem_direct",
            title=f"直通车问题：{problem.title}",
            body=f"{body}\n办理期限：{problem.deadline:%Y-%m-%d}（{problem.working_days}个工作日）",
            recipients=_users(
                recipients.users_of_person(problem.direct_leader_id), recipients.supervisors_of(project.region)
            ),
            region=project.region,
            link=_link(problem),
            dedupe_key=f"problem:{problem.pk}:raised",
        )
    else:
        do_notify(
            kind="problem_raised",
            title=f"新问题：{problem.title}",
            body=body,
            recipients=recipients.supervisors_of(project.region),
            region=project.region,
            link=_link(problem),
            dedupe_key=f"problem:{problem.pk}:raised",
        )
    return problem


# --- the loop -----------------------------------------------------------------------------------------------------


def _assignable_units(project: Project) -> Q:
    """A problem is assigned to a unit of the project's region (or a region below it) or of a region above it."""
    return Q(region__path__startswith=project.region.path) | Q(
        region__path__in=recipients.ancestor_paths(project.region.path)
    )


def assignable_units(project: Project) -> Any:
    return Unit.objects.filter(_assignable_units(project)).select_related("region").order_by("region__path", "name")


@transaction.atomic
def do_transition(
    actor: Actor,
    problem: Problem,
    expected_version: int | None,
    transition: str,
    *,
    comment: str = "",
    resolution: str = "",
    unit: Unit | None = None,
    working_days: int | None = None,
    at: dt.datetime | None = None,
) -> Problem:
    """One step of the loop (workflow.EDGES), by a user the rules allow, on the version the user saw."""
    locked = editing.lock_for_update(Problem, problem.pk, expected_version)
    locked = Problem.objects.select_related("project", "project__region", "assigned_unit").get(pk=locked.pk)
    workflow.check(transition, selectors.facts_of(locked), selectors.who_of(actor.user))
    workflow.check_input(
        transition, comment=comment, resolution=resolution, unit_id=unit.pk if unit else None, working_days=working_days
    )
    now = _now(at)
    today = now.date()
    before = snapshot(locked, PROBLEM_FIELDS)
    from_state = locked.state
    details: dict[str, Any] = {}
    if transition == Transition.ASSIGN:
        assert unit is not None and working_days is not None
        if not Unit.objects.filter(_assignable_units(locked.project)).filter(pk=unit.pk).exists():
            raise ValidationError(
                {"unit": _("承办单位须为%(region)s或其上级区域的单位。") % {"region": locked.project.region}}
            )
        deadline = selectors.load_calendar().add_working_days(today, working_days)
        locked.assigned_unit, locked.assigned_on, locked.working_days = unit, today, working_days
        with _stored():
            locked.deadline, locked.deadline_warning = deadline.day, deadline.warning
        details = {"承办单位": unit.name, "办理期限": deadline.day.isoformat(), "工作日": working_days}
    elif transition == Transition.RESOLVE:
        locked.resolution, locked.resolved_by, locked.resolved_on = resolution.strip(), actor.user, today
        details = {"办理结果": locked.resolution}
    elif transition == Transition.RETURN:
        locked.resolved_by, locked.resolved_on = None, None
    elif transition == Transition.CLOSE:
        locked.closed_on = today
    locked.state = workflow.target(transition)
    locked.full_clean()
    locked.version += 1
    locked.save()
    _event(
        locked,
        actor,
        EventKind.TRANSITION,
        now,
        transition=transition,
        from_state=from_state,
        to_state=locked.state,
        comment=comment.strip(),
        details=details,
    )
    with _stored():
        label = str(Transition(transition).label)
    record(
        actor,
        AuditAction.UPDATE,
        locked,
        diff(before, snapshot(locked, PROBLEM_FIELDS)),
        f"{label}：{comment}".rstrip("："),
    )
    _notify_transition(locked, transition, actor, comment)
    return locked


def _notify_transition(problem: Problem, transition: str, actor: Actor, comment: str) -> None:
    """Notices go to Chinese staff (in-app, e-mail, group robots): Chinese, not translated."""
    project = problem.project
    raiser = (
        [problem.raised_by] if problem.raised_by and problem.raised_by.pk != getattr(actor.user, "pk", None) else []
    )
    unit_users = recipients.users_of_unit(problem.assigned_unit_id)
    supervisors = recipients.supervisors_of(project.region)
    if transition == Transition.CONSULT:
        verb, users, text = "会商", _handlers(problem), f"{actor.label}组织会商。{comment}"
    elif transition == Transition.ASSIGN:
        verb, users = "交办", unit_users
        text = f"承办单位：{problem.assigned_unit}\n办理期限：{problem.deadline}（{problem.working_days}个工作日）"
        text += f"\n{problem.deadline_warning}" if problem.deadline_warning else ""
        text += f"\n{comment}" if comment else ""
    elif transition == Transition.RESOLVE:
        verb, users, text = "已办结待销号", _users(raiser, supervisors), f"办理结果：{problem.resolution}"
    elif transition == Transition.RETURN:
        verb, users, text = "退回重办", unit_users, f"退回原因：{comment}"
    elif transition == Transition.CLOSE:
        verb, users, text = "已销号", _users(raiser, unit_users), comment or "问题已核验销号。"
    else:
        return
    do_notify(
        kind=f"problem_{transition}",
        title=f"{verb}：{problem.title}",
        body=f"项目：{project.name}\n{text}".strip(),
        recipients=users,
        region=project.region,
        link=_link(problem),
        dedupe_key=f"problem:{problem.pk}:v{problem.version}:{transition}",
    )


@transaction.atomic
def do_comment(actor: Actor, problem: Problem, comment: str, at: dt.datetime | None = None) -> ProblemEvent:
    """An opinion on the problem (a leader's 批示, a unit's progress note); the state does not change."""
    workflow.check_comment(selectors.who_of(actor.user))
    if not comment.strip():
        raise ValidationError({"comment": _("请填写意见。")})
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    event = _event(locked, actor, EventKind.COMMENT, _now(at), comment=comment.strip())
    record(actor, AuditAction.UPDATE, locked, {"意见": [None, comment.strip()[:200]]}, "发表意见")
    return event


# --- the overdue sweep and the escalation ladder ----------------------------------------------------------------------


@dataclass
class SweepResult:
    supervised: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    summoned: list[int] = field(default_factory=list)
    workday: bool = True


@transaction.atomic
def _sweep_one(actor: Actor, pk: int, today: dt.date, now: dt.datetime, calendar: Any, result: SweepResult) -> None:
    locked = (
        Problem.objects.select_for_update(of=("self",))
        .select_related("project", "project__region", "assigned_unit")
        .get(pk=pk)
    )
    if locked.state not in OPEN_STATES or locked.deadline is None or locked.deadline >= today:
        return
    late_days = (today - locked.deadline).days
    late_workdays = calendar.working_days_after(locked.deadline, today)
    rules = selectors.rules_for(locked.project.region)
    project, link = locked.project, _link(locked)
    before = snapshot(locked, PROBLEM_FIELDS)
    changed = False

    # The sweep's event comments and notices are Chinese (stored records, notices to Chinese staff): not translated.

    # 1. 督办 to the unit, once a day (the event's unique constraint and the notice's key both guarantee it).
    if locked.last_supervised_on != today:
        try:
            with transaction.atomic():
                _event(
                    locked,
                    actor,
                    EventKind.SUPERVISE,
                    now,
                    comment=f"逾期{late_days}天（{late_workdays}个工作日），发出第{locked.supervise_count + 1}次督办。",
                    details={"逾期天数": late_days, "逾期工作日": late_workdays},
                )
        except IntegrityError:
            pass  # another sweep did it a moment ago
        else:
            locked.supervise_count += 1
            locked.last_supervised_on = today
            if locked.escalation < Escalation.SUPERVISED:
                locked.escalation = Escalation.SUPERVISED
                changed = True
            Problem.objects.filter(pk=pk).update(
                supervise_count=locked.supervise_count, last_supervised_on=today, escalation=locked.escalation
            )
            do_notify(
                kind="problem_supervise",
                title=f"督办：{locked.title}（逾期{late_days}天）",
                body=f"项目：{project.name}\n承办单位：{locked.assigned_unit or project.unit or '未交办'}\n"
                f"办理期限：{locked.deadline:%Y-%m-%d}，已逾期{late_days}天。请立即办理并反馈。",
                recipients=_users(_handlers(locked), recipients.users_of_person(locked.direct_leader_id)),
                region=project.region,
                link=link,
                dedupe_key=f"problem:{pk}:supervise:{today.isoformat()}",
            )
            result.supervised.append(pk)

    # 2. Still overdue after N working days: to the top leader's 直通车 queue.
    if late_workdays >= rules.escalate_after and locked.escalation < Escalation.DIRECT:
        leader_id = rules.top_leader_id or project.leader_id
        if locked.channel != Channel.DIRECT:
            locked.channel, locked.direct_leader_id = Channel.DIRECT, leader_id
        locked.escalation, locked.escalated_on, changed = Escalation.DIRECT, today, True
        _event(
            locked,
            actor,
            EventKind.ESCALATE,
            now,
            comment=f"逾期满{rules.escalate_after}个工作日仍未办结，升级到领导直通车。",
            details={"逾期工作日": late_workdays},
        )
        do_notify(
            kind="problem_escalate",
            title=f"升级直通车：{locked.title}",
            body=f"项目：{project.name}\n办理期限：{locked.deadline:%Y-%m-%d}，逾期{late_workdays}个工作日，已督办{locked.supervise_count}次。",
            recipients=_users(
                recipients.users_of_person(locked.direct_leader_id), recipients.supervisors_of(project.region)
            ),
            region=project.region,
            link=link,
            dedupe_key=f"problem:{pk}:escalate",
        )
        result.escalated.append(pk)

    # 3. Still open after M working days: on the 约谈 list.
    if late_workdays >= rules.summon_after and locked.escalation < Escalation.SUMMONS:
        locked.escalation, locked.summoned_on, changed = Escalation.SUMMONS, today, True
        _event(
            locked,
            actor,
            EventKind.SUMMON,
            now,
            comment=f"逾期满{rules.summon_after}个工作日，经督办仍未办结，列入约谈名单。",
            details={"逾期工作日": late_workdays},
        )
        do_notify(
            kind="problem_summon",
            title=f"列入约谈：{project.name}",
            body=f"问题：{locked.title}\n承办单位：{locked.assigned_unit or '未交办'}\n"
            f"逾期{late_workdays}个工作日，已督办{locked.supervise_count}次。",
            recipients=recipients.supervisors_of(project.region),
            region=project.region,
            link=link,
            dedupe_key=f"problem:{pk}:summon",
        )
        result.summoned.append(pk)

    if changed:
        locked.version += 1
        locked.save()
        record(actor, AuditAction.UPDATE, locked, diff(before, snapshot(locked, PROBLEM_FIELDS)), "逾期督办")


def do_sweep_overdue(actor: Actor, today: dt.date | None = None, at: dt.datetime | None = None) -> SweepResult:
    """The daily job: every overdue open problem gets one 督办 per working day and climbs the ladder. Idempotent."""
    require_perm(actor.user, PROBLEM_MANAGE)
    today = today or clock.today()
    now = _now(at) if at else dt.datetime.combine(today, clock.now().timetz())
    calendar = selectors.load_calendar()
    result = SweepResult(workday=calendar.is_workday(today))
    if not result.workday:
        return result  # no 督办 on days off; the ladder counts working days, so nothing is missed
    for pk in Problem.objects.overdue(today).order_by("pk").values_list("pk", flat=True):
        _sweep_one(actor, pk, today, now, calendar, result)
    return result


# --- element ledger ---------------------------------------------------------------------------------------------------


@transaction.atomic
def do_save_element(
    actor: Actor,
    project: Project,
    kind: str,
    expected_version: int | None,
    *,
    required: Decimal,
    secured: Decimal,
    needed_by: dt.date | None = None,
    secured_on: dt.date | None = None,
    note: str = "",
) -> ElementItem:
    require_perm(actor.user, ELEMENT_CHANGE)
    _require_project_in_scope(actor, project)
    if kind not in ElementKind.values:
        raise ValidationError({"kind": _("未知的要素。")})
    if required < 0 or secured < 0:
        raise ValidationError({"required": _("数量不能为负数。")})
    values = {"required": required, "secured": secured, "needed_by": needed_by, "secured_on": secured_on, "note": note}
    existing = ElementItem.objects.filter(project=project, kind=kind).first()
    if existing is None:
        return editing.create(actor, ElementItem(project=project, kind=kind, **values), ELEMENT_FIELDS)
    return editing.update(actor, ElementItem, existing.pk, expected_version, values, ELEMENT_FIELDS)


def _amount(value: Decimal, kind: str) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral() else str(value.normalize())
    return f"{text}{ELEMENT_UNITS[ElementKind(kind)]}"


@transaction.atomic
def do_raise_from_shortfall(actor: Actor, element: ElementItem, at: dt.datetime | None = None) -> Problem:
    """One click: a problem for the gap between required and secured, in the element's category."""
    locked = (
        ElementItem.objects.select_for_update(of=("self",))
        .select_related("project", "project__region")
        .get(pk=element.pk)
    )
    gap = locked.required - locked.secured
    if gap <= 0:
        raise ValidationError(_("%(kind)s已全部落实，没有缺口。") % {"kind": locked.get_kind_display()})
    if locked.problems.filter(state__in=[*OPEN_STATES, State.RESOLVED]).exists():
        raise ValidationError(
            _("%(kind)s缺口已有未销号的问题，请在该问题中跟进。") % {"kind": locked.get_kind_display()}
        )
    with _stored():  # the problem's title and description are data: Chinese
        label = str(locked.get_kind_display())
    needed = f"，需求时间{locked.needed_by:%Y-%m-%d}" if locked.needed_by else ""
    return do_raise_problem(
        actor,
        locked.project,
        title=f"{label}缺口{_amount(gap, locked.kind)}",
        description=f"需求{_amount(locked.required, locked.kind)}，已落实{_amount(locked.secured, locked.kind)}，"
        f"缺口{_amount(gap, locked.kind)}{needed}。{locked.note}".strip(),
        category=ELEMENT_CATEGORY[ElementKind(locked.kind)],
        element=locked,
        at=at,
    )


# --- rules and calendar -------------------------------------------------------------------------------------------


@transaction.atomic
def do_save_rules(actor: Actor, region: Region, expected_version: int | None, **values: Any) -> RegionRules:
    require_perm(actor.user, PROBLEM_MANAGE)
    require_region_in_scope(actor.user, region)
    existing = RegionRules.objects.filter(region=region).first()
    if values.get("summon_after") is not None and values.get("escalate_after") is not None:
        if values["summon_after"] <= values["escalate_after"]:
            raise ValidationError({"summon_after": _("列入约谈的工作日数须大于升级直通车的工作日数。")})
    if existing is None:
        return editing.create(actor, RegionRules(region=region, **values), RULES_FIELDS)
    return editing.update(actor, RegionRules, existing.pk, expected_version, values, RULES_FIELDS)


@transaction.atomic
def do_save_calendar_year(
    actor: Actor, year: int, holidays_text: str, workdays_text: str, source: str = ""
) -> CalendarYear:
    """Enter (or replace) a year's official schedule. It overrides the packaged calendar for that year."""
    require_perm(actor.user, CALENDAR_MANAGE)
    try:
        schedule = build_schedule(year, holidays_text, workdays_text)
    except ScheduleError as exc:
        raise ValidationError({"holidays": str(exc)}) from exc
    if not schedule.holidays:
        raise ValidationError({"holidays": _("请至少录入一个放假日期。")})
    entry, created = CalendarYear.objects.get_or_create(year=year, defaults={"source": source})
    before = {
        "放假天数": entry.days.filter(is_workday=False).count(),
        "调休上班天数": entry.days.filter(is_workday=True).count(),
    }
    entry.days.all().delete()
    from keyprojects.problems.deadlines import parse_days

    names = {**parse_days(holidays_text, year), **parse_days(workdays_text, year)}
    CalendarDay.objects.bulk_create(
        [CalendarDay(year=entry, day=d, is_workday=False, name=names[d]) for d in sorted(schedule.holidays)]
        + [CalendarDay(year=entry, day=d, is_workday=True, name=names[d]) for d in sorted(schedule.workdays)]
    )
    entry.source = source
    if not created:
        entry.version += 1
    entry.save()
    after = {"放假天数": len(schedule.holidays), "调休上班天数": len(schedule.workdays)}
    if created:
        record(actor, AuditAction.CREATE, entry, {k: [None, v] for k, v in after.items()}, source)
    else:
        record(actor, AuditAction.UPDATE, entry, {k: [before[k], after[k]] for k in after}, source)
    return entry
