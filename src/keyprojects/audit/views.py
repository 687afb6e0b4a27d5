from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keyprojects.accounts.access import require_perm
from keyprojects.accounts.permissions import AUDIT_VIEW_ALL
from keyprojects.audit.models import AuditEntry
from keyprojects.core.web import paginate, query_without_page


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The whole log, for administrators; everyone else sees an object's changes on its own page."""
    require_perm(request.user, AUDIT_VIEW_ALL)
    qs = AuditEntry.objects.select_related("content_type").order_by("-at", "-id")
    return render(
        request, "audit/audit_log.html", {"page": paginate(request, qs), "query": query_without_page(request)}
    )
