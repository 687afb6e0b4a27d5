from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "keyprojects.directory"
    label = "directory"
    verbose_name = "单位与人员"
