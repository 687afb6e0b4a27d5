"""Review queue pages. Thin: authorise → parse → call an action or selector → render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.accounts.access import access_object, require_perm
from keyprojects.accounts.permissions import PROJECT_CHANGE, has_perm
from keyprojects.core.editing import VersionConflict
from keyprojects.core.web import paginate, query_without_page, ui_actor
from keyprojects.intake import actions, selectors
from keyprojects.intake.choices import FactKind, FactStatus
from keyprojects.projects.models import Project


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", FactStatus.PENDING)
    if status not in FactStatus.values and status != "":
        status = FactStatus.PENDING
    kind = request.GET.get("kind", "")
    if kind not in FactKind.values:
        kind = ""
    facts = selectors.fact_queue(request.user, status, kind, _int_or_none(request.GET.get("article")))
    context = {
        "page": paginate(request, facts),
        "query": query_without_page(request),
        "status": status,
        "kind": kind,
        "statuses": FactStatus.choices,
        "kinds": FactKind.choices,
        "can_review": has_perm(request.user, PROJECT_CHANGE),
    }
    return render(request, "intake/queue.html", context)


@login_required
def fact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fact = access_object(request.user, selectors.facts_for_user(request.user), pk)
    before, evidence, after = selectors.evidence_in_context(fact)
    context = {
        "fact": fact,
        "before": before,
        "evidence": evidence,
        "after": after,
        "fields": sorted(fact.fields.items()),
        "projects": selectors.candidate_projects(request.user, fact) if fact.kind == FactKind.PROJECT else [],
        "can_review": has_perm(request.user, PROJECT_CHANGE) and fact.status == FactStatus.PENDING,
    }
    return render(request, "intake/fact_detail.html", context)


@login_required
@require_POST
def fact_accept(request: HttpRequest, pk: int) -> HttpResponse:
    fact = access_object(request.user, selectors.facts_for_user(request.user), pk)
    require_perm(request.user, PROJECT_CHANGE)
    project_id = _int_or_none(request.POST.get("project"))
    project = access_object(request.user, Project.objects.select_related("region"), project_id) if project_id else None
    try:
        actions.do_accept_fact(ui_actor(request), fact, _int_or_none(request.POST.get("version")), project,
                               request.POST.get("note", ""))
    except VersionConflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, pgettext("message separator", "；").join(exc.messages))
    else:
        messages.success(request, _("已采纳该事实并写入登记册。"))
        return redirect("intake:queue")
    return redirect("intake:fact", pk=pk)


@login_required
@require_POST
def fact_reject(request: HttpRequest, pk: int) -> HttpResponse:
    fact = access_object(request.user, selectors.facts_for_user(request.user), pk)
    require_perm(request.user, PROJECT_CHANGE)
    try:
        actions.do_reject_fact(ui_actor(request), fact, _int_or_none(request.POST.get("version")),
                               request.POST.get("note", ""))
    except VersionConflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, pgettext("message separator", "；").join(exc.messages))
    else:
        messages.success(request, _("已驳回该事实。"))
        return redirect("intake:queue")
    return redirect("intake:fact", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def ingest(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, PROJECT_CHANGE)
    error = ""
    if request.method == "POST":
        text = request.POST.get("text", "").strip()
        source = request.POST.get("source", "").strip() or "网页粘贴"  # stored as the article's source: data, Chinese
        published: dt.date | None = None
        if request.POST.get("published"):
            try:
                published = dt.date.fromisoformat(request.POST["published"])
            except ValueError:
                error = _("发布日期格式应为 YYYY-MM-DD。")
        if not text:
            error = error or _("请粘贴新闻稿正文。")
        if not error:
            article = actions.do_ingest(ui_actor(request), text, source, published)
            count = article.facts.count()
            messages.success(
                request,
                ngettext(
                    "已导入“%(article)s”，共%(count)s条事实待审核。",
                    "已导入“%(article)s”，共%(count)s条事实待审核。",
                    count,
                )
                % {"article": article, "count": count},
            )
            return redirect(f"{reverse('intake:queue')}?status=&article={article.pk}")
    return render(request, "intake/ingest.html", {"error": error, "values": request.POST})

