"""URLs of the list import and export, included by the root urls under /projects/import/ (namespace projects_import)."""

from django.urls import path

from keyprojects.projects import import_views

app_name = "projects_import"
urlpatterns = [
    path("", import_views.upload, name="upload"),
    path("export/", import_views.export, name="export"),
    path("<str:token>/", import_views.preview, name="preview"),
    path("<str:token>/mapping/", import_views.mapping, name="mapping"),
    path("<str:token>/run/", import_views.run, name="run"),
]
