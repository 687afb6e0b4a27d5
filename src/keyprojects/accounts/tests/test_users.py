"""User management: a region admin manages users inside its own subtree only, and never creates administrators."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.choices import Role
from keyprojects.accounts.models import User
from keyprojects.audit.selectors import entries_for
from keyprojects.core.testing.fixtures import PASSWORD, World

pytestmark = pytest.mark.django_db


def login(world: World, role: str) -> Client:
    client = Client()
    assert client.login(username=world.users[role].username, password=PASSWORD)
    return client


def test_region_admin_creates_a_reporter_for_a_unit_of_its_district(world: World) -> None:
    client = login(world, Role.REGION_ADMIN)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "wc_reporter",
            "full_name": "李填报",
            "role": Role.REPORTER,
            "units": [world.inside.unit.pk],
            "password": "a-good-password",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(username="wc_reporter")
    assert [u.name for u in user.scope_units.all()] == ["潍城区发展和改革局"]
    assert Client().login(username="wc_reporter", password="a-good-password")
    assert [e.source for e in entries_for(user)] == ["ui", "ui"]


def test_region_admin_cannot_grant_admin_or_a_scope_outside_its_subtree(world: World) -> None:
    client = login(world, Role.REGION_ADMIN)
    response = client.post(
        reverse("accounts:user_create"), {"username": "x", "role": Role.ADMIN, "password": "a-good-password"}
    )
    assert "选择一个有效的选项" in response.content.decode()
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "y", "role": Role.REPORTER, "regions": [world.outside.region.pk], "password": "a-good-password"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username__in=["x", "y"]).exists()


def test_scope_is_required_and_input_is_kept(world: World) -> None:
    client = login(world, Role.ADMIN)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "no_scope", "full_name": "王无范围", "role": Role.SUPERVISOR, "password": "a-good-password"},
    )
    body = response.content.decode()
    assert "请至少选择一个负责区域或负责单位" in body
    assert "王无范围" in body and "no_scope" in body


def test_edit_scope_and_deactivate(world: World) -> None:
    member = world.inside.member
    client = login(world, Role.ADMIN)
    response = client.post(
        reverse("accounts:user_edit", kwargs={"pk": member.pk}),
        {"full_name": "改名", "role": Role.SUPERVISOR, "regions": [world.outside.region.pk], "version": member.version},
    )
    assert response.status_code == 302, response.context["form"].errors
    member.refresh_from_db()
    assert (member.role, member.full_name, member.is_active) == (Role.SUPERVISOR, "改名", False)
    assert [r.name for r in member.scope_regions.all()] == ["寒亭区"]
    assert not Client().login(username=member.username, password=PASSWORD)
    scope_change = [e.changes for e in entries_for(member) if "负责范围" in e.changes]
    assert scope_change == [{"负责范围": ["潍城区", "寒亭区"]}, {"负责范围": [None, "潍城区"]}]  # newest first


def test_nobody_changes_their_own_role(world: World) -> None:
    admin = world.users[Role.REGION_ADMIN]
    client = login(world, Role.REGION_ADMIN)
    response = client.post(
        reverse("accounts:user_edit", kwargs={"pk": admin.pk}),
        {"role": Role.SUPERVISOR, "regions": [world.inside.region.pk], "is_active": "on", "version": admin.version},
    )
    assert "不能修改自己的角色或停用自己的账号" in response.content.decode()
