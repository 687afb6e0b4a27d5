"""Demo data built from the seed reports of early 2024 (see DESIGN §9).

What comes from the reports and sample lists: the 80 projects of the 2024 Weifang city list and the 50 projects of the
寒亭区 district list (names, owners, places, amounts, years, categories, industries, the city list's
包靠领导 and 责任单位),
and the 2024-02-26 集中开工 batches with each district's reported count and total (潍城区 28 / 103.3亿元 …). Where a
report gives only a batch's totals, generated projects complete it so that the count and the total computed from the
batch's projects equal the reported figures. 寒亭区's district leaders and the demo users are synthetic.

Everything is written through the actions, so the demo carries audit entries like real data. Loading is idempotent.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from keyprojects.accounts.actions import do_create_user
from keyprojects.accounts.choices import Role
from keyprojects.accounts.models import User
from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.directory.actions import do_create_entry
from keyprojects.directory.choices import UnitKind
from keyprojects.directory.models import Person, TaskForce, Unit
from keyprojects.projects import actions as project_actions
from keyprojects.projects.choices import BatchKind, MilestoneKind, Stage
from keyprojects.projects.models import Project
from keyprojects.regions.models import Region

DEMO_PASSWORD = "demo-2024"
DEMO_TODAY = "2024-04-01"
SEED_FILE = Path(__file__).resolve().parent / "seed_projects.json"
BATCH_DAY = dt.date(2024, 2, 26)

# 2024-02-26 集中开工, as reported (seed-facts.jsonl): region → (count, total 万元, venue, named projects).
BATCHES: dict[str, tuple[int, Decimal, str, list[tuple[str, str, Decimal, str]]]] = {
    "潍城区": (28, Decimal("1033000"), "长松数智产业园项目现场", []),
    "奎文区": (16, Decimal("818000"), "", [("东风里科创产业园项目", "", Decimal("128000"), "城市更新")]),
    "坊子区": (15, Decimal("744000"), "", []),
    "青州市": (42, Decimal("1473000"), "", []),
    "高新区": (20, Decimal("1970000"), "", []),
    "综合保税区": (
        4,
        Decimal("433000"),
        "",
        [("麦维年产30万吨高端玉米淀粉糖项目", "", Decimal("150000"), "现代高效农业")],
    ),
    "昌乐县": (
        42,
        Decimal("1250000"),
        "",
        [("年产4000套冲压模具及零部件项目", "昌乐瑞欣机械科技有限公司", Decimal("36000"), "高端装备")],
    ),
    "诸城市": (
        65,
        Decimal("2859000"),
        "",
        [("山东谷雨生物科技有限公司生态联产项目", "山东谷雨生物科技有限公司", Decimal("301000"), "现代高效农业")],
    ),
}

HANTING_LEADERS = [
    ("张立军", "区委副书记、区长"),
    ("王海涛", "区委常委、常务副区长"),
    ("李晓东", "区委常委、副区长"),
    ("赵振华", "副区长"),
    ("孙丽娟", "副区长"),
    ("周建国", "区人大常委会副主任"),
    ("吴志刚", "区政协副主席"),
    ("郑国强", "经济区党工委副书记"),
]
HANTING_DEPARTMENTS = ["寒亭区发展和改革局", "寒亭区工业和信息化局", "寒亭区住房和城乡建设局", "寒亭区商务局"]

GENERATED_PRODUCTS = [
    ("高端装备", "年产{n}台（套）智能装备项目"),
    ("新能源新材料", "年产{n}吨新型材料项目"),
    ("现代轻工纺织", "年产{n}万件功能性纺织品项目"),
    ("医养健康", "{n}张床位医养结合项目"),
    ("高端化工", "年产{n}吨精细化学品项目"),
    ("新一代信息技术", "{n}机架数据中心项目"),
    ("现代物流", "{n}亩智慧物流园项目"),
    ("城市更新", "{n}户老旧小区改造项目"),
    ("基础设施", "{n}公里道路改造提升工程"),
]
COMPANY_WORDS = [
    "宏",
    "泰",
    "瑞",
    "鑫",
    "华",
    "恒",
    "盛",
    "达",
    "丰",
    "远",
    "佳",
    "诚",
    "信",
    "利",
    "昌",
    "明",
    "安",
    "康",
]


@dataclass
class DemoLogin:
    username: str
    role: str
    scope: str


def _region(name: str, cache: dict[str, Region]) -> Region:
    if name not in cache:
        cache[name] = Region.objects.get(
            name=name, level__in=["city", "county", "zone"], path__startswith=_weifang_path()
        )
    return cache[name]


def _weifang_path() -> str:
    return Region.objects.get(code="370700").path


def _split_amount(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """`parts` positive amounts in whole 100万元 steps (the last one absorbs the remainder) that sum to `total`."""
    weights = [rng.uniform(0.4, 2.5) for _ in range(parts)]
    scale = sum(weights)
    amounts = [max(Decimal(500), (total * Decimal(w / scale) / 100).quantize(Decimal(1)) * 100) for w in weights[:-1]]
    amounts.append(total - sum(amounts))
    if amounts[-1] <= 0:
        raise ValueError("batch total too small for its count")
    return amounts


def _company(rng: random.Random, region: Region) -> str:
    kind = rng.choice(["科技", "实业", "新材料", "智能"])
    return f"山东{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_WORDS)}{kind}有限公司"


def load_demo(log: Callable[[str], None] = print) -> list[DemoLogin]:
    """Load the demo once; later calls only return the logins."""
    if User.objects.filter(username="admin").exists():
        log("演示数据已存在，跳过加载。")
        return demo_logins()
    with transaction.atomic():
        _load(log)
    return demo_logins()


def _load(log: Callable[[str], None]) -> None:
    system = Actor(user=None, source=AuditSource.SYSTEM)
    rng = random.Random(20240226)  # noqa: S311 - reproducible demo data, not security
    regions: dict[str, Region] = {}
    seed = json.loads(SEED_FILE.read_text(encoding="utf-8"))["projects"]

    # Units: each district government (the city list's 责任单位), 寒亭区's streets and departments.
    units: dict[str, Unit] = {}
    for name in sorted({p["unit"] for p in seed if p["unit"]}):
        region_name = name.replace("人民政府", "").replace("管委会", "")
        region = Region.objects.filter(name=region_name, path__startswith=_weifang_path()).first() or _region(
            "潍坊市", regions
        )
        units[name] = do_create_entry(system, Unit, name=name, kind=UnitKind.DEPARTMENT, region=region)
    hanting = _region("寒亭区", regions)
    for town in Region.objects.filter(parent=hanting).order_by("name"):
        units[town.name] = do_create_entry(
            system, Unit, name=f"寒亭区{town.name}", short_name=town.name, kind=UnitKind.STREET, region=hanting
        )
    for name in HANTING_DEPARTMENTS:
        units[name] = do_create_entry(system, Unit, name=name, kind=UnitKind.DEPARTMENT, region=hanting)
    for region_name in BATCHES:
        region = _region(region_name, regions)
        key = f"{region.name}发展和改革局" if region.level == "county" else f"{region.name}经济发展局"
        units.setdefault(key, do_create_entry(system, Unit, name=key, kind=UnitKind.DEPARTMENT, region=region))

    # People: the city list's 包靠领导 (city leaders), 寒亭区's district leaders.
    city = _region("潍坊市", regions)
    leaders: dict[str, Person] = {}
    city_titles = ["副市长", "市政府秘书长", "市政府副秘书长", "市发展改革委主任", "市工业和信息化局局长"]
    for i, name in enumerate(sorted({p["leader"] for p in seed if p["leader"]})):
        leaders[name] = do_create_entry(
            system, Person, name=name, title=city_titles[i % len(city_titles)], region=city, is_leader=True
        )
    hanting_leaders = [
        do_create_entry(system, Person, name=n, title=t, region=hanting, is_leader=True) for n, t in HANTING_LEADERS
    ]
    hanting_contacts: dict[str, Person] = {}

    # The list projects with their 2024 plans.
    projects_by_region: dict[str, list[Project]] = defaultdict(list)
    for i, row in enumerate(seed):
        region = _region(row["region_name"], regions)
        if Project.objects.filter(region=region, name=row["name"]).exists():
            continue
        if row["list"] == "district":
            streets = (u for u in units.values() if u.region_id == hanting.pk and u.short_name)
            street = next((u for u in streets if u.short_name in row["address"]), None)
            unit: Unit | None = street or units[HANTING_DEPARTMENTS[i % len(HANTING_DEPARTMENTS)]]
            leader: Person | None = hanting_leaders[i % len(hanting_leaders)]
        else:
            leader, unit = leaders.get(row["leader"]), units.get(row["unit"])
        if unit is not None and str(unit.pk) not in hanting_contacts and unit.region_id == hanting.pk:
            hanting_contacts[str(unit.pk)] = do_create_entry(
                system,
                Person,
                name=f"{unit.short_name or unit.name[:4]}联络员",
                title="项目联络员",
                region=hanting,
                unit=unit,
            )
        project = project_actions.do_create_project(
            system,
            name=row["name"],
            owner=row["owner"] or "",
            region=region,
            address=row["address"],
            industry=row["industry"] or "",
            category=row["category"],
            level=row["level"] or "",
            total_investment_wan=Decimal(str(row["total_investment_wan"]))
            if row["total_investment_wan"] is not None
            else None,
            scope=row["scope"] or "",
            start_year=row["start_year"],
            end_year=row["end_year"],
            leader=leader,
            unit=unit,
            person_in_charge=hanting_contacts.get(str(unit.pk)) if unit else None,
            tags="2024年市重点" if row["list"] == "city" else "2024年寒亭区重点",
            stage=Stage.UNDER_CONSTRUCTION
            if row["category"] in ("续建", "竣工")
            else (Stage.PRODUCING if row["category"] == "建成投产" else Stage.LANDED),
            stage_since=dt.date(2024, 1, 2),
        )
        plan_wan = Decimal(str(row["annual_plan_wan"])) if row["annual_plan_wan"] is not None else None
        milestones = _planned_milestones(row, rng)
        project_actions.do_create_plan(
            system, project, 2024, plan_wan, milestones, targets=f"完成年度投资{plan_wan or 0}万元"
        )
        projects_by_region[region.name].append(project)
    log(f"项目库：{Project.objects.count()} 个项目")

    # 寒亭区 task forces: one per district leader, for that leader's projects.
    for leader in hanting_leaders:
        led = [p for p in projects_by_region["寒亭区"] if p.leader_id == leader.pk]
        force = do_create_entry(
            system,
            TaskForce,
            name=f"{leader.name}包靠项目专班",
            region=hanting,
            unit=units[HANTING_DEPARTMENTS[0]],
            head=leader,
            members=[leader],
        )
        for project in led:
            project_actions.do_update_project(system, project, project.version, task_force=force)

    # The 2024-02-26 集中开工 batches, completed with generated projects to the reported count and total.
    for region_name, (count, total, venue, named) in BATCHES.items():
        region = _region(region_name, regions)
        chosen: list[Project] = []
        for name, owner, amount, industry in named:
            existing = Project.objects.filter(region=region, name=name).first()
            if existing is not None:
                project = existing
            else:
                project = project_actions.do_create_project(
                    system,
                    name=name,
                    owner=owner,
                    region=region,
                    industry=industry,
                    category="新开工",
                    total_investment_wan=amount,
                    start_year=2024,
                    end_year=2025,
                    tags="2024集中开工",
                )
            chosen.append(project)
        for project in projects_by_region.get(region_name, []):
            if len(chosen) >= count - 1 or project in chosen or project.category != "新开工":
                continue
            if project.total_investment_wan and sum(
                p.total_investment_wan or 0 for p in chosen
            ) + project.total_investment_wan < total * Decimal("0.6"):
                chosen.append(project)
        remaining = total - sum((p.total_investment_wan or Decimal(0)) for p in chosen)
        for amount in _split_amount(remaining, count - len(chosen), rng):
            industry, template = rng.choice(GENERATED_PRODUCTS)
            name = template.format(n=rng.choice([5, 10, 20, 30, 50, 100, 120, 200, 300, 500]))
            owner = _company(rng, region)
            name = f"{owner.replace('山东', '').replace('有限公司', '')}{name}"
            chosen.append(
                project_actions.do_create_project(
                    system,
                    name=name,
                    owner=owner,
                    region=region,
                    industry=industry,
                    category="新开工",
                    total_investment_wan=amount,
                    start_year=2024,
                    end_year=2024 + rng.choice([0, 1, 1, 2]),
                    tags="2024集中开工（演示生成）",
                    stage=Stage.LANDED,
                    stage_since=dt.date(2024, 1, 15),
                )
            )
        for project in chosen:
            if project.stage != Stage.UNDER_CONSTRUCTION:
                project_actions.do_change_stage(
                    system, project, None, Stage.UNDER_CONSTRUCTION, BATCH_DAY, "参加2024年2月26日全市重点项目集中开工"
                )
            project_actions.do_set_milestone_actual(system, project, MilestoneKind.START, BATCH_DAY, "集中开工")
        project_actions.do_create_batch_event(
            system,
            projects=chosen,
            kind=BatchKind.START,
            title=f"{region.name}2024年春季重点项目集中开工",
            region=region,
            date=BATCH_DAY,
            venue=venue,
            reported_count=count,
            reported_total_wan=total,
            source="潍坊日报 2024-02-27：全市重点项目集中开工",
        )
    log(f"集中开工活动：{len(BATCHES)} 场")

    # Two plan changes, to show baselines: one approved, one awaiting approval.
    revised = list(Project.objects.filter(region=hanting, plans__year=2024).order_by("code")[:2])
    for project, approve in zip(revised, (True, False), strict=False):
        plan = project.plans.get(year=2024)
        current = plan.current
        assert current is not None
        milestones = {m.kind: m.planned_date + dt.timedelta(days=45) for m in current.milestones.all()}
        project_actions.do_propose_plan_change(
            system,
            plan,
            plan.version,
            (current.planned_investment_wan or Decimal(0)) * Decimal("0.8"),
            milestones,
            reason="土地摘牌延后，计划顺延" if approve else "设备采购周期延长",
            approve=approve,
        )

    _create_users(system, regions, units, hanting_leaders)
    _ingest_news(system, log)
    _weekly_reports_and_ratings(system, log)
    _problems(system, log)
    _cadence(system, log)


def _cadence(system: Actor, log: Callable[[str], None]) -> None:
    """A 半月调度会 with decisions, the bulletin month 2024-03, observation rounds with panel scores
    (keyprojects.cadence.demo)."""
    from keyprojects.cadence.demo import load_cadence_demo

    load_cadence_demo(system, log)


def _problems(system: Actor, log: Callable[[str], None]) -> None:
    """A dozen 寒亭区 problems in every state, with 督办, 直通车, 约谈 and ledgers (keyprojects.problems.demo)."""
    from keyprojects.problems.demo import load_problem_demo

    load_problem_demo(system, log)


def _weekly_reports_and_ratings(system: Actor, log: Callable[[str], None]) -> None:
    """Reports for 2024-W01 … W13 and their ratings: all three cards, a 督办 and a 约谈 (keyprojects.ratings.demo)."""
    from keyprojects.ratings.demo import load_weekly_demo

    load_weekly_demo(system, log)


def _news_dir() -> Path | None:
    """The seed news reports: KEYPROJECTS_DEMO_NEWS, else ../shared/seeds beside a source checkout, else none."""
    configured = os.environ.get("KEYPROJECTS_DEMO_NEWS")
    if configured:
        return Path(configured)
    beside_checkout = Path(__file__).resolve().parents[4].parent / "shared" / "seeds"
    return beside_checkout if beside_checkout.is_dir() else None


def _ingest_news(system: Actor, log: Callable[[str], None]) -> None:
    """Put the seed reports through the news intake so that the review queue has facts to review."""
    from keyprojects.intake.actions import do_ingest

    folder = _news_dir()
    if folder is None:
        log("未找到演示新闻稿（../shared/seeds），新闻采集队列为空。")
        return
    facts = 0
    for path in sorted(folder.glob("*.txt")):
        article = do_ingest(system, path.read_text(encoding="utf-8"), source=path.name)
        facts += article.facts.count()
    log(f"新闻采集：{len(list(folder.glob('*.txt')))} 篇新闻稿，{facts} 条待审核事实")


def _planned_milestones(row: dict[str, Any], rng: random.Random) -> dict[str, dt.date]:
    start_year, end_year = row["start_year"] or 2024, row["end_year"] or 2024
    milestones: dict[str, dt.date] = {}
    if row["category"] == "新开工":
        milestones[MilestoneKind.START] = dt.date(2024, rng.choice([2, 3, 4, 5, 6]), rng.choice([1, 15, 28]))
    if end_year == 2024:
        milestones[MilestoneKind.COMPLETION] = dt.date(2024, rng.choice([9, 10, 11, 12]), 15)
        milestones[MilestoneKind.PRODUCTION] = dt.date(2024, 12, 28)
    elif start_year <= 2024:
        milestones[MilestoneKind.MAIN_STRUCTURE] = dt.date(2024, rng.choice([8, 9, 10, 11]), 30)
    return milestones


DEMO_USERS = [
    ("admin", Role.ADMIN, "系统管理员", None, None),
    ("supervisor", Role.SUPERVISOR, "潍坊市重大项目服务中心 督导员", "潍坊市", None),
    ("weicheng", Role.REGION_ADMIN, "潍城区发改局 管理员", "潍城区", None),
    ("hanting", Role.REGION_ADMIN, "寒亭区发改局 管理员", "寒亭区", None),
    ("hanting_supervisor", Role.SUPERVISOR, "寒亭区项目服务中心 督导员", "寒亭区", None),
    ("reporter", Role.REPORTER, "寒亭区发展和改革局 填报员", None, "寒亭区发展和改革局"),
    ("leader", Role.LEADER, "张立军（寒亭区区长）", "寒亭区", None),
    ("panel", Role.PANEL, "观摩评委", "潍坊市", None),
]


def _create_users(
    system: Actor, regions: dict[str, Region], units: dict[str, Unit], hanting_leaders: list[Person]
) -> None:
    for username, role, full_name, region_name, unit_name in DEMO_USERS:
        do_create_user(
            system,
            username,
            DEMO_PASSWORD,
            role,
            full_name,
            regions=[_region(region_name, regions)] if region_name else [],
            units=[units[unit_name]] if unit_name else [],
            person=hanting_leaders[0] if role == Role.LEADER else None,
        )


def demo_logins() -> list[DemoLogin]:
    logins = []
    for username, role, full_name, region_name, unit_name in DEMO_USERS:
        scope = "全部" if role == Role.ADMIN else "、".join(x for x in (region_name, unit_name) if x) or "本人包靠项目"
        logins.append(DemoLogin(username=username, role=f"{Role(role).label}（{full_name}）", scope=scope))
    return logins
