from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    NEW = "新开工", _("新开工")
    CONTINUING = "续建", _("续建")
    COMPLETING = "竣工", _("竣工")
    PRODUCING = "建成投产", _("建成投产")
    PREPARATORY = "前期", _("前期")


class Level(models.TextChoices):
    PROVINCE = "省重点", _("省重点")
    CITY = "市重点", _("市重点")
    COUNTY = "县重点", _("县重点")


class Stage(models.TextChoices):
    """The investment-attraction lifecycle 线索 → 洽谈 → 签约 → 落地 → 开工 → 竣工/投产 → 达效."""

    LEAD = "lead", _("线索")
    NEGOTIATING = "negotiating", _("洽谈")
    SIGNED = "signed", _("签约")
    LANDED = "landed", _("落地")
    UNDER_CONSTRUCTION = "construction", _("开工在建")
    COMPLETED = "completed", _("竣工")
    PRODUCING = "producing", _("投产")
    AT_CAPACITY = "at_capacity", _("达效")


STAGE_ORDER = [s.value for s in Stage]


class MilestoneKind(models.TextChoices):
    START = "start", _("开工")
    MAIN_STRUCTURE = "main_structure", _("主体完工")
    COMPLETION = "completion", _("竣工")
    PRODUCTION = "production", _("投产")
    AT_CAPACITY = "at_capacity", _("达效")


class PlanStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class BatchKind(models.TextChoices):
    START = "集中开工", _("集中开工")
    SIGNING = "集中签约", _("集中签约")
    COMPLETION = "集中竣工", _("集中竣工")
    PRODUCTION = "集中投产", _("集中投产")


INDUSTRIES = [
    "高端装备",
    "新能源新材料",
    "现代轻工纺织",
    "现代高效农业",
    "医养健康",
    "高端化工",
    "新一代信息技术",
    "现代物流",
    "文化旅游",
    "社会民生",
    "基础设施",
    "城市更新",
    "其他",
]
