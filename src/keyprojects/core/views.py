from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keyprojects.projects import selectors as project_selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"summary": project_selectors.dashboard_summary(request.user)})
