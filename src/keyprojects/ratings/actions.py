"""The only code that writes rule sets, ratings, overrides and escalations. Atomic and audited.

`do_rate_week` rates every listed project for one week: a fixed number of set-based reads (ratings.inputs), the pure
formula (ratings.scoring) in memory, then one DELETE and one multi-row INSERT of the week's rows. Running it twice
gives the same rows (idempotent); overrides are kept apart and applied again; escalations are created once per red
streak and never removed.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from keyprojects.accounts.access import require_perm, require_region_in_scope
from keyprojects.accounts.choices import Role
from keyprojects.accounts.models import User
from keyprojects.accounts.permissions import RATING_CONFIGURE, RATING_OVERRIDE
from keyprojects.audit.actions import Actor, record, record_create
from keyprojects.audit.models import AuditAction
from keyprojects.core import clock, locks
from keyprojects.core.memory import fewer_collections
from keyprojects.projects.choices import Level
from keyprojects.projects.models import Project
from keyprojects.ratings import inputs, scoring
from keyprojects.ratings import reasons as R
from keyprojects.ratings.choices import Colour, EscalationKind, GroupBy
from keyprojects.ratings.models import ColourOverride, Escalation, RatingRun, RuleSet, RuleVersion, WeeklyRating
from keyprojects.regions.models import Region
from keyprojects.reports.actions import deadline_of
from keyprojects.reports.i18n import default_language, stored
from keyprojects.reports.weeks import IsoWeek

DEFAULT_RULE_SET_NAME = R.DEFAULT_RULE_SET_NAME
EPOCH_MONDAY = dt.date(2000, 1, 3)
HARD_PREFIX = R.HARD_PREFIX
LEVEL_LABELS = {c.value: stored(c.label) for c in Level}  # written into the stored group names


# --- rule sets -------------------------------------------------------------------------------------------------------


def _check_params(params: dict[str, Any]) -> dict[str, Any]:
    try:
        return scoring.Rules.from_params(params).params()
    except scoring.RulesError as exc:
        raise ValidationError(exc.errors) from exc


@transaction.atomic
def ensure_default_rule_set(actor: Actor) -> RuleSet:
    """The rule set that applies where no region has its own: DESIGN §4's defaults, from the first week on."""
    existing = RuleSet.objects.filter(region__isnull=True).order_by("pk").first()
    if existing is not None:
        return existing
    rule_set = RuleSet.objects.create(name=DEFAULT_RULE_SET_NAME, description=R.DEFAULT_RULE_SET_DESCRIPTION)
    version = RuleVersion.objects.create(
        rule_set=rule_set,
        number=1,
        valid_from=EPOCH_MONDAY,
        params=dict(scoring.DEFAULTS),
        note=R.DEFAULT_VERSION_NOTE,
        created_by=actor.user,
        created_at=clock.now(),
    )
    with default_language():  # audit entries are stored in the default language
        record_create(actor, rule_set, ("name", "region", "description"), f"第{version.number}版")
    return rule_set


@transaction.atomic
def do_create_rule_set(
    actor: Actor,
    name: str,
    region: Region | None,
    preset: str,
    valid_from: IsoWeek,
    description: str = "",
    params: dict[str, Any] | None = None,
) -> RuleSet:
    require_perm(actor.user, RATING_CONFIGURE)
    if region is None:
        if actor.user is not None and actor.user.role != Role.ADMIN:
            raise PermissionDenied(_("适用于全部区域的默认规则只有系统管理员可以新建。"))
        if RuleSet.objects.filter(region__isnull=True).exists():
            raise ValidationError({"region": _("已有适用于全部区域的默认规则，请修改它或为某个区域新建规则。")})
    else:
        require_region_in_scope(actor.user, region)
        if RuleSet.objects.filter(region=region).exists():
            raise ValidationError(
                {"region": _("%(region)s已有评分规则，请在原规则上新增版本。") % {"region": region.name}}
            )
    if preset not in scoring.PRESETS:
        raise ValidationError({"preset": _("未知的预设：%(preset)s") % {"preset": preset}})
    if not name.strip():
        raise ValidationError({"name": _("请填写规则名称。")})
    merged = _check_params(scoring.PRESETS[preset][1] | (params or {}))
    rule_set = RuleSet.objects.create(name=name.strip(), region=region, description=description)
    RuleVersion.objects.create(
        rule_set=rule_set,
        number=1,
        valid_from=valid_from.monday,
        params=merged,
        note=R.PRESET_NOTE(preset=scoring.PRESETS[preset][0]),
        created_by=actor.user,
        created_at=clock.now(),
    )
    with default_language():
        record_create(
            actor,
            rule_set,
            ("name", "region", "description"),
            f"按“{scoring.PRESETS[preset][0]}”新建，{valid_from}起用",
        )
    return rule_set


@transaction.atomic
def do_add_rule_version(
    actor: Actor,
    rule_set: RuleSet,
    expected_version: int | None,
    params: dict[str, Any],
    valid_from: IsoWeek,
    note: str,
) -> RuleVersion:
    """A changed rule set is a new dated version; earlier versions and the ratings made with them stay."""
    require_perm(actor.user, RATING_CONFIGURE)
    if rule_set.region is not None:
        require_region_in_scope(actor.user, rule_set.region)
    elif actor.user is not None and actor.user.role != Role.ADMIN:
        raise PermissionDenied(_("默认规则适用于全部区域，只有系统管理员可以修改。"))
    if not note.strip():
        raise ValidationError({"note": _("请填写修改说明。")})
    from keyprojects.core import editing

    locked = editing.lock_for_update(RuleSet, rule_set.pk, expected_version)
    latest = locked.versions.order_by("-number").first()
    if latest is not None and valid_from.monday < latest.valid_from:
        raise ValidationError(
            {"valid_from": _("起用周不能早于当前版本的起用周（%(week)s）。") % {"week": IsoWeek.of(latest.valid_from)}}
        )
    merged = _check_params(params)
    before = latest.rules.params() if latest else {}
    version = RuleVersion.objects.create(
        rule_set=locked,
        number=(latest.number + 1) if latest else 1,
        valid_from=valid_from.monday,
        params=merged,
        note=note.strip(),
        created_by=actor.user,
        created_at=clock.now(),
    )
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    labels = {p.name: p.label for p in scoring.PARAMS}
    changes: dict[str, Any] = {labels[k]: [before.get(k), v] for k, v in merged.items() if before.get(k) != v}
    changes["版本"] = [latest.number if latest else None, version.number]
    changes["起用周"] = [str(IsoWeek.of(latest.valid_from)) if latest else None, str(valid_from)]
    with default_language():
        record(actor, AuditAction.UPDATE, locked, changes, note.strip())
    return version


# --- overrides -------------------------------------------------------------------------------------------------------


@transaction.atomic
def do_override_colour(actor: Actor, project: Project, week: IsoWeek, colour: str, reason: str) -> ColourOverride:
    """Set the final colour of a project's week by hand. The computed colour stays on the rating."""
    require_perm(actor.user, RATING_OVERRIDE)
    if actor.user is not None and not Project.objects.for_user(actor.user).filter(pk=project.pk).exists():
        raise PermissionDenied(_("“%(project)s”不在您的管辖范围内。") % {"project": project.name})
    if colour not in (Colour.BLUE, Colour.YELLOW, Colour.RED):
        raise ValidationError({"colour": _("请选择蓝牌、黄牌或红牌。")})
    if not reason.strip():
        raise ValidationError({"reason": _("人工调整颜色必须填写原因。")})
    rating = WeeklyRating.objects.select_for_update().filter(project=project, week_start=week.monday).first()
    if rating is None:
        raise ValidationError(_("%(week)s尚未评分，请先计算该周评分再调整。") % {"week": week})
    override = ColourOverride.objects.select_for_update().filter(project=project, week_start=week.monday).first()
    before = override.colour if override else rating.computed_colour
    if override is None:
        override = ColourOverride(project=project, week_start=week.monday)
    else:
        override.version += 1
    override.colour, override.reason, override.created_by = colour, reason.strip(), actor.user
    override.full_clean(validate_unique=False)
    override.save()
    rating.colour = colour
    rating.overridden = colour != rating.computed_colour
    rating.reasons = _with_override_reason(rating.reasons, colour, reason.strip(), actor)
    rating.save(update_fields=["colour", "overridden", "reasons"])
    with default_language():
        record(
            actor,
            AuditAction.UPDATE,
            override,
            {
                "颜色": [str(Colour(before).label), str(Colour(colour).label)],
                "计算颜色": [None, str(Colour(rating.computed_colour).label)],
            },
            reason.strip(),
        )
    return override


@transaction.atomic
def do_clear_override(actor: Actor, project: Project, week: IsoWeek, reason: str) -> None:
    require_perm(actor.user, RATING_OVERRIDE)
    if actor.user is not None and not Project.objects.for_user(actor.user).filter(pk=project.pk).exists():
        raise PermissionDenied(_("“%(project)s”不在您的管辖范围内。") % {"project": project.name})
    if not reason.strip():
        raise ValidationError({"reason": _("撤销调整必须填写原因。")})
    override = ColourOverride.objects.select_for_update().filter(project=project, week_start=week.monday).first()
    if override is None:
        raise ValidationError(_("该周没有人工调整。"))
    rating = WeeklyRating.objects.select_for_update().filter(project=project, week_start=week.monday).first()
    with default_language():
        colour_label = str(Colour(override.colour).label)
        record(actor, AuditAction.DELETE, override, {"颜色": [colour_label, None]}, reason.strip())
    override.delete()
    if rating is not None:
        rating.colour, rating.overridden = rating.computed_colour, False
        rating.reasons = "\n".join(r for r in rating.reason_list if not r.startswith(R.OVERRIDE_PREFIX))
        rating.save(update_fields=["colour", "overridden", "reasons"])


def _with_override_reason(reasons: str, colour: str, reason: str, actor: Actor | str) -> str:
    label = actor if isinstance(actor, str) else actor.label
    kept = [r for r in reasons.split("\n") if r and not r.startswith(R.OVERRIDE_PREFIX)]
    return "\n".join([*kept, R.OVERRIDE(colour=stored(Colour(colour).label), note=f"{reason}（{label}）")])


# --- the weekly rating -----------------------------------------------------------------------------------------------


@dataclass
class RateResult:
    week: IsoWeek
    projects: int
    counts: dict[str, int]
    escalation_ids: list[int] = field(default_factory=list)  # the 督办 and 约谈 this run created
    seconds: float = 0.0

    @property
    def escalations(self) -> list[Escalation]:
        return list(Escalation.objects.filter(pk__in=self.escalation_ids).order_by("pk"))

    def summary(self) -> str:
        """One line on the run, in the reader's language."""
        c = self.counts
        return _(
            "%(week)s：共评定%(projects)s个项目，蓝牌%(blue)s个，黄牌%(yellow)s个，红牌%(red)s个，未评定%(none)s个；"
            "新增督办/约谈%(escalations)s个。"
        ) % {
            "week": self.week,
            "projects": self.projects,
            "blue": c.get("blue", 0),
            "yellow": c.get("yellow", 0),
            "red": c.get("red", 0),
            "none": c.get("none", 0),
            "escalations": len(self.escalation_ids),
        }


INSERT_COLUMNS = (
    "week_start",
    "project",
    "rule_version",
    "group_key",
    "group_label",
    "score",
    "c_investment",
    "c_milestones",
    "c_momentum",
    "c_problems",
    "c_reporting",
    "rank",
    "group_size",
    "computed_colour",
    "colour",
    "overridden",
    "hard_red",
    "previous_score",
    "score_change",
    "previous_colour",
    "red_streak",
    "report_status",
    "reasons",
    "computed_at",
)
INSERT_FIELDS = [WeeklyRating._meta.get_field(name) for name in INSERT_COLUMNS]


def _group(row: inputs.ProjectRow, rules: scoring.Rules, names: dict[str, str]) -> tuple[str, str]:
    prefix = f"{row.rule_version.rule_set_id}|"
    if rules.group_by == GroupBy.LEVEL:
        return prefix + f"level:{row.level}", R.GROUP_LEVEL(level=LEVEL_LABELS.get(row.level, R.NO_LEVEL))
    if rules.group_by == GroupBy.RULE_SET:
        return prefix + "all", row.rule_version.rule_set.name
    key = inputs.district_key(row.region_path)
    return prefix + f"district:{key}", names.get(key, R.THIS_REGION)


@transaction.atomic
def do_rate_week(actor: Actor, week: IsoWeek) -> RateResult:
    """Rate all listed projects for `week` (see the module docstring). Runs a fixed number of queries."""
    require_perm(actor.user, RATING_CONFIGURE)
    if week > IsoWeek.current():
        raise ValidationError(
            {
                "week": _("不能计算未来周次（%(week)s）的评分；本周为%(current)s。")
                % {"week": week, "current": IsoWeek.current()}
            }
        )
    with fewer_collections():
        return _rate_week(actor, week)


def _rate_week(actor: Actor, week: IsoWeek) -> RateResult:
    started = time.perf_counter()
    now = clock.now()
    ensure_default_rule_set(actor)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A week's ratings can always be recomputed (this action is idempotent), so this transaction need not wait
            # for its WAL to reach the disk: on a server crash the worst case is losing the last rating run, never
            # corruption (waiting cost ~0.4 s for 20,000 rows). The reads below are index lookups and joins that
            # PostgreSQL's JIT compiler would spend longer compiling than running.
            cursor.execute("SELECT set_config('synchronous_commit', 'off', true), set_config('jit', 'off', true)")
    locks.hold(locks.PROJECT_RATINGS)  # the rows below have no database-level foreign keys: see core.locks
    data = inputs.gather(week, now, deadline_of(week))

    outcomes: list[scoring.Outcome] = []
    members: dict[str, list[tuple[int, float | None]]] = defaultdict(list)
    rules_of_group: dict[str, scoring.Rules] = {}
    group_of: dict[tuple[int, str], tuple[str, str]] = {}  # (rule version, level or region path) → group
    groups: list[tuple[str, str]] = []
    compute = scoring.compute
    for row in data.rows:
        version = row.rule_version
        rules = version.rules
        outcome = compute(rules, row.inputs)
        outcomes.append(outcome)
        memo_key = (version.pk, row.level if rules.group_by == GroupBy.LEVEL else row.region_path)
        group = group_of.get(memo_key)
        if group is None:
            group = group_of[memo_key] = _group(row, rules, data.region_names)
            rules_of_group[group[0]] = rules
        groups.append(group)
        members[group[0]].append((row.project_id, outcome.score))
    placed: dict[int, scoring.Placed] = {}
    for key, group_members in members.items():
        placed |= scoring.rank_group(rules_of_group[key], group_members)

    colour_labels = {c.value: stored(c.label) for c in Colour}  # written into the stored reasons
    adapt_dt = connection.ops.adapt_datetimefield_value
    adapt_d = connection.ops.adapt_datefield_value
    computed_at, week_start = adapt_dt(now), adapt_d(week.monday)
    counts: Counter[str] = Counter()
    candidates: list[tuple[int, str, dt.date, int]] = []
    red = Colour.RED
    hard_reason, rank_reason, override_reason = R.HARD, R.RANK, R.OVERRIDE
    WeeklyRating.objects.filter(week_start=week.monday).delete()
    with _bulk_writer(WeeklyRating, INSERT_FIELDS) as write:
        for row, outcome, (group_key, group_label) in zip(data.rows, outcomes, groups, strict=True):
            pid = row.project_id
            version = row.rule_version
            rules = version.rules
            place = placed[pid]
            computed = scoring.final_colour(rules, outcome, place)
            reasons = [hard_reason(reason=r) for r in outcome.hard_reasons] + outcome.reasons
            if place.rank is not None and place.size > 1:
                reasons.append(rank_reason(group=group_label, size=place.size, rank=place.rank))
            colour = computed
            override = data.overrides.get(pid)
            if override is not None:
                colour = override[0]
                reasons.append(override_reason(colour=colour_labels[colour], note=override[1]))
            prev = data.previous.get(pid)
            streak = (prev.red_streak if prev else 0) + 1 if colour == red else 0
            if streak >= rules.escalate_red_weeks:
                streak_start = week.shift(-(streak - 1)).monday
                candidates.append((pid, EscalationKind.SUPERVISION, streak_start, streak))
                if streak >= rules.escalate_red_weeks + rules.summons_after_weeks:
                    candidates.append((pid, EscalationKind.SUMMONS, streak_start, streak))
            counts[colour] += 1
            c = outcome.components
            score = outcome.score
            write(
                (  # in the order of INSERT_COLUMNS
                    week_start,
                    pid,
                    version.pk,
                    group_key,
                    group_label,
                    score,
                    c["investment"],
                    c["milestones"],
                    c["momentum"],
                    c["problems"],
                    c["reporting"],
                    place.rank,
                    place.size,
                    computed,
                    colour,
                    colour != computed,
                    bool(outcome.hard_reasons),
                    prev.score if prev else None,
                    round(score - prev.score, 1) if prev and prev.score is not None and score is not None else None,
                    prev.colour if prev else "",
                    streak,
                    row.inputs.report,
                    "\n".join(reasons),
                    computed_at,
                )
            )

    escalations = _escalate(week, candidates, now)
    # Notices go out after the rating has committed (one notice per escalation is the notification room's contract):
    # this run's, and any an earlier run could not send.
    transaction.on_commit(notify_pending_escalations)
    seconds = time.perf_counter() - started
    run = RatingRun.objects.create(
        week_start=week.monday,
        started_at=now,
        duration_ms=int(seconds * 1000),
        actor_label=actor.label[:150],
        projects=len(data.rows),
        counts=dict(counts),
        escalations=len(escalations),
    )
    result = RateResult(week, len(data.rows), dict(counts), escalations, seconds)
    with default_language():
        record(actor, AuditAction.CREATE, run, {"周次": [None, str(week)], "结果": [None, result.summary()]})
    return result


@contextmanager
def _bulk_writer(model: type[models.Model], fields: list[Any]) -> Iterator[Callable[[tuple[Any, ...]], None]]:
    """Write rows of `fields` as they are made (DESIGN §10), their dates adapted with connection.ops: binary COPY on
    PostgreSQL — psycopg packs each row in C, and the server stores each batch while the next is computed — and one
    executemany at the end on SQLite."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
        started = time.perf_counter()
        with connection.cursor() as cursor:
            with cursor.cursor.copy(sql) as copy:  # the psycopg cursor under Django's wrapper
                copy.set_types([re.sub(r"\(.*\)", "", f.db_type(connection)).strip() for f in fields])
                yield copy.write_row
        if connection.queries_logged:  # keep query counts honest: COPY bypasses Django's logging wrapper
            connection.queries_log.append({"sql": sql, "time": f"{time.perf_counter() - started:.3f}"})
        return
    records: list[tuple[Any, ...]] = []
    yield records.append
    if records:
        placeholders = ", ".join(["%s"] * len(fields))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", records)  # noqa: S608


def _escalate(week: IsoWeek, candidates: list[tuple[int, str, dt.date, int]], now: dt.datetime) -> list[int]:
    """Create the escalations not made before for the same red streak; returns the new ones' ids."""
    if not candidates:
        return []
    earliest = min(c[2] for c in candidates)
    existing = set(
        Escalation.objects.filter(streak_start__gte=earliest).values_list("project_id", "kind", "streak_start")
    )
    adapt_d = connection.ops.adapt_datefield_value
    week_start, created_at = adapt_d(week.monday), connection.ops.adapt_datetimefield_value(now)
    new = [
        (pid, kind, week_start, adapt_d(start), streak, created_at)
        for pid, kind, start, streak in candidates
        if (pid, kind, start) not in existing
    ]
    if not new:
        return []
    # Rows, not model objects: a province can escalate thousands at once. The run holds core.locks.PROJECT_RATINGS,
    # so the escalations of this week made at `now` are exactly these.
    names = ["project", "kind", "week_start", "streak_start", "red_weeks", "created_at"]
    with _bulk_writer(Escalation, [Escalation._meta.get_field(name) for name in names]) as write:
        for row in new:
            write(row)
    return list(Escalation.objects.filter(week_start=week.monday, created_at=now).values_list("pk", flat=True))


def notifications_module() -> Any | None:
    """keyprojects.notifications.actions when installed (checked at call time, not import time)."""
    if not apps.is_installed("keyprojects.notifications"):
        return None
    if importlib.util.find_spec("keyprojects.notifications.actions") is None:
        return None
    module = importlib.import_module("keyprojects.notifications.actions")
    return module if hasattr(module, "do_notify") else None


def escalation_recipients(escalations: list[Escalation]) -> dict[int, list[User]]:
    """督办 → the unit's users and the leader; 约谈 → the supervisors whose region covers the project. Three queries."""
    unit_ids = {e.project.unit_id for e in escalations if e.project.unit_id}
    leader_ids = {e.project.leader_id for e in escalations if e.project.leader_id}
    by_unit: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(scope_units__in=unit_ids, is_active=True).prefetch_related("scope_units"):
        for unit in user.scope_units.all():
            if unit.pk in unit_ids:
                by_unit[unit.pk].append(user)
    by_person = {u.person_id: u for u in User.objects.filter(person_id__in=leader_ids, is_active=True)}
    supervisors = list(User.objects.filter(role=Role.SUPERVISOR, is_active=True).prefetch_related("scope_regions"))
    found: dict[int, list[User]] = {}
    for e in escalations:
        project = e.project
        if e.kind == EscalationKind.SUPERVISION:
            users = list(by_unit.get(project.unit_id or 0, []))
            leader = by_person.get(project.leader_id)
            if leader is not None:
                users.append(leader)
        else:
            users = [
                s for s in supervisors if any(project.region.path.startswith(r.path) for r in s.scope_regions.all())
            ]
        found[e.pk] = list({u.pk: u for u in users}.values())
    return found


NOTICE_BATCH = 200


def notify_pending_escalations() -> int:
    """Send the notices of every escalation that has none yet (run after each rating): a notice that failed to go out
    is sent by the next run."""
    if notifications_module() is None:
        return 0
    return notify_escalations(list(Escalation.objects.filter(notice_id__isnull=True).values_list("pk", flat=True)))


def notify_escalations(ids: list[int]) -> int:
    """Send the 督办 / 约谈 notices of escalations that have none yet; idempotent (dedupe keys). Returns the number
    sent. Runs after the rating committed; the notices are committed NOTICE_BATCH at a time (each commit waits for
    the disk: one per notice took 25 s for the 5,000 escalations of the bench), so a failure loses at most a batch,
    which the next rating sends again."""
    module = notifications_module()
    if module is None or not ids:
        return 0
    escalations: list[Escalation] = []
    for offset in range(0, len(ids), 500):
        escalations += Escalation.objects.filter(
            pk__in=ids[offset : offset + 500], notice_id__isnull=True
        ).select_related("project", "project__region", "project__unit", "project__leader")
    recipients = escalation_recipients(escalations)
    sent = 0
    for offset in range(0, len(escalations), NOTICE_BATCH):
        with transaction.atomic():
            sent += _send_notices(module, escalations[offset : offset + NOTICE_BATCH], recipients)
    return sent


def _send_notices(module: Any, escalations: list[Escalation], recipients: dict[int, list[User]]) -> int:
    sent = 0
    for e in escalations:
        project = e.project
        start = IsoWeek.of(e.streak_start)
        if e.kind == EscalationKind.SUPERVISION:
            title = f"督办通知：{project.name}连续{e.red_weeks}周红牌"
            body = (
                f"{project.name}（{project.code}）自{start}起连续{e.red_weeks}周被评为红牌。请责任单位"
                f"{project.unit.name if project.unit else ''}和包靠领导{project.leader.name if project.leader else ''}"
                "督促整改，并在下周周报中说明整改措施。"
            )
        else:
            title = f"约谈名单：{project.name}督办后仍为红牌"
            body = (
                f"{project.name}（{project.code}）自{start}起连续{e.red_weeks}周红牌，"
                "督办后仍无明显进展，列入约谈名单。"
            )
        notice = module.do_notify(
            kind=f"rating_{e.kind}",
            title=title,
            body=body,
            recipients=recipients.get(e.pk, []),
            region=project.region,
            link=reverse("projects:detail", kwargs={"pk": project.pk}),
            dedupe_key=f"rating-{e.kind}-{project.pk}-{e.streak_start:%Y%m%d}",
        )
        if notice is not None:
            Escalation.objects.filter(pk=e.pk).update(notice_id=notice.pk)
            sent += 1
    return sent
