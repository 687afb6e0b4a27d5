"""The cadence (DESIGN §6): dispatch meetings and their decisions, observation rounds with their panel, criteria,
targets and score sheets, and the weights of the assessment of units and leaders.

Monthly bulletins, quarterly summaries and assessments are computed from the ratings, reports and problems when asked
for (selectors, bulletin.py, summary.py); nothing of them is stored but the assessment weights.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.scope import scope_of
from keyprojects.cadence.choices import Half, RoundStatus, TargetKind
from keyprojects.cadence.observation import plain
from keyprojects.core.models import VersionedModel
from keyprojects.core.querysets import ScopedQuerySet

WEIGHT: dict[str, Any] = {"max_digits": 6, "decimal_places": 2}
SCORE: dict[str, Any] = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
}


# --- 半月调度 ---------------------------------------------------------------------------------------------------------


class MeetingQuerySet(ScopedQuerySet):
    scope_region_path = "region__path"


class DispatchMeeting(VersionedModel):
    """A half-monthly dispatch meeting (半月调度会) of a region. Its agenda is the one prepared for the meeting — red
    and newly red projects, the 约谈 list, 直通车 and overdue problems, stalled projects — kept as it was when the
    meeting was set up (the material people had on the table); decisions become assigned problems."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="dispatch_meetings", verbose_name=_("区域")
    )
    held_on = models.DateField(_("会议日期"))
    title = models.CharField(_("会议名称"), max_length=200)
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    chair = models.CharField(_("主持人"), max_length=100, blank=True)
    attendees = models.TextField(_("参会人员"), blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    week_start = models.DateField(_("评分周（周一）"))
    agenda = models.JSONField(_("会议议程"), default=dict)
    agenda_at = models.DateTimeField(_("议程生成时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("调度会")
        verbose_name_plural = _("调度会")
        ordering = ("-held_on", "region__path")
        constraints = [models.UniqueConstraint(fields=["region", "held_on"], name="meeting_one_per_region_day")]

    def __str__(self) -> str:
        return self.title


class DecisionQuerySet(ScopedQuerySet):
    scope_region_path = "meeting__region__path"


class DispatchDecision(models.Model):
    """A decision of a dispatch meeting (会议决定事项): a task for a unit with a time limit, tracked as an assigned
    problem of the project (the problem loop: 交办 → 办理 → 办结 → 销号)."""

    meeting = models.ForeignKey(DispatchMeeting, on_delete=models.CASCADE, related_name="decisions")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="dispatch_decisions", verbose_name=_("项目")
    )
    text = models.CharField(_("决定事项"), max_length=200)
    detail = models.TextField(_("具体要求"), blank=True)
    unit = models.ForeignKey(
        "directory.Unit", on_delete=models.PROTECT, related_name="dispatch_decisions", verbose_name=_("承办单位")
    )
    working_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    problem = models.OneToOneField(
        "problems.Problem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dispatch_decision",
        verbose_name=_("交办问题"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"))

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("调度会决定事项")
        verbose_name_plural = _("调度会决定事项")
        ordering = ("meeting", "id")

    def __str__(self) -> str:
        return self.text


# --- 半年观摩 ---------------------------------------------------------------------------------------------------------


class RoundQuerySet(ScopedQuerySet):
    """A round is seen by whoever's scope covers its region, and by the members of its panel (a judge from another
    city scores the rounds he sits on)."""

    scope_region_path = "region__path"

    def for_user(self, user: Any) -> Self:
        condition = scope_of(user).condition(self.scope_region_path, None, None)
        if condition is None:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(condition | Q(pk__in=PanelMember.objects.filter(user=user).values("round_id")))


class ObservationRound(VersionedModel):
    title = models.CharField(_("名称"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="observation_rounds", verbose_name=_("组织区域")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    half = models.PositiveSmallIntegerField(_("半年"), choices=Half.choices)
    held_on = models.DateField(_("观摩日期"))
    target_kind = models.CharField(_("观摩对象"), max_length=10, choices=TargetKind.choices, default=TargetKind.PROJECT)
    status = models.CharField(_("状态"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("观摩活动")
        verbose_name_plural = _("观摩活动")
        ordering = ("-held_on", "-id")

    def __str__(self) -> str:
        return self.title


class ObservationCriterion(models.Model):
    round = models.ForeignKey(ObservationRound, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("评分指标"), max_length=100)
    weight = models.DecimalField(_("权重"), **WEIGHT)

    class Meta:
        verbose_name = _("观摩评分指标")
        verbose_name_plural = _("观摩评分指标")
        ordering = ("round", "order")
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="criterion_unique_name"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{plain(self.weight)}）"


class ObservationTarget(models.Model):
    """An observed project (or, in a round of districts, an observed region), in the order of the visit."""

    round = models.ForeignKey(ObservationRound, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField(_("观摩顺序"))
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="observations",
        verbose_name=_("项目"),
    )
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("县市区"),
    )
    summary = models.TextField(_("综合点评"), blank=True)

    class Meta:
        verbose_name = _("观摩对象")
        verbose_name_plural = _("观摩对象")
        ordering = ("round", "order")
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, region__isnull=True) | Q(project__isnull=True, region__isnull=False),
                name="target_project_or_region",
            ),
            models.UniqueConstraint(fields=["round", "project"], name="target_unique_project"),
            models.UniqueConstraint(fields=["round", "region"], name="target_unique_region"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.project.name if self.project_id else self.region.name  # type: ignore[union-attr]


class PanelMember(models.Model):
    round = models.ForeignKey(ObservationRound, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats", verbose_name=_("评委")
    )

    class Meta:
        verbose_name = _("观摩评委")
        verbose_name_plural = _("观摩评委")
        ordering = ("round", "id")
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="panel_unique_user")]

    def __str__(self) -> str:
        return str(self.user)


class ObservationSheet(VersionedModel):
    """One panel member's score sheet for one target: a score per criterion and the member's comment (点评)."""

    target = models.ForeignKey(ObservationTarget, on_delete=models.CASCADE, related_name="sheets")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="sheets")
    total = models.DecimalField(_("加权得分"), **SCORE)
    comment = models.TextField(_("点评"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("观摩评分表")
        verbose_name_plural = _("观摩评分表")
        ordering = ("target", "member")
        constraints = [models.UniqueConstraint(fields=["target", "member"], name="sheet_unique_member")]

    def __str__(self) -> str:
        return f"{self.target} · {self.member}"


class ObservationScore(models.Model):
    sheet = models.ForeignKey(ObservationSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ObservationCriterion, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(_("得分"), **SCORE)

    class Meta:
        verbose_name = _("观摩得分")
        verbose_name_plural = _("观摩得分")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_unique_criterion"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="score_between_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name} {self.score}"


# --- 绩效考核 ---------------------------------------------------------------------------------------------------------


class AssessmentRuleQuerySet(ScopedQuerySet):
    scope_region_path = "region__path"


class AssessmentRule(VersionedModel):
    """The weights and grade lines of the assessment for a region and the regions below it (the nearest region at or
    above the assessed region that has a rule applies; else the defaults of cadence/assessment.py). Kept here rather
    than in the rating rule set, whose parameters are the weekly score's own and reject unknown names."""

    region = models.OneToOneField(
        "regions.Region", on_delete=models.CASCADE, related_name="assessment_rule", verbose_name=_("区域")
    )
    weight_score = models.DecimalField(_("权重：周评均分"), default=Decimal(50), **WEIGHT)
    weight_blue = models.DecimalField(_("权重：蓝牌率"), default=Decimal(15), **WEIGHT)
    weight_red = models.DecimalField(_("权重：红牌控制"), default=Decimal(15), **WEIGHT)
    weight_problems = models.DecimalField(_("权重：问题按期办结"), default=Decimal(10), **WEIGHT)
    weight_observation = models.DecimalField(_("权重：观摩得分"), default=Decimal(10), **WEIGHT)
    excellent_min = models.DecimalField(_("优秀（不低于）"), default=Decimal(90), **SCORE)
    good_min = models.DecimalField(_("良好（不低于）"), default=Decimal(80), **SCORE)
    fair_min = models.DecimalField(_("一般（不低于）"), default=Decimal(60), **SCORE)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    objects = AssessmentRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核权重")
        verbose_name_plural = _("考核权重")
        ordering = ("region__path",)

    def __str__(self) -> str:
        return f"{self.region}绩效考核权重"
