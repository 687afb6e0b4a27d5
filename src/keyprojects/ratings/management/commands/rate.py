"""`keyprojects rate --week 2024-W13` (or `last`, the week before the current one): rate every listed project for the
week and print the counts per colour. Idempotent: running it again gives the same ratings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.ratings.actions import do_rate_week
from keyprojects.reports.weeks import IsoWeek, WeekError


class Command(BaseCommand):
    help = "计算某周所有列入计划项目的评分与蓝黄红牌"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--week", default="last", help="周次，如 2024-W13；last 为上一周（默认），current 为本周")

    def handle(self, *args: Any, **options: Any) -> None:
        text = options["week"]
        try:
            week = {"last": IsoWeek.current().shift(-1), "current": IsoWeek.current()}.get(text) or IsoWeek.parse(text)
        except WeekError as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = do_rate_week(Actor(user=None, source=AuditSource.CLI), week)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        c = result.counts
        self.stdout.write(f"{week}：共{result.projects}个项目")
        self.stdout.write(f"  蓝牌 {c.get('blue', 0)}")
        self.stdout.write(f"  黄牌 {c.get('yellow', 0)}")
        self.stdout.write(f"  红牌 {c.get('red', 0)}")
        if c.get("none"):
            self.stdout.write(f"  未评定 {c['none']}")
        self.stdout.write(f"  新增督办/约谈 {len(result.escalations)}")
        self.stdout.write(f"  用时 {result.seconds:.2f} 秒")
