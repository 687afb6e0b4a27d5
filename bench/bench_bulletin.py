"""The monthly bulletin at province scale: 20,000 listed projects across Shandong's counties, 300 units, five weeks of
March 2024 reported and rated, 4,000 problems. Times gathering the figures, writing the DOCX (with the red list as its
attachment) and the XLSX, and the whole `keyprojects bulletin`; goal < 30 s. `make bench` runs it on SQLite and, when
PostgreSQL answers, on PostgreSQL.

    .venv/bin/python bench/bench_bulletin.py
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from benchlib import approved_plans, bench_database, timed

N_PROJECTS = 20_000
N_UNITS = 300
N_PROBLEMS = 4_000
GOAL_SECONDS = 30


def build(rng: random.Random) -> None:
    from django.db import transaction

    from keyprojects.directory.models import Person, Unit
    from keyprojects.problems.models import Problem
    from keyprojects.projects.models import Project
    from keyprojects.regions.models import Region
    from keyprojects.reports.models import WeeklyReport
    from keyprojects.reports.weeks import IsoWeek

    counties = list(Region.objects.filter(level__in=["county", "zone"]).order_by("pk"))
    now = dt.datetime(2024, 3, 28, 10, 0, tzinfo=dt.UTC)
    with transaction.atomic():
        units = Unit.objects.bulk_create(
            [Unit(name=f"责任单位{i:03d}", region=counties[i % len(counties)]) for i in range(N_UNITS)]
        )
        leaders = Person.objects.bulk_create(
            [Person(name=f"领导{i:03d}", region=counties[i % len(counties)], is_leader=True) for i in range(N_UNITS)]
        )
        projects = Project.objects.bulk_create(
            [
                Project(
                    code=f"B{i:07d}",
                    name=f"通报基准项目{i}",
                    region=counties[i % len(counties)],
                    total_investment_wan=Decimal(rng.randrange(5000, 500000, 100)),
                    category=rng.choice(["新开工", "续建", "竣工"]),
                    industry=rng.choice(["高端装备", "新能源新材料", "医养健康", "现代物流"]),
                    stage="construction",
                    unit=units[rng.randrange(N_UNITS)],
                    leader=leaders[rng.randrange(N_UNITS)],
                )
                for i in range(N_PROJECTS)
            ],
            batch_size=2000,
        )
        versions = approved_plans(projects, rng)
        reports = []
        for project, version in zip(projects, versions, strict=True):
            pace = rng.uniform(0.3, 1.3)
            assert version.planned_investment_wan is not None
            for week in range(9, 14):
                if rng.random() < 0.06:
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
        WeeklyReport.objects.bulk_create(reports, batch_size=5000)
        problems = []
        for i in range(N_PROBLEMS):
            raised = dt.date(2024, 2, 1) + dt.timedelta(days=rng.randrange(60))
            resolved = raised + dt.timedelta(days=rng.randrange(5, 30)) if rng.random() < 0.6 else None
            problems.append(
                Problem(
                    project=projects[rng.randrange(N_PROJECTS)],
                    title=f"基准问题{i}",
                    category=rng.choice(["土地", "资金", "能耗", "审批手续"]),
                    state="resolved" if resolved else "assigned",
                    raised_on=raised,
                    assigned_unit=units[rng.randrange(N_UNITS)],
                    assigned_on=raised,
                    working_days=10,
                    deadline=raised + dt.timedelta(days=14),
                    resolved_on=resolved,
                )
            )
        Problem.objects.bulk_create(problems, batch_size=2000)


def main() -> None:
    with bench_database() as vendor:
        from django.core.management import call_command

        from keyprojects.audit.actions import Actor
        from keyprojects.cadence.bulletin import bulletin_data
        from keyprojects.cadence.bulletin_docx import bulletin_docx
        from keyprojects.cadence.periods import Month
        from keyprojects.cadence.selectors import default_region
        from keyprojects.cadence.workbooks import bulletin_xlsx
        from keyprojects.ratings.actions import do_rate_week
        from keyprojects.regions.models import Region  # noqa: F401 - loaded by the migration
        from keyprojects.reports.weeks import IsoWeek

        print(f"bulletin benchmark on {vendor}: {N_PROJECTS:,} projects, {N_UNITS} units, {N_PROBLEMS:,} problems")
        rng = random.Random(2024_03)  # noqa: S311 - synthetic data
        start = time.perf_counter()
        build(rng)
        system = Actor(user=None, source="system")
        for week in range(9, 14):
            do_rate_week(system, IsoWeek(2024, week))
        print(f"  {'setup (bulk insert, rating 2024-W09 … W13)':<55} {time.perf_counter() - start:9.1f} s")

        region = default_region(None)
        assert region is not None
        march = Month(2024, 3)
        data = bulletin_data(None, march, region)
        print(
            f"  {region.name}：{data.total.plan.projects:,}个项目，{len(data.regions)}个地区，"
            f"{len(data.units)}个责任单位，红牌{len(data.red):,}个（附件{len(data.red):,}行）"
        )
        timed("gather the figures (bulletin_data)", lambda: bulletin_data(None, march, region), repeat=2)
        timed("write the DOCX", lambda: bulletin_docx(data), repeat=2)
        timed("write the XLSX", lambda: bulletin_xlsx(data), repeat=2)
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            call_command("bulletin", month="2024-03", out=out, stdout=open("/dev/null", "w"))  # noqa: SIM115
            total = time.perf_counter() - started
            sizes = {p.suffix: p.stat().st_size for p in Path(out).iterdir()}
        verdict = "meets" if total < GOAL_SECONDS else "MISSES"
        print(
            f"bench_bulletin [{vendor}]: `keyprojects bulletin --month 2024-03` for {N_PROJECTS:,} projects in "
            f"{total:.2f} s ({verdict} the goal of < {GOAL_SECONDS} s); DOCX {sizes['.docx'] / 1e6:.1f} MB, "
            f"XLSX {sizes['.xlsx'] / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
