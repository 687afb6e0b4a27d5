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
from keyprojects.config.api import api
from keyprojects.core.testing.fixtures import PASSWORD, Side, World

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    kwargs: Callable[[Side], dict[str, Any]] | None  # None: not about one object (lists, create forms)
    perm: str  # the permission needed besides scope
    method: str = "get"
    kind: str = "project"  # which scope dimension the object belongs to; see expected_in_scope()


PROJECT = lambda s: {"pk": s.project.pk}  # noqa: E731


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
    "intake:queue": Route(None, P.VIEW),
    "intake:ingest": Route(None, P.PROJECT_CHANGE),
    "intake:fact": Route(lambda s: {"pk": _fact(s).pk}, P.VIEW, kind="region"),
    "intake:accept": Route(lambda s: {"pk": _fact(s).pk}, P.PROJECT_CHANGE, method="post", kind="region"),
    "intake:reject": Route(lambda s: {"pk": _fact(s).pk}, P.PROJECT_CHANGE, method="post", kind="region"),
}
LIST_KWARGS = {"directory:list": {"kind": "units"}, "directory:create": {"kind": "units"}}
PUBLIC = {"accounts:login", "accounts:logout", "accounts:revoke_token"}  # revoke: only one's own token (tested apart)


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
}
# (method, path) → permission, and the scope dimension of the object.
API_ROUTES: dict[tuple[str, str], tuple[str, str]] = {
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


def api_expected(role: str, method: str, path: str, perm: str, kind: str, in_scope: bool) -> set[int]:
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
