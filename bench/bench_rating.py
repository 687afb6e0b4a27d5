"""Rating one week for 20,000 projects (DESIGN §10's "province" scale), on SQLite and on PostgreSQL.

Goals on the 2-core reference machine: < 2 s on SQLite, < 1 s on PostgreSQL. Each backend runs in its own process
on a fresh database filled with 20,000 listed projects (plans, milestones, six weeks of reports, last week's ratings);
the time printed is `do_rate_week` for 2024-W13 — the reads, the formula and the writes — measured twice (the second
run replaces the first's rows: recomputation). PostgreSQL is used when DATABASE_URL is set, or when a server answers
on 127.0.0.1:5432 (database keyprojects_bench, recreated).

    .venv/bin/python bench/bench_rating.py [--projects 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/keyprojects_bench"
GOALS = {"sqlite": 2.0, "postgresql": 1.0}


def _pg_url() -> str | None:
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith(("postgres://", "postgresql://")):
        return url
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2):
            return DEFAULT_PG
    except Exception:  # noqa: BLE001 - no server: SQLite only
        return None


def _recreate_pg(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--child", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.projects)
        return
    env = {**os.environ, "KEYPROJECTS_TODAY": "2024-04-01", "KEYPROJECTS_FAST_HASHER": "1"}
    with tempfile.TemporaryDirectory(prefix="kp-bench-") as tmp:
        sqlite_env = {k: v for k, v in env.items() if k != "DATABASE_URL"} | {"KEYPROJECTS_DATA_DIR": tmp}
        # `make bench` runs every benchmark twice, without and then with DATABASE_URL: one engine per run then.
        given = os.environ.get("DATABASE_URL")
        runs = [] if given else [("sqlite", sqlite_env)]
        pg = _pg_url()
        if pg and (given or "BENCH_BOTH" in os.environ):
            _recreate_pg(pg)
            runs.append(("postgresql", env | {"DATABASE_URL": pg, "KEYPROJECTS_DATA_DIR": tmp}))
        elif not pg:
            print("bench_rating: PostgreSQL not reachable (set DATABASE_URL): SQLite only")
        for backend, run_env in runs:
            cmd = [sys.executable, __file__, "--child", backend, "--projects", str(args.projects)]
            subprocess.run(cmd, env=run_env, check=True)


def child(backend: str, count: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyprojects.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build(count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does within a minute of such a load on a running server
    built = time.perf_counter() - started

    from keyprojects.audit.actions import Actor
    from keyprojects.ratings.actions import do_rate_week
    from keyprojects.reports.weeks import IsoWeek

    system = Actor(user=None, source="system")
    do_rate_week(system, IsoWeek(2024, 12))  # last week's ratings: change and red streaks read them
    times, cpu_times, commit_times, notice_times = [], [], [], []
    for _ in range(2):
        # Timed: the reads, the formula, the writes and the commit. The 督办/约谈 notices (one per escalation, sent
        # after the commit) are timed apart: the bench's random data escalates a quarter of the province at once.
        with CaptureQueriesContext(connection) as ctx:
            t0, c0 = time.perf_counter(), time.process_time()
            with transaction.atomic():
                result = do_rate_week(system, IsoWeek(2024, 13))
                t_rated = time.perf_counter()
                deferred = list(connection.run_on_commit)
                connection.run_on_commit.clear()
            times.append(time.perf_counter() - t0)
            cpu_times.append(time.process_time() - c0)
            commit_times.append(time.perf_counter() - t_rated)
        queries = len(ctx.captured_queries)
        t1 = time.perf_counter()
        for _savepoints, callback, _robust in deferred:
            callback()
        notice_times.append(time.perf_counter() - t1)
    c = result.counts
    goal = GOALS[backend]
    verdict = "meets" if max(times) < goal else "MISSES"
    print(
        f"bench_rating [{backend}]: rated {result.projects:,} projects for 2024-W13 in {times[0]:.2f} s, "
        f"recomputed in {times[1]:.2f} s ({verdict} the goal of < {goal:.0f} s; this process's CPU "
        f"{cpu_times[0]:.2f} s / {cpu_times[1]:.2f} s; the commit {commit_times[0]:.2f} s / {commit_times[1]:.2f} s; "
        f"load average {os.getloadavg()[0]:.1f}) with {queries} queries; "
        f"蓝{c.get('blue', 0)} 黄{c.get('yellow', 0)} 红{c.get('red', 0)}; {len(escalations(IsoWeek(2024, 13)))} "
        f"督办/约谈 whose notices took {notice_times[0]:.2f} s after the commit; data built in {built:.1f} s"
    )


def escalations(week: object) -> list[object]:
    from keyprojects.ratings.models import Escalation

    return list(Escalation.objects.filter(week_start=week.monday))  # type: ignore[attr-defined]


def build(count: int) -> None:
    """20,000 listed projects across the province's counties, with what the rating reads, in bulk."""
    import random

    from benchlib import approved_plans
    from django.db import transaction

    from keyprojects.projects.models import Milestone, PlannedMilestone, Project
    from keyprojects.regions.models import Region
    from keyprojects.reports.models import WeeklyReport
    from keyprojects.reports.weeks import IsoWeek

    rng = random.Random(13)  # noqa: S311
    counties = list(Region.objects.filter(level__in=["county", "zone"]).order_by("pk"))
    now = dt.datetime(2024, 3, 28, 10, 0, tzinfo=dt.UTC)
    with transaction.atomic():
        projects = Project.objects.bulk_create(
            [
                Project(
                    code=f"B{i:07d}",
                    name=f"基准项目{i}",
                    region=counties[i % len(counties)],
                    total_investment_wan=Decimal(rng.randrange(5000, 500000, 100)),
                    category="续建",
                    level=["省重点", "市重点", "县重点"][i % 3],
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
        versions = approved_plans(projects, rng)
        planned = []
        actual = []
        for project, version in zip(projects, versions, strict=True):
            start = dt.date(2024, rng.randint(1, 6), rng.choice([1, 15]))
            planned.append(PlannedMilestone(version=version, kind="start", planned_date=start))
            planned.append(PlannedMilestone(version=version, kind="completion", planned_date=dt.date(2024, 12, 15)))
            if rng.random() < 0.7 and start <= dt.date(2024, 3, 31):
                actual.append(
                    Milestone(project=project, kind="start", actual_date=start + dt.timedelta(days=rng.randint(0, 40)))
                )
        PlannedMilestone.objects.bulk_create(planned, batch_size=2000)
        Milestone.objects.bulk_create(actual, batch_size=2000)
        reports = []
        for project, version in zip(projects, versions, strict=True):
            pace = rng.uniform(0.3, 1.3)
            assert version.planned_investment_wan is not None
            for week in range(8, 14):
                if rng.random() < 0.08:
                    continue
                iso = IsoWeek(2024, week)
                done = (version.planned_investment_wan * Decimal(pace * iso.sunday.timetuple().tm_yday / 366)).quantize(
                    Decimal(1)
                )
                reports.append(
                    WeeklyReport(
                        project=project,
                        week_start=iso.monday,
                        investment_year_wan=done,
                        investment_total_wan=done * 2,
                        stage="construction",
                        progress_text="施工中",
                        timeliness="on_time" if rng.random() < 0.9 else "late",
                        first_submitted_at=now,
                        submitted_at=now,
                    )
                )
        WeeklyReport.objects.bulk_create(reports, batch_size=2000)


if __name__ == "__main__":
    main()
