from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    STREET = "street", _("街道/镇")
    DEPARTMENT = "department", _("部门")
    ZONE = "zone", _("园区/功能区")
    COMPANY = "company", _("企业")
    OTHER = "other", _("其他")
