"""Users, their role and their scope (a region subtree and/or units), and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.choices import Role


class UserQuerySet(models.QuerySet["User"]):
    def for_user(self, viewer: Any) -> UserQuerySet:
        """Users a manager may see: an administrator all; others the users whose scope lies inside their own region
        subtree (by region or by a unit of that subtree), and themselves."""
        from keyprojects.accounts.scope import scope_of

        scope = scope_of(viewer)
        if scope.unrestricted:
            return self.all()
        q = Q(pk=getattr(viewer, "pk", None))
        for path in scope.region_paths:
            q |= Q(scope_regions__path__startswith=path) | Q(scope_units__region__path__startswith=path)
        return self.filter(pk__in=self.model.objects.filter(q).values("pk"))


class KpUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.REPORTER)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    scope_regions = models.ManyToManyField(
        "regions.Region",
        blank=True,
        related_name="scoped_users",
        verbose_name=_("负责区域"),
        help_text=_("可见范围包括所选区域及其所有下级区域"),
    )
    scope_units = models.ManyToManyField(
        "directory.Unit", blank=True, related_name="scoped_users", verbose_name=_("负责单位")
    )
    person = models.OneToOneField(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
        verbose_name=_("对应人员"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = KpUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored; the raw token is shown once, when it is created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def generate() -> str:
        return "kp_" + secrets.token_urlsafe(32)
