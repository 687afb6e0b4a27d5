from django.db import models
from django.utils.translation import gettext_lazy as _


class Colour(models.TextChoices):
    BLUE = "blue", _("蓝牌")
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")
    NONE = "none", _("未评定")


class Policy(models.TextChoices):
    THRESHOLD = "threshold", _("分数线（阈值）")
    RANK = "rank", _("组内排名（比拼）")
    NODE_LAG = "node_lag", _("节点滞后")


class GroupBy(models.TextChoices):
    DISTRICT = "district", _("同一年度、同一县（市、区）")
    LEVEL = "level", _("同一年度、同一项目级别")
    RULE_SET = "rule_set", _("同一年度、本规则适用的全部项目")


class EscalationKind(models.TextChoices):
    SUPERVISION = "duban", _("督办")
    SUMMONS = "yuetan", _("约谈")


COLOUR_ORDER = {Colour.BLUE: 0, Colour.YELLOW: 1, Colour.RED: 2, Colour.NONE: -1}
