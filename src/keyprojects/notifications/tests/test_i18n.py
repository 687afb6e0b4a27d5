"""English (gettext): pages, messages, errors and command output follow the language; Chinese stays the default; notices
and the records written stay Chinese; the catalog is complete and compiled."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from keyprojects.accounts.choices import Role
from keyprojects.audit.models import AuditEntry
from keyprojects.core.testing.fixtures import PASSWORD, World
from keyprojects.notifications.actions import do_notify
from keyprojects.notifications.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db

ROBOT = "https://oapi.dingtalk.com/robot/send?access_token=abc"


def login(world: World, role: str, language: str | None = None) -> Client:
    client = Client()
    assert client.login(username=world.users[role].username, password=PASSWORD)
    if language:
        client.cookies["django_language"] = language
    return client


def test_pages_are_in_english_with_the_cookie_and_in_chinese_without(world: World) -> None:
    page = login(world, Role.ADMIN, "en").get("/notifications/webhooks/").content.decode()
    assert "No group robots configured" in page and "Add a group robot" in page and "DingTalk group robot" in page
    assert "尚未配置群机器人" not in page and "添加群机器人" not in page
    page = login(world, Role.ADMIN, "en").get("/notifications/outbox/").content.decode()
    assert "Notice delivery (e-mail, group robots)" in page and "No deliveries" in page
    assert "通知投递（邮件、群机器人）" not in page

    page = login(world, Role.ADMIN).get("/notifications/webhooks/").content.decode()
    assert "尚未配置群机器人" in page and "钉钉群机器人" in page and "No group robots configured" not in page
    page = login(world, Role.ADMIN).get("/notifications/outbox/").content.decode()
    assert "通知投递（邮件、群机器人）" in page and "Notice delivery" not in page


def test_messages_and_errors_follow_the_language(world: World) -> None:
    admin = login(world, Role.ADMIN, "en")
    robot = {"op": "create", "region": world.inside.region.pk, "kind": "dingtalk", "name": "调度群", "url": "ftp://x"}
    page = admin.post("/notifications/webhooks/", robot).content.decode()
    assert "The robot address must start with https://" in page and "机器人地址须以" not in page
    page = admin.post("/notifications/webhooks/", {**robot, "url": ROBOT}, follow=True).content.decode()
    assert "Group robot “调度群” added." in page


def test_notices_and_records_stay_chinese_for_an_english_user(world: World) -> None:
    login(world, Role.ADMIN).post(
        "/notifications/webhooks/",
        {"op": "create", "region": world.inside.region.pk, "kind": "dingtalk", "name": "调度群", "url": ROBOT},
    )
    notice = do_notify(
        kind="test", title="督办：配套道路未通", body="项目", recipients=[], region=world.inside.region, dedupe_key="t"
    )
    assert notice is not None
    delivery = Delivery.objects.get(notice=notice)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)

    page = login(world, Role.ADMIN, "en").post("/notifications/outbox/retry/", {}, follow=True).content.decode()
    assert "1 delivery queued again; it will be sent by the next delivery run." in page
    assert "督办：配套道路未通" in page  # the notice itself is Chinese
    entry = AuditEntry.objects.get(object_id=str(delivery.pk), message="重新投递")
    assert entry.changes == {"状态": ["发送失败（已停止重试）", "待发送"]}
    assert entry.object_repr == "钉钉 → 调度群"


def test_the_deliver_command_speaks_the_active_language(world: World) -> None:
    out = io.StringIO()
    call_command("deliver", stdout=out)
    with translation.override("en"):
        call_command("deliver", stdout=out)
    assert out.getvalue().splitlines() == [
        "已发送 0 条，待重试 0 条，放弃 0 条。",
        "Sent: 0; to retry: 0; given up: 0.",
    ]
