from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FactKind(models.TextChoices):
    # A context: the kind of one fact (singular), not the menu of batch events or the list of targets.
    BATCH_EVENT = "batch_event", pgettext_lazy("fact kind", "集中活动")
    PROJECT = "project", pgettext_lazy("fact kind", "项目")
    TARGET = "target", pgettext_lazy("fact kind", "年度目标")
    PIPELINE_STAT = "pipeline_stat", pgettext_lazy("fact kind", "招商统计")


class FactStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("已驳回")
