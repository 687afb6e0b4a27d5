"""The append-only change log. Rows are written by keyprojects.audit.actions.record() inside the transaction of the
write they describe, and are never updated or deleted (save() of an existing row and delete() raise)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("新建")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")


class AuditSource(models.TextChoices):
    UI = "ui", _("网页")
    API = "api", _("接口")
    CLI = "cli", _("命令行")
    IMPORT = "import", _("导入")
    SYSTEM = "system", _("系统")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit entries are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作人"), max_length=150)  # kept when the user is gone
    source = models.CharField(_("来源"), max_length=10, choices=AuditSource.choices)
    request_id = models.UUIDField(null=True, blank=True)
    action = models.CharField(_("操作"), max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("对象"), max_length=300)
    object_version = models.PositiveIntegerField(null=True, blank=True)
    # {field: [before, after]} with values as displayed strings; for create only "after", for delete only "before".
    changes = models.JSONField(_("变更"), default=dict)
    message = models.CharField(_("说明"), max_length=500, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ("-at", "-id")
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")

    def labelled_changes(self) -> list[tuple[str, Any, Any]]:
        """(label, before, after) with the model's verbose field names; keys that are not fields are labels already
        (stored in Chinese, shown through the catalogs: the apps that write such keys mark them with gettext_noop)."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        rows = []
        for key, pair in self.changes.items():
            label = key
            if model is not None:
                try:
                    label = str(model._meta.get_field(key).verbose_name)  # type: ignore[union-attr]
                except Exception:  # noqa: BLE001 - free-text keys such as "计划投资"
                    label = gettext(key) if key else key
            before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            rows.append((label, before, after))
        return rows
