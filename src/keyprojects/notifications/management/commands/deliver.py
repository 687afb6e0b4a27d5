"""`keyprojects deliver`: send what is due in the notification outbox (e-mail, DingTalk, WeCom). Idempotent; the
scheduler runs it every minute."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from keyprojects.notifications.actions import do_deliver_pending


class Command(BaseCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set at run time in the active language: argparse cannot format a lazy string.
        self.help = _("投递待发送的通知（邮件、钉钉、企业微信），失败的按退避重试")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=200, help=_("本次最多投递条数"))

    def handle(self, *args: Any, **options: Any) -> None:
        result = do_deliver_pending(limit=options["limit"])
        counts = {"sent": result.sent, "retrying": result.retrying, "failed": result.failed}
        self.stdout.write(_("已发送 %(sent)s 条，待重试 %(retrying)s 条，放弃 %(failed)s 条。") % counts)
