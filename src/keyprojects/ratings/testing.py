"""Test helpers of the ratings room (used by its tests and the permission matrix)."""

from __future__ import annotations

from keyprojects.projects.models import Project
from keyprojects.ratings import actions
from keyprojects.ratings.models import RuleSet, WeeklyRating
from keyprojects.regions.models import Region
from keyprojects.reports.testing import MATRIX_WEEK, SYSTEM, report_for
from keyprojects.reports.weeks import IsoWeek


def rule_set_for(region: Region) -> RuleSet:
    found = RuleSet.objects.filter(region=region).first()
    return found or actions.do_create_rule_set(SYSTEM, f"{region.name}评分规则", region, "rank", IsoWeek(2024, 1))


def rated(project: Project, week: IsoWeek = MATRIX_WEEK) -> WeeklyRating:
    found = WeeklyRating.objects.filter(project=project, week_start=week.monday).first()
    if found is None:
        report_for(project, week)
        actions.do_rate_week(SYSTEM, week)
        found = WeeklyRating.objects.get(project=project, week_start=week.monday)
    return found
