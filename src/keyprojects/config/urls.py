"""Root URL configuration: one include per room, the API under /api/."""

from django.urls import include, path

from keyprojects.config.api import api

urlpatterns = [
    path("", include("keyprojects.core.urls")),
    path("accounts/", include("keyprojects.accounts.urls")),
    path("regions/", include("keyprojects.regions.urls")),
    path("directory/", include("keyprojects.directory.urls")),
    path("projects/import/", include("keyprojects.projects.import_urls")),
    path("projects/", include("keyprojects.projects.urls")),
    path("reports/", include("keyprojects.reports.urls")),
    path("ratings/", include("keyprojects.ratings.urls")),
    path("problems/", include("keyprojects.problems.urls")),
    path("notifications/", include("keyprojects.notifications.urls")),
    path("audit/", include("keyprojects.audit.urls")),
    path("intake/", include("keyprojects.intake.urls")),
    path("cadence/", include("keyprojects.cadence.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the 中文 / English switch
]
