from django.urls import path

from keyprojects.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]
