from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "keyprojects.core"
    label = "core"
    verbose_name = "核心"
