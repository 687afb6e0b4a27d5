"""News articles and the facts extracted from them, waiting for review (DESIGN §7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from keyprojects.core.models import TimestampedModel, VersionedModel
from keyprojects.core.querysets import ScopedQuerySet
from keyprojects.intake.choices import FactKind, FactStatus


class Article(TimestampedModel):
    """One ingested report (a page or a file), its raw and cleaned text."""

    source = models.CharField(_("来源"), max_length=300)
    title = models.CharField(_("标题"), max_length=300, blank=True)
    published = models.DateField(_("发布日期"), null=True, blank=True)
    raw_text = models.TextField(_("原文"))
    clean_text = models.TextField(_("清洗后文本"))
    digest = models.CharField(_("内容摘要值"), max_length=64, db_index=True, help_text=_("原文的 SHA-256，用于去重"))
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("导入人"),
    )

    class Meta:
        verbose_name = _("新闻稿")
        verbose_name_plural = _("新闻稿")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title or self.source


class FactQuerySet(ScopedQuerySet):
    scope_region_path = "region__path"

    def pending(self) -> FactQuerySet:
        return self.filter(status=FactStatus.PENDING)


class Fact(VersionedModel):
    """A fact read from an article: its fields as extracted, the evidence sentence and where it stands in the article.

    A fact is in the scope of the users whose region subtree holds its region; a fact whose region could not be
    resolved is seen only by users without a region restriction (admins).
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="facts", verbose_name=_("新闻稿"))
    kind = models.CharField(_("类型"), max_length=20, choices=FactKind.choices)
    fields = models.JSONField(pgettext_lazy("fact fields", "内容"), default=dict)
    evidence = models.TextField(_("原文依据"))
    evidence_start = models.PositiveIntegerField(_("依据起点"))
    evidence_end = models.PositiveIntegerField(_("依据终点"))
    status = models.CharField(_("状态"), max_length=10, choices=FactStatus.choices, default=FactStatus.PENDING)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("区域")
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="news_facts",
        verbose_name=_("关联项目"),
    )
    batch_event = models.ForeignKey(
        "projects.BatchEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="news_facts",
        verbose_name=_("生成的集中活动"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)

    objects = FactQuerySet.as_manager()

    class Meta:
        verbose_name = _("新闻事实")
        verbose_name_plural = _("新闻事实")
        ordering = ("article", "evidence_start")
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        label = self.fields.get("name") or self.fields.get("region") or ""
        with translation.override(settings.LANGUAGE_CODE):  # stored in the audit log (object_repr): not translated
            return f"{self.get_kind_display()} {label}".strip()
