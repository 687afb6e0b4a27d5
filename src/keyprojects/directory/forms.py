from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import VersionedFormMixin
from keyprojects.directory.choices import UnitKind
from keyprojects.directory.models import Person, Unit
from keyprojects.projects.selectors import regions_for_filter


class UnitForm(VersionedFormMixin, forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)
    region = forms.ModelChoiceField(label=_("所属区域"), queryset=Unit.objects.none())
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_filter(user)  # type: ignore[attr-defined]


class PersonForm(VersionedFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职务"), max_length=100, required=False)
    region = forms.ModelChoiceField(label=_("所属区域"), queryset=Unit.objects.none())
    unit = forms.ModelChoiceField(label=_("所在单位"), queryset=Unit.objects.none(), required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    is_leader = forms.BooleanField(label=_("包靠领导"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_filter(user)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.for_user(user)  # type: ignore[attr-defined]


class TaskForceForm(VersionedFormMixin, forms.Form):
    name = forms.CharField(label=_("专班名称"), max_length=100)
    region = forms.ModelChoiceField(label=_("所属区域"), queryset=Unit.objects.none())
    unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none(), required=False)
    head = forms.ModelChoiceField(label=_("专班负责人"), queryset=Person.objects.none(), required=False)
    members = forms.ModelMultipleChoiceField(label=_("成员"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_filter(user)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.for_user(user)  # type: ignore[attr-defined]
        self.fields["head"].queryset = Person.objects.for_user(user)  # type: ignore[attr-defined]
        self.fields["members"].queryset = Person.objects.for_user(user)  # type: ignore[attr-defined]
