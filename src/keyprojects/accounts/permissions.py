"""The one place that decides "who may". Pure: roles → permission names.

Scope (which objects) is decided by keyprojects.accounts.scope; this module decides what a role may do with objects
inside its scope. A permission a role lacks answers 403; an object outside the scope answers 404.
"""

from __future__ import annotations

from typing import Any

from keyprojects.accounts.choices import Role

VIEW = "view"  # read anything inside one's scope: every role has it
PROJECT_CHANGE = "projects.change"
PROJECT_DELETE = "projects.delete"
PLAN_APPROVE = "projects.approve_plan"
REGION_CHANGE = "regions.change"
DIRECTORY_CHANGE = "directory.change"
USERS_MANAGE = "accounts.manage_users"
AUDIT_VIEW_ALL = "audit.view_all"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            VIEW,
            PROJECT_CHANGE,
            PROJECT_DELETE,
            PLAN_APPROVE,
            REGION_CHANGE,
            DIRECTORY_CHANGE,
            USERS_MANAGE,
            AUDIT_VIEW_ALL,
        }
    ),
    Role.SUPERVISOR: frozenset({VIEW, PROJECT_CHANGE, PLAN_APPROVE, DIRECTORY_CHANGE}),
    Role.REGION_ADMIN: frozenset({VIEW, PROJECT_CHANGE, PROJECT_DELETE, DIRECTORY_CHANGE, USERS_MANAGE}),
    Role.REPORTER: frozenset({VIEW}),
    Role.LEADER: frozenset({VIEW}),
    Role.PANEL: frozenset({VIEW}),
}


def has_perm(user: Any, perm: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return perm in ROLE_PERMISSIONS.get(user.role, frozenset())


def has_perm_role(role: str, perm: str) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())
