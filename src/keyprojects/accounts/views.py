from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.accounts import actions
from keyprojects.accounts.models import ApiToken, User
from keyprojects.accounts.scope import scope_of
from keyprojects.core.web import ui_actor


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The user's own page: role, scope and API tokens."""
    user = request.user
    assert isinstance(user, User)  # login_required
    new_token = None
    if request.method == "POST":
        _, new_token = actions.do_create_token(ui_actor(request), user, request.POST.get("name", "")[:100])
    scope = scope_of(request.user)
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": user.api_tokens.filter(revoked=False).order_by("-created_at"),
            "new_token": new_token,
            "scope": scope,
            "scope_regions": user.scope_regions.all(),
            "scope_units": user.scope_units.all(),
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # a user's own tokens only
    actions.do_revoke_token(ui_actor(request), token)
    messages.success(request, "令牌已吊销。")
    return redirect("accounts:profile")
