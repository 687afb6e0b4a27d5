"""我的通知, the outbox and the group robots. Thin: authorise → parse → call an action or selector → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.accounts.access import access_object, require_perm
from keyprojects.accounts.models import User
from keyprojects.accounts.permissions import NOTIFY_MANAGE
from keyprojects.core.editing import VersionConflict
from keyprojects.core.forms import apply_validation_error
from keyprojects.core.web import paginate, query_without_page, ui_actor
from keyprojects.notifications import actions, selectors
from keyprojects.notifications.forms import WebhookForm
from keyprojects.notifications.models import DeliveryStatus, Webhook


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.inbox(request.user))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "query": query_without_page(request), "unread": selectors.unread_count(request.user)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notice (`id`) or all of them read, then go to `next` (the notice's link) or back to the inbox."""
    user = request.user
    assert isinstance(user, User)
    raw = request.POST.get("id", "")
    actions.do_mark_read(user, [int(raw)] if raw.isdigit() else None)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, NOTIFY_MANAGE)
    status = request.GET.get("status", "")
    if status not in DeliveryStatus.values:
        status = ""
    page = paginate(request, selectors.outbox_for(request.user, status))
    counts = selectors.outbox_counts(request.user)
    return render(
        request,
        "notifications/outbox.html",
        {
            "page": page,
            "query": query_without_page(request),
            "status": status,
            "tabs": [(value, label, counts[value]) for value, label in DeliveryStatus.choices],
            "counts": counts,
        },
    )


@login_required
@require_POST
def retry(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, NOTIFY_MANAGE)
    ids = [int(x) for x in request.POST.getlist("id") if x.isdigit()]
    qs = selectors.outbox_for(request.user)
    chosen = qs.filter(pk__in=ids) if ids else qs.filter(status=DeliveryStatus.FAILED)
    count = actions.do_retry_deliveries(ui_actor(request), list(chosen))
    messages.success(
        request,
        ngettext(
            "已重新排队 %(count)s 条投递，将在下一次投递任务中发送。",
            "已重新排队 %(count)s 条投递，将在下一次投递任务中发送。",
            count,
        )
        % {"count": count},
    )
    return redirect("notifications:outbox")


@login_required
@require_http_methods(["GET", "POST"])
def webhooks(request: HttpRequest) -> HttpResponse:
    """List the robots in scope; add one; enable/disable or delete one (`op` + `id`)."""
    require_perm(request.user, NOTIFY_MANAGE)
    form = WebhookForm(user=request.user)
    if request.method == "POST":
        op = request.POST.get("op", "create")
        if op == "create":
            form = WebhookForm(request.POST, user=request.user)
            if form.is_valid():
                values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                try:
                    hook = actions.do_create_webhook(ui_actor(request), **values)
                except ValidationError as exc:
                    apply_validation_error(form, exc)
                else:
                    messages.success(request, _("已添加群机器人“%(name)s”。") % {"name": hook.name})
                    return redirect("notifications:webhooks")
        else:
            hook = access_object(request.user, Webhook.objects.select_related("region"), request.POST.get("id"))
            version = int(request.POST.get("version") or 0) or None
            try:
                if op == "toggle":
                    actions.do_update_webhook(ui_actor(request), hook, version, enabled=not hook.enabled)
                    done = _("已停用“%(name)s”。") if hook.enabled else _("已启用“%(name)s”。")
                    messages.success(request, done % {"name": hook.name})
                elif op == "delete":
                    actions.do_delete_webhook(ui_actor(request), hook, version)
                    messages.success(request, _("已删除“%(name)s”。") % {"name": hook.name})
            except (VersionConflict, ValidationError) as exc:
                separator = pgettext("message separator", "；")
                messages.error(request, str(exc) if isinstance(exc, VersionConflict) else separator.join(exc.messages))
            return redirect("notifications:webhooks")
    return render(request, "notifications/webhooks.html", {"hooks": selectors.webhooks_for(request.user), "form": form})
