from django.urls import path

from keyprojects.directory import views

app_name = "directory"
urlpatterns = [
    path("<str:kind>/", views.entry_list, name="list"),
    path("<str:kind>/new/", views.entry_edit, name="create"),
    path("<str:kind>/<int:pk>/", views.entry_detail, name="detail"),
    path("<str:kind>/<int:pk>/edit/", views.entry_edit, name="edit"),
]
