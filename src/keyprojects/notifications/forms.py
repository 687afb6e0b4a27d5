"""Forms of the notifications room."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import VersionedFormMixin
from keyprojects.notifications.models import WebhookKind, validate_webhook_url
from keyprojects.regions.models import Region


class WebhookForm(VersionedFormMixin, forms.Form):
    region = forms.ModelChoiceField(label=_("区域"), queryset=Region.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=WebhookKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    url = forms.CharField(label=_("Webhook 地址"), max_length=500, validators=[validate_webhook_url])
    secret = forms.CharField(label=_("加签密钥（钉钉）"), max_length=200, required=False)
    include_subregions = forms.BooleanField(label=_("包括下级区域"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from keyprojects.projects.selectors import regions_for_filter

        self.fields["region"].queryset = regions_for_filter(user)  # type: ignore[attr-defined]
