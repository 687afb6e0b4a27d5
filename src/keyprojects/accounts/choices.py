from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    SUPERVISOR = "supervisor", _("督导员")
    REGION_ADMIN = "region_admin", _("区县管理员")
    REPORTER = "reporter", _("填报员")
    LEADER = "leader", _("包靠领导")
    PANEL = "panel", _("观摩评委")
