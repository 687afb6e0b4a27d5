"""Registry at province scale: 20,000 projects. Times the list page (first page, filtered, searched, sorted), a detail
page and the API list, as a district admin and as the administrator."""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from benchlib import bench_database, timed

N_PROJECTS = 20_000


def main() -> None:
    with bench_database() as vendor:
        from django.db.models import Q
        from django.test import Client

        from keyprojects.accounts.actions import do_create_token
        from keyprojects.core.testing.fixtures import SYSTEM, make_world
        from keyprojects.core.testing.queries import count_queries
        from keyprojects.directory.models import Person, Unit
        from keyprojects.projects.models import AnnualPlan, PlannedMilestone, PlanVersion, Project
        from keyprojects.regions.models import Region

        print(f"registry benchmark on {vendor}: {N_PROJECTS} projects")
        world = make_world()
        rng = random.Random(7)  # noqa: S311 - synthetic data
        counties = list(Region.objects.filter(Q(level="county") | Q(level="zone")))
        units = [Unit.objects.create(name=f"单位{i}", region=rng.choice(counties)) for i in range(300)]
        leaders = [
            Person.objects.create(name=f"领导{i}", region=rng.choice(counties), is_leader=True) for i in range(300)
        ]
        start = time.perf_counter()
        projects = [
            Project(
                code=f"B-{i:06d}",
                name=f"年产{i}吨新材料项目",
                owner=f"山东{i % 977}科技有限公司",
                region=rng.choice(counties),
                industry=rng.choice(["高端装备", "医养健康", "新能源新材料"]),
                category=rng.choice(["新开工", "续建", "竣工"]),
                total_investment_wan=Decimal(rng.randint(1000, 900000)),
                start_year=2024,
                end_year=2026,
                leader=rng.choice(leaders),
                unit=rng.choice(units),
            )
            for i in range(N_PROJECTS)
        ]
        Project.objects.bulk_create(projects, batch_size=2000)
        projects = list(Project.objects.filter(code__startswith="B-"))
        plans = AnnualPlan.objects.bulk_create([AnnualPlan(project=p, year=2024) for p in projects], batch_size=2000)
        plans = list(AnnualPlan.objects.filter(project__code__startswith="B-"))
        versions = PlanVersion.objects.bulk_create(
            [
                PlanVersion(
                    plan=pl, number=1, planned_investment_wan=Decimal(rng.randint(100, 90000)), status="approved"
                )
                for pl in plans
            ],
            batch_size=2000,
        )
        versions = list(PlanVersion.objects.filter(plan__project__code__startswith="B-").only("pk", "plan_id"))
        PlannedMilestone.objects.bulk_create(
            [PlannedMilestone(version=v, kind="start", planned_date=dt.date(2024, 3, 1)) for v in versions],
            batch_size=2000,
        )
        by_plan = {v.plan_id: v.pk for v in versions}
        for pl in plans:
            pl.original_id = pl.baseline_id = pl.current_id = by_plan[pl.pk]
        AnnualPlan.objects.bulk_update(plans, ["original", "baseline", "current"], batch_size=2000)
        # What the list import does after a load of this size (core.statistics), and autovacuum within a minute.
        from keyprojects.core.statistics import refresh_planner_statistics

        refresh_planner_statistics(Project, AnnualPlan, PlanVersion, PlannedMilestone, Person, Unit)
        print(f"  {'setup (bulk insert of projects, plans, versions)':<55} {time.perf_counter() - start:9.1f} s")

        admin, district = Client(), Client()
        admin.force_login(world.users["admin"])
        district.force_login(world.users["region_admin"])
        weifang = Region.objects.get(code="370700")
        big = Project.objects.order_by("-total_investment_wan").first()
        assert big is not None
        for client, who in ((admin, "admin"), (district, "district admin")):
            timed(f"list page, first page ({who})", lambda c=client: c.get("/projects/"))
        timed("list page, region subtree filter 潍坊市 (admin)", lambda: admin.get(f"/projects/?region={weifang.pk}"))
        timed("list page, text search '新材料' (admin)", lambda: admin.get("/projects/?q=新材料"))
        timed(
            "list page, sorted by investment, page 100 (admin)",
            lambda: admin.get("/projects/?sort=-investment&page=100"),
        )
        timed("detail page (admin)", lambda: admin.get(f"/projects/{big.pk}/"))
        token = do_create_token(SYSTEM, world.users["admin"], "bench")[1]
        api = Client(headers={"Authorization": f"Bearer {token}"})
        timed("API /api/projects?limit=100 (admin)", lambda: api.get("/api/projects?limit=100"))
        timed("home dashboard (admin)", lambda: admin.get("/"))
        print(
            f"  queries: list page {count_queries(lambda: admin.get('/projects/'))}, "
            f"detail {count_queries(lambda: admin.get(f'/projects/{big.pk}/'))}"
        )


if __name__ == "__main__":
    main()
