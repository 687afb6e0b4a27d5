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
