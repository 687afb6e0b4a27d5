"""`keyprojects sweep_problems [--date YYYY-MM-DD]`: the daily overdue sweep — one 督办 per overdue problem per working
day, escalation to the 直通车 queue and to the 约谈 list. Idempotent: a second run on the same day sends nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.problems.actions import do_sweep_overdue


class Command(BaseCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set at run time in the active language: argparse cannot format a lazy string.
        self.help = _("逾期问题督办、升级直通车、列入约谈（每日一次，可重复运行）")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help=_("按该日期运行（默认今天）"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["date"]) if options.get("date") else None
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD")) from exc
        result = do_sweep_overdue(Actor(user=None, source=AuditSource.SYSTEM), today=day)
        if not result.workday:
            self.stdout.write(_("今天不是工作日，不发督办。"))
            return
        counts = {
            "supervised": len(result.supervised),
            "escalated": len(result.escalated),
            "summoned": len(result.summoned),
        }
        self.stdout.write(_("督办 %(supervised)s 个，升级直通车 %(escalated)s 个，列入约谈 %(summoned)s 个。") % counts)
