"""Weekly progress reports (DESIGN §3): one current report per project and ISO week, earlier submissions kept as
revisions, photos with what their EXIF says about when and where they were taken."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keyprojects.core.models import VersionedModel
from keyprojects.core.querysets import ScopedQuerySet
from keyprojects.projects.choices import Stage
from keyprojects.reports.choices import ReportSource, Timeliness
from keyprojects.reports.i18n import day_text, month_day_text
from keyprojects.reports.weeks import IsoWeek

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}
YES_NO = [(True, _("是")), (False, _("否"))]  # so that the change log reads 是/否, not True/False


class ReportQuerySet(ScopedQuerySet):
    scope_region_path = "project__region__path"
    scope_unit = "project__unit"
    scope_leader = "project__leader"


class WeeklyReport(VersionedModel):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="weekly_reports", verbose_name=_("项目")
    )
    week_start = models.DateField(_("周次（周一）"))
    investment_year_wan = models.DecimalField(_("本年完成投资（万元）"), **MONEY)
    investment_total_wan = models.DecimalField(_("开工以来累计完成投资（万元）"), **MONEY)
    stage = models.CharField(_("所处阶段"), max_length=20, choices=Stage.choices)
    progress_text = models.TextField(_("形象进度"))
    percent_complete = models.PositiveSmallIntegerField(_("完成百分比"), null=True, blank=True)
    problems_text = models.TextField(_("存在问题"), blank=True)
    next_week_plan = models.TextField(_("下周计划"), blank=True)
    correction_reason = models.CharField(_("更正说明"), max_length=300, blank=True)
    over_total = models.BooleanField(_("超出总投资"), default=False, choices=YES_NO)
    timeliness = models.CharField(_("报送情况"), max_length=10, choices=Timeliness.choices)
    first_submitted_at = models.DateTimeField(_("首次报送时间"))
    submitted_at = models.DateTimeField(_("最近报送时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("报送人"),
    )
    submission_count = models.PositiveSmallIntegerField(_("报送次数"), default=1)
    source = models.CharField(_("来源"), max_length=10, choices=ReportSource.choices, default=ReportSource.UI)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("周报")
        verbose_name_plural = _("周报")
        ordering = ("-week_start", "project_id")
        constraints = [
            models.UniqueConstraint(fields=["project", "week_start"], name="report_unique_project_week"),
            models.CheckConstraint(
                condition=Q(investment_year_wan__gte=0) & Q(investment_total_wan__gte=0),
                name="report_investment_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__isnull=True) | Q(percent_complete__lte=100),
                name="report_percent_at_most_100",
            ),
        ]
        indexes = [models.Index(fields=["week_start", "timeliness"])]

    def __str__(self) -> str:
        return f"{self.project} {self.iso_week}周报"

    @property
    def iso_week(self) -> IsoWeek:
        return IsoWeek.of(self.week_start)


class RevisionQuerySet(ScopedQuerySet):
    scope_region_path = "report__project__region__path"
    scope_unit = "report__project__unit"
    scope_leader = "report__project__leader"


class ReportRevision(models.Model):
    """A submission that a later one replaced; append-only."""

    report = models.ForeignKey(WeeklyReport, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("版本"))
    data = models.JSONField(_("内容"))
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_at = models.DateTimeField(_("被替换时间"))

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("周报历史版本")
        verbose_name_plural = _("周报历史版本")
        ordering = ("report", "-number")
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="revision_unique_number")]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}版"


class PhotoQuerySet(ScopedQuerySet):
    scope_region_path = "report__project__region__path"
    scope_unit = "report__project__unit"
    scope_leader = "report__project__leader"


class ReportPhoto(models.Model):
    report = models.ForeignKey(WeeklyReport, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to="reports/photos/%Y/%m/")
    thumbnail = models.FileField(_("缩略图"), upload_to="reports/thumbs/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=50)
    size_bytes = models.PositiveIntegerField(_("大小（字节）"))
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    distance_km = models.FloatField(_("距项目距离（公里）"), null=True, blank=True)
    taken_before_week = models.BooleanField(_("拍摄早于本周"), default=False, choices=YES_NO)
    far_from_project = models.BooleanField(_("远离项目地点"), default=False, choices=YES_NO)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")
        ordering = ("report", "uploaded_at", "id")

    def __str__(self) -> str:
        return self.original_name

    @property
    def flagged(self) -> bool:
        return self.taken_before_week or self.far_from_project

    def flag_messages(self) -> list[str]:
        """Why the photo may not show this week's progress at the project, in plain words (the reader's language)."""
        from keyprojects.core.clock import SHANGHAI

        found = []
        if self.taken_before_week and self.taken_at is not None:
            monday = self.report.week_start
            found.append(
                gettext("照片拍摄于%(taken)s，早于所报周（%(monday)s起）。")
                % {"taken": day_text(self.taken_at.astimezone(SHANGHAI)), "monday": month_day_text(monday)}
            )
        if self.far_from_project and self.distance_km is not None:
            found.append(
                gettext("照片拍摄地点距项目约%(distance)s公里，可能不是本项目现场。")
                % {"distance": f"{self.distance_km:.1f}"}
            )
        return found

    def info_messages(self) -> list[str]:
        found = []
        if self.taken_at is None:
            found.append(gettext("照片无拍摄时间信息"))
        if self.latitude is None:
            found.append(gettext("照片无定位信息"))
        return found
