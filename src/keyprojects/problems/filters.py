"""The problem list's filter form; choices come from the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import StyledForm
from keyprojects.directory.models import Unit
from keyprojects.problems.choices import Category, Channel, Escalation, State
from keyprojects.projects.selectors import regions_for_filter
from keyprojects.regions.models import Region

SORT_CHOICES = [
    ("", _("最近提出")),
    ("deadline", _("办理期限")),
    ("-supervised", _("督办次数")),
    ("project", _("项目名称")),
]


class ProblemFilterForm(StyledForm):
    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("问题、描述、项目名称")})
    )
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *State.choices])
    overdue = forms.BooleanField(label=_("仅逾期"), required=False)
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=[("", _("全部渠道")), *Channel.choices])
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *Category.choices])
    escalation = forms.TypedChoiceField(
        label=_("升级"), required=False, coerce=int, empty_value=None, choices=[("", _("全部")), *Escalation.choices]
    )
    region = forms.ModelChoiceField(
        label=_("区域"), queryset=Region.objects.none(), required=False, empty_label=_("全部区域")
    )
    unit = forms.ModelChoiceField(
        label=_("承办单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部单位")
    )
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_filter(user)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.for_user(user)  # type: ignore[attr-defined]
        self.fields["overdue"].widget.attrs["class"] = "form-check-input"

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if k != "sort" and v not in (None, "", False)}
