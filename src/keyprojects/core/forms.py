"""Form fields and mixins shared by every room."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from keyprojects.core.editing import VersionConflict
from keyprojects.core.money import MoneyError, format_wan, parse_money_wan


class MoneyField(forms.CharField):
    """Accepts "15亿元", "1.5亿", "15000万元", "1,500万", "十五亿元"; a bare number is 万元. Cleans to Decimal 万元."""

    default_error_messages = {"invalid": _("无法识别的金额：%(reason)s")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("可填“15亿元”“1.5亿”“15000万元”“1,500万”，不带单位按万元计"))
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("placeholder", _("如 15亿元 或 15000万元"))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return format_wan(value)
        return value

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_money_wan(text)
        except MoneyError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"reason": str(exc)}) from exc


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates can render fields plainly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class VersionedFormMixin(StyledForm):
    """A hidden `version` field: the version the user's edit is based on."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def add_conflict(self, conflict: VersionConflict) -> None:
        self.add_error(None, str(conflict))
        self.conflict = conflict


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a ValidationError raised by an action on the form, on the field it names when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
