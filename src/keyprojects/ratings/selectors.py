"""Scoped reads of ratings, shared by pages, API and exports; each starts from `.for_user(user)`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from keyprojects.projects.models import Project
from keyprojects.ratings.choices import Colour
from keyprojects.ratings.models import ColourOverride, Escalation, RatingRun, RuleSet, RuleVersion, WeeklyRating
from keyprojects.reports.weeks import IsoWeek

SORTS = {
    "score": ("score", "project__code"),
    "-score": ("-score", "project__code"),
    "change": ("score_change", "project__code"),
    "-change": ("-score_change", "project__code"),
    "rank": ("group_key", "rank", "project__code"),
    "region": ("project__region__path", "project__code"),
    "code": ("project__code",),
}
COLOUR_SORT = ("colour_order", "score", "project__code")  # default: red first, then yellow, blue, lowest score first


def rated_weeks(limit: int = 60) -> list[IsoWeek]:
    weeks = RatingRun.objects.values_list("week_start", flat=True).distinct().order_by("-week_start")[:limit]
    return [IsoWeek.of(w) for w in weeks]


def default_week() -> IsoWeek:
    latest = RatingRun.objects.aggregate(w=Max("week_start"))["w"]
    return IsoWeek.of(latest) if latest else IsoWeek.current().shift(-1)


def weekly_list(user: Any, week: IsoWeek, filters: dict[str, Any], sort: str = "") -> QuerySet[WeeklyRating]:
    from django.db.models import Case, IntegerField, Value, When

    qs = (
        WeeklyRating.objects.for_user(user)
        .filter(week_start=week.monday)
        .select_related("project", "project__region", "project__unit", "project__leader")
        .annotate(
            colour_order=Case(
                When(colour=Colour.RED, then=Value(0)),
                When(colour=Colour.YELLOW, then=Value(1)),
                When(colour=Colour.BLUE, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
    )
    region = filters.get("region")
    if region is not None:
        qs = qs.filter(project__region__path__startswith=region.path)
    if filters.get("unit") is not None:
        qs = qs.filter(project__unit=filters["unit"])
    if filters.get("leader") is not None:
        qs = qs.filter(project__leader=filters["leader"])
    if filters.get("colour"):
        qs = qs.filter(colour=filters["colour"])
    change = filters.get("change")
    if change == "turned_red":
        qs = qs.filter(colour=Colour.RED).exclude(previous_colour=Colour.RED)
    elif change == "worse":
        qs = qs.filter(score_change__lt=0)
    elif change == "better":
        qs = qs.filter(score_change__gt=0)
    elif change == "hard_red":
        qs = qs.filter(hard_red=True)
    elif change == "overridden":
        qs = qs.filter(overridden=True)
    text = (filters.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(project__name__icontains=text) | Q(project__code__icontains=text))
    return qs.order_by(*SORTS.get(sort, COLOUR_SORT))


def colour_counts(qs: QuerySet[WeeklyRating]) -> dict[str, int]:
    counts = dict.fromkeys(Colour.values, 0)
    for row in qs.order_by().values("colour").annotate(n=Count("pk")):
        counts[row["colour"]] = row["n"]
    return counts


def project_history(project: Project, limit: int = 53) -> list[WeeklyRating]:
    return list(reversed(WeeklyRating.objects.filter(project=project).order_by("-week_start")[:limit]))


def project_escalations(project: Project) -> list[Escalation]:
    return list(Escalation.objects.filter(project=project).order_by("-week_start", "kind"))


def project_override(project: Project, week: IsoWeek) -> ColourOverride | None:
    return ColourOverride.objects.filter(project=project, week_start=week.monday).select_related("created_by").first()


def escalation_list(user: Any, kind: str | None = None) -> QuerySet[Escalation]:
    qs = Escalation.objects.for_user(user).select_related(
        "project", "project__region", "project__unit", "project__leader"
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-week_start", "project__code")


def rule_sets_for(user: Any) -> QuerySet[RuleSet]:
    return RuleSet.objects.for_user(user).select_related("region").annotate(versions_count=Count("versions"))


def rule_versions(rule_set: RuleSet) -> list[RuleVersion]:
    return list(rule_set.versions.select_related("created_by").order_by("-number"))


def latest_version(rule_set: RuleSet) -> RuleVersion | None:
    return rule_set.versions.order_by("-number").first()


def recent_runs(limit: int = 10) -> list[RatingRun]:
    return list(RatingRun.objects.order_by("-started_at")[:limit])
