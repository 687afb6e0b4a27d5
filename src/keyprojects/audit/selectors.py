"""Reads of the change log. Callers have already checked that the user may see the object itself."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from keyprojects.audit.models import AuditEntry


def entries_for(obj: models.Model, limit: int = 200) -> QuerySet[AuditEntry]:
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")[:limit]


def entries_since(obj: models.Model, version: int) -> QuerySet[AuditEntry]:
    """The changes other people made after `version` — shown when a stale write is refused."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk), object_version__gt=version).order_by("at")
