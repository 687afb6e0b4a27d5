"""Base model classes shared by every room. No domain rules here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimestampedModel):
    """An editable object. `version` increases on every write; a write based on an older version is refused
    (see keyprojects.core.editing), so that two people editing the same object never silently overwrite each other."""

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True


class JobRun(models.Model):
    """One run of a periodic job for one period (job + period key is unique: a job runs once per period)."""

    job = models.CharField(_("任务"), max_length=50)
    period = models.CharField(_("周期"), max_length=30)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ok = models.BooleanField(_("成功"), default=False)
    output = models.TextField(_("输出"), blank=True)

    class Meta:
        verbose_name = _("定时任务运行")
        verbose_name_plural = _("定时任务运行")
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="jobrun_unique_period")]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
