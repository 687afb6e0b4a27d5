"""Scoped reads of problems, shared by pages, API, exports, the score and the dispatch agenda. Every list starts from
`.for_user(user)` and runs a fixed number of queries whatever the number of problems; statistics are aggregates in SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, DateField, Expression, F, Func, IntegerField, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from keyprojects.audit.selectors import entries_for
from keyprojects.core import clock
from keyprojects.notifications.selectors import ancestor_paths
from keyprojects.problems.choices import (
    DEFAULT_DIRECT_DAYS,
    DEFAULT_ESCALATE_AFTER,
    DEFAULT_NORMAL_DAYS,
    DEFAULT_SUMMON_AFTER,
    OPEN_STATES,
    Category,
    Channel,
    ElementKind,
    Escalation,
    State,
)
from keyprojects.problems.deadlines import WorkCalendar, YearSchedule
from keyprojects.problems.models import CalendarDay, CalendarYear, ElementItem, Problem, RegionRules
from keyprojects.problems.workflow import Facts, Who
from keyprojects.regions.models import Region


class DaysBetween(Func):
    """Whole days from `start` to `end` (end − start) as an integer, on SQLite and PostgreSQL."""

    output_field = IntegerField()

    def __init__(self, end: Any, start: Any) -> None:
        super().__init__(end, start)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner="::date - ", **extra)


def _date(value: dt.date) -> Expression:
    return Value(value, output_field=DateField())


# --- the calendar and the rules ----------------------------------------------------------------------------------


def load_calendar() -> WorkCalendar:
    """The working-day calendar with every year an administrator entered (one query)."""
    custom: dict[int, tuple[set[dt.date], set[dt.date]]] = {
        year: (set(), set()) for year in CalendarYear.objects.values_list("year", flat=True)
    }
    for year, day, is_workday in CalendarDay.objects.values_list("year__year", "day", "is_workday"):
        custom.setdefault(year, (set(), set()))[1 if is_workday else 0].add(day)
    return WorkCalendar({y: YearSchedule(y, frozenset(h), frozenset(w)) for y, (h, w) in custom.items()})


@dataclass(frozen=True)
class Rules:
    region_name: str  # where the rules come from ("默认" when no region above has any)
    top_leader_id: int | None
    normal_days: int
    direct_days: int
    escalate_after: int
    summon_after: int

    @property
    def source(self) -> str:
        """Where the rules come from, for pages: the region's name, or 默认 in the active language."""
        return gettext("默认") if self.region_name == DEFAULT_SOURCE else self.region_name


DEFAULT_SOURCE = "默认"
DEFAULT_RULES = Rules(
    DEFAULT_SOURCE, None, DEFAULT_NORMAL_DAYS, DEFAULT_DIRECT_DAYS, DEFAULT_ESCALATE_AFTER, DEFAULT_SUMMON_AFTER
)


def rules_for(region: Region) -> Rules:
    """The rules of the nearest region at or above `region` that has any."""
    found = (
        RegionRules.objects.filter(region__path__in=ancestor_paths(region.path))
        .select_related("region")
        .order_by("-region__path")
        .first()
    )
    if found is None:
        return DEFAULT_RULES
    return Rules(
        found.region.name,
        found.top_leader_id,
        found.normal_days,
        found.direct_days,
        found.escalate_after,
        found.summon_after,
    )


def region_rules_for(user: Any) -> QuerySet[RegionRules]:
    return RegionRules.objects.for_user(user).select_related("region", "top_leader").order_by("region__path")


# --- problems ----------------------------------------------------------------------------------------------------


def problems_for(user: Any) -> QuerySet[Problem]:
    return Problem.objects.for_user(user)


def _with_related(qs: QuerySet[Problem]) -> QuerySet[Problem]:
    return qs.select_related("project", "project__region", "assigned_unit", "direct_leader")


def annotate_overdue(qs: QuerySet[Problem], today: dt.date) -> QuerySet[Problem]:
    """`days_past_deadline`: today − deadline in calendar days (None without a deadline); see Problem.overdue_days."""
    return qs.annotate(days_past_deadline=DaysBetween(_date(today), F("deadline")))


SORTS = {
    "": ("-raised_on", "-id"),
    "deadline": ("deadline", "id"),
    "-overdue": ("deadline", "id"),
    "project": ("project__name", "-id"),
    "-supervised": ("-supervise_count", "-id"),
}


def problem_list(user: Any, filters: dict[str, Any], sort: str = "") -> QuerySet[Problem]:
    """The filtered list. Filters: q, state, open (bool), overdue (bool), channel, category, escalation, region, unit,
    project, direct_leader, summoned (bool)."""
    today = clock.today()
    qs = annotate_overdue(_with_related(problems_for(user)), today)
    for key in ("state", "channel", "category"):
        if filters.get(key):
            qs = qs.filter(**{key: filters[key]})
    if filters.get("escalation") not in (None, ""):
        qs = qs.filter(escalation=filters["escalation"])
    if filters.get("open"):
        qs = qs.filter(state__in=OPEN_STATES)
    if filters.get("overdue"):
        qs = qs.filter(state__in=OPEN_STATES, deadline__lt=today)
    if filters.get("summoned"):
        qs = qs.filter(escalation=Escalation.SUMMONS)
    if filters.get("region") is not None:
        qs = qs.filter(project__region__path__startswith=filters["region"].path)
    if filters.get("unit") is not None:
        qs = qs.filter(assigned_unit=filters["unit"])
    if filters.get("project") is not None:
        qs = qs.filter(project=filters["project"])
    if filters.get("direct_leader") is not None:
        qs = qs.filter(direct_leader=filters["direct_leader"])
    text = (filters.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(description__icontains=text) | Q(project__name__icontains=text))
    return qs.order_by(*SORTS.get(sort, SORTS[""]))


def unit_queue(user: Any, unit: Any | None) -> QuerySet[Problem]:
    """Problems assigned to units (one unit, or every unit the user belongs to / sees) and not yet closed."""
    qs = problem_list(user, {}).filter(assigned_unit__isnull=False).exclude(state=State.CLOSED)
    if unit is not None:
        qs = qs.filter(assigned_unit=unit)
    return qs.order_by(F("deadline").asc(nulls_last=True), "id")


def direct_queue(user: Any, person_id: int | None) -> QuerySet[Problem]:
    """直通车 problems not yet closed; for a leader, those sent to him."""
    qs = problem_list(user, {"channel": Channel.DIRECT}).exclude(state=State.CLOSED)
    if person_id is not None:
        qs = qs.filter(direct_leader_id=person_id)
    return qs.order_by(F("deadline").asc(nulls_last=True), "id")


def overdue_board(user: Any) -> QuerySet[Problem]:
    return problem_list(user, {"overdue": True}).order_by("deadline", "id")


def summons_list(user: Any) -> QuerySet[Problem]:
    """The 约谈 list: problems still open long after their deadline, with their unit and leader."""
    return (
        problem_list(user, {"summoned": True})
        .select_related("project__leader", "project__unit")
        .order_by("-summoned_on", "id")
    )


def who_of(user: Any) -> Who:
    from keyprojects.accounts.scope import scope_of

    if user is None:
        return Who(role=None)
    scope = scope_of(user)
    return Who(role=user.role, user_id=user.pk, unit_ids=frozenset(scope.unit_ids), person_id=user.person_id)


def facts_of(problem: Problem) -> Facts:
    return Facts(
        state=problem.state,
        channel=problem.channel,
        raised_by_id=problem.raised_by_id,
        assigned_unit_id=problem.assigned_unit_id,
        assigned_unit_name=problem.assigned_unit.name if problem.assigned_unit_id and problem.assigned_unit else "",
        direct_leader_id=problem.direct_leader_id,
        resolved_by_id=problem.resolved_by_id,
    )


def get_problem_for_detail(user: Any) -> QuerySet[Problem]:
    return annotate_overdue(
        problems_for(user).select_related(
            "project",
            "project__region",
            "project__leader",
            "project__unit",
            "assigned_unit",
            "direct_leader",
            "raised_by",
            "resolved_by",
            "element",
        ),
        clock.today(),
    )


def problem_detail_context(problem: Problem) -> dict[str, Any]:
    events = list(problem.events.select_related("actor").order_by("at", "id"))
    return {"problem": problem, "events": events, "audit_entries": list(entries_for(problem))}


def project_problems(project: Any) -> QuerySet[Problem]:
    return annotate_overdue(
        Problem.objects.filter(project=project).select_related("assigned_unit"), clock.today()
    ).order_by(F("closed_on").desc(nulls_first=True), "-raised_on", "-id")


# --- for the score and the agenda ----------------------------------------------------------------------------------


def problem_counts_by_project(as_of: dt.date) -> QuerySet[Any]:
    """Per project with problems open at the end of `as_of`: {"project_id", "open", "overdue_open", "max_overdue_days"}.

    Open = raised on or before `as_of` and not resolved by then (a problem sent back counts from its last resolution);
    `open` includes the overdue ones; overdue = its deadline lies before `as_of`; days are calendar days. One query.
    """
    overdue = Q(deadline__lt=as_of)
    return (
        Problem.objects.filter(raised_on__lte=as_of)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=as_of))
        .values("project_id")
        .annotate(
            open=Count("pk"),
            overdue_open=Count("pk", filter=overdue),
            max_overdue_days=Coalesce(Max(DaysBetween(_date(as_of), F("deadline")), filter=overdue), 0),
        )
        .order_by("project_id")
    )


# --- statistics ----------------------------------------------------------------------------------------------------


@dataclass
class StatRow:
    key: Any
    label: str
    total: int
    open: int
    overdue: int
    closed: int
    mean_days_to_close: Decimal | None


def _stat_rows(qs: QuerySet[Problem], field: str, labels: dict[Any, str] | None, today: dt.date) -> list[StatRow]:
    rows = (
        qs.order_by()
        .values(field)
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(state__in=OPEN_STATES)),
            overdue=Count("pk", filter=Q(state__in=OPEN_STATES, deadline__lt=today)),
            closed=Count("pk", filter=Q(state=State.CLOSED)),
            mean=Avg(DaysBetween(F("closed_on"), F("raised_on")), filter=Q(state=State.CLOSED)),
        )
        .order_by(field)
    )
    result = []
    for row in rows:
        key = row[field]
        mean = row["mean"]
        result.append(
            StatRow(
                key=key,
                label=(labels or {}).get(key, str(key) if key is not None else gettext("未交办")),
                total=row["total"],
                open=row["open"],
                overdue=row["overdue"],
                closed=row["closed"],
                mean_days_to_close=Decimal(str(round(mean, 1))) if mean is not None else None,
            )
        )
    return result


def problem_stats(user: Any, filters: dict[str, Any] | None = None) -> dict[str, list[StatRow]]:
    """Open, overdue, closed and mean days to close by category (要素保障), region and assigned unit: 3 queries."""
    today = clock.today()
    qs = problem_list(user, filters or {})
    by_category = {r.key: r for r in _stat_rows(qs, "category", {c.value: str(c.label) for c in Category}, today)}
    return {
        "category": [by_category[c.value] for c in Category if c.value in by_category],
        "region": _stat_rows(qs, "project__region__name", None, today),
        "unit": _stat_rows(qs, "assigned_unit__name", None, today),
    }


def stats_totals(rows: list[StatRow]) -> dict[str, int]:
    return {
        "total": sum(r.total for r in rows),
        "open": sum(r.open for r in rows),
        "overdue": sum(r.overdue for r in rows),
        "closed": sum(r.closed for r in rows),
    }


# --- element ledger ------------------------------------------------------------------------------------------------


def project_elements(project: Any) -> list[ElementItem]:
    """The project's ledger lines, each with its open problem (if a shortfall was raised)."""
    items = list(ElementItem.objects.filter(project=project).order_by("kind"))
    open_by_element = {
        p.element_id: p
        for p in Problem.objects.filter(element__in=items, state__in=[*OPEN_STATES, State.RESOLVED]).order_by("pk")
    }
    order = {k.value: i for i, k in enumerate(ElementKind)}
    for item in items:
        item.open_problem = open_by_element.get(item.pk)
    return sorted(items, key=lambda i: order[i.kind])


def element_totals_by_region(user: Any) -> list[dict[str, Any]]:
    """Required, secured and shortfall per region and element, and how many projects fall short: one query."""
    rows = (
        ElementItem.objects.for_user(user)
        .order_by()
        .values("project__region__name", "project__region__path", "kind")
        .annotate(
            projects=Count("project", distinct=True),
            short_projects=Count("project", filter=Q(required__gt=F("secured")), distinct=True),
            required_total=Sum("required"),
            secured_total=Sum("secured"),
            shortfall_total=Sum(F("required") - F("secured"), filter=Q(required__gt=F("secured"))),
        )
        .order_by("project__region__path", "kind")
    )
    result = []
    for row in rows:
        row["shortfall_total"] = row["shortfall_total"] or Decimal(0)
        row["label"] = ElementKind(row["kind"]).label
        result.append(row)
    return result


def element_shortfalls(user: Any) -> QuerySet[ElementItem]:
    return (
        ElementItem.objects.for_user(user)
        .filter(required__gt=F("secured"))
        .select_related("project", "project__region")
        .order_by("project__region__path", "project__name", "kind")
    )
