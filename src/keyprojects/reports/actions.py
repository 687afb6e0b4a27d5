"""The only code that writes reports, their revisions and photos. Every function is atomic, checks the actor's
permission and scope, and records its audit entry in the same transaction.

A report is the unit's statement for one project and ISO week. Resubmitting replaces it and keeps the replaced
submission as a revision; a resubmission after the deadline needs a correction reason. Cumulative figures may not fall
without a reason; a cumulative investment above the project's total (beyond the configured margin) is flagged.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from keyprojects.accounts.access import require_perm
from keyprojects.accounts.permissions import PROJECT_CHANGE, REPORT_SUBMIT
from keyprojects.audit.actions import Actor, diff, record, record_create, snapshot
from keyprojects.audit.models import AuditAction
from keyprojects.core import clock, editing
from keyprojects.core.editing import VersionConflict
from keyprojects.core.money import format_money
from keyprojects.projects.choices import Stage
from keyprojects.projects.models import Project
from keyprojects.reports import conf, excel
from keyprojects.reports.choices import ReportSource, Timeliness
from keyprojects.reports.i18n import default_language, join_list, month_day_time_text
from keyprojects.reports.models import ReportPhoto, ReportRevision, WeeklyReport
from keyprojects.reports.photos import PhotoError, distance_km, inspect_photo
from keyprojects.reports.weeks import IsoWeek

REPORT_FIELDS = (
    "investment_year_wan",
    "investment_total_wan",
    "stage",
    "progress_text",
    "percent_complete",
    "problems_text",
    "next_week_plan",
    "correction_reason",
)
AUDIT_FIELDS = ("week_start", *REPORT_FIELDS, "timeliness", "over_total")
CREATE_AUDIT_FIELDS = ("week_start", *REPORT_FIELDS, "timeliness")  # the flag is logged when it changes
PHOTO_FIELDS = (
    "original_name",
    "size_bytes",
    "taken_at",
    "latitude",
    "longitude",
    "taken_before_week",
    "far_from_project",
)


@dataclass
class ReportInput:
    """What a person states in a report; money already parsed to 万元 (None = not filled in)."""

    investment_year_wan: Decimal | None
    investment_total_wan: Decimal | None
    stage: str
    progress_text: str
    percent_complete: int | None = None
    problems_text: str = ""
    next_week_plan: str = ""
    correction_reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class SubmitResult:
    report: WeeklyReport
    created: bool
    changed: bool
    warnings: list[str] = field(default_factory=list)


class ReportConflict(VersionConflict):
    """The week's report was submitted or changed by someone else since the form was opened."""

    def __init__(self, current: WeeklyReport, expected_version: int, others: list[Any]) -> None:
        super().__init__(current, expected_version, others)
        who = join_list(dict.fromkeys(e.actor_label for e in others)) or _("其他人")
        values = {
            "week": current.iso_week,
            "who": who,
            "when": month_day_time_text(current.submitted_at.astimezone(clock.SHANGHAI)),
            "version": current.version,
            "expected": expected_version,
        }
        if expected_version == 0:
            text = _(
                "该项目%(week)s的周报已由%(who)s于%(when)s提交（第%(version)s版），您填写的内容未保存。"
                "请查看当前内容后再提交。"
            )
        else:
            text = _(
                "该项目%(week)s的周报已被%(who)s于%(when)s修改（您基于第%(expected)s版，当前为第%(version)s版），"
                "您填写的内容未保存。请查看当前内容后再提交。"
            )
        self.args = (text % values,)


def deadline_of(week: IsoWeek) -> dt.datetime:
    weekday, at = conf.deadline_rule()
    return week.deadline(weekday, at)


def authorise_project(actor: Actor, project: Project, perm: str = REPORT_SUBMIT) -> None:
    require_perm(actor.user, perm)
    if actor.user is not None and not Project.objects.for_user(actor.user).filter(pk=project.pk).exists():
        raise PermissionDenied(_("“%(project)s”不在您的填报范围内。") % {"project": project.name})


def _money(value: Decimal | None) -> str:
    return format_money(value)


def validate_report(
    project: Project,
    week: IsoWeek,
    values: ReportInput,
    before: WeeklyReport | None,
    after: WeeklyReport | None,
) -> list[str]:
    """DESIGN §3 rules. Raises ValidationError naming the fields; returns warnings (flags) that do not block."""
    errors: dict[str, list[str]] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    current = IsoWeek.current()
    if week > current:
        err("week", _("不能填报未来的周次（%(week)s）；本周为%(current)s。") % {"week": week, "current": current})
    year, total = values.investment_year_wan, values.investment_total_wan
    if year is None:
        err("investment_year_wan", _("请填写本年完成投资。"))
    if total is None:
        err("investment_total_wan", _("请填写开工以来累计完成投资。"))
    for name, amount in (("investment_year_wan", year), ("investment_total_wan", total)):
        if amount is not None and amount < 0:
            err(name, _("金额不能为负数。"))
    if values.stage not in Stage.values:
        err("stage", _("请选择项目所处阶段。"))
    if not values.progress_text.strip():
        err("progress_text", _("请填写形象进度。"))
    if values.percent_complete is not None and not 0 <= values.percent_complete <= 100:
        err("percent_complete", _("完成百分比应在0到100之间。"))
    if year is not None and total is not None and 0 <= total < year:
        err(
            "investment_total_wan",
            _("开工以来累计完成投资（%(total)s）不能小于本年完成投资（%(year)s）。")
            % {"total": _money(total), "year": _money(year)},
        )
    reason = values.correction_reason.strip()
    if not reason and year is not None and total is not None:
        if before is not None:
            if before.iso_week.year == week.year and year < before.investment_year_wan:
                err(
                    "investment_year_wan",
                    _("本年完成投资（%(amount)s）低于%(week)s填报的%(other)s；如确需更正，请填写更正说明。")
                    % {"amount": _money(year), "week": before.iso_week, "other": _money(before.investment_year_wan)},
                )
            if total < before.investment_total_wan:
                err(
                    "investment_total_wan",
                    _("累计完成投资（%(amount)s）低于%(week)s填报的%(other)s；如确需更正，请填写更正说明。")
                    % {"amount": _money(total), "week": before.iso_week, "other": _money(before.investment_total_wan)},
                )
        if after is not None:
            if after.iso_week.year == week.year and year > after.investment_year_wan:
                err(
                    "investment_year_wan",
                    _("本年完成投资（%(amount)s）高于之后%(week)s已填报的%(other)s；如确需更正，请填写更正说明。")
                    % {"amount": _money(year), "week": after.iso_week, "other": _money(after.investment_year_wan)},
                )
            if total > after.investment_total_wan:
                err(
                    "investment_total_wan",
                    _("累计完成投资（%(amount)s）高于之后%(week)s已填报的%(other)s；如确需更正，请填写更正说明。")
                    % {"amount": _money(total), "week": after.iso_week, "other": _money(after.investment_total_wan)},
                )
    if errors:
        raise ValidationError(errors)
    warnings = []
    if exceeds_total(project, total):
        margin = conf.over_total_margin()
        warnings.append(
            _("累计完成投资%(total)s超过项目总投资%(project_total)s的%(percent)s%%，已标记待核实。")
            % {
                "total": _money(total),
                "project_total": _money(project.total_investment_wan),
                "percent": int((1 + margin) * 100),
            }
        )
    return warnings


def exceeds_total(project: Project, total: Decimal | None) -> bool:
    if total is None or not project.total_investment_wan:
        return False
    return total > project.total_investment_wan * (1 + conf.over_total_margin())


@transaction.atomic
def do_submit_report(
    actor: Actor,
    project: Project,
    week: IsoWeek,
    values: ReportInput,
    expected_version: int | None,
    source: str = ReportSource.UI,
) -> SubmitResult:
    """Create the week's report, or replace it (keeping the replaced one as a revision).

    `expected_version` is the version the person's form was based on: 0 for "there was no report yet", None to skip
    the check (the system). A stale version raises ReportConflict and stores nothing."""
    authorise_project(actor, project)
    now = clock.now()
    existing = locked_report(project, week)
    if existing is not None and expected_version is not None and existing.version != expected_version:
        raise _conflict(existing, expected_version)
    others = WeeklyReport.objects.filter(project=project).exclude(week_start=week.monday)
    before = others.filter(week_start__lt=week.monday).order_by("-week_start").first()
    after = others.filter(week_start__gt=week.monday).order_by("week_start").first()
    deadline = deadline_of(week)
    if existing is not None and now > deadline and not values.correction_reason.strip():
        if any(getattr(existing, k) != v for k, v in values.as_dict().items() if k != "correction_reason"):
            late = _("已过本周填报截止时间（%(deadline)s），修改已报送的周报须填写更正说明。") % {
                "deadline": month_day_time_text(deadline)
            }
            raise ValidationError({"correction_reason": late})
    warnings = validate_report(project, week, values, before, after)
    over_total = exceeds_total(project, values.investment_total_wan)
    if existing is None:
        report = WeeklyReport(
            project=project,
            week_start=week.monday,
            over_total=over_total,
            timeliness=Timeliness.ON_TIME if now <= deadline else Timeliness.LATE,
            first_submitted_at=now,
            submitted_at=now,
            submitted_by=actor.user,
            source=source,
            **values.as_dict(),
        )
        report.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            # Someone else's first submission for the same week committed between our check and our insert.
            winner = WeeklyReport.objects.get(project=project, week_start=week.monday)
            raise _conflict(winner, 0) from None
        with default_language():  # the audit entry is stored: choice labels in the default language
            record_create(actor, report, CREATE_AUDIT_FIELDS + (("over_total",) if report.over_total else ()))
        return SubmitResult(report, created=True, changed=True, warnings=warnings)

    with default_language():
        before_snapshot = snapshot(existing, AUDIT_FIELDS)
        old_data = snapshot(existing, REPORT_FIELDS)
    for name, value in values.as_dict().items():
        setattr(existing, name, value)
    existing.over_total = over_total
    with default_language():
        changes = diff(before_snapshot, snapshot(existing, AUDIT_FIELDS))
    if not changes:
        return SubmitResult(existing, created=False, changed=False, warnings=warnings)
    ReportRevision.objects.create(
        report=existing,
        number=existing.version,
        data=old_data,
        submitted_at=existing.submitted_at,
        submitted_by_id=existing.submitted_by_id,
        replaced_at=now,
    )
    existing.version += 1
    existing.submission_count += 1
    existing.submitted_at = now
    existing.submitted_by = actor.user
    existing.source = source
    existing.full_clean(validate_unique=False, validate_constraints=False)
    existing.save()
    with default_language():
        record(actor, AuditAction.UPDATE, existing, changes, values.correction_reason.strip() or "重新报送")
    return SubmitResult(existing, created=False, changed=True, warnings=warnings)


def locked_report(project: Project, week: IsoWeek) -> WeeklyReport | None:
    """The week's report, locked for the rest of the transaction (None when there is none yet: then the unique
    constraint on (project, week) decides between two first submissions)."""
    return WeeklyReport.objects.select_for_update().filter(project=project, week_start=week.monday).first()


def _conflict(report: WeeklyReport, expected_version: int) -> ReportConflict:
    from keyprojects.audit.selectors import entries_since

    return ReportConflict(report, expected_version, list(entries_since(report, expected_version)))


# --- photos --------------------------------------------------------------------------------------------------------


def photo_flags(
    report: WeeklyReport, taken_at: dt.datetime | None, position: tuple[Decimal, Decimal] | None, project: Project
) -> tuple[bool, float | None, bool]:
    """(taken before the reported week, distance to the project in km, far from the project)."""
    before = taken_at is not None and taken_at.astimezone(clock.SHANGHAI).date() < report.week_start
    distance = None
    if position is not None and project.latitude is not None and project.longitude is not None:
        distance = round(
            distance_km(float(position[0]), float(position[1]), float(project.latitude), float(project.longitude)), 2
        )
    far = distance is not None and distance > conf.photo_max_distance_km()
    return before, distance, far


@transaction.atomic
def do_add_photo(actor: Actor, report: WeeklyReport, data: bytes, filename: str, caption: str = "") -> ReportPhoto:
    project = report.project
    authorise_project(actor, project)
    try:
        info = inspect_photo(data, conf.photo_max_bytes())
    except PhotoError as exc:
        raise ValidationError({"photo": str(exc)}) from exc
    position = (info.latitude, info.longitude) if info.latitude is not None and info.longitude is not None else None
    before, distance, far = photo_flags(report, info.taken_at, position, project)
    photo = ReportPhoto(
        report=report,
        original_name=(filename or "photo")[-200:],
        content_type=info.content_type,
        size_bytes=len(data),
        width=info.width,
        height=info.height,
        taken_at=info.taken_at,
        latitude=info.latitude,
        longitude=info.longitude,
        distance_km=distance,
        taken_before_week=before,
        far_from_project=far,
        caption=caption[:200],
        uploaded_by=actor.user,
        uploaded_at=clock.now(),
    )
    stem = uuid.uuid4().hex
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[info.content_type]
    photo.image.save(f"{stem}.{extension}", ContentFile(data), save=False)
    photo.thumbnail.save(f"{stem}.jpg", ContentFile(info.thumbnail_jpeg), save=False)
    photo.save()
    with default_language():
        record_create(actor, photo, PHOTO_FIELDS, f"{report}：上传现场照片")
    return photo


@transaction.atomic
def do_set_project_location(
    actor: Actor, project: Project, latitude: Decimal | None, longitude: Decimal | None
) -> Project:
    """The project site's coordinates, against which photo positions are checked."""
    require_perm(actor.user, PROJECT_CHANGE)
    if (latitude is None) != (longitude is None):
        raise ValidationError(_("经度和纬度须同时填写或同时留空。"))
    if latitude is not None and not -90 <= latitude <= 90:
        raise ValidationError({"latitude": _("纬度应在-90到90之间。")})
    if longitude is not None and not -180 <= longitude <= 180:
        raise ValidationError({"longitude": _("经度应在-180到180之间。")})
    return editing.update(
        actor, Project, project.pk, None, {"latitude": latitude, "longitude": longitude}, ("latitude", "longitude")
    )


# --- Excel upload ----------------------------------------------------------------------------------------------------


@dataclass
class RowResult:
    line: int
    code: str
    name: str
    status: str  # "saved" | "unchanged" | "skipped" | "error"
    messages: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        labels = {"saved": _("已保存"), "unchanged": _("未变化"), "skipped": _("未填写"), "error": _("有错误")}
        return labels[self.status]


@dataclass
class ImportResult:
    week: IsoWeek
    dry_run: bool
    rows: list[RowResult]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def error_count(self) -> int:
        return self.count("error")

    @property
    def summary(self) -> str:
        counts = {
            "week": self.week,
            "saved": self.count("saved"),
            "unchanged": self.count("unchanged"),
            "skipped": self.count("skipped"),
            "errors": self.count("error"),
        }
        if self.dry_run:
            text = _("%(week)s：可保存%(saved)s行，未变化%(unchanged)s行，未填写%(skipped)s行，有错误%(errors)s行。")
        else:
            text = _("%(week)s：已保存%(saved)s行，未变化%(unchanged)s行，未填写%(skipped)s行，有错误%(errors)s行。")
        return text % counts


def _error_text(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        labels = {f: str(WeeklyReport._meta.get_field(f).verbose_name) for f in REPORT_FIELDS}  # type: ignore[union-attr]
        labels["week"] = _("周次")
        return [
            _("%(field)s：%(message)s") % {"field": labels[k], "message": m} if k in labels else m
            for k, ms in exc.message_dict.items()
            for m in ms
        ]
    return list(exc.messages)


def do_import_week(actor: Actor, week: IsoWeek, data: bytes, dry_run: bool = False) -> ImportResult:
    """Import a unit's week from the Excel template; each good row is saved on its own, bad rows are reported.

    Raises ValidationError when the file as a whole is unusable (unreadable, no header, another week's template)."""
    require_perm(actor.user, REPORT_SUBMIT)
    try:
        sheet = excel.parse_week_sheet(data)
    except excel.SheetError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    if sheet.week is not None and sheet.week != week:
        mismatch = _("该文件是%(file_week)s的周报模板，与所选周次%(week)s不一致。")
        raise ValidationError({"file": mismatch % {"file_week": sheet.week, "week": week}})
    codes = {r.code for r in sheet.rows if r.code}
    visible = Project.objects.for_user(actor.user) if actor.user is not None else Project.objects.all()
    by_code = {p.code: p for p in visible.filter(code__in=codes).select_related("region")}
    by_code |= {p.national_code: p for p in visible.filter(national_code__in=codes) if p.national_code}
    results: list[RowResult] = []
    seen: dict[str, int] = {}
    with transaction.atomic():
        for row in sheet.rows:
            result = RowResult(row.line, row.code, row.name, "error", list(row.errors))
            results.append(result)
            project = by_code.get(row.code)
            if project is not None:
                result.name = project.name
            if row.code in seen:
                result.messages.append(
                    _("项目编号%(code)s与第%(line)s行重复") % {"code": row.code, "line": seen[row.code]}
                )
                continue
            if row.code:
                seen[row.code] = row.line
            if row.empty:
                result.status = "skipped"
                continue
            if row.code and project is None:
                result.messages.append(_("项目编号%(code)s不存在或不在您的填报范围内") % {"code": row.code})
            if result.messages or project is None:
                continue
            values = ReportInput(
                investment_year_wan=row.values.get("investment_year_wan"),
                investment_total_wan=row.values.get("investment_total_wan"),
                stage=row.values.get("stage") or project.stage,
                progress_text=row.values.get("progress_text") or "",
                percent_complete=row.values.get("percent_complete"),
                problems_text=row.values.get("problems_text") or "",
                next_week_plan=row.values.get("next_week_plan") or "",
                correction_reason=row.values.get("correction_reason") or "",
            )
            try:
                with transaction.atomic():
                    outcome = do_submit_report(actor, project, week, values, row.version, source=ReportSource.EXCEL)
            except VersionConflict as exc:
                result.messages.append(str(exc))
            except ValidationError as exc:
                result.messages.extend(_error_text(exc))
            except PermissionDenied as exc:
                result.messages.append(str(exc))
            else:
                result.status = "saved" if outcome.changed else "unchanged"
                result.messages.extend(outcome.warnings)
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(week=week, dry_run=dry_run, rows=results)
