from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.accounts import actions
from keyprojects.accounts.access import access_object, require_perm
from keyprojects.accounts.forms import UserForm
from keyprojects.accounts.models import ApiToken, User
from keyprojects.accounts.permissions import USERS_MANAGE
from keyprojects.accounts.scope import scope_of
from keyprojects.audit.selectors import entries_for
from keyprojects.core.editing import VersionConflict
from keyprojects.core.forms import apply_validation_error
from keyprojects.core.web import paginate, query_without_page, ui_actor


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
        _token, new_token = actions.do_create_token(ui_actor(request), user, request.POST.get("name", "")[:100])
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
    messages.success(request, _("令牌已吊销。"))
    return redirect("accounts:profile")


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, USERS_MANAGE)
    qs = User.objects.for_user(request.user).prefetch_related("scope_regions", "scope_units").order_by("username")
    return render(
        request, "accounts/user_list.html", {"page": paginate(request, qs), "query": query_without_page(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    target = access_object(request.user, User.objects.all(), pk) if pk else None
    require_perm(request.user, USERS_MANAGE)
    if request.method == "POST":
        # username is a disabled field when editing: Django then takes it from `initial`, never from the POST.
        form = UserForm(
            request.POST,
            initial={"username": target.username} if target else None,
            user=request.user,
            creating=target is None,
        )
        if form.is_valid():
            d = form.cleaned_data
            try:
                if target is None:
                    target = actions.do_create_managed_user(
                        ui_actor(request),
                        d["username"],
                        d["password"],
                        d["role"],
                        d["full_name"],
                        regions=list(d["regions"]),
                        units=list(d["units"]),
                    )
                else:
                    actions.do_update_user(
                        ui_actor(request),
                        target,
                        d.get("version"),
                        role=d["role"],
                        full_name=d["full_name"],
                        is_active=d["is_active"],
                        regions=list(d["regions"]),
                        units=list(d["units"]),
                    )
            except VersionConflict as exc:
                form.add_conflict(exc)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已保存用户 %(username)s。") % {"username": target.username})
                return redirect("accounts:user_list")
    else:
        initial: dict[str, object] = {"is_active": True}
        if target is not None:
            initial = {
                "username": target.username,
                "full_name": target.full_name,
                "role": target.role,
                "is_active": target.is_active,
                "regions": list(target.scope_regions.all()),
                "units": list(target.scope_units.all()),
                "version": target.version,
            }
        form = UserForm(initial=initial, user=request.user, creating=target is None)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "target": target, "audit_entries": entries_for(target) if target else []},
    )
