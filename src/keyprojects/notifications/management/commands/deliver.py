"""`keyprojects deliver`: send what is due in the notification outbox (e-mail, DingTalk, WeCom). Idempotent; the
scheduler runs it every minute."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from keyprojects.notifications.actions import do_deliver_pending


class Command(BaseCommand):
    help = "投递待发送的通知（邮件、钉钉、企业微信），失败的按退避重试"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=200, help="本次最多投递条数")

    def handle(self, *args: Any, **options: Any) -> None:
        result = do_deliver_pending(limit=options["limit"])
        self.stdout.write(f"已发送 {result.sent} 条，待重试 {result.retrying} 条，放弃 {result.failed} 条。")
