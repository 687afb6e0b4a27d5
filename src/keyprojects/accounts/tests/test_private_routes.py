"""Routes bound to one user rather than to a scope: API tokens and Excel uploads belong to whoever made them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.choices import Role
from keyprojects.accounts.models import ApiToken
from keyprojects.core.testing.fixtures import PASSWORD, World

pytestmark = pytest.mark.django_db


def login(world: World, role: str) -> Client:
    client = Client()
    assert client.login(username=world.users[role].username, password=PASSWORD)
    return client


def test_a_user_revokes_only_its_own_tokens(world: World) -> None:
    theirs = ApiToken.objects.get(user=world.users[Role.SUPERVISOR])
    mine = ApiToken.objects.get(user=world.users[Role.REGION_ADMIN])
    client = login(world, Role.REGION_ADMIN)
    assert client.post(reverse("accounts:revoke_token", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("accounts:revoke_token", kwargs={"pk": mine.pk})).status_code == 302
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert (theirs.revoked, mine.revoked) == (False, True)
    assert Client(headers={"Authorization": f"Bearer {world.tokens[Role.REGION_ADMIN]}"}).get(
        "/api/projects").status_code == 401


def test_an_upload_is_private_to_its_uploader(world: World) -> None:
    owner = login(world, Role.REGION_ADMIN)
    csv = "项目名称,所在县市区,总投资\n矩阵测试导入项目,潍城区,1.5亿元\n".encode()
    response = owner.post(reverse("projects_import:upload"), {
        "file": SimpleUploadedFile("list.csv", csv, content_type="text/csv"), "year": 2024})
    assert response.status_code == 302, response.content[:500]
    token = response["Location"].rstrip("/").split("/")[-1]
    assert owner.get(reverse("projects_import:preview", kwargs={"token": token})).status_code == 200
    other = login(world, Role.SUPERVISOR)
    assert other.get(reverse("projects_import:preview", kwargs={"token": token})).status_code == 404
    for name in ("projects_import:mapping", "projects_import:run"):  # POST-only
        assert other.post(reverse(name, kwargs={"token": token})).status_code == 404, name
