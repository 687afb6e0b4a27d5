from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """已提出 → 会商中 (optional) → 已交办 → 办理中 → 已办结 → 已销号, or 退回 back to 办理中 (DESIGN §5)."""

    RAISED = "raised", _("已提出")
    CONSULTING = "consulting", _("会商中")
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结")
    CLOSED = "closed", _("已销号")


# Not yet handled: these count as open for the score and can be overdue.
OPEN_STATES = (State.RAISED, State.CONSULTING, State.ASSIGNED, State.IN_PROGRESS)


class Transition(models.TextChoices):
    CONSULT = "consult", _("会商")
    ASSIGN = "assign", _("交办")
    ACCEPT = "accept", _("签收办理")
    RESOLVE = "resolve", _("办结")
    CLOSE = "close", _("销号")
    RETURN = "return", _("退回")


class Channel(models.TextChoices):
    NORMAL = "normal", _("常规")
    DIRECT = "direct", _("直通车")


class Category(models.TextChoices):
    """要素保障 and the other usual blockers."""

    LAND = "土地", _("土地")
    FUNDS = "资金", _("资金")
    ENERGY = "能耗", _("能耗")
    ENVIRONMENT = "环境指标/环评", _("环境指标/环评")
    APPROVAL = "审批手续", _("审批手续")
    UTILITIES = "水电气暖", _("水电气暖")
    RELOCATION = "征迁", _("征迁")
    LABOUR = "用工", _("用工")
    OTHER = "其他", _("其他")


class Escalation(models.IntegerChoices):
    """The ladder: overdue → 督办 to the unit; still overdue after N working days → the leader's 直通车 queue; still
    open after M working days → the 约谈 list."""

    NONE = 0, _("未升级")
    SUPERVISED = 1, _("督办")
    DIRECT = 2, _("直通车")
    SUMMONS = 3, _("约谈")


class EventKind(models.TextChoices):
    RAISE = "raise", _("提出")
    TRANSITION = "transition", _("流转")
    COMMENT = "comment", _("意见")
    SUPERVISE = "supervise", _("督办")
    ESCALATE = "escalate", _("升级直通车")
    SUMMON = "summon", _("列入约谈")


class ElementKind(models.TextChoices):
    """要素保障台账: what a project needs and what has been secured."""

    LAND = "land", _("土地")
    ENERGY = "energy", _("能耗指标")
    EMISSION = "emission", _("排放指标")
    FUNDS = "funds", _("资金")


ELEMENT_UNITS = {
    ElementKind.LAND: "亩",
    ElementKind.ENERGY: "吨标准煤",
    ElementKind.EMISSION: "吨",
    ElementKind.FUNDS: "万元",
}
# The units as shown on pages (ELEMENT_UNITS are stored in titles and returned by the API: Chinese).
ELEMENT_UNIT_LABELS = {
    ElementKind.LAND: _("亩"),
    ElementKind.ENERGY: _("吨标准煤"),
    ElementKind.EMISSION: _("吨"),
    ElementKind.FUNDS: _("万元"),
}
ELEMENT_CATEGORY = {
    ElementKind.LAND: Category.LAND,
    ElementKind.ENERGY: Category.ENERGY,
    ElementKind.EMISSION: Category.ENVIRONMENT,
    ElementKind.FUNDS: Category.FUNDS,
}

# Defaults of the per-region settings (problems.models.RegionRules).
DEFAULT_NORMAL_DAYS = 10
DEFAULT_DIRECT_DAYS = 3
DEFAULT_ESCALATE_AFTER = 5
DEFAULT_SUMMON_AFTER = 10
