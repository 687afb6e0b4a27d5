"""Problems that block projects and their closed loop (DESIGN §5), the element ledger (要素保障台账), the per-region
rules of the loop, and the holiday schedules an administrator enters for years the packaged calendar does not know."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from keyprojects.accounts.scope import scope_of
from keyprojects.core.models import VersionedModel
from keyprojects.core.querysets import ScopedQuerySet
from keyprojects.problems.choices import (
    DEFAULT_DIRECT_DAYS,
    DEFAULT_ESCALATE_AFTER,
    DEFAULT_NORMAL_DAYS,
    DEFAULT_SUMMON_AFTER,
    ELEMENT_UNIT_LABELS,
    ELEMENT_UNITS,
    OPEN_STATES,
    Category,
    Channel,
    ElementKind,
    Escalation,
    EventKind,
    State,
    Transition,
)
from keyprojects.problems.deadlines import approximation_warning, warning_years

AMOUNT: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class ProblemQuerySet(ScopedQuerySet):
    """A problem is seen by whoever sees its project, by the unit it was assigned to and by the leader whose 直通车
    queue it is in (a district head's scope is often only the projects he leads)."""

    scope_region_path = "project__region__path"
    scope_unit = "project__unit"
    scope_leader = "project__leader"

    def for_user(self, user: Any) -> Self:
        scope = scope_of(user)
        on_project = scope.condition(self.scope_region_path, self.scope_unit, self.scope_leader)
        if on_project is None:
            return self.all()
        handling = scope.condition(None, "assigned_unit", "direct_leader")
        assert handling is not None
        return self.filter(on_project | handling)

    def open(self) -> Self:
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, today: Any) -> Self:
        return self.filter(state__in=OPEN_STATES, deadline__lt=today)


class Problem(VersionedModel):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="problems", verbose_name=_("项目")
    )
    title = models.CharField(pgettext_lazy("problem title", "问题"), max_length=200)
    description = models.TextField(_("问题描述"), blank=True)
    category = models.CharField(_("问题类别"), max_length=20, choices=Category.choices, default=Category.OTHER)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices, default=Channel.NORMAL)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.RAISED)

    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("提出人"),
    )
    raised_by_label = models.CharField(_("提出人"), max_length=150, blank=True)
    raised_on = models.DateField(_("提出日期"))

    assigned_unit = models.ForeignKey(
        "directory.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_problems",
        verbose_name=_("承办单位"),
    )
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), null=True, blank=True)
    deadline = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    deadline_warning = models.CharField(_("期限提示"), max_length=200, blank=True)
    direct_leader = models.ForeignKey(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_problems",
        verbose_name=_("直通车接收领导"),
    )

    resolution = models.TextField(_("办理结果"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("办结人"),
    )
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)

    escalation = models.PositiveSmallIntegerField(
        _("升级"), choices=Escalation.choices, default=Escalation.NONE, db_index=True
    )
    supervise_count = models.PositiveSmallIntegerField(_("督办次数"), default=0)
    last_supervised_on = models.DateField(_("最近督办"), null=True, blank=True)
    escalated_on = models.DateField(_("升级直通车日期"), null=True, blank=True)
    summoned_on = models.DateField(_("列入约谈日期"), null=True, blank=True)

    element = models.ForeignKey(
        "ElementItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
        verbose_name=_("要素缺口"),
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ("-raised_on", "-id")
        indexes = [models.Index(fields=["state", "deadline"]), models.Index(fields=["project", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[State.RAISED, State.CONSULTING]) | Q(assigned_unit__isnull=False),
                name="problem_assigned_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"{self.raised_on:%Y}-{self.pk:05d}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def deadline_warning_display(self) -> str:
        """`deadline_warning` is stored in Chinese when the deadline is set; this is it in the active language."""
        years = warning_years(self.deadline_warning)
        return approximation_warning(years) if years else self.deadline_warning

    @property
    def overdue_days(self) -> int | None:
        """Calendar days past the deadline while not yet handled; None when not overdue."""
        if not self.is_open or self.deadline is None:
            return None
        days = getattr(self, "days_past_deadline", None)
        if days is None:
            from keyprojects.core import clock

            days = (clock.today() - self.deadline).days
        return days if days > 0 else None


class ProblemEventQuerySet(ScopedQuerySet):
    scope_region_path = "problem__project__region__path"
    scope_unit = "problem__project__unit"
    scope_leader = "problem__project__leader"


class ProblemEvent(models.Model):
    """One step in a problem's life: a transition, a comment, a 督办, an escalation. Append-only."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=20, choices=EventKind.choices)
    transition = models.CharField(_("操作"), max_length=20, choices=Transition.choices, blank=True)
    from_state = models.CharField(_("原状态"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=State.choices, blank=True)
    at = models.DateTimeField(_("时间"))
    on = models.DateField(_("日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("操作人"), max_length=150)
    comment = models.TextField(_("说明"), blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)

    objects = ProblemEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题记录")
        verbose_name_plural = _("问题记录")
        ordering = ("at", "id")
        constraints = [
            # At most one 督办 per problem per day, however often the sweep runs.
            models.UniqueConstraint(
                fields=["problem", "on"], condition=Q(kind="supervise"), name="problemevent_one_supervise_a_day"
            ),
        ]

    def __str__(self) -> str:
        with translation.override(settings.LANGUAGE_CODE):  # like the others: not translated (audit object_repr)
            return f"{self.problem} {self.get_kind_display()} {self.on}"


class ElementItemQuerySet(ScopedQuerySet):
    scope_region_path = "project__region__path"
    scope_unit = "project__unit"
    scope_leader = "project__leader"


class ElementItem(VersionedModel):
    """One line of a project's 要素保障台账: how much land / energy / emission quota / funds it needs, how much has been
    secured, by when it is needed."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="elements", verbose_name=_("项目")
    )
    kind = models.CharField(_("要素"), max_length=10, choices=ElementKind.choices)
    required = models.DecimalField(_("需求量"), **AMOUNT)
    secured = models.DecimalField(_("已落实"), default=0, **AMOUNT)
    needed_by = models.DateField(_("需求时间"), null=True, blank=True)
    secured_on = models.DateField(_("最近落实日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    objects = ElementItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("要素保障")
        verbose_name_plural = _("要素保障")
        ordering = ("project", "kind")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="elementitem_unique_kind"),
            models.CheckConstraint(condition=Q(required__gte=0) & Q(secured__gte=0), name="elementitem_not_negative"),
        ]

    def __str__(self) -> str:
        with translation.override(settings.LANGUAGE_CODE):  # stored in the audit log (object_repr): not translated
            return f"{self.project} {self.get_kind_display()}"

    @property
    def unit(self) -> str:
        return ELEMENT_UNITS[ElementKind(self.kind)]

    @property
    def unit_label(self) -> str:
        """The unit in the active language, for pages."""
        return str(ELEMENT_UNIT_LABELS[ElementKind(self.kind)])

    @property
    def shortfall(self) -> Any:
        return max(self.required - self.secured, 0)


class RegionRules(VersionedModel):
    """The loop's settings for a region and the regions below it (the nearest region above that has rules applies)."""

    region = models.OneToOneField(
        "regions.Region", on_delete=models.CASCADE, related_name="problem_rules", verbose_name=_("区域")
    )
    top_leader = models.ForeignKey(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("直通车接收领导"),
        help_text=_("区域主要领导；未设置时由项目包靠领导接收"),
    )
    normal_days = models.PositiveSmallIntegerField(_("常规问题办理时限（工作日）"), default=DEFAULT_NORMAL_DAYS)
    direct_days = models.PositiveSmallIntegerField(_("直通车办理时限（工作日）"), default=DEFAULT_DIRECT_DAYS)
    escalate_after = models.PositiveSmallIntegerField(
        _("逾期升级直通车（工作日）"),
        default=DEFAULT_ESCALATE_AFTER,
        help_text=_("逾期满该工作日数仍未办结，升级到领导直通车"),
    )
    summon_after = models.PositiveSmallIntegerField(
        _("逾期列入约谈（工作日）"), default=DEFAULT_SUMMON_AFTER, help_text=_("逾期满该工作日数仍未办结，列入约谈名单")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题办理规则")
        verbose_name_plural = _("问题办理规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(summon_after__gt=models.F("escalate_after")), name="regionrules_summon_after_escalate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}问题办理规则"  # stored in the audit log (object_repr): not translated


class CalendarYear(VersionedModel):
    """A year's official holiday schedule entered by an administrator (国务院办公厅关于某年部分节假日安排的通知)."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如 国办发明电〔2026〕×号"))

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ("-year",)

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"  # stored in the audit log (object_repr): not translated


class CalendarDay(models.Model):
    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("调休上班"), default=False)
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ("day",)

    def __str__(self) -> str:
        return f"{self.day} {self.name}"
