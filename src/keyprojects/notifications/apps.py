from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "keyprojects.notifications"
    label = "notifications"
    verbose_name = "通知"
