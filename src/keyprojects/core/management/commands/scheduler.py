"""`keyprojects scheduler [--once]`: runs the registered jobs (core/jobs.py) when they are due, each once per period.

A failed run is recorded with its output and retried at the next tick of the same period; one failing job never
stops the others. `--once` checks once and exits (for cron or tests); otherwise it checks every `--interval` seconds.
"""

from __future__ import annotations

import io
import time
import traceback
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction

from keyprojects.core import clock
from keyprojects.core.jobs import JOBS, Job, period_key
from keyprojects.core.models import JobRun


def run_due_jobs(jobs: list[Job], log: Any) -> list[str]:
    """Run every due job not yet run successfully in its period; return the names of the jobs run."""
    now = clock.now()
    ran = []
    for job in jobs:
        period = period_key(job.cadence, now)
        if period is None:
            continue
        run = JobRun.objects.filter(job=job.name, period=period).first()
        if run is not None and run.ok:
            continue
        if run is None:
            try:
                with transaction.atomic():
                    run = JobRun.objects.create(job=job.name, period=period, started_at=clock.now())
            except IntegrityError:  # another scheduler process claimed it
                continue
        out = io.StringIO()
        try:
            call_command(job.command, *job.args, stdout=out, stderr=out)
            run.ok = True
        except Exception:  # noqa: BLE001 - a failing job is recorded and retried, never fatal to the others
            out.write(traceback.format_exc())
            run.ok = False
        run.finished_at = clock.now()
        run.output = out.getvalue()[-20000:]
        run.save(update_fields=["ok", "finished_at", "output"])
        log(f"{job.name} [{period}] {'完成' if run.ok else '失败'}")
        ran.append(job.name)
    return ran


class Command(BaseCommand):
    help = "定时任务调度（每周评分、截止提醒、逾期督办、通知投递）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="检查一次后退出")
        parser.add_argument("--interval", type=int, default=60, help="检查间隔（秒）")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"已注册任务：{', '.join(j.name for j in JOBS) or '无'}")
        while True:
            run_due_jobs(JOBS, self.stdout.write)
            if options["once"]:
                return
            time.sleep(options["interval"])
