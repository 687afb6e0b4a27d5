from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "keyprojects.audit"
    label = "audit"
    verbose_name = "变更记录"
