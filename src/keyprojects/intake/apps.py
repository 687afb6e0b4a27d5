from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "keyprojects.intake"
    label = "intake"
    verbose_name = "新闻采集"
    default_auto_field = "django.db.models.BigAutoField"
