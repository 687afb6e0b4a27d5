"""Scoped reads of the cadence, shared by pages, API, exports and the CLI. Every read starts from `.for_user(user)`
(`user` None is the system itself: the CLI and the scheduled bulletin see everything) and runs a fixed number of queries
whatever the number of projects."""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Avg, Count, DateField, F, Max, Min, Model, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from keyprojects.accounts.scope import scope_of
from keyprojects.cadence import assessment as formula
from keyprojects.cadence import observation
from keyprojects.cadence.choices import AssessedKind, RoundStatus
from keyprojects.cadence.figures import invested_as_of
from keyprojects.cadence.models import (
    AssessmentRule,
    DispatchDecision,
    DispatchMeeting,
    ObservationRound,
    ObservationScore,
    ObservationSheet,
    ObservationTarget,
    PanelMember,
)
from keyprojects.cadence.periods import last_week_ending_by, weeks_between
from keyprojects.core import clock
from keyprojects.directory.models import Person, Unit
from keyprojects.notifications.selectors import ancestor_paths
from keyprojects.problems import selectors as problem_selectors
from keyprojects.problems.choices import Escalation
from keyprojects.problems.models import Problem
from keyprojects.projects.choices import Stage
from keyprojects.projects.models import Project
from keyprojects.ratings.choices import Colour, EscalationKind
from keyprojects.ratings.models import Escalation as RatingEscalation
from keyprojects.ratings.models import WeeklyRating
from keyprojects.regions.choices import RegionLevel
from keyprojects.regions.models import Region
from keyprojects.reports.models import WeeklyReport
from keyprojects.reports.weeks import IsoWeek

M = TypeVar("M", bound=Model)
DONE_STAGES = (Stage.COMPLETED, Stage.PRODUCING, Stage.AT_CAPACITY)
STALLED_WEEKS = 4


def scoped(qs: QuerySet[M], user: Any) -> QuerySet[M]:
    """`qs` restricted to the user's scope; the system itself (None) sees everything."""
    return qs if user is None else qs.for_user(user)  # type: ignore[attr-defined]


# --- regions ---------------------------------------------------------------------------------------------------------


def regions_for_choice(user: Any) -> QuerySet[Region]:
    """Regions a cadence output can be made for: province, cities, districts and zones in scope."""
    qs = Region.objects.filter(
        level__in=[RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.ZONE]
    ).order_by("path")
    return scoped(qs, user)


def common_region(paths: list[str]) -> Region | None:
    """The deepest region containing all the given region paths (the common prefix of the smallest and largest)."""
    if not paths:
        return None
    prefix = os.path.commonprefix([min(paths), max(paths)])
    prefix = prefix[: prefix.rfind("/") + 1]
    return Region.objects.filter(path=prefix).first()


def default_region(user: Any) -> Region | None:
    """The region a user's outputs are about unless he picks another: his own (the widest, when several), the region
    of his unit, or — for the administrator and the system — the region that contains every project."""
    scope = scope_of(user) if user is not None else None
    if scope is not None and not scope.unrestricted:
        if scope.region_paths:
            widest = min(scope.region_paths, key=lambda p: (p.count("/"), p))
            return Region.objects.filter(path=widest).first()
        unit = Unit.objects.filter(pk__in=scope.unit_ids).select_related("region").order_by("pk").first()
        return unit.region if unit else None
    bounds = Project.objects.aggregate(lo=Min("region__path"), hi=Max("region__path"))
    if bounds["lo"] is None:
        return Region.objects.filter(parent__isnull=True).order_by("path").first()
    return common_region([bounds["lo"], bounds["hi"]])


def region_in_scope(user: Any, pk: Any) -> Region | None:
    try:
        return regions_for_choice(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def child_regions(region: Region) -> dict[str, Region]:
    """Path → region for the region and every region below it (one query; a few thousand rows for a province)."""
    return {r.path: r for r in Region.objects.filter(path__startswith=region.path).only("pk", "path", "name", "level")}


def child_key(path: str, parent_path: str) -> str:
    """The path of the direct child of `parent_path` that contains `path` (the parent itself for its own projects)."""
    rest = path[len(parent_path) :]
    first = rest.split("/", 1)[0] if rest else ""
    return f"{parent_path}{first}/" if first else parent_path


def listed_projects(user: Any, region: Region, year: int) -> QuerySet[Project]:
    """Projects in scope, inside the region, on the year's list (with an annual plan for the year)."""
    return scoped(Project.objects.all(), user).filter(region__path__startswith=region.path, plans__year=year)


# --- the dispatch agenda (半月调度) -----------------------------------------------------------------------------------


@dataclass
class ProjectItem:
    project_id: int
    code: str
    name: str
    region: str
    unit: str
    leader: str
    score: float | None = None
    colour: str = ""
    newly_red: bool = False
    red_weeks: int = 0
    reasons: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class ProblemItem:
    problem_id: int
    number: str
    title: str
    project_id: int
    project_name: str
    category: str
    unit: str
    state: str
    deadline: str | None
    overdue_days: int | None
    channel: str
    note: str = ""


@dataclass
class Agenda:
    region_id: int
    region_name: str
    day: str
    week: str
    week_label: str
    rated: bool
    red: list[ProjectItem] = field(default_factory=list)
    summons_projects: list[ProjectItem] = field(default_factory=list)
    summons_problems: list[ProblemItem] = field(default_factory=list)
    direct: list[ProblemItem] = field(default_factory=list)
    overdue: list[ProblemItem] = field(default_factory=list)
    stalled: list[ProjectItem] = field(default_factory=list)

    @property
    def newly_red(self) -> list[ProjectItem]:
        return [p for p in self.red if p.newly_red]

    def counts(self) -> dict[str, int]:
        return {
            "red": len(self.red),
            "newly_red": len(self.newly_red),
            "summons": len(self.summons_projects) + len(self.summons_problems),
            "direct": len(self.direct),
            "overdue": len(self.overdue),
            "stalled": len(self.stalled),
        }

    def problem_sections(self) -> list[tuple[str, str, list[ProblemItem]]]:
        return [("direct", _("三、直通车问题"), self.direct), ("overdue", _("四、逾期问题"), self.overdue)]

    def project_ids(self) -> list[int]:
        """Every project the agenda names, in agenda order (the choices for a decision)."""
        ids: list[int] = []
        for item in [*self.red, *self.summons_projects, *self.stalled]:
            ids.append(item.project_id)
        for problem in [*self.summons_problems, *self.direct, *self.overdue]:
            ids.append(problem.project_id)
        return list(dict.fromkeys(ids))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Agenda:
        lists = {
            "red": ProjectItem,
            "summons_projects": ProjectItem,
            "stalled": ProjectItem,
            "summons_problems": ProblemItem,
            "direct": ProblemItem,
            "overdue": ProblemItem,
        }
        values = {k: v for k, v in data.items() if k not in lists}
        for name, item in lists.items():
            values[name] = [item(**row) for row in data.get(name, [])]
        return cls(**values)


def agenda_week(day: dt.date) -> IsoWeek:
    """The week a meeting on `day` looks at: the last week that ended before the day."""
    return last_week_ending_by(day - dt.timedelta(days=1))


def _name(obj: Any) -> str:
    return obj.name if obj is not None else ""


def _project_item(rating: WeeklyRating, note: str = "") -> ProjectItem:
    project = rating.project
    return ProjectItem(
        project_id=project.pk,
        code=project.code,
        name=project.name,
        region=project.region.name,
        unit=_name(project.unit),
        leader=_name(project.leader),
        score=rating.score,
        colour=rating.colour,
        newly_red=rating.colour == Colour.RED and rating.previous_colour != Colour.RED,
        red_weeks=rating.red_streak,
        reasons=rating.reason_list,
        note=note,
    )


def _problem_item(problem: Problem, note: str = "") -> ProblemItem:
    return ProblemItem(
        problem_id=problem.pk,
        number=problem.number,
        title=problem.title,
        project_id=problem.project_id,
        project_name=problem.project.name,
        category=problem.get_category_display(),
        unit=_name(problem.assigned_unit),
        state=problem.get_state_display(),
        deadline=problem.deadline.isoformat() if problem.deadline else None,
        overdue_days=problem.overdue_days,
        channel=problem.get_channel_display(),
        note=note,
    )


def agenda(user: Any, region: Region, day: dt.date) -> Agenda:
    """The agenda of a dispatch meeting of `region` on `day` (9 queries). Cards are those of the last week that ended
    before the day; problems are the loop's state now (an agenda is prepared for a meeting about to be held)."""
    week = agenda_week(day)
    in_region = {"project__region__path__startswith": region.path}
    ratings = scoped(WeeklyRating.objects.all(), user).filter(week_start=week.monday, **in_region)
    related = ("project", "project__region", "project__unit", "project__leader")
    red_rows = list(ratings.filter(colour=Colour.RED).select_related(*related).order_by("score", "project__code"))
    rated = ratings.exists() if not red_rows else True
    red = sorted((_project_item(r) for r in red_rows), key=lambda p: (not p.newly_red, p.score or 0, p.code))
    by_project = {r.project_id: r for r in red_rows}
    summons_rows = (
        scoped(RatingEscalation.objects.all(), user)
        .filter(kind=EscalationKind.SUMMONS, week_start__lte=week.monday, project_id__in=list(by_project), **in_region)
        .order_by("week_start", "project__code")
    )
    summons_projects = []
    for esc in summons_rows:
        rating = by_project[esc.project_id]
        note = f"连续红牌{rating.red_streak}周，督办后仍无明显改善（{esc.iso_week}列入约谈名单）"
        summons_projects.append(_project_item(rating, note))

    listed: set[int] = set()

    def once(problems: QuerySet[Problem]) -> list[Problem]:
        found = [p for p in problems.filter(**in_region) if p.pk not in listed]
        listed.update(p.pk for p in found)
        return found

    summons_problems = [
        _problem_item(p, f"逾期{p.overdue_days or 0}天，{p.summoned_on:%Y-%m-%d}列入约谈名单")
        for p in once(problem_selectors.summons_list(user))
    ]
    direct = [_problem_item(p) for p in once(problem_selectors.direct_queue(user, None))]
    overdue = [
        _problem_item(p, f"已督办{p.supervise_count}次" if p.supervise_count else "")
        for p in once(problem_selectors.overdue_board(user).exclude(escalation=Escalation.SUMMONS))
    ]
    return Agenda(
        region_id=region.pk,
        region_name=region.name,
        day=day.isoformat(),
        week=str(week),
        week_label=week.label,
        rated=rated,
        red=red,
        summons_projects=summons_projects,
        summons_problems=summons_problems,
        direct=direct,
        overdue=overdue,
        stalled=stalled_projects(user, region, week),
    )


def stalled_projects(user: Any, region: Region, week: IsoWeek) -> list[ProjectItem]:
    """Listed projects under construction whose 本年完成投资 has not grown in the last 4 weeks (one query)."""
    before = week.shift(-STALLED_WEEKS)
    if before.year != week.year:
        return []
    last_report = (
        WeeklyReport.objects.filter(project=OuterRef("pk"), week_start__lte=week.monday)
        .order_by("-week_start")
        .values("week_start")[:1]
    )
    rows = (
        listed_projects(user, region, week.year)
        .exclude(stage__in=DONE_STAGES)
        .select_related("region", "unit", "leader")
        .annotate(
            c_now=invested_as_of(week.sunday, week.year, "pk"),
            c_before=invested_as_of(before.sunday, week.year, "pk"),
            last_week=Subquery(last_report, output_field=DateField()),
        )
        .filter(c_now__isnull=False, c_before__isnull=False, c_now__lte=F("c_before"))
        .order_by("region__path", "code")
    )
    items = []
    for p in rows:
        last = IsoWeek.of(p.last_week) if p.last_week else None
        note = f"近{STALLED_WEEKS}周本年完成投资未增加（{p.c_now:,.0f}万元）"
        if last is not None and last < week:
            note += f"，最近一次报送为{last}"
        items.append(
            ProjectItem(
                project_id=p.pk,
                code=p.code,
                name=p.name,
                region=p.region.name,
                unit=_name(p.unit),
                leader=_name(p.leader),
                note=note,
            )
        )
    return items


# --- meetings --------------------------------------------------------------------------------------------------------


def meetings_for(user: Any) -> QuerySet[DispatchMeeting]:
    return (
        scoped(DispatchMeeting.objects.all(), user)
        .select_related("region")
        .annotate(decision_count=Count("decisions"))
        .order_by("-held_on", "region__path")
    )


def meeting_decisions(meeting: DispatchMeeting) -> list[DispatchDecision]:
    return list(
        meeting.decisions.select_related("project", "unit", "problem", "created_by").order_by("id")
    )


def decision_projects(user: Any, meeting: DispatchMeeting) -> QuerySet[Project]:
    """Projects a decision may be about: those on the meeting's agenda (the others are found by their code)."""
    ids = Agenda.from_json(meeting.agenda).project_ids() if meeting.agenda else []
    return scoped(Project.objects.all(), user).filter(pk__in=ids).select_related("region").order_by("code")


# --- observation rounds (半年观摩) ------------------------------------------------------------------------------------


def rounds_for(user: Any) -> QuerySet[ObservationRound]:
    return (
        scoped(ObservationRound.objects.all(), user)
        .select_related("region")
        .annotate(target_count=Count("targets", distinct=True), member_count=Count("panel", distinct=True))
        .order_by("-held_on", "-id")
    )


def member_of(round_: ObservationRound, user: Any) -> PanelMember | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return PanelMember.objects.filter(round=round_, user=user).first()


@dataclass
class TargetResult:
    target: ObservationTarget
    totals: list[Decimal]
    trimmed: observation.Trimmed
    rank: int | None = None
    criterion_means: dict[int, Decimal] = field(default_factory=dict)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (member, comment)

    @property
    def result(self) -> Decimal | None:
        return self.trimmed.result

    def marked_totals(self) -> list[tuple[Decimal, bool]]:
        """The members' totals, highest first; the one highest and the one lowest that were dropped are marked
        (only one each, even when another member gave the same total)."""
        ordered = sorted(self.totals, reverse=True)
        dropped = self.trimmed.dropped_high is not None
        return [(t, dropped and i in (0, len(ordered) - 1)) for i, t in enumerate(ordered)]


@dataclass
class RoundView:
    round: ObservationRound
    criteria: list[Any]
    targets: list[ObservationTarget]
    panel: list[PanelMember]
    sheets: dict[tuple[int, int], ObservationSheet]  # (target id, member id) → sheet
    results: list[TargetResult]

    def progress(self) -> list[tuple[PanelMember, int]]:
        """Sheets submitted per member."""
        return [(m, sum(1 for (_, mid) in self.sheets if mid == m.pk)) for m in self.panel]

    @property
    def sheets_expected(self) -> int:
        return len(self.targets) * len(self.panel)


def round_view(round_: ObservationRound) -> RoundView:
    """Criteria, targets, panel, every sheet and the ranked results of a round (5 queries)."""
    criteria = list(round_.criteria.order_by("order"))
    targets = list(
        round_.targets.select_related("project", "project__region", "project__unit", "region").order_by("order")
    )
    panel = list(round_.panel.select_related("user").order_by("id"))
    by_id = {t.pk: t for t in targets}
    sheets = {}
    for sheet in ObservationSheet.objects.filter(target__round=round_).select_related("member__user").order_by("id"):
        sheet.target = by_id[sheet.target_id]
        sheets[(sheet.target_id, sheet.member_id)] = sheet
    means: dict[tuple[int, int], Decimal] = {}
    for row in (
        ObservationScore.objects.filter(sheet__target__round=round_)
        .values("sheet__target_id", "criterion_id")
        .annotate(total=Count("pk"), mean=Avg("score"))
    ):
        means[(row["sheet__target_id"], row["criterion_id"])] = observation.round2(Decimal(str(row["mean"])))
    results = []
    for target in targets:
        mine = [s for (tid, _), s in sheets.items() if tid == target.pk]
        totals = [s.total for s in mine]
        results.append(
            TargetResult(
                target=target,
                totals=totals,
                trimmed=observation.trimmed_mean(totals),
                criterion_means={c.pk: means[(target.pk, c.pk)] for c in criteria if (target.pk, c.pk) in means},
                comments=[(str(s.member.user), s.comment) for s in mine if s.comment],
            )
        )
    ranks = observation.competition_ranks({r.target.pk: r.result for r in results})
    for r in results:
        r.rank = ranks[r.target.pk]
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.target.order))
    return RoundView(round=round_, criteria=criteria, targets=targets, panel=panel, sheets=sheets, results=results)


def sheet_scores(sheet: ObservationSheet | None) -> dict[int, Decimal]:
    if sheet is None:
        return {}
    return dict(sheet.scores.values_list("criterion_id", "score"))


# --- assessment (绩效考核) --------------------------------------------------------------------------------------------


def weights_for(region: Region) -> formula.Weights:
    """The assessment rule of the nearest region at or above `region`, else the defaults."""
    rule = (
        AssessmentRule.objects.filter(region__path__in=ancestor_paths(region.path))
        .select_related("region")
        .order_by("-region__path")
        .first()
    )
    if rule is None:
        return formula.DEFAULT_WEIGHTS
    return weights_of(rule)


def weights_of(rule: AssessmentRule) -> formula.Weights:
    return formula.Weights(
        score=rule.weight_score,
        blue=rule.weight_blue,
        red=rule.weight_red,
        problems=rule.weight_problems,
        observation=rule.weight_observation,
        excellent_min=rule.excellent_min,
        good_min=rule.good_min,
        fair_min=rule.fair_min,
        source=rule.region.name,
    )


def assessment_rules_for(user: Any) -> QuerySet[AssessmentRule]:
    return scoped(AssessmentRule.objects.all(), user).select_related("region").order_by("region__path")


@dataclass
class AssessmentRow:
    kind: str
    key: int
    name: str
    detail: str  # the unit's region, or the leader's title
    projects: int
    inputs: formula.Inputs
    result: formula.Result
    rank: int | None = None


@dataclass
class AssessmentReport:
    region: Region
    kind: str
    start: dt.date
    end: dt.date
    weeks: list[IsoWeek]
    weights: formula.Weights
    rows: list[AssessmentRow]
    observation_rounds: list[ObservationRound]

    @property
    def kind_label(self) -> str:
        return str(AssessedKind(self.kind).label)


def observation_results(rounds: list[ObservationRound]) -> dict[int, list[Decimal]]:
    """Project id → its results (trimmed means) in the given rounds (two queries for all rounds)."""
    totals: dict[int, list[Decimal]] = defaultdict(list)
    project_of: dict[int, int] = {}
    for sheet_target, project_id, total in ObservationSheet.objects.filter(
        target__round__in=rounds, target__project__isnull=False
    ).values_list("target_id", "target__project_id", "total"):
        totals[sheet_target].append(total)
        project_of[sheet_target] = project_id
    results: dict[int, list[Decimal]] = defaultdict(list)
    for target_id, values in totals.items():
        trimmed = observation.trimmed_mean(values)
        if trimmed.result is not None:
            results[project_of[target_id]].append(trimmed.result)
    return results


def assessment(user: Any, region: Region, start: dt.date, end: dt.date, kind: str) -> AssessmentReport:
    """Units (or leaders) of the projects in the region, over the weeks ending between start and end (7 queries)."""
    weeks = weeks_between(start, end)
    field_name = "unit_id" if kind == AssessedKind.UNIT else "leader_id"
    in_region = {"project__region__path__startswith": region.path}
    rated = ~Q(colour=Colour.NONE)
    rating_rows = (
        scoped(WeeklyRating.objects.all(), user)
        .filter(week_start__in=[w.monday for w in weeks], **in_region)
        .exclude(**{f"project__{field_name}": None})
        .order_by()
        .values(f"project__{field_name}")
        .annotate(
            projects=Count("project", distinct=True),
            rated=Count("pk", filter=rated),
            score_sum=Sum("score", filter=rated),
            blue=Count("pk", filter=Q(colour=Colour.BLUE)),
            red=Count("pk", filter=Q(colour=Colour.RED)),
        )
    )
    cards = {row[f"project__{field_name}"]: row for row in rating_rows}
    due_by = min(end, clock.today())
    problem_key = "assigned_unit_id" if kind == AssessedKind.UNIT else "project__leader_id"
    problem_rows = (
        scoped(Problem.objects.all(), user)
        .filter(deadline__gte=start, deadline__lte=due_by, **in_region)
        .exclude(**{problem_key: None})
        .order_by()
        .values(problem_key)
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(resolved_on__isnull=False, resolved_on__lte=F("deadline"))),
        )
    )
    problems = {row[problem_key]: row for row in problem_rows}
    rounds = list(
        scoped(ObservationRound.objects.all(), user)
        .filter(status=RoundStatus.CLOSED, held_on__gte=start, held_on__lte=end)
        .filter(Q(region__path__startswith=region.path) | Q(region__path__in=ancestor_paths(region.path)))
        .order_by("held_on")
    )
    by_project = observation_results(rounds)
    owners = dict(
        scoped(Project.objects.all(), user)
        .filter(pk__in=list(by_project), region__path__startswith=region.path)
        .values_list("pk", field_name)
    )
    observed: dict[int, list[Decimal]] = defaultdict(list)
    for project_id, values in by_project.items():
        owner = owners.get(project_id)
        if owner is not None:
            observed[owner].extend(values)
    keys = set(cards) | set(problems) | set(observed)
    if kind == AssessedKind.UNIT:
        names = {u.pk: (u.name, u.region.name) for u in Unit.objects.filter(pk__in=keys).select_related("region")}
    else:
        names = {p.pk: (p.name, p.title) for p in Person.objects.filter(pk__in=keys)}
    weights = weights_for(region)
    rows = []
    for key in keys:
        card = cards.get(key, {})
        problem = problems.get(key, {})
        values = observed.get(key, [])
        inputs = formula.Inputs(
            rated_weeks=card.get("rated", 0),
            score_sum=float(card.get("score_sum") or 0),
            blue_weeks=card.get("blue", 0),
            red_weeks=card.get("red", 0),
            problems_due=problem.get("due", 0),
            problems_on_time=problem.get("on_time", 0),
            observation=observation.round2(sum(values, Decimal(0)) / len(values)) if values else None,
        )
        name, detail = names.get(key, ("", ""))
        rows.append(
            AssessmentRow(
                kind=kind,
                key=key,
                name=name,
                detail=detail,
                projects=card.get("projects", 0),
                inputs=inputs,
                result=formula.assess(inputs, weights),
            )
        )
    ranks = observation.competition_ranks({r.key: r.result.total for r in rows})
    for r in rows:
        r.rank = ranks[r.key]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.name))
    return AssessmentReport(
        region=region,
        kind=kind,
        start=start,
        end=end,
        weeks=weeks,
        weights=weights,
        rows=rows,
        observation_rounds=rounds,
    )


