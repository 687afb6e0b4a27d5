from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.choices import Role
from keyprojects.core.forms import VersionedFormMixin
from keyprojects.directory.models import Unit
from keyprojects.projects.selectors import regions_for_filter
from keyprojects.regions.models import Region


class UserForm(VersionedFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 @ . + - _")},
    )
    full_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    regions = forms.ModelMultipleChoiceField(
        label=_("负责区域"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("可见范围包括所选区域及其所有下级区域"),
    )
    units = forms.ModelMultipleChoiceField(label=_("负责单位"), queryset=Unit.objects.none(), required=False)
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput,
        required=False,
        min_length=8,
        help_text=_("至少8位；编辑时留空表示不修改"),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = regions_for_filter(user)  # type: ignore[attr-defined]
        self.fields["units"].queryset = Unit.objects.for_user(user)  # type: ignore[attr-defined]
        if user.role != Role.ADMIN:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.ADMIN]  # type: ignore[attr-defined]
        if creating:
            self.fields["password"].required = True
        else:
            self.fields["username"].disabled = True
            del self.fields["password"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") not in (Role.ADMIN, None) and not data.get("regions") and not data.get("units"):
            self.add_error("regions", _("请至少选择一个负责区域或负责单位，否则该用户看不到任何数据。"))
        return data
