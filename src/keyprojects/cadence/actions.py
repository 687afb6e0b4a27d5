"""The only code that writes dispatch meetings and decisions, observation rounds and score sheets, and the assessment
weights. Every function is atomic, re-checks the actor's permission and scope, and records its audit entry in the same
transaction. A decision of a meeting becomes an assigned problem through the problem loop's own actions.

`at` parameters exist for the demo loader, which replays a plausible history; pages and the API never pass them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from keyprojects.accounts.access import require_perm, require_region_in_scope
from keyprojects.accounts.models import User
from keyprojects.accounts.permissions import CADENCE_RUN, OBSERVATION_SCORE, has_perm
from keyprojects.audit.actions import Actor, diff, record, record_create, snapshot
from keyprojects.audit.models import AuditAction
from keyprojects.cadence import assessment as formula
from keyprojects.cadence import observation, selectors
from keyprojects.cadence.choices import Half, RoundStatus, TargetKind
from keyprojects.cadence.models import (
    AssessmentRule,
    DispatchDecision,
    DispatchMeeting,
    ObservationCriterion,
    ObservationRound,
    ObservationScore,
    ObservationSheet,
    ObservationTarget,
    PanelMember,
)
from keyprojects.core import clock, editing
from keyprojects.directory.models import Unit
from keyprojects.problems import actions as problem_actions
from keyprojects.problems.choices import Category, Channel, Transition
from keyprojects.projects.models import Project
from keyprojects.regions.models import Region

MEETING_FIELDS = ("region", "held_on", "title", "venue", "chair", "attendees", "minutes")
DECISION_FIELDS = ("meeting", "project", "text", "detail", "unit", "working_days", "problem")
ROUND_FIELDS = ("title", "region", "year", "half", "held_on", "target_kind", "status", "note")
RULE_FIELDS = (
    "region",
    "weight_score",
    "weight_blue",
    "weight_red",
    "weight_problems",
    "weight_observation",
    "excellent_min",
    "good_min",
    "fair_min",
    "note",
)
STATUS_EDGES = {
    (RoundStatus.DRAFT, RoundStatus.SCORING),
    (RoundStatus.SCORING, RoundStatus.DRAFT),
    (RoundStatus.SCORING, RoundStatus.CLOSED),
    (RoundStatus.CLOSED, RoundStatus.SCORING),
}


def _now(at: dt.datetime | None) -> dt.datetime:
    return (at or clock.now()).astimezone(clock.SHANGHAI)


def _require_in_region(project: Project, region: Region, message: str) -> None:
    if not project.region.path.startswith(region.path):
        raise ValidationError({"project": message})


# --- 半月调度 -------------------------------------------------------------------------------------------------------


def meeting_title(region: Region, day: dt.date) -> str:
    half = "上半月" if day.day <= 15 else "下半月"
    return f"{region.name}{day.year}年{day.month}月{half}重点项目调度会"


@transaction.atomic
def do_create_meeting(
    actor: Actor,
    region: Region,
    held_on: dt.date,
    *,
    title: str = "",
    venue: str = "",
    chair: str = "",
    attendees: str = "",
    at: dt.datetime | None = None,
) -> DispatchMeeting:
    """Set up a meeting and prepare its agenda as of now (the agenda is the user's view: it needs a user)."""
    require_perm(actor.user, CADENCE_RUN)
    if actor.user is None:
        raise ValidationError(_("调度会议程按召集人的管辖范围生成，须由登录的督导员召开。"))
    require_region_in_scope(actor.user, region)
    if DispatchMeeting.objects.filter(region=region, held_on=held_on).exists():
        taken = _("%(region)s%(day)s已有调度会。") % {"region": region.name, "day": f"{held_on:%Y-%m-%d}"}
        raise ValidationError({"held_on": taken})
    agenda = selectors.agenda(actor.user, region, held_on)
    meeting = DispatchMeeting(
        region=region,
        held_on=held_on,
        title=title.strip() or meeting_title(region, held_on),
        venue=venue.strip(),
        chair=chair.strip(),
        attendees=attendees.strip(),
        week_start=selectors.agenda_week(held_on).monday,
        agenda=agenda.to_json(),
        agenda_at=_now(at),
        created_by=actor.user,
    )
    counts = agenda.counts()
    summary = (
        f"议程：红牌{counts['red']}个（新亮红牌{counts['newly_red']}个），约谈{counts['summons']}项，"
        f"直通车问题{counts['direct']}个，逾期问题{counts['overdue']}个，停滞项目{counts['stalled']}个"
    )
    return editing.create(actor, meeting, MEETING_FIELDS, summary)


@transaction.atomic
def do_refresh_agenda(
    actor: Actor, meeting: DispatchMeeting, expected_version: int | None, at: dt.datetime | None = None
) -> DispatchMeeting:
    """Prepare the agenda again (before the meeting, when cards or problems changed)."""
    require_perm(actor.user, CADENCE_RUN)
    if actor.user is None:
        raise ValidationError(_("调度会议程按召集人的管辖范围生成，须由登录的督导员刷新。"))
    locked = editing.lock_for_update(DispatchMeeting, meeting.pk, expected_version)
    region = Region.objects.get(pk=locked.region_id)
    require_region_in_scope(actor.user, region)
    agenda = selectors.agenda(actor.user, region, locked.held_on)
    locked.agenda, locked.agenda_at = agenda.to_json(), _now(at)
    locked.version += 1
    locked.save()
    counts = agenda.counts()
    record(actor, AuditAction.UPDATE, locked, {"会议议程": [None, f"红牌{counts['red']}个"]}, "重新生成议程")
    return locked


@transaction.atomic
def do_update_meeting(actor: Actor, meeting: DispatchMeeting, expected_version: int | None, **values: Any) -> Any:
    require_perm(actor.user, CADENCE_RUN)
    require_region_in_scope(actor.user, meeting.region)
    allowed = {"title", "venue", "chair", "attendees", "minutes"}
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(_("不能修改：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    return editing.update(
        actor,
        DispatchMeeting,
        meeting.pk,
        expected_version,
        {k: (v or "").strip() for k, v in values.items()},
        MEETING_FIELDS,
    )


@transaction.atomic
def do_record_decision(
    actor: Actor,
    meeting: DispatchMeeting,
    project: Project,
    *,
    text: str,
    unit: Unit,
    working_days: int,
    category: str = Category.OTHER,
    detail: str = "",
    at: dt.datetime | None = None,
) -> DispatchDecision:
    """A decision of the meeting: raised as a problem of the project and assigned at once to `unit` with a time limit
    of `working_days` (the problem loop's 提出 and 交办, with their notices)."""
    require_perm(actor.user, CADENCE_RUN)
    require_region_in_scope(actor.user, meeting.region)
    _require_in_region(project, meeting.region, _("项目须在%(region)s范围内。") % {"region": meeting.region})
    if not text.strip():
        raise ValidationError({"text": _("请填写决定事项。")})
    if category not in Category.values:
        raise ValidationError({"category": _("未知的问题类别。")})
    lead = f"{meeting.title}（{meeting.held_on:%Y年%-m月%-d日}）决定事项"
    problem = problem_actions.do_raise_problem(
        actor,
        project,
        title=text.strip(),
        description=f"{lead}。{detail.strip()}".rstrip("。") + "。",
        category=category,
        channel=Channel.NORMAL,
        at=at,
    )
    problem = problem_actions.do_transition(
        actor,
        problem,
        problem.version,
        Transition.ASSIGN,
        unit=unit,
        working_days=working_days,
        comment=lead,
        at=at,
    )
    decision = DispatchDecision(
        meeting=meeting,
        project=project,
        text=text.strip(),
        detail=detail.strip(),
        unit=unit,
        working_days=working_days,
        problem=problem,
        created_by=actor.user,
        created_at=_now(at),
    )
    decision.full_clean()
    decision.save()
    record_create(actor, decision, DECISION_FIELDS, f"交办{unit}，{working_days}个工作日内办结（{problem.deadline}）")
    return decision


# --- 半年观摩 -------------------------------------------------------------------------------------------------------


@dataclass
class RoundSetup:
    """Everything a supervisor fixes before scoring starts."""

    title: str
    region: Region
    year: int
    half: int
    held_on: dt.date
    target_kind: str
    criteria: list[tuple[str, Decimal]]
    projects: list[Project]
    regions: list[Region]
    panel: list[User]
    note: str = ""


def parse_criteria(text: str) -> list[tuple[str, Decimal]]:
    """Lines like “建设进度 40” or “建设进度，40” → [(name, weight)]; the error names the line."""
    found: list[tuple[str, Decimal]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("，", " ").replace(",", " ").replace("\t", " ")
        if not line:
            continue
        name, _sep, weight = line.rpartition(" ")
        try:
            value = Decimal(weight.strip().rstrip("%％分"))
        except InvalidOperation as exc:
            raise ValidationError(
                {"criteria": _("第%(number)s行“%(line)s”应写作“指标名称 权重”。") 
                % {"number": number, "line": raw.strip()}}
            ) from exc
        if not name.strip():
            raise ValidationError({"criteria": _("第%(number)s行缺少指标名称。") % {"number": number}})
        found.append((name.strip(), value))
    return found


def _check_setup(actor: Actor, setup: RoundSetup) -> None:
    require_region_in_scope(actor.user, setup.region)
    errors: dict[str, str] = {}
    if not setup.title.strip():
        errors["title"] = _("请填写观摩活动名称。")
    if setup.half not in Half.values:
        errors["half"] = _("请选择上半年或下半年。")
    if setup.target_kind not in TargetKind.values:
        errors["target_kind"] = _("未知的观摩对象类型。")
    names = [name for name, _ in setup.criteria]
    if not setup.criteria:
        errors["criteria"] = _("请至少设置一项评分指标。")
    elif len(set(names)) != len(names):
        errors["criteria"] = _("评分指标名称不能重复。")
    elif any(weight <= 0 for _, weight in setup.criteria):
        errors["criteria"] = _("评分指标的权重须大于0。")
    targets = setup.projects if setup.target_kind == TargetKind.PROJECT else setup.regions
    if not targets:
        errors["targets"] = (
            _("请选择观摩项目。") if setup.target_kind == TargetKind.PROJECT else _("请选择观摩的县市区。")
        )
    outside = [p.name for p in setup.projects if not p.region.path.startswith(setup.region.path)]
    outside += [r.name for r in setup.regions if not r.path.startswith(setup.region.path) or r.pk == setup.region.pk]
    if outside:
        errors["targets"] = _("观摩对象须在%(region)s范围内：%(names)s。") % {
            "region": setup.region,
            "names": "、".join(outside),
        }
    if actor.user is not None and setup.projects:
        wanted = [p.pk for p in setup.projects]
        visible = set(Project.objects.for_user(actor.user).filter(pk__in=wanted).values_list("pk", flat=True))
        hidden = [p.name for p in setup.projects if p.pk not in visible]
        if hidden:
            errors["targets"] = _("以下项目不在您的管辖范围内：%(names)s。") % {"names": "、".join(hidden)}
    not_panel = [str(u) for u in setup.panel if not u.is_active or not has_perm(u, OBSERVATION_SCORE)]
    if not_panel:
        errors["panel"] = _("评委须为启用的“观摩评委”账号：%(names)s。") % {"names": "、".join(not_panel)}
    if errors:
        raise ValidationError(errors)


def _write_setup(round_: ObservationRound, setup: RoundSetup) -> None:
    round_.criteria.all().delete()
    round_.targets.all().delete()
    round_.panel.all().delete()
    ObservationCriterion.objects.bulk_create(
        [
            ObservationCriterion(round=round_, order=i, name=name, weight=weight)
            for i, (name, weight) in enumerate(setup.criteria, start=1)
        ]
    )
    if setup.target_kind == TargetKind.PROJECT:
        targets = [ObservationTarget(round=round_, order=i, project=p) for i, p in enumerate(setup.projects, 1)]
    else:
        targets = [ObservationTarget(round=round_, order=i, region=r) for i, r in enumerate(setup.regions, 1)]
    ObservationTarget.objects.bulk_create(targets)
    PanelMember.objects.bulk_create([PanelMember(round=round_, user=u) for u in dict.fromkeys(setup.panel)])


def _setup_summary(setup: RoundSetup) -> str:
    criteria = "、".join(f"{name}{observation.plain(weight)}" for name, weight in setup.criteria)
    count = len(setup.projects) if setup.target_kind == TargetKind.PROJECT else len(setup.regions)
    return f"评分指标：{criteria}；观摩对象{count}个；评委{len(set(setup.panel))}人"


@transaction.atomic
def do_create_round(actor: Actor, setup: RoundSetup) -> ObservationRound:
    require_perm(actor.user, CADENCE_RUN)
    _check_setup(actor, setup)
    round_ = ObservationRound(
        title=setup.title.strip(),
        region=setup.region,
        year=setup.year,
        half=setup.half,
        held_on=setup.held_on,
        target_kind=setup.target_kind,
        note=setup.note.strip(),
        created_by=actor.user,
    )
    editing.create(actor, round_, ROUND_FIELDS, _setup_summary(setup))
    _write_setup(round_, setup)
    return round_


@transaction.atomic
def do_update_round(
    actor: Actor, round_: ObservationRound, expected_version: int | None, setup: RoundSetup
) -> ObservationRound:
    """Change a round while it is being set up; once scoring has started, criteria, targets and panel are fixed."""
    require_perm(actor.user, CADENCE_RUN)
    locked = editing.lock_for_update(ObservationRound, round_.pk, expected_version)
    if locked.status != RoundStatus.DRAFT:
        raise ValidationError(
            _("观摩活动当前状态为“%(status)s”，只有设置中的活动可以修改。") % {"status": locked.get_status_display()}
        )
    require_region_in_scope(actor.user, Region.objects.get(pk=locked.region_id))
    _check_setup(actor, setup)
    before = snapshot(locked, ROUND_FIELDS)
    locked.title, locked.region, locked.year, locked.half = setup.title.strip(), setup.region, setup.year, setup.half
    locked.held_on, locked.target_kind, locked.note = setup.held_on, setup.target_kind, setup.note.strip()
    locked.full_clean()
    locked.version += 1
    locked.save()
    _write_setup(locked, setup)
    changes = diff(before, snapshot(locked, ROUND_FIELDS)) | {"设置": [None, _setup_summary(setup)]}
    record(actor, AuditAction.UPDATE, locked, changes)
    return locked


@transaction.atomic
def do_set_round_status(
    actor: Actor, round_: ObservationRound, expected_version: int | None, status: str
) -> ObservationRound:
    """设置中 → 评分中 (needs criteria, targets and a panel) → 已结束; 评分中 → 设置中 while nobody has scored;
    已结束 → 评分中 to let the panel correct a sheet."""
    require_perm(actor.user, CADENCE_RUN)
    locked = editing.lock_for_update(ObservationRound, round_.pk, expected_version)
    require_region_in_scope(actor.user, Region.objects.get(pk=locked.region_id))
    if status not in RoundStatus.values:
        raise ValidationError({"status": _("未知的状态。")})
    current = RoundStatus(locked.status)
    target = RoundStatus(status)
    if (current, target) not in STATUS_EDGES:
        raise ValidationError(
            _("观摩活动当前状态为“%(current)s”，不能改为“%(target)s”。")
            % {"current": current.label, "target": target.label}
        )
    sheets = ObservationSheet.objects.filter(target__round=locked)
    if target == RoundStatus.SCORING and current == RoundStatus.DRAFT:
        missing = [
            label
            for label, exists in (
                (_("评分指标"), locked.criteria.exists()),
                (_("观摩对象"), locked.targets.exists()),
                (_("评委"), locked.panel.exists()),
            )
            if not exists
        ]
        if missing:
            raise ValidationError(_("开始评分前须设置%(missing)s。") % {"missing": "、".join(missing)})
    if target == RoundStatus.DRAFT and sheets.exists():
        raise ValidationError(_("已有评委提交评分，不能退回设置。"))
    if target == RoundStatus.CLOSED and not sheets.exists():
        raise ValidationError(_("尚无评委提交评分，不能结束评分。"))
    before = snapshot(locked, ("status",))
    locked.status = target
    locked.version += 1
    locked.save()
    record(actor, AuditAction.UPDATE, locked, diff(before, snapshot(locked, ("status",))))
    return locked


@transaction.atomic
def do_save_sheet(
    actor: Actor,
    target: ObservationTarget,
    scores: Mapping[int, Decimal | None],
    comment: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> ObservationSheet:
    """A panel member's scores (0–100 per criterion) and comment for one target of a round he sits on, while the
    round is being scored. Saving again replaces the sheet (on the version the member saw)."""
    require_perm(actor.user, OBSERVATION_SCORE)
    round_ = ObservationRound.objects.select_for_update().get(pk=target.round_id)
    member = PanelMember.objects.filter(round=round_, user=actor.user).first() if actor.user is not None else None
    if member is None:
        raise PermissionDenied(_("您不是本次观摩的评委，不能评分。"))
    if round_.status != RoundStatus.SCORING:
        raise ValidationError(
            _("观摩活动当前状态为“%(status)s”，不在评分阶段。") % {"status": round_.get_status_display()}
        )
    criteria = list(round_.criteria.order_by("order"))
    try:
        clean = observation.check_scores(scores, {c.pk: c.name for c in criteria})
        total = observation.sheet_total(clean, {c.pk: c.weight for c in criteria})
    except observation.ScoreError as exc:
        raise ValidationError({f"score_{k}" if k.isdigit() else k: v for k, v in exc.errors.items()}) from exc
    now = _now(at)
    existing = ObservationSheet.objects.filter(target=target, member=member).first()
    names = {c.pk: c.name for c in criteria}
    after = {names[k]: str(v.normalize()) for k, v in clean.items()} | {"加权得分": str(total), "点评": comment.strip()}
    if existing is None:
        sheet = ObservationSheet.objects.create(
            target=target, member=member, total=total, comment=comment.strip(), submitted_at=now
        )
        before: dict[str, Any] = {}
    else:
        sheet = editing.lock_for_update(ObservationSheet, existing.pk, expected_version)
        old = {names[s.criterion_id]: str(s.score.normalize()) for s in sheet.scores.all()}
        before = old | {"加权得分": str(sheet.total), "点评": sheet.comment}
        sheet.total, sheet.comment, sheet.submitted_at = total, comment.strip(), now
        sheet.version += 1
        sheet.save()
        sheet.scores.all().delete()
    ObservationScore.objects.bulk_create(
        [ObservationScore(sheet=sheet, criterion_id=k, score=v) for k, v in clean.items()]
    )
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    action = AuditAction.CREATE if existing is None else AuditAction.UPDATE
    record(actor, action, sheet, changes, f"{round_.title}：{target.name}")
    return sheet


@transaction.atomic
def do_comment_target(actor: Actor, target: ObservationTarget, summary: str) -> ObservationTarget:
    """The organiser's 综合点评 of an observed project or region."""
    require_perm(actor.user, CADENCE_RUN)
    round_ = ObservationRound.objects.select_related("region").get(pk=target.round_id)
    require_region_in_scope(actor.user, round_.region)
    locked = ObservationTarget.objects.select_for_update().get(pk=target.pk)
    before = locked.summary
    locked.summary = summary.strip()
    locked.save(update_fields=["summary"])
    record(actor, AuditAction.UPDATE, round_, {"综合点评": [before or None, locked.summary]}, locked.name)
    return locked


# --- 绩效考核 -------------------------------------------------------------------------------------------------------


@transaction.atomic
def do_save_assessment_rule(
    actor: Actor, region: Region, expected_version: int | None, **values: Any
) -> AssessmentRule:
    """The weights and grade lines of the assessment for a region and below; a change of an existing rule must be
    based on its current version."""
    require_perm(actor.user, CADENCE_RUN)
    require_region_in_scope(actor.user, region)
    defaults = formula.DEFAULT_WEIGHTS
    fields = {
        "weight_score": defaults.score,
        "weight_blue": defaults.blue,
        "weight_red": defaults.red,
        "weight_problems": defaults.problems,
        "weight_observation": defaults.observation,
        "excellent_min": defaults.excellent_min,
        "good_min": defaults.good_min,
        "fair_min": defaults.fair_min,
    }
    unknown = set(values) - set(fields) - {"note"}
    if unknown:
        raise ValidationError(_("未知的参数：%(names)s") % {"names": "、".join(sorted(unknown))})
    existing = AssessmentRule.objects.filter(region=region).first()
    merged = {
        name: Decimal(str(values.get(name, getattr(existing, name, default)))) for name, default in fields.items()
    }
    weights = formula.Weights(
        score=merged["weight_score"],
        blue=merged["weight_blue"],
        red=merged["weight_red"],
        problems=merged["weight_problems"],
        observation=merged["weight_observation"],
        excellent_min=merged["excellent_min"],
        good_min=merged["good_min"],
        fair_min=merged["fair_min"],
    )
    errors = weights.errors()
    if errors:
        raise ValidationError(errors)
    note = str(values.get("note", getattr(existing, "note", "")) or "").strip()
    if existing is None:
        return editing.create(actor, AssessmentRule(region=region, note=note, **merged), RULE_FIELDS)
    return editing.update(actor, AssessmentRule, existing.pk, expected_version, {**merged, "note": note}, RULE_FIELDS)
