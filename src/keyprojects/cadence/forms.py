"""Forms of the cadence: choices come from the user's scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.choices import Role
from keyprojects.accounts.models import User
from keyprojects.cadence import selectors
from keyprojects.cadence.actions import parse_criteria
from keyprojects.cadence.choices import DEFAULT_CRITERIA, AssessedKind, Half, TargetKind
from keyprojects.cadence.models import DispatchMeeting, ObservationCriterion
from keyprojects.cadence.observation import plain
from keyprojects.cadence.periods import Month, PeriodError, Quarter
from keyprojects.core import clock
from keyprojects.core.forms import StyledForm, VersionedFormMixin
from keyprojects.directory.models import Unit
from keyprojects.notifications.selectors import ancestor_paths
from keyprojects.problems.choices import Category
from keyprojects.projects.models import Project
from keyprojects.regions.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegionChoiceMixin(StyledForm):
    region = forms.ModelChoiceField(label=_("区域"), queryset=Region.objects.none(), required=False, empty_label=None)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        field.queryset = selectors.regions_for_choice(user)  # type: ignore[attr-defined]
        default = selectors.default_region(user)
        if default is not None and not self.is_bound:
            field.initial = default.pk
        self.default_region = default

    def chosen_region(self) -> Region | None:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("region") is not None:
            return self.cleaned_data["region"]
        return self.default_region


class MonthField(forms.CharField):
    def to_python(self, value: Any) -> Month | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return Month.parse(str(text))
        except PeriodError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc

    def prepare_value(self, value: Any) -> Any:
        return str(value) if isinstance(value, Month) else value


class QuarterField(forms.CharField):
    def to_python(self, value: Any) -> Quarter | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return Quarter.parse(str(text))
        except PeriodError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc

    def prepare_value(self, value: Any) -> Any:
        return str(value) if isinstance(value, Quarter) else value


class AgendaForm(RegionChoiceMixin):
    day = forms.DateField(label=_("会议日期"), required=False, widget=DATE)

    def chosen_day(self) -> dt.date:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("day"):
            return self.cleaned_data["day"]
        return clock.today()


class BulletinForm(RegionChoiceMixin):
    month = MonthField(label=_("月份"), required=False, widget=forms.TextInput(attrs={"type": "month"}))

    def chosen_month(self) -> Month:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("month"):
            return self.cleaned_data["month"]
        return Month.of(clock.today()).previous()


class QuarterForm(RegionChoiceMixin):
    quarter = QuarterField(label=_("季度"), required=False, widget=forms.TextInput(attrs={"placeholder": "2024-Q1"}))

    def chosen_quarter(self) -> Quarter:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("quarter"):
            return self.cleaned_data["quarter"]
        today = clock.today()
        current = Quarter.of(today)
        return current if today == current.last else current.previous()


class AssessmentForm(RegionChoiceMixin):
    kind = forms.ChoiceField(label=_("考核对象"), choices=AssessedKind.choices, required=False)
    start = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    end = forms.DateField(label=_("截止日期"), required=False, widget=DATE)

    def period(self) -> tuple[dt.date, dt.date, str]:
        today = clock.today()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start = data.get("start") or dt.date(today.year, 1, 1)
        end = data.get("end") or today
        return start, max(start, end), data.get("kind") or AssessedKind.UNIT


class MeetingForm(StyledForm):
    region = forms.ModelChoiceField(label=_("区域"), queryset=Region.objects.none(), empty_label=None)
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    title = forms.CharField(
        label=_("会议名称"), required=False, help_text=_("不填则为“某区某年某月上/下半月重点项目调度会”")
    )
    venue = forms.CharField(label=_("地点"), required=False)
    chair = forms.CharField(label=_("主持人"), required=False)
    attendees = forms.CharField(label=_("参会人员"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.regions_for_choice(user)  # type: ignore[attr-defined]
        default = selectors.default_region(user)
        if default is not None:
            self.fields["region"].initial = default.pk
        self.fields["held_on"].initial = clock.today()


class MeetingEditForm(VersionedFormMixin):
    title = forms.CharField(label=_("会议名称"))
    venue = forms.CharField(label=_("地点"), required=False)
    chair = forms.CharField(label=_("主持人"), required=False)
    attendees = forms.CharField(label=_("参会人员"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


class DecisionForm(StyledForm):
    project = forms.ModelChoiceField(label=_("项目（议程中的项目）"), queryset=Project.objects.none(), required=False)
    project_code = forms.CharField(label=_("或输入项目编号"), required=False)
    text = forms.CharField(label=_("决定事项"), max_length=200)
    detail = forms.CharField(label=_("具体要求"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices, initial=Category.OTHER)
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.none())
    working_days = forms.IntegerField(label=_("办理时限（工作日）"), min_value=1, max_value=60, initial=10)

    def __init__(self, *args: Any, user: Any, meeting: DispatchMeeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.meeting = user, meeting
        self.fields["project"].queryset = selectors.decision_projects(user, meeting)  # type: ignore[attr-defined]
        region = meeting.region
        inside_or_above = Q(region__path__startswith=region.path) | Q(region__path__in=ancestor_paths(region.path))
        self.fields["unit"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.filter(inside_or_above)
            .select_related("region")
            .order_by("region__path", "name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("project") is None:
            code = (data.get("project_code") or "").strip()
            found = (
                selectors.scoped(Project.objects.all(), self.user)
                .filter(region__path__startswith=self.meeting.region.path)
                .filter(code=code)
                .first()
                if code
                else None
            )
            if found is None:
                missing = _("未找到项目“%(code)s”。") % {"code": code}
                self.add_error("project", missing if code else _("请选择项目，或输入本区域内的项目编号。"))
            data["project"] = found
        return data


class RoundForm(StyledForm):
    title = forms.CharField(label=_("名称"), max_length=200)
    region = forms.ModelChoiceField(label=_("组织区域"), queryset=Region.objects.none(), empty_label=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(label=_("半年"), choices=Half.choices, coerce=int)
    held_on = forms.DateField(label=_("观摩日期"), widget=DATE)
    target_kind = forms.ChoiceField(label=_("观摩对象"), choices=TargetKind.choices)
    criteria = forms.CharField(
        label=_("评分指标（每行“指标名称 权重”）"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每项由评委按0—100分打分，加权平均为该评委的得分；各评委得分去掉一个最高分和一个最低分后取平均。"),
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("观摩项目"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("观摩县市区"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    panel = forms.ModelMultipleChoiceField(
        label=_("评委（观摩评委账号）"), queryset=User.objects.none(), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = clock.today()
        regions = selectors.regions_for_choice(user)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["regions"].queryset = regions.exclude(level="province")  # type: ignore[attr-defined]
        self.fields["projects"].queryset = (  # type: ignore[attr-defined]
            selectors.scoped(Project.objects.all(), user)
            .filter(plans__year=today.year)
            .select_related("region")
            .order_by("region__path", "code")
        )
        self.fields["projects"].label_from_instance = lambda p: f"{p.region.name}｜{p.name}"  # type: ignore[attr-defined]
        self.fields["panel"].queryset = User.objects.filter(role=Role.PANEL, is_active=True).order_by("username")  # type: ignore[attr-defined]
        if not self.is_bound:
            default = selectors.default_region(user)
            self.fields["region"].initial = default.pk if default else None
            self.fields["year"].initial = today.year
            self.fields["half"].initial = Half.FIRST if today.month <= 6 else Half.SECOND
            self.fields["held_on"].initial = today
            self.fields["criteria"].initial = "\n".join(f"{name} {weight}" for name, weight in DEFAULT_CRITERIA)

    def clean_criteria(self) -> list[tuple[str, Decimal]]:
        try:
            return parse_criteria(self.cleaned_data["criteria"])
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict.get("criteria", exc.messages)) from exc


def criteria_text(criteria: list[ObservationCriterion]) -> str:
    return "\n".join(f"{c.name} {plain(c.weight)}" for c in criteria)


class ScoreForm(StyledForm):
    """One field per criterion (0–100), the comment and the version of the member's sheet."""

    comment = forms.CharField(label=_("点评"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, criteria: list[ObservationCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        fields = {}
        for c in criteria:
            fields[f"score_{c.pk}"] = forms.DecimalField(
                label=_("%(name)s（权重%(weight)s）") % {"name": c.name, "weight": plain(c.weight)},
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.5", "min": 0, "max": 100, "class": "form-control kp-score"}),
                error_messages={"required": _("请为“%(name)s”打分。") % {"name": c.name}},
            )
        self.fields = {**fields, **self.fields}

    def scores(self) -> dict[int, Decimal | None]:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}


class AssessmentRuleForm(VersionedFormMixin):
    weight_score = forms.DecimalField(label=_("权重：周评均分"), min_value=0, max_value=1000, decimal_places=2)
    weight_blue = forms.DecimalField(label=_("权重：蓝牌率"), min_value=0, max_value=1000, decimal_places=2)
    weight_red = forms.DecimalField(label=_("权重：红牌控制"), min_value=0, max_value=1000, decimal_places=2)
    weight_problems = forms.DecimalField(label=_("权重：问题按期办结"), min_value=0, max_value=1000, decimal_places=2)
    weight_observation = forms.DecimalField(label=_("权重：观摩得分"), min_value=0, max_value=1000, decimal_places=2)
    excellent_min = forms.DecimalField(label=_("优秀（不低于）"), min_value=0, max_value=100, decimal_places=2)
    good_min = forms.DecimalField(label=_("良好（不低于）"), min_value=0, max_value=100, decimal_places=2)
    fair_min = forms.DecimalField(label=_("一般（不低于）"), min_value=0, max_value=100, decimal_places=2)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)
