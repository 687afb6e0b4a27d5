"""Notices: written once per dedupe key, in the inbox at once, delivered by e-mail and group robots from the outbox,
retried with back-off and never lost. The robots are a local fake HTTP server started by the test."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from keyprojects.accounts.choices import Role
from keyprojects.core.testing.fixtures import SYSTEM, World
from keyprojects.notifications import actions
from keyprojects.notifications.models import Delivery, DeliveryStatus, Notice, NoticeRecipient, Webhook
from keyprojects.notifications.selectors import webhooks_for_region

pytestmark = pytest.mark.django_db


class FakeRobots:
    """Answers like DingTalk/WeCom: {"errcode": 0} — or, while `failing`, HTTP 500."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.failing = False
        robots = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode())
                robots.requests.append((self.path, body))
                status, answer = (500, {"errcode": -1}) if robots.failing else (200, {"errcode": 0, "errmsg": "ok"})
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def robots() -> Iterator[FakeRobots]:
    fake = FakeRobots()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def notify(world: World, key: str = "k1") -> Notice | None:
    reporter = world.users[Role.REPORTER]
    reporter.email = "tianbao@weicheng.gov.cn"
    reporter.save(update_fields=["email"])
    return actions.do_notify(
        kind="problem_supervise",
        title="督办：配套道路未通（逾期3天）",
        body="请立即办理并反馈。",
        recipients=[reporter, world.users[Role.LEADER], reporter],
        region=world.inside.region,
        link="/problems/1/",
        dedupe_key=key,
    )


def add_robots(world: World, robots: FakeRobots) -> None:
    actions.do_create_webhook(
        SYSTEM,
        region=world.inside.region,
        kind="dingtalk",
        name="潍城区调度群",
        url=f"{robots.url}/robot/send?access_token=t1",
        secret="SEC123",
    )
    city = world.inside.region.parent
    actions.do_create_webhook(
        SYSTEM, region=city, kind="wecom", name="全市督导群", url=f"{robots.url}/cgi-bin/webhook/send?key=k2"
    )
    actions.do_create_webhook(
        SYSTEM, region=city, kind="wecom", name="市级专用群", url=f"{robots.url}/x", include_subregions=False
    )
    actions.do_create_webhook(SYSTEM, region=world.outside.region, kind="wecom", name="寒亭区群", url=f"{robots.url}/y")


def test_a_dedupe_key_is_used_once(world: World) -> None:
    first, second = notify(world), notify(world)
    assert isinstance(first, Notice) and second is None
    assert Notice.objects.count() == 1
    assert sorted(NoticeRecipient.objects.values_list("user__username", flat=True)) == ["u_leader", "u_reporter"]
    assert list(Delivery.objects.values_list("channel", "target")) == [("email", "tianbao@weicheng.gov.cn")]


def test_robots_of_the_region_and_above_receive_it_signed(world: World, robots: FakeRobots) -> None:
    add_robots(world, robots)
    assert [w.name for w in webhooks_for_region(world.inside.region)] == ["潍城区调度群", "全市督导群"]
    notify(world)
    result = actions.do_deliver_pending()
    assert (result.sent, result.retrying, result.failed) == (3, 0, 0)
    assert [m.subject for m in mail.outbox] == ["【重点项目督导】督办：配套道路未通（逾期3天）"]
    assert "查看详情：/problems/1/" in mail.outbox[0].body
    paths = sorted(p for p, _ in robots.requests)
    assert paths[0].startswith("/cgi-bin/webhook/send?key=k2")
    ding_path, ding_body = next((p, b) for p, b in robots.requests if p.startswith("/robot/send"))
    query = urllib.parse.parse_qs(urllib.parse.urlparse(ding_path).query)
    timestamp = query["timestamp"][0]
    expected = base64.b64encode(hmac.new(b"SEC123", f"{timestamp}\nSEC123".encode(), hashlib.sha256).digest()).decode()
    assert query["sign"] == [expected] and query["access_token"] == ["t1"]
    assert ding_body["msgtype"] == "markdown"
    assert ding_body["markdown"]["title"] == "督办：配套道路未通（逾期3天）"
    wecom_body = next(b for p, b in robots.requests if p.startswith("/cgi-bin"))
    assert wecom_body["markdown"]["content"].startswith("**督办：配套道路未通（逾期3天）**\n请立即办理并反馈。")
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert actions.do_deliver_pending().sent == 0  # nothing is sent twice


def test_failures_are_retried_with_back_off_and_never_lost(world: World, robots: FakeRobots, settings: Any) -> None:
    actions.do_create_webhook(
        SYSTEM, region=world.inside.region, kind="wecom", name="潍城区调度群", url=f"{robots.url}/w"
    )
    robots.failing = True
    notify(world)
    first = actions.do_deliver_pending()
    assert (first.sent, first.retrying) == (1, 1)  # the e-mail went, the robot answered 500
    robot = Delivery.objects.get(channel="wecom")
    assert (robot.status, robot.attempts) == (DeliveryStatus.PENDING, 1)
    assert robot.last_error.startswith("HTTP 500")
    assert robot.next_attempt_at - robot.attempt_log.get().at == dt.timedelta(minutes=1)
    assert actions.do_deliver_pending().retrying == 0  # not due yet

    for _attempt in range(2, actions.MAX_ATTEMPTS + 1):
        Delivery.objects.filter(pk=robot.pk).update(next_attempt_at=robot.created_at)  # time passes
        actions.do_deliver_pending()
    robot.refresh_from_db()
    assert (robot.status, robot.attempts, robot.attempt_log.count()) == (DeliveryStatus.FAILED, 10, 10)
    assert [actions.backoff(n).seconds // 60 for n in (1, 2, 3, 7, 9)] == [1, 2, 4, 60, 60]

    robots.failing = False
    admin = world.users[Role.ADMIN]
    from django.test import Client

    from keyprojects.core.testing.fixtures import PASSWORD

    client = Client()
    client.login(username=admin.username, password=PASSWORD)
    page = client.get("/notifications/outbox/?status=failed").content.decode()
    assert "潍城区调度群" in page and "HTTP 500" in page
    assert client.post("/notifications/outbox/retry/").status_code == 302
    call_command("deliver")
    robot.refresh_from_db()
    assert (robot.status, robot.attempts) == (DeliveryStatus.SENT, 11)
    assert robot.attempt_log.filter(ok=True).count() == 1


def test_an_unreachable_robot_is_an_error_not_a_crash(world: World) -> None:
    actions.do_create_webhook(
        SYSTEM, region=world.inside.region, kind="dingtalk", name="断网的群", url="http://127.0.0.1:9/x"
    )
    notify(world)
    result = actions.do_deliver_pending()
    assert result.retrying == 1
    assert Delivery.objects.get(channel="dingtalk").last_error.startswith("无法连接机器人地址")


def test_the_inbox_page_and_marking_read(world: World) -> None:
    notify(world)
    from django.test import Client

    from keyprojects.core.testing.fixtures import PASSWORD

    client = Client()
    client.login(username="u_reporter", password=PASSWORD)
    page = client.get("/notifications/").content.decode()
    assert "1 条未读" in page and "督办：配套道路未通（逾期3天）" in page
    notice = Notice.objects.get()
    response = client.post("/notifications/read/", {"id": notice.pk, "next": "/problems/1/"})
    assert response["Location"] == "/problems/1/"
    assert "0 条未读" in client.get("/notifications/").content.decode()
    api = Client(headers={"Authorization": f"Bearer {world.tokens[Role.LEADER]}"})
    assert api.get("/api/notifications?unread=true").json()["count"] == 1
    assert api.post("/api/notifications/read", {}, content_type="application/json").json() == {"marked": 1}


def test_webhook_page_keeps_tokens_out_of_sight(world: World) -> None:
    from django.test import Client

    from keyprojects.core.testing.fixtures import PASSWORD

    client = Client()
    client.login(username="u_region_admin", password=PASSWORD)
    response = client.post(
        "/notifications/webhooks/",
        {
            "op": "create",
            "region": world.inside.region.pk,
            "kind": "wecom",
            "name": "潍城区调度群",
            "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdef123456",
            "include_subregions": "on",
        },
    )
    assert response.status_code == 302
    page = client.get("/notifications/webhooks/").content.decode()
    assert "潍城区调度群" in page and "abcdef123456" not in page and "…3456" in page
    hook = Webhook.objects.get()
    bad = client.post(
        "/notifications/webhooks/",
        {"op": "create", "region": world.inside.region.pk, "kind": "wecom", "name": "x", "url": "ftp://x"},
    )
    assert "机器人地址须以 https:// 开头（内网代理可用 http://）。" in bad.content.decode()
    client.post("/notifications/webhooks/", {"op": "toggle", "id": hook.pk, "version": hook.version})
    assert Webhook.objects.get().enabled is False
