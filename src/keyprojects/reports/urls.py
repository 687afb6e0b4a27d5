from django.urls import path

from keyprojects.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.week_list, name="week"),
    path("projects/<int:pk>/<str:week>/", views.submit, name="submit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/<str:variant>/", views.photo_file, name="photo"),
    path("template/<int:unit_pk>/<str:week>/", views.template_download, name="template"),
    path("upload/", views.upload, name="upload"),
    path("panel/<int:pk>/", views.project_panel, name="project_panel"),
]
