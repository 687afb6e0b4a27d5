from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "keyprojects.problems"
    label = "problems"
    verbose_name = "问题闭环"
