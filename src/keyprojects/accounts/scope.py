"""Scope: which objects a user may see. Enforced in one place — `restrict()` — that every ScopedQuerySet calls.

A user's scope is the union of
  * the subtrees of its scope regions (a region's materialised path is a prefix of all its descendants' paths),
  * its scope units,
  * for a leader, the projects it leads.
An administrator sees everything. A user with no scope sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from keyprojects.accounts.choices import Role


@dataclass(frozen=True)
class Scope:
    unrestricted: bool
    region_paths: tuple[str, ...]
    unit_ids: tuple[int, ...]
    person_id: int | None

    def condition(self, region_path: str | None, unit: str | None, leader: str | None) -> Q | None:
        """A Q over the given lookups (e.g. "region__path", "unit", "leader"); None means "everything"."""
        if self.unrestricted:
            return None
        q = Q(pk__in=[])
        if region_path:
            for path in self.region_paths:
                q |= Q(**{f"{region_path}__startswith": path})
        if unit and self.unit_ids:
            q |= Q(**{f"{unit}__in": self.unit_ids})
        if leader and self.person_id:
            q |= Q(**{leader: self.person_id})
        return q


NOTHING = Scope(unrestricted=False, region_paths=(), unit_ids=(), person_id=None)


def scope_of(user: Any) -> Scope:
    """Computed once per request and cached on the user object (two small queries)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached = getattr(user, "_kp_scope", None)
    if cached is not None:
        return cached
    if user.role == Role.ADMIN:
        scope = Scope(unrestricted=True, region_paths=(), unit_ids=(), person_id=None)
    else:
        paths = tuple(user.scope_regions.values_list("path", flat=True))
        units = tuple(user.scope_units.values_list("pk", flat=True))
        person = user.person_id if user.role == Role.LEADER else None
        scope = Scope(unrestricted=False, region_paths=paths, unit_ids=units, person_id=person)
    user._kp_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    if hasattr(user, "_kp_scope"):
        del user._kp_scope
