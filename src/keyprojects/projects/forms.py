"""Forms of the projects room. Related-object choices are restricted to the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import MoneyField, VersionedFormMixin
from keyprojects.directory.models import Person, TaskForce, Unit
from keyprojects.projects.choices import INDUSTRIES, Category, Level, MilestoneKind, Stage
from keyprojects.projects.validators import validate_national_code
from keyprojects.regions.models import Region


class ProjectForm(VersionedFormMixin, forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=200)
    national_code = forms.CharField(
        label=_("全国投资项目代码"),
        max_length=24,
        required=False,
        validators=[validate_national_code],
        help_text=_("24位，如 2020-370785-26-03-033286；没有可不填"),
    )
    owner = forms.CharField(label=_("建设单位"), max_length=200, required=False)
    region = forms.ModelChoiceField(label=_("所属区域"), queryset=Region.objects.none())
    address = forms.CharField(label=_("建设地点"), max_length=300, required=False)
    industry = forms.CharField(
        label=_("产业领域"), max_length=50, required=False, widget=forms.TextInput(attrs={"list": "industry-options"})
    )
    category = forms.ChoiceField(label=_("项目类型"), choices=Category.choices)
    level = forms.ChoiceField(label=_("项目级别"), choices=[("", "—")] + list(Level.choices), required=False)
    total_investment_wan = MoneyField(label=_("总投资"), required=False)
    scope = forms.CharField(label=_("建设内容及规模"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    start_year = forms.IntegerField(label=_("开始年份"), min_value=1990, max_value=2100, required=False)
    end_year = forms.IntegerField(label=_("结束年份"), min_value=1990, max_value=2100, required=False)
    leader = forms.ModelChoiceField(label=_("包靠领导"), queryset=Person.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), required=False)
    task_force = forms.ModelChoiceField(label=_("工作专班"), queryset=TaskForce.objects.none(), required=False)
    person_in_charge = forms.ModelChoiceField(label=_("具体责任人"), queryset=Person.objects.none(), required=False)
    tags = forms.CharField(label=_("标签"), max_length=200, required=False)

    industries = INDUSTRIES

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from keyprojects.projects.selectors import regions_for_filter

        self.fields["region"].queryset = regions_for_filter(user)  # type: ignore[attr-defined]
        self.fields["leader"].queryset = Person.objects.for_user(user).leaders()  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.for_user(user)  # type: ignore[attr-defined]
        self.fields["task_force"].queryset = TaskForce.objects.for_user(user)  # type: ignore[attr-defined]
        self.fields["person_in_charge"].queryset = Person.objects.for_user(user)  # type: ignore[attr-defined]

    def clean_national_code(self) -> str | None:
        return self.cleaned_data["national_code"].strip() or None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("结束年份不能早于开始年份。"))
        return data

    def project_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        for key in ("owner", "address", "industry", "level", "scope", "tags"):
            data[key] = data.get(key) or ""
        return data


class StageForm(VersionedFormMixin, forms.Form):
    stage = forms.ChoiceField(label=_("新阶段"), choices=Stage.choices)
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class PlanForm(VersionedFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    planned_investment_wan = MoneyField(label=_("年度计划投资"), required=False)
    targets = forms.CharField(label=_("年度目标"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reason = forms.CharField(label=_("调整原因"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in MilestoneKind:
            self.fields[f"ms_{kind.value}"] = forms.DateField(
                label=gettext("%(milestone)s计划日期") % {"milestone": kind.label},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def milestones(self) -> dict[str, Any]:
        return {
            k.value: self.cleaned_data[f"ms_{k.value}"] for k in MilestoneKind if self.cleaned_data.get(f"ms_{k.value}")
        }


class MilestoneForm(VersionedFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("节点"), choices=MilestoneKind.choices)
    actual_date = forms.DateField(
        label=_("实际完成日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
