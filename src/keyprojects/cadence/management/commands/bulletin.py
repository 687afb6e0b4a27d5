"""`keyprojects bulletin --month 2024-03 --out DIR [--region 370700]`: write the monthly bulletin (每月通报) of a
region as DOCX and XLSX. `--month last` (the default) is the month before the current one. Idempotent: running it
again rewrites the same two files."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from keyprojects.cadence.bulletin import bulletin_data
from keyprojects.cadence.bulletin_docx import bulletin_docx
from keyprojects.cadence.periods import Month, PeriodError
from keyprojects.cadence.selectors import default_region
from keyprojects.cadence.workbooks import bulletin_xlsx
from keyprojects.core import clock
from keyprojects.regions.models import Region


class Command(BaseCommand):
    help = "生成某月的重点项目建设情况通报（DOCX 与 XLSX）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", default="last", help="月份，如 2024-03；last 为上月（默认）")
        parser.add_argument("--out", default="", help="输出目录（默认为数据目录下的 bulletins/）")
        parser.add_argument("--region", default="", help="区域代码，如 370700；默认为包含全部项目的区域")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = Month.of(clock.today()).previous() if options["month"] == "last" else Month.parse(options["month"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"未找到区域代码“{options['region']}”。")
        else:
            region = default_region(None)
            if region is None:
                raise CommandError("尚无区域数据。")
        out = Path(options["out"] or settings.DATA_DIR / "bulletins")
        out.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        data = bulletin_data(None, month, region)
        gathered = time.perf_counter()
        docx_path = out / f"{data.file_stem}.docx"
        xlsx_path = out / f"{data.file_stem}.xlsx"
        docx_path.write_bytes(bulletin_docx(data))
        xlsx_path.write_bytes(bulletin_xlsx(data))
        done = time.perf_counter()
        cards = data.total.cards
        self.stdout.write(f"{data.title}（{data.doc_number}）")
        counts = f"蓝牌 {cards.blue}，黄牌 {cards.yellow}，红牌 {cards.red}"
        self.stdout.write(f"  项目 {data.total.plan.projects} 个；{counts}")
        self.stdout.write(f"  {docx_path}")
        self.stdout.write(f"  {xlsx_path}")
        self.stdout.write(f"  用时 {done - started:.2f} 秒（统计 {gathered - started:.2f} 秒）")
