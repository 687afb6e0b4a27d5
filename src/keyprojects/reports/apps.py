from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "keyprojects.reports"
    label = "reports"
    verbose_name = "每周进展填报"
