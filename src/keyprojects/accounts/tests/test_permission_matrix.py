"""Every page and every API endpoint × every role × in scope / out of scope.

The routes are enumerated from the URL resolver and from the OpenAPI schema: a new view or endpoint that is not
declared below fails `test_every_route_is_declared`, so nobody can add a page without deciding its scope.
Out of scope answers 404 (never 403: existence must not leak); a role without the permission answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from keyprojects.accounts import permissions as P
from keyprojects.accounts.choices import Role
from keyprojects.cadence.testing import decision_unit_of, meeting_of, round_of, target_of
from keyprojects.config.api import api
from keyprojects.core.testing.fixtures import PASSWORD, Side, World, element_of, problem_of
from keyprojects.ratings.testing import rated, rule_set_for
from keyprojects.reports.testing import photo_for, report_for

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    kwargs: Callable[[Side], dict[str, Any]] | None  # None: not about one object (lists, create forms)
    perm: str  # the permission needed besides scope
    method: str = "get"
    kind: str = "project"  # which scope dimension the object belongs to; see expected_in_scope()


PROJECT = lambda s: {"pk": s.project.pk}  # noqa: E731
PROBLEM = lambda s: {"pk": problem_of(s).pk}  # noqa: E731
MEETING = lambda s: {"pk": meeting_of(s).pk}  # noqa: E731
ROUND = lambda s: {"pk": round_of(s).pk}  # noqa: E731
TARGET = lambda s: {"pk": round_of(s).pk, "target_pk": target_of(s).pk}  # noqa: E731


def _fact(side: Side) -> Any:
    """A pending news fact about the side's district (made once per side)."""
    from keyprojects.intake.models import Article, Fact

    existing = Fact.objects.filter(region=side.region).first()
    if existing is not None:
        return existing
    text = f"{side.region.name}5个重点项目集中开工，总投资8亿元。"
    article = Article.objects.create(source="matrix.txt", raw_text=text, clean_text=text, digest=str(side.region.pk))
    return Fact.objects.create(article=article, kind="batch_event", evidence=text, evidence_start=0,
                               evidence_end=len(text), region=side.region,
                               fields={"event": "集中开工", "region": side.region.name, "project_count": 5})
ROUTES: dict[str, Route] = {
    "core:home": Route(None, P.VIEW),
    "accounts:profile": Route(None, P.VIEW),
    "accounts:user_list": Route(None, P.USERS_MANAGE),
    "accounts:user_create": Route(None, P.USERS_MANAGE),
    "accounts:user_edit": Route(lambda s: {"pk": s.member.pk}, P.USERS_MANAGE, kind="region"),
    "projects:list": Route(None, P.VIEW),
    "projects:create": Route(None, P.PROJECT_CHANGE),
    "projects:detail": Route(PROJECT, P.VIEW),
    "projects:edit": Route(PROJECT, P.PROJECT_CHANGE),
    "projects:delete": Route(PROJECT, P.PROJECT_DELETE),
    "projects:stage": Route(PROJECT, P.PROJECT_CHANGE),
    "projects:plan_create": Route(PROJECT, P.PROJECT_CHANGE),
    "projects:plan_edit": Route(lambda s: {"pk": s.project.pk, "year": 2024}, P.PROJECT_CHANGE),
    "projects:plan_decide": Route(
        lambda s: {"pk": s.project.pk, "version_pk": s.project.plans.get().current_id}, P.PLAN_APPROVE, method="post"
    ),
    "projects:milestone_edit": Route(PROJECT, P.PROJECT_CHANGE),
    "projects:batch_list": Route(None, P.VIEW),
    "projects:batch_detail": Route(lambda s: {"pk": s.batch.pk}, P.VIEW, kind="region"),
    "regions:list": Route(None, P.VIEW),
    "regions:detail": Route(lambda s: {"pk": s.region.pk}, P.VIEW, kind="region"),
    "directory:list": Route(None, P.VIEW),
    "directory:create": Route(None, P.DIRECTORY_CHANGE),
    "directory:detail": Route(lambda s: {"kind": "units", "pk": s.unit.pk}, P.VIEW, kind="unit"),
    "directory:edit": Route(lambda s: {"kind": "units", "pk": s.unit.pk}, P.DIRECTORY_CHANGE, kind="unit"),
    "audit:log": Route(None, P.AUDIT_VIEW_ALL),
    "projects_import:upload": Route(None, P.PROJECT_CHANGE),
    "projects_import:export": Route(None, P.VIEW),
    "problems:list": Route(None, P.VIEW),
    "problems:export": Route(None, P.VIEW),
    "problems:unit_queue": Route(None, P.VIEW),
    "problems:direct_queue": Route(None, P.VIEW),
    "problems:overdue_board": Route(None, P.VIEW),
    "problems:summons": Route(None, P.VIEW),
    "problems:stats": Route(None, P.VIEW),
    "problems:detail": Route(PROBLEM, P.VIEW),
    # The steps of the loop depend on state and relation as well as role: problems/tests/test_transitions.py.
    "problems:act": Route(lambda s: {**PROBLEM(s), "action": "comment"}, P.PROBLEM_COMMENT),
    "problems:raise": Route(PROJECT, P.PROBLEM_RAISE),
    "problems:project_card": Route(PROJECT, P.VIEW),
    "problems:elements": Route(None, P.VIEW),
    "problems:element_edit": Route(PROJECT, P.ELEMENT_CHANGE),
    "problems:element_raise": Route(lambda s: {"pk": element_of(s).pk}, P.PROBLEM_RAISE, method="post"),
    "problems:rules": Route(None, P.VIEW),
    "problems:rules_edit": Route(lambda s: {"pk": s.region.pk}, P.PROBLEM_MANAGE, kind="region"),
    "problems:calendar": Route(None, P.VIEW),
    "reports:week": Route(None, P.VIEW),
    "reports:submit": Route(lambda s: {"pk": s.project.pk, "week": "2024-W13"}, P.REPORT_SUBMIT),
    "reports:detail": Route(lambda s: {"pk": report_for(s.project).pk}, P.VIEW),
    "reports:photo_upload": Route(lambda s: {"pk": report_for(s.project).pk}, P.REPORT_SUBMIT, method="post"),
    "reports:photo": Route(lambda s: {"pk": photo_for(s.project).pk, "variant": "thumb"}, P.VIEW),
    "reports:template": Route(lambda s: {"unit_pk": s.unit.pk, "week": "2024-W13"}, P.REPORT_SUBMIT, kind="unit"),
    "reports:upload": Route(None, P.REPORT_SUBMIT),
    "reports:project_panel": Route(PROJECT, P.VIEW),
    "ratings:weekly": Route(None, P.VIEW),
    "ratings:export": Route(None, P.VIEW),
    "ratings:run": Route(None, P.RATING_CONFIGURE, method="post"),
    "ratings:project_panel": Route(PROJECT, P.VIEW),
    "ratings:override": Route(lambda s: {"pk": s.project.pk, "week": "2024-W13"}, P.RATING_OVERRIDE),
    "ratings:escalations": Route(None, P.VIEW),
    "ratings:rules": Route(None, P.VIEW),
    "ratings:rule_create": Route(None, P.RATING_CONFIGURE),
    "ratings:rule_detail": Route(lambda s: {"pk": rule_set_for(s.region).pk}, P.VIEW, kind="region"),
    "ratings:rule_edit": Route(lambda s: {"pk": rule_set_for(s.region).pk}, P.RATING_CONFIGURE, kind="region"),
    "notifications:inbox": Route(None, P.VIEW),
    "notifications:mark_read": Route(None, P.VIEW, method="post"),
    "notifications:outbox": Route(None, P.NOTIFY_MANAGE),
    "notifications:retry": Route(None, P.NOTIFY_MANAGE, method="post"),
    "notifications:webhooks": Route(None, P.NOTIFY_MANAGE),
    "intake:queue": Route(None, P.VIEW),
    "intake:ingest": Route(None, P.PROJECT_CHANGE),
    "intake:fact": Route(lambda s: {"pk": _fact(s).pk}, P.VIEW, kind="region"),
    "intake:accept": Route(lambda s: {"pk": _fact(s).pk}, P.PROJECT_CHANGE, method="post", kind="region"),
    "intake:reject": Route(lambda s: {"pk": _fact(s).pk}, P.PROJECT_CHANGE, method="post", kind="region"),
    "cadence:index": Route(None, P.VIEW),
    "cadence:dashboard": Route(None, P.VIEW),
    "cadence:dashboard_panel": Route(None, P.VIEW),
    "cadence:agenda": Route(None, P.VIEW),
    "cadence:meeting_list": Route(None, P.VIEW),
    "cadence:meeting_create": Route(None, P.CADENCE_RUN),
    "cadence:meeting_detail": Route(MEETING, P.VIEW, kind="region"),
    "cadence:meeting_edit": Route(MEETING, P.CADENCE_RUN, kind="region"),
    "cadence:meeting_refresh": Route(MEETING, P.CADENCE_RUN, method="post", kind="region"),
    "cadence:bulletin": Route(None, P.VIEW),
    "cadence:bulletin_docx": Route(None, P.VIEW),
    "cadence:bulletin_xlsx": Route(None, P.VIEW),
    "cadence:quarterly": Route(None, P.VIEW),
    "cadence:quarterly_xlsx": Route(None, P.VIEW),
    "cadence:round_list": Route(None, P.VIEW),
    "cadence:round_create": Route(None, P.CADENCE_RUN),
    "cadence:round_detail": Route(ROUND, P.VIEW, kind="region"),
    "cadence:round_edit": Route(ROUND, P.CADENCE_RUN, kind="region"),
    "cadence:round_status": Route(ROUND, P.CADENCE_RUN, method="post", kind="region"),
    # The results of a round still being scored are the organiser's; a closed round's are everyone's
    # (cadence/tests/test_observation_pages.py).
    "cadence:round_xlsx": Route(ROUND, P.CADENCE_RUN, kind="region"),
    # Judges score only the rounds they sit on: the world's panel user sits on the inside round's panel.
    "cadence:round_score": Route(TARGET, P.OBSERVATION_SCORE, kind="region"),
    "cadence:target_summary": Route(TARGET, P.CADENCE_RUN, method="post", kind="region"),
    "cadence:assessment": Route(None, P.VIEW),
    "cadence:assessment_xlsx": Route(None, P.VIEW),
    "cadence:assessment_rules": Route(None, P.VIEW),
    "cadence:assessment_rule_edit": Route(lambda s: {"pk": s.region.pk}, P.CADENCE_RUN, kind="region"),
}
LIST_KWARGS = {"directory:list": {"kind": "units"}, "directory:create": {"kind": "units"}}
# revoke_token: only one's own token (test_private_routes.py); set_language: the language switch, no data.
PUBLIC = {"accounts:login", "accounts:logout", "accounts:revoke_token", "set_language"}
# Bound to the uploader's session: another user's token answers 404 (accounts/tests/test_private_routes.py).
PUBLIC |= {"projects_import:preview", "projects_import:mapping", "projects_import:run"}


def _names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "api" or str(p.pattern).startswith("api/"):
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names |= _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(f"{namespace}{p.name}")
    return names


def test_every_route_is_declared() -> None:
    declared = set(ROUTES) | PUBLIC
    missing = _names(get_resolver().url_patterns) - declared
    assert not missing, f"pages without a declared scope/permission: {sorted(missing)}"


def expected_in_scope(role: str, route: Route) -> int:
    """A reporter's scope is its unit, which gives it the unit's projects and the unit itself but no region pages."""
    if role == Role.REPORTER and route.kind == "region":
        return 404
    if not P.has_perm_role(role, route.perm):
        return 403
    return 200 if route.method == "get" else 302


def _client(world: World, role: str) -> Client:
    client = Client()
    assert client.login(username=world.users[role].username, password=PASSWORD)
    return client


def _url(name: str, route: Route, side: Side) -> str:
    return reverse(name, kwargs=route.kwargs(side) if route.kwargs else LIST_KWARGS.get(name))


@pytest.mark.parametrize("role", Role.values)
def test_pages(world: World, role: str) -> None:
    client = _client(world, role)
    failures = []
    for name, route in ROUTES.items():
        call = getattr(client, route.method)
        got = call(_url(name, route, world.inside)).status_code
        want = expected_in_scope(role, route)
        if got != want:
            failures.append(f"{name} in scope: {got} != {want}")
        if route.kwargs and role != Role.ADMIN:
            got = call(_url(name, route, world.outside)).status_code
            if got != 404:
                failures.append(f"{name} out of scope: {got} != 404")
    assert not failures, failures


@pytest.mark.parametrize("role", Role.values)
def test_lists_show_only_scope(world: World, role: str) -> None:
    client = _client(world, role)
    page = client.get(reverse("projects:list")).content.decode()
    assert world.inside.project.name in page
    assert (world.outside.project.name in page) == (role == Role.ADMIN)


def test_anonymous_is_sent_to_login(world: World) -> None:
    client = Client()
    for name, route in ROUTES.items():
        response = getattr(client, route.method)(_url(name, route, world.inside))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


# --- API ---------------------------------------------------------------------------------------------------------

API_OBJECTS: dict[str, Callable[[Side], Any]] = {
    "project_id": lambda s: s.project,
    "region_id": lambda s: s.region,
    "unit_id": lambda s: s.unit,
    "person_id": lambda s: s.leader,
    "problem_id": problem_of,
    "element_id": element_of,
    "report_id": lambda s: report_for(s.project),
    "ruleset_id": lambda s: rule_set_for(s.region),
    "meeting_id": meeting_of,
    "round_id": round_of,
    "target_id": target_of,
}
# (method, path) → permission, and the scope dimension of the object.
API_ROUTES: dict[tuple[str, str], tuple[str, str]] = {
    # The problem loop first: its objects hang on the side's project, which a later route deletes.
    ("get", "/api/problems"): (P.VIEW, "problem"),
    ("post", "/api/problems"): (P.PROBLEM_RAISE, "problem"),
    ("get", "/api/problems/stats"): (P.VIEW, "problem"),
    ("get", "/api/problems/elements"): (P.VIEW, "problem"),
    ("post", "/api/problems/elements"): (P.ELEMENT_CHANGE, "problem"),
    ("post", "/api/problems/elements/{element_id}/raise"): (P.PROBLEM_RAISE, "problem"),
    ("get", "/api/problems/{problem_id}"): (P.VIEW, "problem"),
    ("post", "/api/problems/{problem_id}/transitions"): (P.PROBLEM_MANAGE, "problem"),  # 会商: see test_transitions.py
    ("post", "/api/problems/{problem_id}/comments"): (P.PROBLEM_COMMENT, "problem"),
    ("get", "/api/notifications"): (P.VIEW, "problem"),
    ("post", "/api/notifications/read"): (P.VIEW, "problem"),
    ("get", "/api/notifications/webhooks"): (P.NOTIFY_MANAGE, "problem"),
    ("post", "/api/notifications/webhooks"): (P.NOTIFY_MANAGE, "problem"),
    ("get", "/api/notifications/outbox"): (P.NOTIFY_MANAGE, "problem"),
    ("post", "/api/notifications/outbox/retry"): (P.NOTIFY_MANAGE, "problem"),
    # Reports and ratings hang on the side's project too.
    ("get", "/api/reports"): (P.VIEW, "report"),
    ("post", "/api/reports"): (P.REPORT_SUBMIT, "report"),
    ("get", "/api/reports/status"): (P.VIEW, "report"),
    ("post", "/api/reports/upload"): (P.REPORT_SUBMIT, "report"),
    ("get", "/api/reports/{report_id}"): (P.VIEW, "report"),
    ("get", "/api/reports/{report_id}/history"): (P.VIEW, "report"),
    ("post", "/api/reports/{report_id}/photos"): (P.REPORT_SUBMIT, "report"),
    ("get", "/api/ratings"): (P.VIEW, "report"),
    ("get", "/api/ratings/projects/{project_id}"): (P.VIEW, "report"),
    ("post", "/api/ratings/overrides"): (P.RATING_OVERRIDE, "report"),
    ("get", "/api/ratings/escalations"): (P.VIEW, "report"),
    ("get", "/api/ratings/rulesets"): (P.VIEW, "report"),
    ("post", "/api/ratings/rulesets"): (P.RATING_CONFIGURE, "report"),
    ("post", "/api/ratings/rulesets/{ruleset_id}/versions"): (P.RATING_CONFIGURE, "report"),
    ("post", "/api/ratings/run"): (P.RATING_CONFIGURE, "report"),
    # The cadence: meetings, rounds and their targets hang on the side's region and project.
    ("get", "/api/cadence/agenda"): (P.VIEW, "cadence"),
    ("get", "/api/cadence/meetings"): (P.VIEW, "cadence"),
    ("post", "/api/cadence/meetings"): (P.CADENCE_RUN, "cadence"),
    ("get", "/api/cadence/meetings/{meeting_id}"): (P.VIEW, "cadence"),
    ("post", "/api/cadence/meetings/{meeting_id}/decisions"): (P.CADENCE_RUN, "cadence"),
    ("get", "/api/cadence/bulletin"): (P.VIEW, "cadence"),
    ("get", "/api/cadence/bulletin.docx"): (P.VIEW, "cadence"),
    ("get", "/api/cadence/bulletin.xlsx"): (P.VIEW, "cadence"),
    ("get", "/api/cadence/quarterly"): (P.VIEW, "cadence"),
    ("get", "/api/cadence/quarterly.xlsx"): (P.VIEW, "cadence"),
    ("get", "/api/cadence/rounds"): (P.VIEW, "cadence"),
    ("post", "/api/cadence/rounds"): (P.CADENCE_RUN, "cadence"),
    ("get", "/api/cadence/rounds/{round_id}"): (P.VIEW, "cadence"),
    ("post", "/api/cadence/rounds/{round_id}/status"): (P.CADENCE_RUN, "cadence"),
    ("post", "/api/cadence/targets/{target_id}/sheet"): (P.OBSERVATION_SCORE, "cadence"),
    ("get", "/api/cadence/assessment"): (P.VIEW, "cadence"),
    ("get", "/api/cadence/assessment.xlsx"): (P.VIEW, "cadence"),
    ("get", "/api/cadence/assessment/rules"): (P.VIEW, "cadence"),
    ("post", "/api/cadence/assessment/rules"): (P.CADENCE_RUN, "cadence"),
    ("get", "/api/cadence/dashboard"): (P.VIEW, "cadence"),
    ("get", "/api/projects"): (P.VIEW, "project"),
    ("post", "/api/projects"): (P.PROJECT_CHANGE, "project"),
    ("get", "/api/projects/{project_id}"): (P.VIEW, "project"),
    ("patch", "/api/projects/{project_id}"): (P.PROJECT_CHANGE, "project"),
    ("delete", "/api/projects/{project_id}"): (P.PROJECT_DELETE, "project"),
    ("get", "/api/regions"): (P.VIEW, "region"),
    ("post", "/api/regions"): (P.REGION_CHANGE, "region"),
    ("get", "/api/regions/{region_id}"): (P.VIEW, "region"),
    ("patch", "/api/regions/{region_id}"): (P.REGION_CHANGE, "region"),
    ("delete", "/api/regions/{region_id}"): (P.REGION_CHANGE, "region"),
    ("get", "/api/units"): (P.VIEW, "unit"),
    ("post", "/api/units"): (P.DIRECTORY_CHANGE, "region"),
    ("get", "/api/units/{unit_id}"): (P.VIEW, "unit"),
    ("patch", "/api/units/{unit_id}"): (P.DIRECTORY_CHANGE, "unit"),
    ("delete", "/api/units/{unit_id}"): (P.DIRECTORY_CHANGE, "unit"),
    ("get", "/api/people"): (P.VIEW, "unit"),
    ("post", "/api/people"): (P.DIRECTORY_CHANGE, "region"),
    ("get", "/api/people/{person_id}"): (P.VIEW, "unit"),
    ("patch", "/api/people/{person_id}"): (P.DIRECTORY_CHANGE, "unit"),
    ("delete", "/api/people/{person_id}"): (P.DIRECTORY_CHANGE, "unit"),
}


def test_every_endpoint_is_declared() -> None:
    schema = api.get_openapi_schema()
    found = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    assert found - set(API_ROUTES) == set(), f"endpoints without a declared scope/permission: {found - set(API_ROUTES)}"
    assert set(API_ROUTES) - found == set()


def _fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def _api_body(method: str, path: str, side: Side, obj: Any) -> dict[str, Any]:
    if path.startswith(("/api/problems", "/api/notifications")):
        return _problem_api_body(method, path, side, obj)
    if path.startswith("/api/cadence"):
        return _cadence_api_body(method, path, side, obj)
    if path.startswith(("/api/reports", "/api/ratings")):
        return _report_api_body(method, path, side, obj)
    if method == "post":
        return {
            "/api/projects": {"name": "矩阵测试项目", "region_id": side.region.pk, "total_investment_wan": "1.5亿"},
            "/api/regions": {"name": "矩阵测试街道", "level": "town", "parent_id": side.region.pk},
            "/api/units": {"name": "矩阵测试单位", "region_id": side.region.pk},
            "/api/people": {"name": "矩阵测试人员", "region_id": side.region.pk},
        }[path]
    if method == "patch":
        return {"version": _fresh(obj).version, "short_name" if "regions" in path else "name": "改名后"}
    return {}


def _problem_api_body(method: str, path: str, side: Side, obj: Any) -> dict[str, Any]:
    if method != "post":
        return {}
    if path.endswith("/transitions"):
        return {"transition": "consult", "version": _fresh(obj).version}
    return {
        "/api/problems": {"project_id": side.project.pk, "title": "矩阵测试问题", "category": "资金"},
        "/api/problems/elements": {"project_id": side.project.pk, "kind": "energy", "required": "1200"},
        "/api/problems/{problem_id}/comments": {"comment": "请加快办理"},
        "/api/notifications/read": {"ids": []},
        "/api/notifications/webhooks": {
            "region_id": side.region.pk,
            "kind": "wecom",
            "name": "矩阵测试群",
            "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix",
        },
        "/api/notifications/outbox/retry": {"ids": []},
    }.get(path, {})


PROBLEM_API_CREATED = {
    "/api/problems",
    "/api/problems/elements/{element_id}/raise",
    "/api/problems/{problem_id}/comments",
    "/api/notifications/webhooks",
}


def problem_api_expected(role: str, method: str, path: str, perm: str, in_scope: bool) -> set[int]:
    """The problem loop and notifications: the target (a project, problem, element or region) is resolved in the
    caller's scope first — 404 when it is in the path, 422 when it is in the body — then the role decides (403)."""
    can = P.has_perm_role(role, perm)
    if method == "get" and "{" not in path or path in ("/api/notifications/read", "/api/notifications/outbox/retry"):
        return {200} if can else {403}
    visible = role == Role.ADMIN or in_scope and not (role == Role.REPORTER and "webhooks" in path)
    if not visible:
        return {404} if "{" in path else {422}
    if not can:
        return {403}
    return {201} if method == "post" and path in PROBLEM_API_CREATED else {200}


def _report_api_body(method: str, path: str, side: Side, obj: Any) -> dict[str, Any]:
    if method != "post":
        return {}
    if path == "/api/ratings/overrides":
        rated(side.project)  # an override needs the week's rating
        return {"project_id": side.project.pk, "week": "2024-W13", "colour": "yellow", "reason": "矩阵测试"}
    return {
        "/api/reports": {
            "project_id": side.project.pk,
            "week": "2024-W12",
            "investment_year_wan": "500万",
            "investment_total_wan": "800万",
            "stage": "construction",
            "progress_text": "矩阵测试",
        },
        "/api/ratings/rulesets": {
            "name": "矩阵测试规则", "region_id": side.region.pk, "preset": "rank", "valid_from": "2024-W01"
        },
        "/api/ratings/rulesets/{ruleset_id}/versions": {
            "version": _fresh(obj).version if obj is not None else 1, "valid_from": "2024-W14", "note": "矩阵测试",
            "params": {},
        },
        "/api/ratings/run": {"week": "2024-W13"},
    }.get(path, {})


REPORT_API_CREATED = {"/api/reports", "/api/ratings/overrides", "/api/ratings/rulesets",
                      "/api/ratings/rulesets/{ruleset_id}/versions"}


def report_api_expected(role: str, method: str, path: str, perm: str, in_scope: bool) -> set[int]:
    """Reports and ratings: the project, report or region is resolved in the caller's scope first — 404 when it is
    in the path or names a project, 422 for a region in the body — then the role decides (403). Uploads sent without
    a file answer 422 once the role may upload."""
    can = P.has_perm_role(role, perm)
    if method == "get" and "{" not in path:
        return {200}
    if path in ("/api/reports/upload", "/api/ratings/run"):
        return ({422} if path.endswith("upload") else {200}) if can else {403}
    regional = "rulesets" in path
    visible = role == Role.ADMIN or in_scope and not (role == Role.REPORTER and regional)
    if not visible:
        return {422} if path == "/api/ratings/rulesets" else {404}
    if not can:
        return {403}
    if path.endswith("/photos"):
        return {422}
    return {201} if method == "post" and path in REPORT_API_CREATED else {200}


def _cadence_api_body(method: str, path: str, side: Side, obj: Any) -> dict[str, Any]:
    if method != "post":
        return {}
    if path.endswith("/status"):
        return {"status": "draft", "version": _fresh(obj).version}  # 评分中 → 设置中: nobody has scored yet
    if path.endswith("/sheet"):
        return {"scores": {str(c.pk): 80 for c in obj.round.criteria.all()}, "comment": "矩阵测试点评"}
    return {
        "/api/cadence/meetings": {"region_id": side.region.pk, "held_on": "2024-04-02"},
        "/api/cadence/meetings/{meeting_id}/decisions": {
            "project_id": side.project.pk, "text": "矩阵测试决定事项", "unit_id": decision_unit_of(side).pk,
            "working_days": 5,
        },
        "/api/cadence/rounds": {
            "title": "矩阵测试观摩", "region_id": side.region.pk, "year": 2024, "half": 1, "held_on": "2024-06-20",
            "project_ids": [side.project.pk],
        },
        "/api/cadence/assessment/rules": {"region_id": side.region.pk, "weight_score": "60"},
    }.get(path, {})


CADENCE_API_CREATED = {"/api/cadence/meetings", "/api/cadence/meetings/{meeting_id}/decisions", "/api/cadence/rounds"}


def cadence_api_expected(role: str, method: str, path: str, perm: str, in_scope: bool) -> set[int]:
    """The cadence: a meeting, round or target in the path is resolved in the caller's scope first (404), a region in
    the body too (422; a reporter's scope holds no region); then the role decides (403). The world's panel user sits
    on the inside round, so its sheet is accepted."""
    if method == "get" and "{" not in path:
        return {200}
    visible = role == Role.ADMIN or in_scope and role != Role.REPORTER
    if not visible:
        return {404} if "{" in path else {422}
    if not P.has_perm_role(role, perm):
        return {403}
    return {201} if method == "post" and path in CADENCE_API_CREATED else {200}


def api_expected(role: str, method: str, path: str, perm: str, kind: str, in_scope: bool) -> set[int]:
    if kind == "cadence":
        return cadence_api_expected(role, method, path, perm, in_scope)
    if kind == "problem":
        return problem_api_expected(role, method, path, perm, in_scope)
    if kind == "report":
        return report_api_expected(role, method, path, perm, in_scope)
    can = P.has_perm_role(role, perm)
    if method == "post":
        # The target region is resolved in the user's scope first; a reporter's scope holds no region.
        region_visible = in_scope and role != Role.REPORTER or role == Role.ADMIN
        if not region_visible:
            return {404} if path == "/api/regions" else {422}
        return {201} if can else {403}
    if method == "get" and "{" not in path:
        return {200}  # lists always answer; their content is checked in test_api_lists_show_only_scope
    visible = role == Role.ADMIN or (in_scope and not (role == Role.REPORTER and kind == "region"))
    if not visible:
        return {404}
    if not can:
        return {403}
    if method == "delete":
        return {422} if "regions" in path else {204}  # a region with children and projects cannot be deleted
    return {200}


@pytest.mark.parametrize("role", Role.values)
def test_api(world: World, role: str) -> None:
    client = Client(headers={"Authorization": f"Bearer {world.tokens[role]}"})
    failures = []
    for (method, path), (perm, kind) in API_ROUTES.items():
        param = next((k for k in API_OBJECTS if "{" + k + "}" in path), None)
        for side, in_scope in ((world.inside, True), (world.outside, False)):
            if param is None and method == "get" and not in_scope:
                continue  # lists are checked for their content below
            obj = API_OBJECTS[param](side) if param else None
            url = path.replace("{" + param + "}", str(obj.pk)) if param else path
            if method == "delete":
                url += f"?version={_fresh(obj).version}"
            body = _api_body(method, path, side, obj)
            call = getattr(client, method)
            response = call(url, data=body, content_type="application/json") if body else call(url)
            want = api_expected(role, method, path, perm, kind, in_scope)
            if response.status_code not in want:
                failures.append(
                    f"{method.upper()} {path} {'in' if in_scope else 'out of'} scope: "
                    f"{response.status_code} not in {want}: {response.content[:200]!r}"
                )
    assert not failures, failures


@pytest.mark.parametrize("role", Role.values)
def test_api_lists_show_only_scope(world: World, role: str) -> None:
    client = Client(headers={"Authorization": f"Bearer {world.tokens[role]}"})
    for path, outside_name in (
        ("/api/projects", world.outside.project.name),
        ("/api/units", world.outside.unit.name),
        ("/api/people", world.outside.leader.name),
    ):
        names = [item["name"] for item in client.get(path + "?limit=1000").json()["items"]]
        assert (outside_name in names) == (role == Role.ADMIN), (path, names)


def test_api_without_token_is_401(world: World) -> None:
    assert Client().get("/api/projects").status_code == 401
    assert Client(headers={"Authorization": "Bearer nope"}).get("/api/projects").status_code == 401


def test_weicheng_admin_gets_404_for_a_hanting_project(world: World) -> None:
    """The issue's own example: a 潍城区 region admin and a 寒亭区 project, in the UI and in the API."""
    user = world.users[Role.REGION_ADMIN]
    assert user.scope_regions.get().name == "潍城区"
    hanting_project = world.outside.project
    assert hanting_project.region.name == "寒亭区"
    client = _client(world, Role.REGION_ADMIN)
    assert client.get(reverse("projects:detail", kwargs={"pk": hanting_project.pk})).status_code == 404
    api_client = Client(headers={"Authorization": f"Bearer {world.tokens[Role.REGION_ADMIN]}"})
    assert api_client.get(f"/api/projects/{hanting_project.pk}").status_code == 404
    listed = api_client.get("/api/projects").json()
    assert [p["name"] for p in listed["items"]] == [world.inside.project.name]
