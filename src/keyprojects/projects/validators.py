"""Pure validation rules of project data."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NATIONAL_CODE_RE = re.compile(
    r"^(?P<year>\d{4})-(?P<region>\d{6})-(?P<industry>\d{2})-(?P<type>\d{2})-(?P<serial>\d{6})$"
)


def validate_national_code(value: str) -> None:
    """The 24-character code of the national investment-project approval platform: 2020-370785-26-03-033286."""
    match = NATIONAL_CODE_RE.match(value or "")
    if not match:
        raise ValidationError(
            _("全国投资项目代码应为24位，格式如 2020-370785-26-03-033286（年份-区划代码-行业-类型-流水号）。"),
            code="national_code",
        )
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise ValidationError(_("全国投资项目代码中的年份无效。"), code="national_code")
