from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "keyprojects.directory"
    label = "directory"
    verbose_name = _("单位与人员")
