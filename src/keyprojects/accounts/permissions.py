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

# Weekly reports and the weekly rating (DESIGN §2–4): a responsible unit's reporters (and the district 发改局 that
# often fills in for them) submit reports; supervisors configure rule sets, run the rating and override a colour.
REPORT_SUBMIT = "reports.submit"
RATING_CONFIGURE = "ratings.configure"
RATING_OVERRIDE = "ratings.override"
for _role, _granted in {
    Role.ADMIN: {REPORT_SUBMIT, RATING_CONFIGURE, RATING_OVERRIDE},
    Role.SUPERVISOR: {RATING_CONFIGURE, RATING_OVERRIDE},
    Role.REGION_ADMIN: {REPORT_SUBMIT},
    Role.REPORTER: {REPORT_SUBMIT},
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted

# The problem loop (DESIGN §5; the state machine is problems/workflow.py): reporters raise problems for their unit's
# projects and handle those assigned to their unit; supervisors consult, assign, verify and close; leaders receive
# 直通车 problems and may assign them; everyone but observation panels comments. Element ledgers are kept by the
# people who keep projects and by reporters; the holiday schedule by the administrator; robots and the outbox by
# administrators and region admins.
PROBLEM_RAISE = "problems.raise"
PROBLEM_HANDLE = "problems.handle"
PROBLEM_MANAGE = "problems.manage"
PROBLEM_DIRECT = "problems.direct"
PROBLEM_COMMENT = "problems.comment"
ELEMENT_CHANGE = "problems.change_elements"
CALENDAR_MANAGE = "problems.manage_calendar"
NOTIFY_MANAGE = "notifications.manage"
for _role, _granted in {
    Role.ADMIN: {
        PROBLEM_RAISE,
        PROBLEM_HANDLE,
        PROBLEM_MANAGE,
        PROBLEM_DIRECT,
        PROBLEM_COMMENT,
        ELEMENT_CHANGE,
        CALENDAR_MANAGE,
        NOTIFY_MANAGE,
    },
    Role.SUPERVISOR: {PROBLEM_RAISE, PROBLEM_MANAGE, PROBLEM_COMMENT, ELEMENT_CHANGE},
    Role.REGION_ADMIN: {PROBLEM_RAISE, PROBLEM_COMMENT, ELEMENT_CHANGE, NOTIFY_MANAGE},
    Role.REPORTER: {PROBLEM_RAISE, PROBLEM_HANDLE, PROBLEM_COMMENT, ELEMENT_CHANGE},
    Role.LEADER: {PROBLEM_DIRECT, PROBLEM_COMMENT},
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted

# The cadence (DESIGN §6): supervisors run it — dispatch meetings and their decisions, observation rounds, the
# assessment weights; bulletins, summaries and assessments are read by everyone within their scope. Observation scores
# are entered by 观摩评委 only, and only for the rounds they sit on (checked by cadence.actions against the panel);
# nobody else scores in a judge's name, the administrator included.
CADENCE_RUN = "cadence.run"
OBSERVATION_SCORE = "cadence.score_observation"
for _role, _granted in {
    Role.ADMIN: {CADENCE_RUN},
    Role.SUPERVISOR: {CADENCE_RUN},
    Role.PANEL: {OBSERVATION_SCORE},
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


def has_perm(user: Any, perm: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return perm in ROLE_PERMISSIONS.get(user.role, frozenset())


def has_perm_role(role: str, perm: str) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())
