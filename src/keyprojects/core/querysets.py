"""ScopedQuerySet: every read of domain data for a user goes through `.for_user(user)`."""

from __future__ import annotations

from typing import Any, Self

from django.db import models

from keyprojects.accounts.scope import scope_of


class ScopedQuerySet(models.QuerySet):
    # Lookups from this model to the scope dimensions; None when the dimension does not apply to the model.
    scope_region_path: str | None = "region__path"
    scope_unit: str | None = None
    scope_leader: str | None = None

    def for_user(self, user: Any) -> Self:
        condition = scope_of(user).condition(self.scope_region_path, self.scope_unit, self.scope_leader)
        if condition is None:
            return self.all()
        return self.filter(condition)
