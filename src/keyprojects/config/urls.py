"""Root URL configuration: one include per room, the API under /api/."""

from django.urls import include, path

from keyprojects.config.api import api

urlpatterns = [
    path("", include("keyprojects.core.urls")),
    path("accounts/", include("keyprojects.accounts.urls")),
    path("regions/", include("keyprojects.regions.urls")),
    path("directory/", include("keyprojects.directory.urls")),
    path("projects/", include("keyprojects.projects.urls")),
    path("audit/", include("keyprojects.audit.urls")),
    path("intake/", include("keyprojects.intake.urls")),
    path("api/", api.urls),
]
