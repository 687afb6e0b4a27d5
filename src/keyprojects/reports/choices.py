from django.db import models
from django.utils.translation import gettext_lazy as _


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("按时")
    LATE = "late", _("迟报")
    MISSING = "missing", _("未报")


class ReportSource(models.TextChoices):
    UI = "ui", _("网页")
    API = "api", _("接口")
    EXCEL = "excel", _("Excel导入")
    SYSTEM = "system", _("系统")
