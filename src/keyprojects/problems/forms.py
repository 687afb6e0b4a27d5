"""Forms of the problems room."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import MoneyField, StyledForm, VersionedFormMixin
from keyprojects.directory.models import Person, Unit
from keyprojects.problems.choices import Category, Channel, ElementKind, Transition


class RaiseForm(StyledForm):
    title = forms.CharField(
        label=pgettext_lazy("problem title", "问题"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("一句话说明问题，如“二期用地指标尚缺30亩”")}),
    )
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices)
    channel = forms.ChoiceField(
        label=_("渠道"),
        choices=Channel.choices,
        initial=Channel.NORMAL,
        help_text=_("直通车：直接报送区域主要领导，默认3个工作日内办结"),
    )
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class TransitionForm(VersionedFormMixin, forms.Form):
    """The fields a step needs: 交办 a unit and a time limit, 办结 a result, the others a comment."""

    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.none(), required=False)
    working_days = forms.IntegerField(label=_("办理时限（工作日）"), min_value=1, max_value=60, required=False)
    resolution = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    comment = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    COMMENT_LABELS = {
        Transition.CONSULT: _("会商安排（参加单位、时间）"),
        Transition.ASSIGN: _("交办意见"),
        Transition.ACCEPT: _("签收意见"),
        Transition.RESOLVE: _("补充说明"),
        Transition.CLOSE: _("核验意见"),
        Transition.RETURN: _("退回原因"),
        "comment": _("意见"),
    }

    def __init__(self, *args: Any, action: str, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if action == Transition.ASSIGN:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
            self.fields["unit"].required = True
            self.fields["working_days"].required = True
        else:
            del self.fields["unit"], self.fields["working_days"]
        if action == Transition.RESOLVE:
            self.fields["resolution"].required = True
        else:
            del self.fields["resolution"]
        self.fields["comment"].label = self.COMMENT_LABELS.get(action, _("说明"))
        self.fields["comment"].required = action in (Transition.RETURN, "comment")


class ElementForm(VersionedFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("要素"), choices=ElementKind.choices)
    required = forms.DecimalField(label=_("需求量"), min_value=0, max_digits=14, decimal_places=2)
    secured = forms.DecimalField(label=_("已落实"), min_value=0, max_digits=14, decimal_places=2, initial=0)
    needed_by = forms.DateField(label=_("需求时间"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    secured_on = forms.DateField(
        label=_("最近落实日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.data.get(self.add_prefix("kind")) == ElementKind.FUNDS:
            # Funds are money: accept "1.5亿", "3000万元" like every money input.
            self.fields["required"] = MoneyField(label=_("需求量（资金）"))
            self.fields["secured"] = MoneyField(label=_("已落实（资金）"), required=False)
            for name in ("required", "secured"):
                self.fields[name].widget.attrs["class"] = "form-control"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("secured") is None:
            data["secured"] = 0
        return data


class RulesForm(VersionedFormMixin, forms.Form):
    top_leader = forms.ModelChoiceField(
        label=_("直通车接收领导"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("区域主要领导；不设置时由项目包靠领导接收"),
    )
    normal_days = forms.IntegerField(label=_("常规问题办理时限（工作日）"), min_value=1, max_value=60)
    direct_days = forms.IntegerField(label=_("直通车办理时限（工作日）"), min_value=1, max_value=60)
    escalate_after = forms.IntegerField(label=_("逾期满几个工作日升级直通车"), min_value=1, max_value=60)
    summon_after = forms.IntegerField(label=_("逾期满几个工作日列入约谈"), min_value=2, max_value=120)

    def __init__(self, *args: Any, leaders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["top_leader"].queryset = leaders  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("summon_after") and data.get("escalate_after") and data["summon_after"] <= data["escalate_after"]:
            self.add_error("summon_after", gettext("列入约谈的工作日数须大于升级直通车的工作日数。"))
        return data


class CalendarForm(StyledForm):
    year = forms.IntegerField(label=_("年份"), min_value=2004, max_value=2100)
    source = forms.CharField(label=_("依据"), max_length=200, required=False, help_text=_("如 国办发明电〔2026〕×号"))
    holidays = forms.CharField(
        label=_("放假日期"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": _("2027-01-01 元旦\n2027-02-06 至 2027-02-13 春节")}),
        help_text=_("每行一项：日期或“起 至 止”，后写名称"),
    )
    workdays = forms.CharField(
        label=_("调休上班日期"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("2027-02-14 春节调休上班")}),
        required=False,
        help_text=_("周末上班的日期，每行一项"),
    )
