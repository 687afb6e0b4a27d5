from django.urls import path

from keyprojects.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="mark_read"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/retry/", views.retry, name="retry"),
    path("webhooks/", views.webhooks, name="webhooks"),
]
