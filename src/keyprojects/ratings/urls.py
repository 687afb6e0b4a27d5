from django.urls import path

from keyprojects.ratings import views

app_name = "ratings"
urlpatterns = [
    path("", views.weekly, name="weekly"),
    path("export/", views.weekly_export, name="export"),
    path("run/", views.run, name="run"),
    path("panel/<int:pk>/", views.project_panel, name="project_panel"),
    path("override/<int:pk>/<str:week>/", views.override, name="override"),
    path("escalations/", views.escalations, name="escalations"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
]
