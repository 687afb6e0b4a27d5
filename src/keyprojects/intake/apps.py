from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "keyprojects.intake"
    label = "intake"
    verbose_name = _("新闻采集")
    default_auto_field = "django.db.models.BigAutoField"
