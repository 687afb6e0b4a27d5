"""`keyprojects rate --week 2024-W13` (or `last`, the week before the current one): rate every listed project for the
week and print the counts per colour. Idempotent: running it again gives the same ratings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.ratings.actions import do_rate_week
from keyprojects.reports.i18n import join_messages
from keyprojects.reports.weeks import IsoWeek, WeekError


class Command(BaseCommand):
    help = gettext_lazy("计算某周所有列入计划项目的评分与蓝黄红牌")  # type: ignore[assignment]

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--week", default="last", help=gettext_lazy("周次，如 2024-W13；last 为上一周（默认），current 为本周")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = options["week"]
        try:
            week = {"last": IsoWeek.current().shift(-1), "current": IsoWeek.current()}.get(text) or IsoWeek.parse(text)
        except WeekError as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = do_rate_week(Actor(user=None, source=AuditSource.CLI), week)
        except ValidationError as exc:
            raise CommandError(join_messages(exc.messages)) from exc
        c = result.counts
        self.stdout.write(_("%(week)s：共%(projects)s个项目") % {"week": week, "projects": result.projects})
        self.stdout.write("  " + _("蓝牌 %(n)s") % {"n": c.get("blue", 0)})
        self.stdout.write("  " + _("黄牌 %(n)s") % {"n": c.get("yellow", 0)})
        self.stdout.write("  " + _("红牌 %(n)s") % {"n": c.get("red", 0)})
        if c.get("none"):
            self.stdout.write("  " + _("未评定 %(n)s") % {"n": c["none"]})
        self.stdout.write("  " + _("新增督办/约谈 %(n)s") % {"n": len(result.escalation_ids)})
        self.stdout.write("  " + _("用时 %(seconds)s 秒") % {"seconds": f"{result.seconds:.2f}"})
