"""Demo problems for 寒亭区 as of the demo clock (2024-04-01): a dozen problems in every state of the loop, replayed day
by day through the actions — raising, 交办, 签收, 办结, 退回, 销号 — with the daily overdue sweep run each morning, so
that the 督办 notices, the escalation to the 直通车 queue and the 约谈 list arise the way they would in real use.

The handling units that have no users in the core demo get one 填报员 each (password as the other demo users).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from keyprojects.accounts.actions import do_create_user
from keyprojects.accounts.choices import Role
from keyprojects.accounts.models import User
from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.core.clock import SHANGHAI
from keyprojects.directory.actions import do_create_entry
from keyprojects.directory.choices import UnitKind
from keyprojects.directory.models import Person, Unit
from keyprojects.problems import actions
from keyprojects.problems.models import Problem
from keyprojects.projects.models import Project
from keyprojects.regions.models import Region

D = dt.date
PASSWORD = "demo-2024"
NEW_UNITS = [
    ("寒亭区自然资源局", "hanting_zrj", "寒亭区自然资源局 填报员"),
    ("国网潍坊市寒亭区供电公司", "hanting_power", "寒亭区供电公司 填报员"),
    ("寒亭区住房和城乡建设局", "hanting_zjj", "寒亭区住房和城乡建设局 填报员"),
]
DRC = "寒亭区发展和改革局"  # the core demo's `reporter` belongs to it

# (project index, title, category, channel, raised, [(day, step, unit, working days / text)])
# Element shortfalls are raised from the ledger (title None).
PLAN: list[tuple[int, str | None, str, str, D, list[tuple[D, str, str, Any]]]] = [
    (
        0,
        None,
        "土地",
        "normal",
        D(2024, 3, 4),
        [(D(2024, 3, 5), "assign", "寒亭区自然资源局", 10), (D(2024, 3, 6), "accept", "", "")],
    ),
    (
        1,
        "施工用电增容未批复",
        "水电气暖",
        "normal",
        D(2024, 2, 26),
        [(D(2024, 2, 27), "assign", "国网潍坊市寒亭区供电公司", 5), (D(2024, 2, 28), "accept", "", "")],
    ),
    (2, "环评批复尚未取得，影响开工", "环境指标/环评", "direct", D(2024, 3, 27), []),
    (
        3,
        "设备购置贷款授信未落地",
        "资金",
        "normal",
        D(2024, 3, 11),
        [(D(2024, 3, 12), "assign", DRC, 10), (D(2024, 3, 13), "accept", "", "")],
    ),
    (
        4,
        "项目投产前招工缺口60人",
        "用工",
        "normal",
        D(2024, 3, 14),
        [(D(2024, 3, 15), "consult", "", "4月2日组织人社局、园区会商")],
    ),
    (
        5,
        "建设工程规划许可证办理缓慢",
        "审批手续",
        "normal",
        D(2024, 3, 20),
        [(D(2024, 3, 21), "assign", "寒亭区住房和城乡建设局", 10), (D(2024, 3, 22), "accept", "", "")],
    ),
    (6, None, "能耗", "normal", D(2024, 3, 25), []),
    (
        7,
        "厂区道路征迁遗留2户",
        "征迁",
        "normal",
        D(2024, 2, 20),
        [
            (D(2024, 2, 21), "assign", DRC, 5),
            (D(2024, 2, 22), "accept", "", ""),
            (D(2024, 3, 1), "resolve", "", "街道已与2户签订补偿协议并完成腾退"),
            (D(2024, 3, 4), "close", "", "现场核验属实"),
        ],
    ),
    (
        8,
        "天然气管道接入",
        "水电气暖",
        "normal",
        D(2024, 3, 1),
        [
            (D(2024, 3, 4), "assign", "国网潍坊市寒亭区供电公司", 10),
            (D(2024, 3, 5), "accept", "", ""),
            (D(2024, 3, 20), "resolve", "", "燃气公司已完成管道接驳，待通气验收"),
        ],
    ),
    (
        9,
        "土地摘牌延后",
        "土地",
        "normal",
        D(2024, 2, 22),
        [
            (D(2024, 2, 23), "assign", "寒亭区自然资源局", 10),
            (D(2024, 2, 26), "accept", "", ""),
            (D(2024, 3, 7), "resolve", "", "已完成土地摘牌"),
            (D(2024, 3, 8), "return", "", "缺少不动产权证书，请补充"),
            (D(2024, 3, 13), "resolve", "", "已取得不动产权证书"),
        ],
    ),
    (
        10,
        "市级配套资金拨付滞后",
        "资金",
        "normal",
        D(2024, 3, 18),
        [(D(2024, 3, 19), "assign", DRC, 3), (D(2024, 3, 20), "accept", "", "")],
    ),
    (
        11,
        "消防验收排期",
        "审批手续",
        "normal",
        D(2024, 3, 5),
        [
            (D(2024, 3, 6), "assign", "寒亭区住房和城乡建设局", 5),
            (D(2024, 3, 7), "accept", "", ""),
            (D(2024, 3, 12), "resolve", "", "已完成消防验收"),
            (D(2024, 3, 14), "close", "", ""),
        ],
    ),
]
LEDGER = [  # (project index, kind, required, secured, needed by)
    (0, "land", Decimal(120), Decimal(75), D(2024, 5, 31)),
    (0, "funds", Decimal(80000), Decimal(80000), None),
    (6, "energy", Decimal(12000), Decimal(4000), D(2024, 6, 30)),
    (6, "land", Decimal(60), Decimal(60), None),
    (3, "funds", Decimal(35000), Decimal(12000), D(2024, 4, 30)),
    (5, "emission", Decimal("18.5"), Decimal(10), D(2024, 7, 31)),
]


def _at(day: D, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def load_problem_demo(system: Actor, log: Callable[[str], None]) -> None:
    hanting = Region.objects.get(code="370703")
    zhang = Person.objects.filter(region=hanting, name="张立军").first()
    actions.do_save_rules(
        system, hanting, None, top_leader=zhang, normal_days=10, direct_days=3, escalate_after=5, summon_after=10
    )
    units = {u.name: u for u in Unit.objects.filter(region=hanting)}
    for name, username, full_name in NEW_UNITS:
        if name not in units:
            units[name] = do_create_entry(system, Unit, name=name, kind=UnitKind.DEPARTMENT, region=hanting)
        if not User.objects.filter(username=username).exists():
            do_create_user(system, username, PASSWORD, Role.REPORTER, full_name, units=[units[name]])
    staff = {u.name: User.objects.filter(scope_units=u, role=Role.REPORTER).first() for u in units.values()}
    supervisor = User.objects.filter(username="hanting_supervisor").first()
    projects = list(Project.objects.filter(region=hanting, plans__year=2024).order_by("code")[: len(PLAN)])
    if len(projects) < len(PLAN):
        log("寒亭区项目不足，跳过问题演示数据。")
        return

    elements = {}
    for index, kind, required, secured, needed_by in LEDGER:
        elements[(index, kind)] = actions.do_save_element(
            system, projects[index], kind, None, required=required, secured=secured, needed_by=needed_by
        )

    def by(user: User | None) -> Actor:
        return Actor(user=user, source=AuditSource.UI) if user else system

    # Everything that happens, in time order; the sweep runs every morning at 07:30.
    timeline: list[tuple[dt.datetime, int, Callable[[], None]]] = []
    made: dict[int, Problem] = {}

    def raise_step(index: int, title: str | None, category: str, channel: str, day: D) -> Callable[[], None]:
        def run() -> None:
            project = projects[index]
            if title is None:
                kind = {"土地": "land", "能耗": "energy"}[category]
                made[index] = actions.do_raise_from_shortfall(
                    by(supervisor), elements[(index, kind)], at=_at(day, 9, 30)
                )
            else:
                made[index] = actions.do_raise_problem(
                    by(supervisor),
                    project,
                    title=title,
                    category=category,
                    channel=channel,
                    at=_at(day, 9, 30),
                    description=f"{project.name}：{title}，请协调解决。",
                )

        return run

    def step(index: int, day: D, name: str, unit_name: str, value: Any) -> Callable[[], None]:
        def run() -> None:
            problem = Problem.objects.get(pk=made[index].pk)
            assigned = problem.assigned_unit.name if problem.assigned_unit else ""
            actor = {
                "assign": supervisor,
                "consult": supervisor,
                "close": supervisor,
                "return": supervisor,
            }.get(name) or staff.get(assigned)
            kwargs: dict[str, Any] = {"at": _at(day, 15)}
            if name == "assign":
                kwargs.update(unit=units[unit_name], working_days=value)
            elif name == "resolve":
                kwargs.update(resolution=value)
            else:
                kwargs.update(comment=value)
            made[index] = actions.do_transition(by(actor), problem, problem.version, name, **kwargs)

        return run

    for order, (index, title, category, channel, raised, steps) in enumerate(PLAN):
        timeline.append((_at(raised, 9, 30), order, raise_step(index, title, category, channel, raised)))
        for day, name, unit_name, value in steps:
            timeline.append((_at(day, 15), order, step(index, day, name, unit_name, value)))

    def sweep(day: D) -> Callable[[], None]:
        def run() -> None:
            actions.do_sweep_overdue(system, today=day, at=_at(day, 7, 30))

        return run

    day = D(2024, 2, 21)
    while day <= D(2024, 4, 1):
        timeline.append((_at(day, 7, 30), -1, sweep(day)))
        day += dt.timedelta(days=1)
    for _when, _order, run in sorted(timeline, key=lambda item: (item[0], item[1])):
        run()

    problems = Problem.objects.filter(project__region=hanting)
    log(
        f"问题闭环：{problems.count()} 个问题，逾期 {problems.overdue(D(2024, 4, 1)).count()} 个，"
        f"直通车 {problems.filter(channel='direct').count()} 个，约谈 {problems.filter(escalation=3).count()} 个"
    )
