"""Forms of the list import pages: the upload, and the correction of the column mapping."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import StyledForm
from keyprojects.projects.listfile import FIELD_LABELS, Column
from keyprojects.projects.listfile.readers import MAX_FILE_BYTES
from keyprojects.projects.selectors import regions_for_filter

ACCEPTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".csv", ".txt")


class UploadForm(StyledForm):
    file = forms.FileField(label=_("名单文件"),
                           help_text=_("Excel（.xlsx/.xls）、WPS表格、.ods 或 CSV（UTF-8或GBK），不超过50MB"))
    year = forms.IntegerField(label=_("计划年度"), required=False, min_value=2000, max_value=2100,
                              help_text=_("表头写明“2024年计划投资”或标题含年份时可不填"))
    within = forms.ChoiceField(label=_("识别范围"), required=False,
                               help_text=_("只在该区域内识别建设地点；区县名单可选本区县，以免重名的街道无法识别"))
    strict = forms.BooleanField(label=_("严格模式：有任何一行出错就不导入"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", gettext("全省（不限）"))]
        choices += [(r.code, f"{'　' * max(r.depth - 1, 0)}{r.name}") for r in regions_for_filter(user) if r.code]
        self.fields["within"].choices = choices  # type: ignore[attr-defined]
        self.fields["file"].widget.attrs["accept"] = ",".join(ACCEPTED_SUFFIXES)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 1024 // 1024
            raise forms.ValidationError(gettext("文件过大，上限为%(limit)sMB") % {"limit": limit})
        if PurePath(upload.name or "").suffix.lower() not in ACCEPTED_SUFFIXES:
            raise forms.ValidationError(gettext("请上传 .xlsx、.xls、.ods 或 .csv 文件"))
        return upload


def mapping_choices() -> list[tuple[str, str]]:
    return [("", gettext("（不导入）")), *((key, gettext(label)) for key, label in FIELD_LABELS.items())]


class MappingForm(StyledForm):
    """One select per column of the file: what the column holds. Starts from the detected mapping."""

    def __init__(self, *args: Any, columns: tuple[Column, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        for column in columns:
            self.fields[f"col_{column.letter}"] = forms.ChoiceField(
                label=gettext("%(letter)s列：%(label)s") % {"letter": column.letter, "label": column.label},
                choices=mapping_choices(), required=False,
                initial=column.field or "")
        # StyledForm styled the fields that existed when it ran; these were added after.
        for bound in self.fields.values():
            bound.widget.attrs.setdefault("class", "form-select form-select-sm")

    def mapping(self) -> dict[str, str]:
        """Column letter → field key ("" to ignore), for the columns whose meaning the user changed."""
        changed = {}
        for column in self.columns:
            value = self.cleaned_data.get(f"col_{column.letter}") or ""
            if value != (column.field or ""):
                changed[column.letter] = value
        return changed
