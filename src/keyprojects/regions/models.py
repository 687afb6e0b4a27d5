"""The administrative tree. `path` is a materialised path of ids ("/1/17/203/") so that a subtree is one indexed
prefix query on both SQLite and PostgreSQL."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.core.models import VersionedModel
from keyprojects.core.querysets import ScopedQuerySet
from keyprojects.regions.choices import RegionLevel


class RegionQuerySet(ScopedQuerySet):
    scope_region_path = "path"

    def subtree(self, region: Region) -> RegionQuerySet:
        return self.filter(path__startswith=region.path)

    def districts(self) -> RegionQuerySet:
        return self.filter(level__in=[RegionLevel.COUNTY, RegionLevel.ZONE])


class Region(VersionedModel):
    code = models.CharField(
        _("区划代码"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        help_text=_("GB/T 2260 代码；功能区使用自定代码（含字母）"),
    )
    name = models.CharField(_("名称"), max_length=50)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    full_name = models.CharField(_("全称"), max_length=100, blank=True)
    level = models.CharField(_("层级"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级")
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    aliases = models.CharField(_("别名"), max_length=300, blank=True, help_text=_("以“|”分隔"))

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ("path",)
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent")]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1
