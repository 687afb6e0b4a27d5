from django.urls import path

from keyprojects.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/delete/", views.project_delete, name="delete"),
    path("<int:pk>/stage/", views.project_stage, name="stage"),
    path("<int:pk>/plans/new/", views.plan_edit, name="plan_create"),
    path("<int:pk>/plans/<int:year>/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/plans/versions/<int:version_pk>/decide/", views.plan_decide, name="plan_decide"),
    path("<int:pk>/milestones/", views.milestone_edit, name="milestone_edit"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
]
