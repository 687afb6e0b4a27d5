from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keyprojects.accounts.access import access_object
from keyprojects.audit.selectors import entries_for
from keyprojects.core.web import paginate, query_without_page
from keyprojects.regions.choices import RegionLevel
from keyprojects.regions.models import Region


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    qs = (
        Region.objects.for_user(request.user)
        .exclude(level=RegionLevel.TOWN)
        .select_related("parent")
        .annotate(project_count=Count("projects", distinct=True))
        .order_by("path")
    )
    text = request.GET.get("q", "").strip()
    if text:
        qs = qs.filter(name__icontains=text)
    return render(
        request,
        "regions/region_list.html",
        {"page": paginate(request, qs, 100), "query": query_without_page(request), "q": text},
    )


@login_required
def region_detail(request: HttpRequest, pk: int) -> HttpResponse:
    region = access_object(request.user, Region.objects.select_related("parent"), pk)
    children = region.children.annotate(project_count=Count("projects", distinct=True)).order_by("code", "name")
    return render(
        request,
        "regions/region_detail.html",
        {"region": region, "children": children, "audit_entries": entries_for(region)},
    )
