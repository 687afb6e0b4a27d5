"""Units (责任单位), people (leaders with titles) and task forces (专班)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.core.models import VersionedModel
from keyprojects.core.querysets import ScopedQuerySet
from keyprojects.directory.choices import UnitKind


class UnitQuerySet(ScopedQuerySet):
    scope_region_path = "region__path"
    scope_unit = "pk"


class Unit(VersionedModel):
    name = models.CharField(_("单位名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="units", verbose_name=_("所属区域")
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ("region__path", "name")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(ScopedQuerySet):
    scope_region_path = "region__path"
    scope_unit = "unit"

    def leaders(self) -> PersonQuerySet:
        return self.filter(is_leader=True)


class Person(VersionedModel):
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="people", verbose_name=_("所属区域")
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="people", verbose_name=_("所在单位")
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_leader = models.BooleanField(_("包靠领导"), default=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ("region__path", "name")

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name


class TaskForceQuerySet(ScopedQuerySet):
    scope_region_path = "region__path"
    scope_unit = "unit"


class TaskForce(VersionedModel):
    name = models.CharField(_("专班名称"), max_length=100)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="task_forces", verbose_name=_("所属区域")
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="task_forces", verbose_name=_("牵头单位")
    )
    head = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="heads", verbose_name=_("专班负责人")
    )
    members = models.ManyToManyField(Person, blank=True, related_name="task_forces", verbose_name=_("成员"))

    objects = TaskForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作专班")
        verbose_name_plural = _("工作专班")
        ordering = ("region__path", "name")

    def __str__(self) -> str:
        return self.name
