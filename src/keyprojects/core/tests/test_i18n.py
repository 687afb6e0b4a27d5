"""Core messages in English: money parsing and display, the version conflict; the pure modules speak Chinese where
Django is not set up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from keyprojects.core import i18n
from keyprojects.core.editing import VersionConflict
from keyprojects.core.forms import MoneyField
from keyprojects.core.money import MoneyError, format_money, parse_money_wan
from keyprojects.core.testing.fixtures import World
from keyprojects.projects.listfile.values import parse_money_cell


def test_money_display_and_errors_follow_the_active_language() -> None:
    assert format_money(Decimal(150000)) == "15亿元" and format_money(Decimal(3000)) == "3000万元"
    with translation.override("en"):
        assert format_money(Decimal(150000)) == "15 × 100M yuan"
        assert format_money(Decimal(3000)) == "3000 × 10k yuan"
        with pytest.raises(MoneyError, match="cannot be negative"):
            parse_money_wan("-5亿")
        with pytest.raises(ValueError, match="“两三亿” is an estimate; please enter an exact amount"):
            parse_money_cell("两三亿", None)
        with pytest.raises(ValueError, match="“abc” is not a recognisable amount"):
            parse_money_cell("abc", None)
        field = MoneyField()
        assert str(field.help_text).startswith("Enter e.g. “15亿元”")
    with pytest.raises(ValueError, match="“abc”不是可识别的金额"):  # the caller rewords by code, in any language
        parse_money_cell("abc", None)
    # parsing itself does not depend on the language
    with translation.override("en"):
        assert parse_money_wan("1.5亿") == Decimal(15000)


def test_the_pure_modules_speak_chinese_without_django(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n.apps, "apps_ready", False)
    with translation.override("en"):
        assert i18n.gettext("金额不能为空") == "金额不能为空"
        assert i18n.active_language() is None
        with pytest.raises(MoneyError, match="金额不能为空"):
            parse_money_wan("")


@pytest.mark.django_db
def test_a_version_conflict_is_explained_in_the_active_language(world: World) -> None:
    project = world.inside.project
    with translation.override("en"):
        message = str(VersionConflict(project, 0, []))
    assert message.startswith("Not saved: this record was changed by someone else (you edited version 0; the current")
    assert str(VersionConflict(project, 0, [])).startswith("保存失败：该记录已被其他人修改（您编辑的是第0版")
