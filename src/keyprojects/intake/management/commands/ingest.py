"""`keyprojects ingest PATH... [--json] [--published YYYY-MM-DD]`.

With ``--json``: one fact per line in the schema of ``shared/intake/seed-facts.jsonl`` plus ``source`` (the input
path) — the contract; nothing is stored. Without: store each report and its facts for review.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.intake.actions import do_ingest, supervised_area
from keyprojects.intake.pipeline import process


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("--published 应为 YYYY-MM-DD：%(value)s") % {"value": value}) from exc


class Command(BaseCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set at run time in the active language: argparse cannot format a lazy string.
        self.help = _("从新闻稿中提取项目事实（--json 输出，或存入审核队列）")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("paths", nargs="+", help=_("文本或 HTML 文件"))
        parser.add_argument("--json", action="store_true", help=_("每行输出一条事实（JSON），不写数据库"))
        parser.add_argument("--published", type=_date, default=None, help=_("发布日期 YYYY-MM-DD"))

    def handle(self, *args: Any, **options: Any) -> None:
        published: dt.date | None = options["published"]
        for name in options["paths"]:
            path = Path(name)
            try:
                raw = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(_("无法读取 %(path)s：%(error)s") % {"path": name, "error": exc}) from exc
            if options["json"]:
                for record in process(raw, published, supervised_area()).records(source=name):
                    self.stdout.write(json.dumps(record, ensure_ascii=False))
                continue
            article = do_ingest(Actor(user=None, source=AuditSource.CLI), raw, name, published)
            count = article.facts.count()
            self.stdout.write(
                ngettext("%(path)s：%(count)s条事实待审核", "%(path)s：%(count)s条事实待审核", count)
                % {"path": name, "count": count}
            )
