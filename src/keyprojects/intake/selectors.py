"""Reads of the review queue, scoped by the user's region subtree."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from keyprojects.intake.choices import FactStatus
from keyprojects.intake.models import Fact
from keyprojects.projects.models import Project

CONTEXT_CHARS = 120


def facts_for_user(user: Any) -> QuerySet[Fact]:
    return Fact.objects.for_user(user).select_related("article", "region", "project", "reviewer")


def fact_queue(
    user: Any, status: str = FactStatus.PENDING, kind: str = "", article: int | None = None
) -> QuerySet[Fact]:
    qs = facts_for_user(user)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if article is not None:
        qs = qs.filter(article_id=article)
    return qs.order_by("-article__created_at", "evidence_start")


def evidence_in_context(fact: Fact) -> tuple[str, str, str]:
    """The text before the evidence, the evidence as it stands in the original report, and the text after it."""
    raw = fact.article.raw_text
    start, end = fact.evidence_start, fact.evidence_end
    if not (0 <= start <= end <= len(raw)) or end == start:
        return "", fact.evidence, ""
    return raw[max(0, start - CONTEXT_CHARS): start], raw[start:end], raw[end: end + CONTEXT_CHARS]


def candidate_projects(user: Any, fact: Fact, limit: int = 50) -> QuerySet[Project]:
    """Projects the reviewer may link the fact to: in the user's scope and the fact's region subtree."""
    qs = Project.objects.for_user(user).select_related("region")
    if fact.region is not None:
        qs = qs.filter(region__path__startswith=fact.region.path)
    return qs.order_by("name")[:limit]
