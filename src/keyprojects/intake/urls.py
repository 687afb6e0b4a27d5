from django.urls import path

from keyprojects.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("ingest/", views.ingest, name="ingest"),
    path("facts/<int:pk>/", views.fact_detail, name="fact"),
    path("facts/<int:pk>/accept/", views.fact_accept, name="accept"),
    path("facts/<int:pk>/reject/", views.fact_reject, name="reject"),
]
