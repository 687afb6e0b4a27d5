"""Notices and their delivery.

A `Notice` is written once (its `dedupe_key` is unique, which makes periodic sweeps idempotent) together with its in-app
copies (`NoticeRecipient`, the inbox) and its outbox rows (`Delivery`: one per e-mail address and per group robot), all
in the transaction of the action that caused it. The `deliver` job sends the outbox afterwards; a failed send is
retried with back-off and every attempt is logged (`DeliveryAttempt`). Nothing is deleted: a delivery that gave up stays
visible in the outbox, and the in-app notice is there regardless.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from keyprojects.core.models import VersionedModel
from keyprojects.core.querysets import ScopedQuerySet


class WebhookKind(models.TextChoices):
    DINGTALK = "dingtalk", _("钉钉群机器人")
    WECOM = "wecom", _("企业微信群机器人")


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("邮件")
    DINGTALK = "dingtalk", _("钉钉")
    WECOM = "wecom", _("企业微信")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败（已停止重试）")


class NoticeQuerySet(ScopedQuerySet):
    scope_region_path = "region__path"


class Notice(models.Model):
    kind = models.CharField(_("类型"), max_length=50)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(pgettext_lazy("notice body", "内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("区域")
    )
    dedupe_key = models.CharField(_("去重键"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.title


class NoticeRecipient(models.Model):
    """The in-app copy of a notice for one user (我的通知)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知接收人")
        verbose_name_plural = _("通知接收人")
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="noticerecipient_unique")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.notice}"


class WebhookQuerySet(ScopedQuerySet):
    scope_region_path = "region__path"


def validate_webhook_url(value: str) -> None:
    if not value.startswith(("https://", "http://")):
        raise ValidationError(_("机器人地址须以 https:// 开头（内网代理可用 http://）。"))


class Webhook(VersionedModel):
    """A DingTalk or WeCom group robot that receives the notices of a region (and, optionally, of its subregions)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="webhooks", verbose_name=_("区域")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=WebhookKind.choices)
    name = models.CharField(_("名称"), max_length=100, help_text=_("如“寒亭区重点项目调度群”"))
    url = models.CharField(
        _("Webhook 地址"),
        max_length=500,
        validators=[validate_webhook_url],
        help_text=_("群机器人设置中复制的完整地址"),
    )
    secret = models.CharField(
        _("加签密钥"), max_length=200, blank=True, help_text=_("钉钉机器人“加签”时填写；企业微信不需要")
    )
    include_subregions = models.BooleanField(_("包括下级区域"), default=True)
    enabled = models.BooleanField(_("启用"), default=True)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        ordering = ("region__path", "name")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_url(self) -> str:
        """The address without its token, for pages and logs."""
        base, _sep, query = self.url.partition("?")
        return f"{base}?…{query[-4:]}" if query else base


class DeliveryQuerySet(ScopedQuerySet):
    scope_region_path = "notice__region__path"


class Delivery(models.Model):
    """One outbox row: a notice to send by one channel to one target."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=10, choices=DeliveryChannel.choices)
    target = models.CharField(_("接收方"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    webhook = models.ForeignKey(Webhook, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries")
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"))
    claimed_until = models.DateTimeField(null=True, blank=True)  # a deliverer's lease; expired → another may retry
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("投递")
        verbose_name_plural = _("投递")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        with translation.override(settings.LANGUAGE_CODE):  # stored in the audit log (object_repr): not translated
            return f"{self.get_channel_display()} → {self.target}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("时间"))
    ok = models.BooleanField(_("成功"))
    detail = models.CharField(_("结果"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("投递记录")
        verbose_name_plural = _("投递记录")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'成功' if self.ok else '失败'}"  # a log line: not translated
