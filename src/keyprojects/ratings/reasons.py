"""The reasons of a weekly rating — and the other text the ratings room writes itself (group names, the default rule
set, run authors) — written in Chinese and shown in the reader's language.

A rating's reasons are stored as plain Chinese lines (`WeeklyRating.reasons`), whatever the language of the run that
computed them, and other rooms (bulletins, agendas) read them as such. Every line is written from one template below;
to show a stored line in another language it is matched back against the templates and the template's translation is
filled with the same values (a milestone, colour or group label among them is translated too; free text — an
override's reason, who made it, a region or rule-set name — is data and stays as written). A line that matches no
template is shown as stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from django.utils.translation import gettext, gettext_noop, ngettext

from keyprojects.reports.i18n import is_default_language, stored

# Placeholders that hold words; every other placeholder holds a whole number.
_WORDS = {
    "milestone": r".+?",
    "group": r".+?",
    "colour": r".+?",
    "note": r".*",
    "reason": r".+",
    "level": r".+?",
    "preset": r".+",
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


@dataclass(frozen=True)
class Template:
    zh: str  # the stored form, a msgid with %(name)s placeholders
    count: str | None = None  # the placeholder whose number chooses the translation's plural form

    def __call__(self, **values: Any) -> str:
        """The line as stored."""
        return self.zh % values

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        parts, at = [], 0
        for match in _PLACEHOLDER.finditer(self.zh):
            parts.append(re.escape(self.zh[at : match.start()]))
            name = match.group(1)
            if name is None:
                parts.append("%")
            else:
                parts.append(f"(?P<{name}>{_WORDS.get(name, r'-?[0-9]+')})")
            at = match.end()
        parts.append(re.escape(self.zh[at:]))
        return re.compile("".join(parts))

    def translated(self, values: dict[str, Any]) -> str:
        if self.count is None:
            return gettext(self.zh) % values
        return ngettext(self.zh, self.zh, int(values[self.count])) % values


# scoring.compute
INVESTMENT = Template(gettext_noop("本年完成投资为计划进度的%(percent)s%%"))
NO_PLAN = Template(gettext_noop("未填报年度计划投资，投资进度不参与评分"))
MILESTONE_DONE_LATE = Template("%(milestone)s节点滞后%(days)s天完成", count="days")
MILESTONE_OVERDUE = Template("%(milestone)s节点逾期%(days)s天", count="days")
MILESTONE_OVERDUE_HARD = Template("%(milestone)s节点逾期%(days)s天（超过%(limit)s天）", count="limit")
MOMENTUM = Template("近%(weeks)s周完成投资为同期计划的%(percent)s%%", count="weeks")
PROBLEMS_OPEN = Template("未解决问题%(open)s个", count="open")
PROBLEMS_OPEN_OVERDUE = Template("未解决问题%(open)s个，其中逾期%(overdue)s个", count="open")
PROBLEM_OVERDUE_HARD = Template("问题逾期%(days)s天未解决（超过%(limit)s天）", count="limit")
REPORT_LATE = Template(gettext_noop("本周周报迟报"))
REPORT_MISSING = Template(gettext_noop("本周未报送周报"))
REPORT_MISSING_WEEKS = Template("连续%(weeks)s周未报送周报", count="weeks")
# scoring._node_lag
START_LATE = Template(gettext_noop("计划%(year)s年%(month)s月开工，未按期开工"))
START_LATE_RED = Template("计划%(year)s年%(month)s月开工，滞后超过%(months)s个月仍未开工", count="months")
PROGRESS_BEHIND = Template("投资进度落后序时进度%(points)s个百分点", count="points")
# ratings.actions
HARD = Template(gettext_noop("【直接红牌】%(reason)s"))
RANK = Template(gettext_noop("在%(group)s%(size)s个项目中排第%(rank)s名"))
OVERRIDE = Template(gettext_noop("人工调整为%(colour)s：%(note)s"))

TEMPLATES = (
    INVESTMENT,
    NO_PLAN,
    MILESTONE_DONE_LATE,
    MILESTONE_OVERDUE,
    MILESTONE_OVERDUE_HARD,
    MOMENTUM,
    PROBLEMS_OPEN,
    PROBLEMS_OPEN_OVERDUE,
    PROBLEM_OVERDUE_HARD,
    REPORT_LATE,
    REPORT_MISSING,
    REPORT_MISSING_WEEKS,
    START_LATE,
    START_LATE_RED,
    PROGRESS_BEHIND,
    HARD,
    RANK,
    OVERRIDE,
)
# Reading a line back: the templates that begin with fixed words first, since a template that begins with a word
# placeholder ("%(milestone)s节点逾期…") would otherwise take "【直接红牌】开工" or "人工调整为黄牌：开工" for
# its milestone.
_MATCH_ORDER = (HARD, OVERRIDE, *(t for t in TEMPLATES if t not in (HARD, OVERRIDE)))
HARD_PREFIX = HARD.zh.split("%")[0]  # 【直接红牌】
OVERRIDE_PREFIX = OVERRIDE.zh.split("%")[0]  # 人工调整为

# Comparison groups (WeeklyRating.group_label): a level's projects, or the district's; else a region or rule-set name.
GROUP_LEVEL = Template(gettext_noop("%(level)s项目"))
NO_LEVEL = gettext_noop("未定级别")
THIS_REGION = gettext_noop("本区域")

# Rule-set texts the system writes (ensure_default_rule_set, do_create_rule_set), and run authors without a user.
DEFAULT_RULE_SET_NAME = gettext_noop("默认评分规则")
DEFAULT_RULE_SET_DESCRIPTION = gettext_noop("DESIGN §4 的默认权重、分数线与直接红牌规则")
DEFAULT_VERSION_NOTE = gettext_noop("默认规则")
PRESET_NOTE = Template(gettext_noop("按“%(preset)s”新建"))
SYSTEM_ACTORS = (gettext_noop("系统"), gettext_noop("命令行"))  # audit.actions.Actor.label without a user
_SYSTEM_TEXTS = {DEFAULT_RULE_SET_NAME, DEFAULT_RULE_SET_DESCRIPTION, DEFAULT_VERSION_NOTE, *SYSTEM_ACTORS}


def _plural_msgids() -> None:  # pragma: no cover - never called
    """The plural templates as `makemessages` finds them; test_i18n checks that every template is translated."""
    ngettext("%(milestone)s节点滞后%(days)s天完成", "%(milestone)s节点滞后%(days)s天完成", 0)
    ngettext("%(milestone)s节点逾期%(days)s天", "%(milestone)s节点逾期%(days)s天", 0)
    ngettext(
        "%(milestone)s节点逾期%(days)s天（超过%(limit)s天）", "%(milestone)s节点逾期%(days)s天（超过%(limit)s天）", 0
    )
    ngettext("近%(weeks)s周完成投资为同期计划的%(percent)s%%", "近%(weeks)s周完成投资为同期计划的%(percent)s%%", 0)
    ngettext("未解决问题%(open)s个", "未解决问题%(open)s个", 0)
    ngettext("未解决问题%(open)s个，其中逾期%(overdue)s个", "未解决问题%(open)s个，其中逾期%(overdue)s个", 0)
    ngettext("问题逾期%(days)s天未解决（超过%(limit)s天）", "问题逾期%(days)s天未解决（超过%(limit)s天）", 0)
    ngettext("连续%(weeks)s周未报送周报", "连续%(weeks)s周未报送周报", 0)
    ngettext(
        "计划%(year)s年%(month)s月开工，滞后超过%(months)s个月仍未开工",
        "计划%(year)s年%(month)s月开工，滞后超过%(months)s个月仍未开工",
        0,
    )
    ngettext("投资进度落后序时进度%(points)s个百分点", "投资进度落后序时进度%(points)s个百分点", 0)


# --- showing stored text ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    text: str  # in the reader's language
    hard: bool  # a 直接红牌 reason


@cache
def _stored_labels() -> dict[str, dict[str, Any]]:
    """Stored (Chinese) choice labels → the choice, for the labels that appear inside reasons and group names."""
    from keyprojects.projects.choices import Level, MilestoneKind
    from keyprojects.ratings.choices import Colour

    return {
        "milestone": {stored(k.label): k for k in MilestoneKind},
        "colour": {stored(c.label): c for c in Colour},
        "level": {stored(c.label): c for c in Level},
    }


def _label(kind: str, text: str) -> str:
    choice = _stored_labels()[kind].get(text)
    return text if choice is None else str(choice.label)


def _value(name: str, text: str) -> str:
    if name in ("milestone", "colour"):
        return _label(name, text)
    if name == "group":
        return group_label(text)
    if name == "reason":
        return reason_text(text)
    return text


def reason_text(line: str) -> str:
    """A stored reason in the reader's language."""
    if is_default_language():
        return line
    for template in _MATCH_ORDER:
        match = template.pattern.fullmatch(line)
        if match is not None:
            return template.translated({k: _value(k, v) for k, v in match.groupdict().items()})
    return line


def shown(lines: list[str]) -> list[Shown]:
    return [Shown(reason_text(line), line.startswith(HARD_PREFIX)) for line in lines]


def group_label(text: str) -> str:
    """A stored comparison-group name in the reader's language (region and rule-set names stay as they are)."""
    if is_default_language():
        return text
    if text == THIS_REGION:
        return gettext(THIS_REGION)
    match = GROUP_LEVEL.pattern.fullmatch(text)
    if match is not None:
        level = match.group("level")
        if level == NO_LEVEL:
            return GROUP_LEVEL.translated({"level": gettext(NO_LEVEL)})
        if level in _stored_labels()["level"]:
            return GROUP_LEVEL.translated({"level": _label("level", level)})
    return system_text(text)  # a rule-set name


def system_text(text: str) -> str:
    """A rule-set name, description or version note, or a run's author, in the reader's language when the system
    wrote it; what people wrote stays as written."""
    if is_default_language():
        return text
    if text in _SYSTEM_TEXTS:
        return gettext(text)
    match = PRESET_NOTE.pattern.fullmatch(text)
    if match is not None:
        from keyprojects.ratings.scoring import PRESETS

        if match.group("preset") in {name for name, _params in PRESETS.values()}:
            return PRESET_NOTE.translated({"preset": gettext(match.group("preset"))})
    return text
