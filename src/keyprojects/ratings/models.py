"""Rule sets (versioned, dated), weekly ratings, colour overrides, escalations and rating runs (DESIGN §4)."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.scope import scope_of
from keyprojects.core.models import VersionedModel
from keyprojects.core.querysets import ScopedQuerySet
from keyprojects.ratings import reasons as reason_texts
from keyprojects.ratings import scoring
from keyprojects.ratings.choices import Colour, EscalationKind
from keyprojects.reports.weeks import IsoWeek


class RuleSetQuerySet(ScopedQuerySet):
    scope_region_path = "region__path"

    def for_user(self, user: Any) -> Self:
        """Rule sets of regions in scope, and the rule sets that apply everywhere (no region)."""
        condition = scope_of(user).condition(self.scope_region_path, None, None)
        if condition is None:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(condition | Q(region__isnull=True))


class RuleSet(VersionedModel):
    """A named family of rules for a region subtree (none = everywhere); its content lives in dated versions.
    A project is rated by the rule set of the deepest region that contains it."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rule_sets",
        verbose_name=_("适用区域"),
        help_text=_("留空表示适用于所有没有专门规则的区域"),
    )
    description = models.TextField(_("说明"), blank=True)

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分规则")
        verbose_name_plural = _("评分规则")
        ordering = ("region__path", "name")
        # One rule set per region; the single one without a region (the default) is ensured by the actions.
        constraints = [models.UniqueConstraint(fields=["region"], name="ruleset_one_per_region")]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        return reason_texts.system_text(self.name)

    @property
    def shown_description(self) -> str:
        return reason_texts.system_text(self.description)


class RuleVersionQuerySet(ScopedQuerySet):
    scope_region_path = "rule_set__region__path"

    def for_user(self, user: Any) -> Self:
        return self.filter(rule_set__in=RuleSet.objects.for_user(user))


class RuleVersion(models.Model):
    """One dated version of a rule set. Never edited: a change is a new version, so ratings keep the rules they
    were computed with."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    valid_from = models.DateField(_("起用周（周一）"))
    params = models.JSONField(_("参数"))
    note = models.CharField(_("修改说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))

    objects = RuleVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分规则版本")
        verbose_name_plural = _("评分规则版本")
        ordering = ("rule_set", "-number")
        constraints = [models.UniqueConstraint(fields=["rule_set", "number"], name="ruleversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.rule_set} 第{self.number}版（{IsoWeek.of(self.valid_from)}起）"

    @property
    def shown_note(self) -> str:
        return reason_texts.system_text(self.note)

    @cached_property
    def rules(self) -> scoring.Rules:
        return scoring.Rules.from_params(self.params)

    def param_rows(self) -> list[tuple[str, str]]:
        """(label, value) of each parameter, in the reader's language."""
        rules = self.rules
        rows = []
        for p in scoring.PARAMS:
            value = getattr(rules, p.name)
            if p.kind == "choice":
                value = dict(p.choices).get(value, value)
            rows.append((gettext(p.label), str(value)))
        return rows


class ProjectScoped(ScopedQuerySet):
    scope_region_path = "project__region__path"
    scope_unit = "project__unit"
    scope_leader = "project__leader"


class WeeklyRating(models.Model):
    """A project's score and colour for one ISO week. Written in bulk by `do_rate_week`; recomputing replaces the
    week's rows (overrides live apart, in ColourOverride, and are applied again)."""

    week_start = models.DateField(_("周次（周一）"))
    # No separate index on either foreign key: the unique (project, week_start) index serves lookups by project, and
    # rule versions are never deleted. Fewer indexes keep the weekly bulk insert fast (DESIGN §10). Nor database-level
    # foreign keys: checking them for a province's 20,000 rows took 0.18 s of the 1 s a rating run may take. Django
    # still cascades a deleted project's ratings and protects rule versions, and the rating run and project deletion
    # exclude each other (core.locks.PROJECT_RATINGS); see docs/decisions.md.
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="weekly_ratings",
        verbose_name=_("项目"),
        db_index=False,
        db_constraint=False,
    )
    rule_version = models.ForeignKey(
        RuleVersion, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    group_key = models.CharField(_("比较组"), max_length=120)
    group_label = models.CharField(_("比较组"), max_length=120)
    score = models.FloatField(_("得分"), null=True)
    c_investment = models.FloatField(null=True)
    c_milestones = models.FloatField(null=True)
    c_momentum = models.FloatField(null=True)
    c_problems = models.FloatField(null=True)
    c_reporting = models.FloatField(null=True)
    rank = models.PositiveIntegerField(_("组内排名"), null=True)
    group_size = models.PositiveIntegerField(_("组内项目数"))
    computed_colour = models.CharField(_("计算颜色"), max_length=10, choices=Colour.choices)
    colour = models.CharField(_("最终颜色"), max_length=10, choices=Colour.choices)
    overridden = models.BooleanField(_("人工调整"), default=False)
    hard_red = models.BooleanField(_("直接红牌"), default=False)
    previous_score = models.FloatField(null=True)
    score_change = models.FloatField(_("较上周"), null=True)
    previous_colour = models.CharField(max_length=10, blank=True)
    red_streak = models.PositiveSmallIntegerField(_("连续红牌周数"), default=0)
    report_status = models.CharField(_("报送情况"), max_length=10)
    reasons = models.TextField(_("原因"), blank=True)  # one reason per line, plain Chinese (see ratings.reasons)
    computed_at = models.DateTimeField(_("计算时间"))

    objects = ProjectScoped.as_manager()

    class Meta:
        verbose_name = _("每周评分")
        verbose_name_plural = _("每周评分")
        ordering = ("-week_start", "-score")
        constraints = [models.UniqueConstraint(fields=["project", "week_start"], name="rating_unique_project_week")]
        indexes = [models.Index(fields=["week_start", "colour"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.iso_week} {self.colour}"

    @property
    def iso_week(self) -> IsoWeek:
        return IsoWeek.of(self.week_start)

    @property
    def reason_list(self) -> list[str]:
        """The reasons as stored (Chinese)."""
        return [r for r in self.reasons.split("\n") if r]

    @property
    def shown_reasons(self) -> list[reason_texts.Shown]:
        """The reasons in the reader's language, each marked when it is a 直接红牌 reason."""
        return reason_texts.shown(self.reason_list)

    @property
    def shown_group(self) -> str:
        return reason_texts.group_label(self.group_label)

    @property
    def previous_colour_label(self) -> str:
        colour = self.previous_colour if self.previous_colour in Colour.values else Colour.NONE
        return str(Colour(colour).label)

    def components(self) -> dict[str, float | None]:
        return {c: getattr(self, f"c_{c}") for c in scoring.COMPONENTS}


class ColourOverride(VersionedModel):
    """A supervisor's colour for a project and week instead of the computed one, with the reason."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="colour_overrides")
    week_start = models.DateField(_("周次（周一）"))
    colour = models.CharField(_("调整为"), max_length=10, choices=Colour.choices)
    reason = models.CharField(_("调整原因"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ProjectScoped.as_manager()

    class Meta:
        verbose_name = _("颜色调整")
        verbose_name_plural = _("颜色调整")
        constraints = [models.UniqueConstraint(fields=["project", "week_start"], name="override_unique_project_week")]

    def __str__(self) -> str:
        return f"{self.project} {IsoWeek.of(self.week_start)} 调整为{self.get_colour_display()}"


class Escalation(models.Model):
    """督办 after `escalate_red_weeks` red weeks in a row; 约谈 when still red `summons_after_weeks` later. One per
    red streak (identified by the streak's first week); never deleted by a recomputation — a notice cannot be unsent."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="escalations")
    kind = models.CharField(_("类型"), max_length=10, choices=EscalationKind.choices)
    week_start = models.DateField(_("触发周"))
    streak_start = models.DateField(_("连续红牌起始周"))
    red_weeks = models.PositiveSmallIntegerField(_("连续红牌周数"))
    notice_id = models.BigIntegerField(_("通知"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"))

    objects = ProjectScoped.as_manager()

    class Meta:
        verbose_name = _("督办与约谈")
        verbose_name_plural = _("督办与约谈")
        ordering = ("-week_start", "project_id")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "streak_start"], name="escalation_once_per_streak")
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.get_kind_display()}（{IsoWeek.of(self.week_start)}）"

    @property
    def iso_week(self) -> IsoWeek:
        return IsoWeek.of(self.week_start)

    @property
    def streak_week(self) -> IsoWeek:
        return IsoWeek.of(self.streak_start)


class RatingRun(models.Model):
    """One computation of a week: when, by whom, with what result. Audited."""

    week_start = models.DateField(_("周次（周一）"))
    started_at = models.DateTimeField(_("开始时间"))
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"))
    actor_label = models.CharField(_("执行人"), max_length=150)
    projects = models.PositiveIntegerField(_("项目数"))
    counts = models.JSONField(_("各色数量"), default=dict)
    escalations = models.PositiveIntegerField(_("新增督办约谈"), default=0)

    class Meta:
        verbose_name = _("评分计算记录")
        verbose_name_plural = _("评分计算记录")
        ordering = ("-started_at",)

    def __str__(self) -> str:
        return f"{IsoWeek.of(self.week_start)}评分（{self.projects}个项目）"

    @property
    def shown_actor(self) -> str:
        return reason_texts.system_text(self.actor_label)
