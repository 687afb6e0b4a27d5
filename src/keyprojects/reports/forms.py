"""Forms of the reports room: the weekly report (phone-friendly), a photo, the Excel upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import MoneyField, StyledForm, VersionedFormMixin
from keyprojects.projects.choices import Stage
from keyprojects.reports.actions import ReportInput
from keyprojects.reports.weeks import IsoWeek, WeekError


class WeekField(forms.CharField):
    default_error_messages = {"invalid": "%(reason)s"}

    def to_python(self, value: Any) -> IsoWeek | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return IsoWeek.parse(str(text))
        except WeekError as exc:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"reason": str(exc)}
            ) from exc

    def prepare_value(self, value: Any) -> Any:
        return str(value) if isinstance(value, IsoWeek) else value


class ReportForm(VersionedFormMixin, forms.Form):
    investment_year_wan = MoneyField(label=_("本年完成投资"))
    investment_total_wan = MoneyField(label=_("开工以来累计完成投资"))
    stage = forms.ChoiceField(label=_("所处阶段"), choices=Stage.choices)
    percent_complete = forms.IntegerField(
        label=_("完成百分比（%）"),
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    progress_text = forms.CharField(
        label=_("形象进度"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("如：主体结构完成至三层，设备基础施工中")}),
    )
    problems_text = forms.CharField(
        label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("没有可不填")})
    )
    next_week_plan = forms.CharField(label=_("下周计划"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    correction_reason = forms.CharField(
        label=_("更正说明"),
        max_length=300,
        required=False,
        help_text=_("累计数低于上次填报、或截止后修改已报送的周报时必填"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("investment_year_wan", "investment_total_wan"):
            self.fields[name].help_text = _("可填“1.2亿元”“3500万”，不带单位按万元计")

    def report_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            investment_year_wan=data.get("investment_year_wan"),
            investment_total_wan=data.get("investment_total_wan"),
            stage=data.get("stage") or "",
            progress_text=data.get("progress_text") or "",
            percent_complete=data.get("percent_complete"),
            problems_text=data.get("problems_text") or "",
            next_week_plan=data.get("next_week_plan") or "",
            correction_reason=data.get("correction_reason") or "",
        )


class PhotoForm(StyledForm):
    photo = forms.FileField(
        label=_("现场照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
    )
    caption = forms.CharField(
        label=_("说明"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("照片说明（可不填）")}),
    )


class UploadForm(StyledForm):
    week = WeekField(label=_("周次"), help_text=_("如 2024-W13"))
    file = forms.FileField(label=_("周报表格"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls"}))
    dry_run = forms.BooleanField(label=_("仅校验，不保存"), required=False)
