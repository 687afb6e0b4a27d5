from django.apps import AppConfig


class CadenceConfig(AppConfig):
    name = "keyprojects.cadence"
    label = "cadence"
    verbose_name = "调度、通报、观摩与考核"
