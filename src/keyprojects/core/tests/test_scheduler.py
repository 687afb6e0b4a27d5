import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command

from keyprojects.core.clock import SHANGHAI
from keyprojects.core.jobs import Job
from keyprojects.core.management.commands import scheduler
from keyprojects.core.models import JobRun

pytestmark = pytest.mark.django_db


def test_a_due_job_runs_once_per_period_and_a_failure_is_retried(monkeypatch: Any) -> None:
    calls: list[str] = []

    def fake_call(name: str, *args: str, **kwargs: Any) -> None:
        calls.append(name)
        if name == "broken" and calls.count("broken") == 1:
            raise RuntimeError("数据库暂不可用")

    monkeypatch.setattr(scheduler, "call_command", fake_call)
    monkeypatch.setattr(scheduler.clock, "now", lambda: dt.datetime(2024, 4, 1, 9, 30, tzinfo=SHANGHAI))
    jobs = [Job("daily-ok", "daily:00:00", "ok"), Job("daily-broken", "daily:00:00", "broken"),
            Job("not-yet", "daily:23:59", "late")]
    log: list[str] = []
    assert scheduler.run_due_jobs(jobs, log.append) == ["daily-ok", "daily-broken"]
    failed = JobRun.objects.get(job="daily-broken")
    assert not failed.ok and "数据库暂不可用" in failed.output
    # Second tick the same day: the successful job is not run again, the failed one is retried.
    assert scheduler.run_due_jobs(jobs, log.append) == ["daily-broken"]
    assert calls == ["ok", "broken", "broken"]
    assert JobRun.objects.get(job="daily-broken").ok
    assert log == ["daily-ok [2024-04-01] 完成", "daily-broken [2024-04-01] 失败", "daily-broken [2024-04-01] 完成"]


def test_scheduler_once_runs() -> None:
    out = io.StringIO()
    call_command("scheduler", once=True, stdout=out)
    assert "已注册任务" in out.getvalue()
