from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "keyprojects.ratings"
    label = "ratings"
    verbose_name = _("每周评分与蓝黄红牌")
