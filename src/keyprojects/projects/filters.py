"""The project list's filter form; choices come from the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import StyledForm
from keyprojects.directory.models import Person, Unit
from keyprojects.projects.choices import INDUSTRIES, Category, Level, Stage
from keyprojects.projects.selectors import regions_for_filter
from keyprojects.regions.models import Region

SORT_CHOICES = [
    ("", _("默认（按区域）")),
    ("-investment", _("总投资从高到低")),
    ("investment", _("总投资从低到高")),
    ("-plan", _("年度计划投资从高到低")),
    ("name", _("项目名称")),
    ("code", _("项目编号")),
    ("-updated", _("最近更新")),
]


class ProjectFilterForm(StyledForm):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("项目名称、建设单位、编号、地点")}),
    )
    region = forms.ModelChoiceField(
        label=_("区域"), queryset=Region.objects.none(), required=False, empty_label=_("全部区域")
    )
    industry = forms.ChoiceField(
        label=_("产业领域"), required=False, choices=[("", _("全部领域"))] + [(i, i) for i in INDUSTRIES]
    )
    category = forms.ChoiceField(
        label=_("项目类型"), required=False, choices=[("", _("全部类型"))] + list(Category.choices)
    )
    level = forms.ChoiceField(label=_("项目级别"), required=False, choices=[("", _("全部级别"))] + list(Level.choices))
    stage = forms.ChoiceField(label=_("所处阶段"), required=False, choices=[("", _("全部阶段"))] + list(Stage.choices))
    leader = forms.ModelChoiceField(
        label=_("包靠领导"), queryset=Person.objects.none(), required=False, empty_label=_("全部领导")
    )
    unit = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部单位")
    )
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_filter(user)  # type: ignore[attr-defined]
        self.fields["leader"].queryset = Person.objects.for_user(user).leaders()  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.for_user(user)  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if k != "sort" and v not in (None, "")}
