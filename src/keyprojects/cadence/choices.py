from django.db import models
from django.utils.translation import gettext_lazy as _


class Half(models.IntegerChoices):
    FIRST = 1, _("上半年")
    SECOND = 2, _("下半年")


class TargetKind(models.TextChoices):
    """What an observation round looks at: projects on site, or whole districts (县市区观摩比拼)."""

    PROJECT = "project", _("项目")
    REGION = "region", _("县市区")


class RoundStatus(models.TextChoices):
    """设置中 (criteria, targets and panel may change) → 评分中 (panel members enter scores) → 已结束 (final)."""

    DRAFT = "draft", _("设置中")
    SCORING = "scoring", _("评分中")
    CLOSED = "closed", _("已结束")


class Grade(models.TextChoices):
    EXCELLENT = "优秀", _("优秀")
    GOOD = "良好", _("良好")
    FAIR = "一般", _("一般")
    POOR = "较差", _("较差")


class AssessedKind(models.TextChoices):
    UNIT = "unit", _("责任单位")
    LEADER = "leader", _("包靠领导")


# The criteria a new observation round starts with (名称, 权重); the supervisor changes them freely while setting up.
DEFAULT_CRITERIA: list[tuple[str, int]] = [
    ("建设进度", 40),
    ("投资强度", 30),
    ("科技含量与带动作用", 20),
    ("现场管理", 10),
]
