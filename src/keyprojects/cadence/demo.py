"""Demo cadence (DESIGN §9), as of the demo clock (2024-04-01), after the demo's weeks, ratings and problems:

- 寒亭区's 半月调度会 of 1 April, held by the district's supervisor, with three decisions assigned as problems;
- March 2024 is the bulletin month (`keyprojects bulletin --month 2024-03`): its five weeks are rated;
- 寒亭区's 上半年现场观摩 of 28 March, scored by five judges and closed (its results count in the assessment), and the
  city's 县市区观摩比拼, open for scoring, which the demo `panel` judge has not scored yet.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from keyprojects.accounts.actions import do_create_user
from keyprojects.accounts.choices import Role
from keyprojects.accounts.models import User
from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.cadence import actions, selectors
from keyprojects.cadence.choices import DEFAULT_CRITERIA, RoundStatus, TargetKind
from keyprojects.core.clock import SHANGHAI
from keyprojects.directory.models import Unit
from keyprojects.projects.models import Project
from keyprojects.regions.models import Region

PASSWORD = "demo-2024"
MEETING_DAY = dt.date(2024, 4, 1)
JUDGES = [
    ("panel2", "王建华（市人大代表）"),
    ("panel3", "刘芳（市政协委员）"),
    ("panel4", "陈志强（市发改委）"),
    ("panel5", "杨帆（行业专家）"),
]
DECISIONS = [
    ("约谈项目单位主要负责人，一周内提交整改方案并恢复周报", "其他", 5),
    ("区发改局牵头协调设备到货，两周内完成安装调试", "其他", 10),
    ("区自然资源局加快用地手续办理，月底前完成组卷报批", "土地", 10),
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def load_cadence_demo(system: Actor, log: Callable[[str], None] = print) -> None:
    rng = random.Random(20240328)  # noqa: S311 - reproducible demo data, not security
    hanting = Region.objects.get(code="370703")
    city = Region.objects.get(code="370700")
    district_supervisor = Actor(user=User.objects.get(username="hanting_supervisor"), source=AuditSource.SYSTEM)
    city_supervisor = Actor(user=User.objects.get(username="supervisor"), source=AuditSource.SYSTEM)

    # 半月调度: the agenda as of the meeting, decisions for the first projects on it.
    meeting = actions.do_create_meeting(
        district_supervisor,
        hanting,
        MEETING_DAY,
        venue="寒亭区政府三楼会议室",
        chair="张立军（区长）",
        attendees="区直有关部门、各街道主要负责同志，项目单位负责人",
        at=_at(MEETING_DAY, 9),
    )
    agenda = selectors.Agenda.from_json(meeting.agenda)
    projects = {p.pk: p for p in Project.objects.filter(pk__in=agenda.project_ids()).select_related("region")}
    fallback = Unit.objects.get(region=hanting, name="寒亭区发展和改革局")
    decided = 0
    for project_id, (text, category, days) in zip(agenda.project_ids(), DECISIONS, strict=False):
        project = projects[project_id]
        unit = project.unit or fallback
        actions.do_record_decision(
            district_supervisor,
            meeting,
            project,
            text=text,
            unit=unit,
            working_days=days,
            category=category,
            detail="会议决定，承办单位每周报告进展。",
            at=_at(MEETING_DAY, 11),
        )
        decided += 1
    counts = agenda.counts()
    log(
        f"调度会：{meeting.title}，红牌{counts['red']}个、约谈{counts['summons']}项、停滞{counts['stalled']}个，"
        f"决定事项{decided}项"
    )

    # 半年观摩: five judges (the demo's `panel` and four more), a closed district round and an open city round.
    judges = [User.objects.get(username="panel")]
    for username, name in JUDGES:
        judges.append(do_create_user(system, username, PASSWORD, Role.PANEL, name, regions=[city]))
    criteria = [(name, Decimal(weight)) for name, weight in DEFAULT_CRITERIA]
    observed = list(
        Project.objects.filter(region=hanting, plans__year=2024, weekly_ratings__week_start=dt.date(2024, 3, 25))
        .order_by("-weekly_ratings__score", "code")[:6]
    )
    district_round = actions.do_create_round(
        district_supervisor,
        actions.RoundSetup(
            title="寒亭区2024年上半年重点项目现场观摩",
            region=hanting,
            year=2024,
            half=1,
            held_on=dt.date(2024, 3, 28),
            target_kind=TargetKind.PROJECT,
            criteria=criteria,
            projects=observed,
            regions=[],
            panel=judges,
            note="观摩路线按项目顺序，每个项目现场汇报5分钟。",
        ),
    )
    district_round = actions.do_set_round_status(district_supervisor, district_round, 1, RoundStatus.SCORING)
    comments = ["现场管理规范，进度符合计划", "设备安装进度需加快", "科技含量高，带动作用明显", "", "要素保障需落实"]
    criteria_rows = list(district_round.criteria.order_by("order"))
    for target in district_round.targets.select_related("project").order_by("order"):
        base = rng.uniform(72, 92)
        for judge in judges:
            scores = {c.pk: Decimal(min(100, max(50, round(base + rng.uniform(-8, 8))))) for c in criteria_rows}
            judge_actor = Actor(user=judge, source=AuditSource.SYSTEM)
            at = _at(dt.date(2024, 3, 28), 16)
            actions.do_save_sheet(judge_actor, target, scores, rng.choice(comments), at=at)
    district_round = actions.do_set_round_status(
        district_supervisor, district_round, district_round.version, RoundStatus.CLOSED
    )
    view = selectors.round_view(district_round)
    best = view.results[0]
    log(
        f"观摩：{district_round.title}，{len(view.targets)}个项目，评委{len(judges)}人，"
        f"第一名{best.target.name}（{best.result}分）"
    )

    counties = list(Region.objects.filter(code__in=["370702", "370703", "370704", "370705"]).order_by("code"))
    city_round = actions.do_create_round(
        city_supervisor,
        actions.RoundSetup(
            title="潍坊市2024年上半年县市区重点项目观摩比拼",
            region=city,
            year=2024,
            half=1,
            held_on=MEETING_DAY,
            target_kind=TargetKind.REGION,
            criteria=[("项目数量与投资规模", Decimal(30)), ("建设进度", Decimal(40)), ("要素保障与服务", Decimal(30))],
            projects=[],
            regions=counties,
            panel=judges,
        ),
    )
    actions.do_set_round_status(city_supervisor, city_round, city_round.version, RoundStatus.SCORING)
    log(f"观摩：{city_round.title}（评分中，观摩评委 panel 可登录评分）")
    log("每月通报：2024年3月各周均已评分，可下载或执行 keyprojects bulletin --month 2024-03")
