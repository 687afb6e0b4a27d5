"""Import a parsed key-project list into the registry: check, match, upsert and audit, all in one transaction.

An import is planned first, read-only (:func:`preview_import` shows the plan: which rows create, update — with the
fields that change — or leave a project unchanged, and which are refused and why), then written.

* **Matching** (idempotent upsert): by 全国投资项目代码, else by 项目编号, else by (name, region). A row that matches
  and changes nothing writes nothing; importing the same list twice changes nothing the second time.
* **Strict** (``strict=True``): if any row is bad, nothing is imported. Otherwise good rows import and bad rows are
  reported with row, column and reason. Every check runs before the first write, so strict mode is exact.
* **Atomic**: the writing is one transaction, so an interrupted import (an error, Ctrl-C, a killed process, a closed
  browser tab) leaves the database as it was. A dry run writes and rolls back, so it reports exactly what would happen.
* **Audit**: changed projects go through ``do_update_project`` and the plans of existing projects through
  ``do_create_plan`` / ``do_propose_plan_change``. New projects and their first plans are inserted in bulk: the
  per-object actions cost ~6 ms a row, two minutes for a province's 20,000 projects. Each still gets the audit entry
  the actions would write (same content, built with ``audit.actions.snapshot``), inserted in the same transaction by
  :func:`keyprojects.audit.actions.record_many`, a bulk twin of ``audit.actions.record`` (single inserts alone
  would cost 25 s).
* **Fields**: a column present in the file sets the field, a blank cell clears it; a column absent from the file
  leaves the field alone. The annual plan is different: a blank cell never changes a plan, since a list without an
  amount says nothing about it. A new project's stage follows its category: 续建 / 竣工 / 建成投产 projects are under
  construction, 新开工 and 前期 ones start at the actions' default (签约). Leaders and units are linked when the
  directory has exactly one of that name in the project's region or above; the others are listed in one warning.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from keyprojects.accounts.access import require_perm, require_region_in_scope
from keyprojects.accounts.permissions import PLAN_APPROVE, PROJECT_CHANGE, has_perm
from keyprojects.audit.actions import Actor, display_value, insert_rows, record, record_many, snapshot
from keyprojects.audit.models import AuditAction
from keyprojects.core import clock
from keyprojects.core.memory import fewer_collections
from keyprojects.core.statistics import BULK_LOAD_ROWS, refresh_planner_statistics
from keyprojects.directory.models import Person, Unit
from keyprojects.projects.actions import (
    PROJECT_FIELDS,
    do_create_plan,
    do_propose_plan_change,
    do_update_project,
    project_code,
)
from keyprojects.projects.choices import Category, Level, PlanStatus, Stage
from keyprojects.projects.listfile import FIELD_LABELS, Issue, ParsedRow, ParseResult, Severity
from keyprojects.projects.models import AnnualPlan, ImportColumnLabel, PlanVersion, Project, StageTransition
from keyprojects.projects.validators import validate_national_code
from keyprojects.regions.models import Region

__all__ = ["ImportReport", "RowOutcome", "do_import_list", "iter_import_list", "preview_import"]

BATCH = 500
_CHUNK = 900  # values per IN (...) query: well under SQLite's variable limit
_CONSTRUCTION_CATEGORIES = {Category.CONTINUING, Category.COMPLETING, Category.PRODUCING}
_MAX_LENGTHS = {"name": 200, "owner": 200, "address": 300, "industry": 50}
_FIELD_LABELS = {"name": gettext_noop("项目名称"), "owner": gettext_noop("建设单位"),
                 "address": gettext_noop("建设地点"), "industry": gettext_noop("产业领域")}
# listfile field → the project fields its column provides
_COLUMN_FIELDS = {
    "name": ("name",), "owner": ("owner",), "address": ("address",), "scope": ("scope",), "industry": ("industry",),
    "category": ("category",), "level": ("level",), "total_investment": ("total_investment_wan",),
    "years": ("start_year", "end_year"), "start_year": ("start_year",), "end_year": ("end_year",),
    "national_code": ("national_code",), "leader": ("leader",), "unit": ("unit",),
}
_TEXT_MODEL_FIELDS = ("owner", "address", "scope", "industry", "level")
_FOREIGN_KEYS = frozenset({"region", "leader", "unit"})
_CREATE_CLEAN_EXCLUDE = ["code", "region", "leader", "unit", "task_force", "person_in_charge"]

Progress = Callable[[int, int], None]


@dataclass
class RowOutcome:
    row: int
    name: str
    action: str  # create / update / unchanged / error
    project_id: int | None = None
    changed: list[str] = field(default_factory=list)  # labels of the changed fields


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    strict: bool
    plan_year: int | None
    outcomes: list[RowOutcome] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    aborted: bool = False  # strict import with bad rows: nothing was written
    written: bool = False  # the writes were committed
    plans_created: int = 0
    plans_changed: int = 0

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    def summary(self) -> str:
        """One sentence in the active language: what the import did (or, before it is written, will do)."""
        bad = self.count("error")
        if self.aborted:
            return _("严格模式：有%(count)s行出错，未导入任何项目") % {"count": bad}
        counts = {"created": self.count("create"), "updated": self.count("update"),
                  "unchanged": self.count("unchanged")}
        plans = {"created": self.plans_created, "changed": self.plans_changed}
        if self.written:
            text = _("新建%(created)s个项目，更新%(updated)s个，%(unchanged)s个未变化") % counts
            if self.plans_created or self.plans_changed:
                text += _("；年度计划新建%(created)s个，调整%(changed)s个") % plans
        else:
            text = _("将新建%(created)s个项目，将更新%(updated)s个，%(unchanged)s个未变化") % counts
            if self.plans_created or self.plans_changed:
                text += _("；年度计划将新建%(created)s个，将调整%(changed)s个") % plans
        if bad:
            text += _("；%(count)s行出错未导入") % {"count": bad}
        return text + (_("（试导入，未写入数据库）") if self.dry_run else "")


@dataclass
class _Prepared:
    parsed: ParsedRow
    region: Region
    values: dict[str, Any]  # model field → value, only the fields the file provides
    plan_amount: Decimal | None
    project: Project | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    new_project: Project | None = None  # unsaved, validated
    plan: AnnualPlan | None = None
    plan_action: str = ""  # create / change / propose
    outcome: RowOutcome | None = None

    @property
    def failed(self) -> bool:
        return self.outcome is not None and self.outcome.action == "error"


class _Dry(Exception):
    """Raised at the end of a dry run to roll the transaction back."""


# -- entry points ---------------------------------------------------------------------------------------------------
def preview_import(actor: Actor, result: ParseResult, *, year: int | None = None, filename: str = "",
                   strict: bool = False) -> ImportReport:
    """What importing ``result`` would do, read-only: outcomes per row, plan changes, every error and warning."""
    report, _items = _plan(actor, result, year=year, filename=filename, strict=strict, dry_run=False)
    return report


def do_import_list(actor: Actor, result: ParseResult, *, strict: bool = False, dry_run: bool = False,
                   year: int | None = None, filename: str = "", progress: Progress | None = None) -> ImportReport:
    """Import the rows of ``result``. Raises ``PermissionDenied`` when the actor may not change projects, and
    ``ValidationError`` when the plan year cannot be known."""
    steps = iter_import_list(actor, result, strict=strict, dry_run=dry_run, year=year, filename=filename)
    while True:
        try:
            done, total = next(steps)
        except StopIteration as stop:
            report: ImportReport = stop.value
            return report
        if progress is not None:
            progress(done, total)


def iter_import_list(actor: Actor, result: ParseResult, *, strict: bool = False, dry_run: bool = False,
                     year: int | None = None, filename: str = "") -> Generator[tuple[int, int], None, ImportReport]:
    """The import as a generator of (rows written, rows to write), returning the report: a web page streams the
    progress while the import runs in its request. Closing the generator early rolls everything back."""
    report, items = _plan(actor, result, year=year, filename=filename, strict=strict, dry_run=dry_run)
    if report.aborted:
        return report
    try:
        with fewer_collections(), transaction.atomic():
            yield from _write(actor, items, report)
            if dry_run:
                raise _Dry
        report.written = True
        if sum(1 for item in items if item.new_project is not None) >= BULK_LOAD_ROWS:
            refresh_planner_statistics(Project, AnnualPlan, PlanVersion, StageTransition)
    except _Dry:
        pass
    report.outcomes.sort(key=lambda o: o.row)
    report.issues.sort(key=_issue_order)
    return report


def _issue_order(issue: Issue) -> tuple[bool, int, int, str]:
    return issue.row is not None, issue.row or 0, len(issue.column_letter or ""), issue.column_letter or ""


# -- planning (read-only) -----------------------------------------------------------------------------------------
def _plan(actor: Actor, result: ParseResult, *, year: int | None, filename: str, strict: bool,
          dry_run: bool) -> tuple[ImportReport, list[_Prepared]]:
    require_perm(actor.user, PROJECT_CHANGE)
    plan_year = _plan_year(result, year)
    report = ImportReport(filename=filename, dry_run=dry_run, strict=strict, plan_year=plan_year)
    report.issues.extend(result.issues)
    for parsed in result.rows:
        report.issues.extend(parsed.issues)
    provided = {model_field for c in result.columns if c.field for model_field in _COLUMN_FIELDS.get(c.field, ())}
    columns = {c.field: c for c in result.columns if c.field}
    prepared, bad, unknown = _prepare(actor, result.rows, provided, columns)
    for label, names in unknown.items():
        listed = _("、").join(sorted(names)[:5]) + (_("等") if len(names) > 5 else "")
        report.issues.append(Issue(Severity.WARNING, _("%(count)s个%(kind)s不在通讯录中或有重名（%(names)s），"
                                                       "这些项目未关联；请先在通讯录中添加后重新导入")
                                   % {"count": len(names), "kind": _(label), "names": listed}))
    for parsed, issues in bad:
        report.issues.extend(issues)
        report.outcomes.append(RowOutcome(parsed.row, parsed.name, "error"))
    _match(prepared, report)
    items = [item for item in prepared if not item.failed]
    for item in items:
        if item.project is None:
            _plan_create(item, report)
        else:
            _plan_update(item, report)
    items = [item for item in items if not item.failed]
    if plan_year is not None:
        _plan_plans(actor, items, plan_year, report)
    report.outcomes.sort(key=lambda o: o.row)
    report.issues.sort(key=_issue_order)
    if strict and report.count("error"):
        report.aborted = True
        report.outcomes = [o for o in report.outcomes if o.action == "error"]
    return report, items


def _plan_year(result: ParseResult, year: int | None) -> int | None:
    if year is not None and result.plan_year is not None and year != result.plan_year \
            and any(c.field == "annual_plan" and c.year for c in result.columns):
        raise ValidationError(_("表头的计划年度为%(header_year)s年，与指定的年度%(year)s不一致")
                              % {"header_year": result.plan_year, "year": year})
    plan_year = year or result.plan_year
    if plan_year is None and any(r.annual_plan_wan is not None for r in result.rows):
        raise ValidationError(_("无法确定年度计划投资所属的年份（表头和标题都没有写年份），请指定年度"))
    return plan_year


def _prepare(actor: Actor, rows: Sequence[ParsedRow], provided: set[str], columns: dict[str, Any]) -> tuple[
        list[_Prepared], list[tuple[ParsedRow, list[Issue]]], dict[str, set[str]]]:
    """Checks that need the database but write nothing: region, scope, choices, lengths, directory links."""
    regions = {r.code: r for r in Region.objects.filter(code__in={r.region_code for r in rows if r.region_code})
               if r.code}
    units = _directory(Unit, {r.unit for r in rows if r.unit})
    people = _directory(Person, {r.leader for r in rows if r.leader})
    prepared: list[_Prepared] = []
    bad: list[tuple[ParsedRow, list[Issue]]] = []
    allowed: dict[int, str] = {}
    unknown: dict[str, set[str]] = {}
    for parsed in rows:
        if not parsed.ok:
            bad.append((parsed, []))
            continue
        issues: list[Issue] = []

        def problem(field_key: str, message: str, parsed: ParsedRow = parsed, issues: list[Issue] = issues) -> None:
            column = columns.get(field_key)
            issues.append(Issue(Severity.ERROR, message, parsed.row, column.short_label if column else None,
                                column.letter if column else None))

        region = regions.get(parsed.region_code or "")
        location = "region_code" if "region_code" in columns else ("region" if "region" in columns else "address")
        if region is None:
            problem(location, _("区域“%(name)s”（%(code)s）不在系统的区域表中")
                    % {"name": parsed.region_name, "code": parsed.region_code})
            bad.append((parsed, issues))
            continue
        if region.pk not in allowed:
            try:
                require_region_in_scope(actor.user, region)
                allowed[region.pk] = ""
            except PermissionDenied as exc:
                allowed[region.pk] = str(exc)
        if allowed[region.pk]:
            problem(location, allowed[region.pk])
        values = _values(parsed, provided, region, units, people, problem, unknown)
        if issues:
            bad.append((parsed, issues))
            continue
        prepared.append(_Prepared(parsed, region, values, parsed.annual_plan_wan))
    return prepared, bad, unknown


def _values(parsed: ParsedRow, provided: set[str], region: Region, units: dict[str, list[Any]],
            people: dict[str, list[Any]], problem: Callable[[str, str], None],
            unknown: dict[str, set[str]]) -> dict[str, Any]:
    values: dict[str, Any] = {"name": parsed.name, "region": region}
    for model_field in ("owner", "address", "scope", "level", "total_investment_wan", "start_year", "end_year",
                        "national_code"):
        if model_field in provided:
            values[model_field] = getattr(parsed, model_field)
    if "industry" in provided or parsed.industry is not None:
        values["industry"] = parsed.industry  # from the column or from the section heading
    if parsed.category is not None:
        values["category"] = parsed.category
    for model_field in _TEXT_MODEL_FIELDS:
        if model_field in values and values[model_field] is None:
            values[model_field] = ""
    for model_field, limit in _MAX_LENGTHS.items():
        text = values.get(model_field) or ""
        if len(text) > limit:
            problem(model_field, _("%(field)s超过%(limit)s个字（现有%(length)s个）")
                    % {"field": _(_FIELD_LABELS[model_field]), "limit": limit, "length": len(text)})
    category = values.get("category")
    if category is not None and category not in Category.values:
        problem("category", _("项目类型“%(value)s”应为%(choices)s之一")
                % {"value": category, "choices": _("、").join(Category.values)})
    if values.get("level") and values["level"] not in Level.values:
        problem("level", _("项目级别“%(value)s”应为%(choices)s之一")
                % {"value": values["level"], "choices": _("、").join(Level.values)})
    if values.get("national_code"):
        try:
            validate_national_code(values["national_code"])
        except ValidationError as exc:
            problem("national_code", exc.messages[0])
    links = (("unit", units, gettext_noop("责任单位")), ("leader", people, gettext_noop("包靠领导")))
    for key, directory, label in links:
        if key not in provided:
            continue
        text = getattr(parsed, key)
        if text is None:
            values[key] = None
            continue
        found = _pick(directory.get(text, []), region)
        if found is None:
            # One warning for the whole file names them (a city list has dozens of leaders not yet entered).
            unknown.setdefault(label, set()).add(text)
        else:
            values[key] = found
    return values


def _directory(model: type[Unit] | type[Person], names: set[str]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for chunk in _chunks(sorted(names)):
        for obj in model.objects.filter(name__in=chunk).select_related("region"):
            found.setdefault(obj.name, []).append(obj)
    return found


def _pick(candidates: list[Any], region: Region) -> Any:
    """The unit or person of that name in the project's region or the nearest region above it; ``None`` when there is
    none or two at the same distance (never a guess)."""
    inside = [c for c in candidates if region.path.startswith(c.region.path)]
    if not inside:
        return None
    deepest = max(len(c.region.path) for c in inside)
    nearest = [c for c in inside if len(c.region.path) == deepest]
    if len(nearest) > 1:
        leaders = [c for c in nearest if getattr(c, "is_leader", False)]
        return leaders[0] if len(leaders) == 1 else None
    return nearest[0]


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _match(prepared: list[_Prepared], report: ImportReport) -> None:
    """Find each row's project with three set-based queries: by national code, by project code, by (region, name)."""
    national = {p.values["national_code"] for p in prepared if p.values.get("national_code")}
    codes = {p.parsed.code for p in prepared if p.parsed.code}
    names = {p.parsed.name for p in prepared}
    by_national: dict[str, Project] = {}
    by_code: dict[str, Project] = {}
    by_name: dict[tuple[int, str], Project] = {}
    for chunk in _chunks(sorted(national)):
        by_national.update({p.national_code: p for p in Project.objects.filter(national_code__in=chunk)
                            if p.national_code})
    for chunk in _chunks(sorted(codes)):
        by_code.update({p.code: p for p in Project.objects.filter(code__in=chunk)})
    for chunk in _chunks(sorted(names)):
        by_name.update({(p.region_id, p.name): p for p in Project.objects.filter(name__in=chunk)})
    claimed: dict[int, int] = {}
    for item in prepared:
        national_code = item.values.get("national_code")
        project = (by_national.get(national_code) if national_code else None) \
            or (by_code.get(item.parsed.code) if item.parsed.code else None) \
            or by_name.get((item.region.pk, item.parsed.name))
        if project is not None and national_code and project.national_code and project.national_code != national_code:
            _fail(report, item, _("同名同区县的已有项目（%(code)s）的项目代码为%(national_code)s，与本行不一致")
                  % {"code": project.code, "national_code": project.national_code}, _("全国投资项目代码"))
            continue
        holder = by_name.get((item.region.pk, item.parsed.name))
        if holder is not None and project is not None and holder.pk != project.pk:
            _fail(report, item, _("本区县已有同名项目（%(code)s），不能改为这个名称") % {"code": holder.code})
            continue
        if project is not None and project.pk in claimed:
            _fail(report, item, _("与第%(row)s行对应同一个已有项目（%(code)s）")
                  % {"row": claimed[project.pk], "code": project.code})
            continue
        if project is not None:
            claimed[project.pk] = item.parsed.row
        item.project = project


def _fail(report: ImportReport, item: _Prepared, message: str, column: str | None = None) -> None:
    report.issues.append(Issue(Severity.ERROR, message, item.parsed.row, column or _("项目名称")))
    _outcome(report, item, "error", item.project.pk if item.project else None)


def _outcome(report: ImportReport, item: _Prepared, action: str, project_id: int | None = None,
             changed: list[str] | None = None) -> None:
    if item.outcome is not None:
        report.outcomes.remove(item.outcome)
    item.outcome = RowOutcome(item.parsed.row, item.parsed.name, action, project_id, changed or [])
    report.outcomes.append(item.outcome)


def _plan_create(item: _Prepared, report: ImportReport) -> None:
    values = dict(item.values)
    if "category" not in values:
        _fail(report, item, _("项目类型为空，应为%(choices)s之一") % {"choices": _("、").join(Category.values)})
        return
    stage = Stage.UNDER_CONSTRUCTION if values["category"] in _CONSTRUCTION_CATEGORIES else Stage.SIGNED
    project = Project(code=f"new-{uuid.uuid4().hex[:20]}", stage=stage, stage_since=clock.today(), **values)
    try:
        # Foreign keys and uniqueness are settled above with set-based queries; this checks every other field.
        project.full_clean(exclude=_CREATE_CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        _fail(report, item, _("；").join(exc.messages))
        return
    item.new_project = project
    _outcome(report, item, "create")


def _verbose(name: str) -> str:
    """The field's label in the active language (the name itself for a key that is not a field)."""
    try:
        return str(Project._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name


def _plan_update(item: _Prepared, report: ImportReport) -> None:
    project = item.project
    assert project is not None
    for key, value in item.values.items():
        new = value.pk if key in _FOREIGN_KEYS and value is not None else value
        current = getattr(project, f"{key}_id") if key in _FOREIGN_KEYS else getattr(project, key)
        if not _same(current, new):
            item.changes[key] = value
    if item.changes:
        _outcome(report, item, "update", project.pk, [_verbose(k) for k in item.changes])
    else:
        _outcome(report, item, "unchanged", project.pk)


def _same(current: Any, new: Any) -> bool:
    if current in (None, "") and new in (None, ""):
        return True
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        return current is not None and new is not None and Decimal(current) == Decimal(new)
    return bool(current == new)


def _plan_plans(actor: Actor, items: list[_Prepared], year: int, report: ImportReport) -> None:
    """Decide each row's plan: create it, change it (a new version, approved when the actor may approve), or leave
    it — when the amount is blank, equal, or a change already awaits approval."""
    existing: dict[int, AnnualPlan] = {}
    ids = [item.project.pk for item in items if item.project is not None and item.plan_amount is not None]
    for chunk in _chunks(ids):
        for plan in AnnualPlan.objects.filter(project_id__in=chunk, year=year).select_related("current"):
            existing[plan.project_id] = plan
    approve = actor.user is None or has_perm(actor.user, PLAN_APPROVE)
    for item in items:
        if item.plan_amount is None:
            continue
        plan = existing.get(item.project.pk) if item.project is not None else None
        if plan is None:
            item.plan_action = "create"
            report.plans_created += 1
            _mark_changed(item, _("年度计划"))
            continue
        current = plan.current
        if current is not None and _same(current.planned_investment_wan, item.plan_amount):
            continue
        if current is not None and current.status == PlanStatus.PROPOSED:
            report.issues.append(Issue(Severity.WARNING,
                                       _("%(year)s年计划已有待审批的调整，本次未修改年度计划投资") % {"year": year},
                                       item.parsed.row, _("年度计划投资")))
            continue
        item.plan, item.plan_action = plan, "change" if approve else "propose"
        report.plans_changed += 1
        _mark_changed(item, _("年度计划") if approve else _("年度计划（待审批）"))


def _mark_changed(item: _Prepared, label: str) -> None:
    outcome = item.outcome
    if outcome is None or outcome.action == "create":
        return
    if outcome.action == "unchanged":
        outcome.action = "update"
    outcome.changed.append(label)


# -- writing ------------------------------------------------------------------------------------------------------
def _write(actor: Actor, items: list[_Prepared], report: ImportReport) -> Generator[tuple[int, int], None, None]:
    message = f"名单导入：{report.filename}" if report.filename else "名单导入"
    updates = [item for item in items if item.changes]
    creates = [item for item in items if item.new_project is not None]
    plan_changes = [item for item in items if item.plan_action and item.new_project is None]
    total = len(updates) + len(creates) + len(plan_changes)
    done = 0
    yield done, total
    for item in updates:
        _update(actor, item, report)
        done += 1
        if done % 100 == 0:
            yield done, total
    for batch_done in _create_bulk(actor, creates, message):
        yield done + batch_done, total
    done += len(creates)
    if report.plan_year is not None:
        _create_plans(actor, creates, report.plan_year, message)
        for item in plan_changes:
            _change_plan(actor, item, report.plan_year, message, report)
            done += 1
            if done % 100 == 0:
                yield done, total
    yield total, total


def _update(actor: Actor, item: _Prepared, report: ImportReport) -> None:
    project = item.project
    assert project is not None
    try:
        item.project = do_update_project(actor, project, project.version, **item.changes)
    except (ValidationError, PermissionDenied) as exc:
        # Someone changed the project since the plan was made, or a rule of the model refused the values.
        text = _("；").join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        report.issues.append(Issue(Severity.ERROR, text, item.parsed.row))
        item.plan_action = ""
        _outcome(report, item, "error", project.pk)


def _create_bulk(actor: Actor, items: list[_Prepared], message: str) -> Iterator[int]:
    """Insert new projects in batches, then give each its code, its first stage and its audit entry."""
    projects = [item.new_project for item in items if item.new_project is not None]
    for start in range(0, len(projects), BATCH):
        batch = projects[start:start + BATCH]
        Project.objects.bulk_create(batch)
        for project in batch:
            project.code = project_code(project.region, project.pk)
        _set_columns(Project, ["code"], [(p.code, p.pk) for p in batch])
        yield start + len(batch)
    today, now = clock.today(), clock.now()
    actor_id = actor.user.pk if actor.user is not None else None
    insert_rows(StageTransition, ["project", "from_stage", "to_stage", "on", "actor", "note", "created_at"],
                 [(p.pk, "", p.stage, today, actor_id, "建档", now) for p in projects])
    fields = ("code", *PROJECT_FIELDS)
    entries = []
    for item, project in zip(items, projects, strict=True):
        # What audit.actions.record_create writes, with the row number.
        after = snapshot(project, fields)
        entries.append((project, {k: [None, v] for k, v in after.items() if v not in (None, "")},
                        f"{message} 第{item.parsed.row}行"))
        if item.outcome is not None:
            item.outcome.project_id = project.pk
    record_many(actor, AuditAction.CREATE, entries)


def _create_plans(actor: Actor, creates: list[_Prepared], year: int, message: str) -> None:
    """The first plan of each new project, as do_create_plan makes it: version 1, approved, original = baseline."""
    fresh = [item for item in creates if item.plan_action == "create" and item.new_project is not None]
    now = clock.now()
    plans = [AnnualPlan(project=item.new_project, year=year) for item in fresh]
    AnnualPlan.objects.bulk_create(plans, batch_size=BATCH)
    versions = [PlanVersion(plan=plan, number=1, planned_investment_wan=item.plan_amount, status=PlanStatus.APPROVED,
                            created_by=actor.user, decided_by=actor.user, decided_at=now)
                for plan, item in zip(plans, fresh, strict=True)]
    PlanVersion.objects.bulk_create(versions, batch_size=BATCH)
    for plan, version in zip(plans, versions, strict=True):
        plan.original = plan.baseline = plan.current = version
    _set_columns(AnnualPlan, ["original", "baseline", "current"],
                 [(v.pk, v.pk, v.pk, plan.pk) for plan, v in zip(plans, versions, strict=True)])
    # The entry do_create_plan writes for a plan without milestones.
    record_many(actor, AuditAction.CREATE, [
        (plan, {gettext_noop("版本"): [None, 1],
                gettext_noop("计划投资"): [None, display_value(version.planned_investment_wan)]}, message)
        for plan, version in zip(plans, versions, strict=True)])


def _change_plan(actor: Actor, item: _Prepared, year: int, message: str, report: ImportReport) -> None:
    project = item.project
    assert project is not None and item.plan_amount is not None
    if item.plan_action == "create":
        do_create_plan(actor, project, year, item.plan_amount)
        return
    plan = item.plan
    assert plan is not None
    current = plan.current
    milestones: dict[str, dt.date] = {m.kind: m.planned_date for m in current.milestones.all()} if current else {}
    try:
        do_propose_plan_change(actor, plan, plan.version, item.plan_amount, milestones, reason=message,
                               monthly_curve=current.monthly_curve if current else None,
                               targets=current.targets if current else "", approve=item.plan_action == "change")
    except (ValidationError, PermissionDenied) as exc:
        text = _("；").join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        report.issues.append(Issue(Severity.ERROR, _("年度计划未调整：%(reason)s") % {"reason": text}, item.parsed.row,
                                   _("年度计划投资")))
        report.plans_changed -= 1


def _set_columns(model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """UPDATE … SET columns WHERE id = … for many rows in one executemany: Django's bulk_update builds a CASE over
    the whole batch for every row, which costs 20 s for 20,000 rows on SQLite."""
    if not rows:
        return
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(model._meta.get_field(c).column)} = %s" for c in columns)  # type: ignore[union-attr,arg-type]
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {key} = %s", rows)  # noqa: S608 - names only


def saved_column_labels(user: Any) -> dict[str, str]:
    """The headings this user taught the importer: label → field ("" ignores the column)."""
    if user is None or not getattr(user, "pk", None):
        return {}
    return dict(ImportColumnLabel.objects.filter(user=user).values_list("label", "field"))


@transaction.atomic
def do_save_column_labels(actor: Actor, labels: dict[str, str]) -> int:
    """Remember the user's corrections for the next import. Returns how many headings were added or changed."""
    if actor.user is None:
        raise ValidationError(_("命令行导入请直接在文件中修正表头。"))
    unknown = {v for v in labels.values() if v and v not in FIELD_LABELS}
    if unknown:
        raise ValidationError(_("未知的列含义：%(fields)s") % {"fields": _("、").join(sorted(unknown))})
    existing = {row.label: row for row in ImportColumnLabel.objects.filter(user=actor.user, label__in=list(labels))}
    changed = 0
    for label, field_key in labels.items():
        label = label.strip()[:200]
        if not label:
            continue
        row = existing.get(label)
        if row is not None and row.field == field_key:
            continue
        before = None if row is None else FIELD_LABELS.get(row.field, "忽略")
        row = row or ImportColumnLabel(user=actor.user, label=label)
        row.field = field_key
        row.save()
        record(actor, AuditAction.UPDATE if before is not None else AuditAction.CREATE, row,
               {label: [before, FIELD_LABELS.get(field_key, "忽略")]}, "记住导入列含义")
        changed += 1
    return changed
