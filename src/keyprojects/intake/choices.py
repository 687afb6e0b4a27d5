from django.db import models
from django.utils.translation import gettext_lazy as _


class FactKind(models.TextChoices):
    BATCH_EVENT = "batch_event", _("集中活动")
    PROJECT = "project", _("项目")
    TARGET = "target", _("年度目标")
    PIPELINE_STAT = "pipeline_stat", _("招商统计")


class FactStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("已驳回")
