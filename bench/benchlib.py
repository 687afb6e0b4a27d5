"""Shared set-up for the benchmarks: Django on a fresh throw-away database of the configured engine.

`make bench` runs every bench/bench_*.py on SQLite and, when PostgreSQL answers, again with DATABASE_URL set.
The database is Django's test database (`test_<name>`), created empty and migrated for the run and destroyed afterwards.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyprojects.config.settings")
os.environ.setdefault("KEYPROJECTS_TODAY", "2024-04-01")
os.environ.setdefault("KEYPROJECTS_FAST_HASHER", "1")


@contextmanager
def bench_database() -> Iterator[str]:
    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        # A file, as in production (Django's default test database for SQLite lives in memory).
        data_dir = Path(os.environ.get("KEYPROJECTS_DATA_DIR", "var"))
        data_dir.mkdir(parents=True, exist_ok=True)
        connection.settings_dict["TEST"]["NAME"] = str(data_dir / "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection.vendor
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def timed(label: str, func: Callable[[], object], repeat: int = 5) -> float:
    """Best of `repeat` runs, printed in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<55} {best * 1000:9.1f} ms")
    return best


def approved_plans(projects: list[Any], rng: random.Random, year: int = 2024) -> list[Any]:
    """A year's plan for each project with one approved version (1,000–100,000万元) as original, baseline and current,
    in bulk; returns the versions in the order of the projects."""
    from django.db import connection

    from keyprojects.projects.models import AnnualPlan, PlanVersion

    plans = AnnualPlan.objects.bulk_create([AnnualPlan(project=p, year=year) for p in projects], batch_size=2000)
    versions = PlanVersion.objects.bulk_create(
        [
            PlanVersion(
                plan=plan, number=1, status="approved", planned_investment_wan=Decimal(rng.randrange(1000, 100000, 100))
            )
            for plan in plans
        ],
        batch_size=2000,
    )
    table = connection.ops.quote_name(AnnualPlan._meta.db_table)
    vtable = connection.ops.quote_name(PlanVersion._meta.db_table)
    chosen = f"(SELECT id FROM {vtable} v WHERE v.plan_id = {table}.id)"  # noqa: S608 - table names only
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET original_id = {chosen}, baseline_id = {chosen}, current_id = {chosen}")
    return versions
