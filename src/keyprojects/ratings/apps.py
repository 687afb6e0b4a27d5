from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "keyprojects.ratings"
    label = "ratings"
    verbose_name = "每周评分与蓝黄红牌"
