"""Forms of the ratings room: weekly list filters, overrides, rule-set versions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import StyledForm, VersionedFormMixin
from keyprojects.directory.models import Person, Unit
from keyprojects.projects.selectors import regions_for_filter
from keyprojects.ratings import scoring
from keyprojects.ratings.choices import Colour
from keyprojects.regions.models import Region
from keyprojects.reports.forms import WeekField

SORT_CHOICES = [
    ("", _("红牌在前")),
    ("-score", _("得分从高到低")),
    ("score", _("得分从低到高")),
    ("change", _("较上周下降最多")),
    ("-change", _("较上周上升最多")),
    ("rank", _("按组内排名")),
    ("region", _("按区域")),
]
CHANGE_CHOICES = [
    ("", _("全部")),
    ("turned_red", _("本周新转红牌")),
    ("worse", _("得分下降")),
    ("better", _("得分上升")),
    ("hard_red", _("直接红牌")),
    ("overridden", _("人工调整")),
]


class WeeklyFilterForm(StyledForm):
    week = forms.ChoiceField(label=_("周次"), required=False)
    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("项目名称或编号")})
    )
    region = forms.ModelChoiceField(
        label=_("区域"), queryset=Region.objects.none(), required=False, empty_label=_("全部区域")
    )
    unit = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部单位")
    )
    leader = forms.ModelChoiceField(
        label=_("包靠领导"), queryset=Person.objects.none(), required=False, empty_label=_("全部领导")
    )
    colour = forms.ChoiceField(
        label=_("颜色"), required=False, choices=[("", _("全部颜色"))] + [(c.value, c.label) for c in Colour]
    )
    change = forms.ChoiceField(label=_("变化"), required=False, choices=CHANGE_CHOICES)
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, user: Any, weeks: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["week"].choices = [(str(w), w.display_label) for w in weeks]  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions_for_filter(user)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.for_user(user)  # type: ignore[attr-defined]
        self.fields["leader"].queryset = Person.objects.for_user(user).leaders()  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if k not in ("sort", "week") and v not in (None, "")}


class OverrideForm(StyledForm):
    colour = forms.ChoiceField(
        label=_("调整为"), choices=[(c.value, c.label) for c in (Colour.BLUE, Colour.YELLOW, Colour.RED)]
    )
    reason = forms.CharField(label=_("调整原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


def _param_field(p: scoring.Param, initial: Any) -> forms.Field:
    label = gettext(p.label)
    if p.kind == "choice":
        return forms.ChoiceField(label=label, choices=list(p.choices), initial=initial)
    if p.kind == "int":
        return forms.IntegerField(
            label=label, min_value=int(p.minimum or 0), max_value=int(p.maximum or 1000), initial=initial
        )
    return forms.FloatField(label=label, min_value=p.minimum, max_value=p.maximum, initial=initial)


class RuleVersionForm(VersionedFormMixin, forms.Form):
    valid_from = WeekField(label=_("起用周"), help_text=_("如 2024-W14；之前各周的评分仍按原版本计算"))
    note = forms.CharField(label=_("修改说明"), max_length=300)

    def __init__(self, *args: Any, params: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for p in scoring.PARAMS:
            self.fields[p.name] = _param_field(p, params.get(p.name, p.default))
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if css not in widget.attrs.get("class", ""):
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def params(self) -> dict[str, Any]:
        return {p.name: self.cleaned_data[p.name] for p in scoring.PARAMS}


class RuleSetCreateForm(StyledForm):
    name = forms.CharField(label=_("规则名称"), max_length=100)
    region = forms.ModelChoiceField(label=_("适用区域"), queryset=Region.objects.none())
    preset = forms.ChoiceField(label=_("预设"), choices=[(k, _(v[0])) for k, v in scoring.PRESETS.items()])
    valid_from = WeekField(label=_("起用周"), help_text=_("如 2024-W01"))
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_filter(user)  # type: ignore[attr-defined]
