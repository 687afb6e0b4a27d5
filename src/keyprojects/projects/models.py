"""Projects, their annual plans with versioned baselines, milestones, lifecycle transitions and batch events."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keyprojects.core.models import TimestampedModel, VersionedModel
from keyprojects.core.querysets import ScopedQuerySet
from keyprojects.projects.choices import BatchKind, Category, Level, MilestoneKind, PlanStatus, Stage
from keyprojects.projects.validators import validate_national_code

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class ProjectQuerySet(ScopedQuerySet):
    scope_region_path = "region__path"
    scope_unit = "unit"
    scope_leader = "leader"


class Project(VersionedModel):
    code = models.CharField(_("项目编号"), max_length=32, unique=True, help_text=_("平台内编号，自动生成"))
    national_code = models.CharField(
        _("全国投资项目代码"), max_length=24, unique=True, null=True, blank=True, validators=[validate_national_code]
    )
    name = models.CharField(_("项目名称"), max_length=200)
    owner = models.CharField(_("建设单位"), max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="projects", verbose_name=_("所属区域")
    )
    address = models.CharField(_("建设地点"), max_length=300, blank=True)
    industry = models.CharField(_("产业领域"), max_length=50, blank=True)
    category = models.CharField(_("项目类型"), max_length=10, choices=Category.choices, default=Category.NEW)
    level = models.CharField(_("项目级别"), max_length=10, choices=Level.choices, blank=True)
    total_investment_wan = models.DecimalField(_("总投资（万元）"), null=True, blank=True, **MONEY)
    scope = models.TextField(_("建设内容及规模"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("开始年份"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("结束年份"), null=True, blank=True)
    stage = models.CharField(_("所处阶段"), max_length=20, choices=Stage.choices, default=Stage.SIGNED)
    stage_since = models.DateField(_("进入本阶段日期"), null=True, blank=True)
    leader = models.ForeignKey(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_projects",
        verbose_name=_("包靠领导"),
    )
    unit = models.ForeignKey(
        "directory.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
        verbose_name=_("责任单位"),
    )
    task_force = models.ForeignKey(
        "directory.TaskForce",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
        verbose_name=_("工作专班"),
    )
    person_in_charge = models.ForeignKey(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects_in_charge",
        verbose_name=_("具体责任人"),
    )
    tags = models.CharField(_("标签"), max_length=200, blank=True, help_text=_("以逗号分隔"))
    # The project site (WGS-84), used to flag report photos taken far from it; empty until someone enters it.
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ("region__path", "code")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="project_unique_name_in_region"),
            models.CheckConstraint(
                condition=Q(total_investment_wan__gte=0) | Q(total_investment_wan__isnull=True),
                name="project_investment_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="project_years_ordered",
            ),
        ]
        indexes = [models.Index(fields=["industry"]), models.Index(fields=["category"]), models.Index(fields=["stage"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("结束年份不能早于开始年份。")})

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.replace("，", ",").split(",") if t.strip()]


class StageTransition(models.Model):
    """A dated step of the lifecycle. Append-only; the project's `stage` is the latest one."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_transitions")
    from_stage = models.CharField(_("原阶段"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=20, choices=Stage.choices)
    on = models.DateField(_("日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        ordering = ("on", "id")

    def __str__(self) -> str:
        return f"{self.project} → {self.get_to_stage_display()} {self.on}"


class AnnualPlanQuerySet(ScopedQuerySet):
    scope_region_path = "project__region__path"
    scope_unit = "project__unit"
    scope_leader = "project__leader"


class AnnualPlan(VersionedModel):
    """A project's plan for one year of the key-project list. Its content lives in versions: the original (version 1),
    the baseline (the latest approved) and the current (the latest, possibly awaiting approval) are all kept, so
    variance can be reported against both the original and the baseline."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="plans", verbose_name=_("项目"))
    year = models.PositiveSmallIntegerField(_("年度"))
    original = models.ForeignKey(
        "PlanVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("原始计划")
    )
    baseline = models.ForeignKey(
        "PlanVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("基准计划")
    )
    current = models.ForeignKey(
        "PlanVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("最新计划")
    )

    objects = AnnualPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        ordering = ("-year",)
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="plan_unique_project_year")]

    def __str__(self) -> str:
        return f"{self.project} {self.year}年计划"


class PlanVersionQuerySet(ScopedQuerySet):
    scope_region_path = "plan__project__region__path"
    scope_unit = "plan__project__unit"
    scope_leader = "plan__project__leader"


class PlanVersion(models.Model):
    """One version of an annual plan. Approved versions are never edited: a change is a new version."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    planned_investment_wan = models.DecimalField(_("年度计划投资（万元）"), null=True, blank=True, **MONEY)
    # Cumulative share of the year's investment due by the end of each month, 12 numbers in 0..1; empty = linear.
    monthly_curve = models.JSONField(_("月度计划曲线"), null=True, blank=True)
    targets = models.TextField(_("年度目标"), blank=True)
    reason = models.CharField(_("调整原因"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.PROPOSED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("计划版本")
        verbose_name_plural = _("计划版本")
        ordering = ("plan", "number")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number"),
            models.CheckConstraint(
                condition=Q(planned_investment_wan__gte=0) | Q(planned_investment_wan__isnull=True),
                name="planversion_investment_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} 第{self.number}版"


class PlannedMilestone(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("节点"), max_length=20, choices=MilestoneKind.choices)
    planned_date = models.DateField(_("计划日期"))

    class Meta:
        verbose_name = _("计划节点")
        verbose_name_plural = _("计划节点")
        constraints = [models.UniqueConstraint(fields=["version", "kind"], name="plannedmilestone_unique_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.planned_date}"


class MilestoneQuerySet(ScopedQuerySet):
    scope_region_path = "project__region__path"
    scope_unit = "project__unit"
    scope_leader = "project__leader"


class Milestone(VersionedModel):
    """What actually happened: the date a milestone was met (planned dates live in the plan versions)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("节点"), max_length=20, choices=MilestoneKind.choices)
    actual_date = models.DateField(_("实际日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("节点完成情况")
        verbose_name_plural = _("节点完成情况")
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="milestone_unique_kind")]

    def __str__(self) -> str:
        return f"{self.project} {self.get_kind_display()}"


class BatchEventQuerySet(ScopedQuerySet):
    scope_region_path = "region__path"

    def with_totals(self) -> BatchEventQuerySet:
        """Count and total investment computed from the event's projects, in the same query."""
        return self.annotate(
            project_count=models.Count("projects", distinct=True),
            total_investment_wan=models.Sum("projects__total_investment_wan"),
        )


class BatchEvent(VersionedModel):
    """集中开工 / 集中签约 / 集中竣工 / 集中投产: its count and total are computed from its projects. The figures a
    news report states are kept beside them so that a difference is visible."""

    kind = models.CharField(_("活动类型"), max_length=10, choices=BatchKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="batch_events", verbose_name=_("区域")
    )
    date = models.DateField(_("日期"))
    venue = models.CharField(_("主会场"), max_length=200, blank=True)
    projects = models.ManyToManyField(Project, blank=True, related_name="batch_events", verbose_name=_("项目"))
    reported_count = models.PositiveIntegerField(_("报道项目数"), null=True, blank=True)
    reported_total_wan = models.DecimalField(_("报道总投资（万元）"), null=True, blank=True, **MONEY)
    source = models.CharField(_("来源"), max_length=300, blank=True)

    objects = BatchEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("集中活动")
        verbose_name_plural = _("集中活动")
        ordering = ("-date", "region__path")

    def __str__(self) -> str:
        return self.title


__all__ = [
    "AnnualPlan",
    "BatchEvent",
    "Milestone",
    "PlanVersion",
    "PlannedMilestone",
    "Project",
    "StageTransition",
    "TimestampedModel",
]


class ImportColumnLabel(TimestampedModel):
    """A column heading a user taught the importer ("计划总投资额（亿）" → total investment; "" = ignore the column).
    Later imports by the same user read such headings this way before trying the built-in synonyms."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_labels")
    label = models.CharField(_("表头"), max_length=200)
    field = models.CharField(_("含义"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("导入列含义")
        verbose_name_plural = _("导入列含义")
        constraints = [models.UniqueConstraint(fields=["user", "label"], name="importcolumnlabel_unique_label")]

    def __str__(self) -> str:
        return f"{self.label} → {self.field or '忽略'}"
