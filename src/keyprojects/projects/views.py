"""Project pages. Thin: authorise → parse → call an action or selector → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.accounts.access import access_object, require_perm
from keyprojects.accounts.permissions import PLAN_APPROVE, PROJECT_CHANGE, PROJECT_DELETE, has_perm
from keyprojects.core.editing import VersionConflict
from keyprojects.core.forms import apply_validation_error
from keyprojects.core.web import paginate, query_without_page, ui_actor
from keyprojects.projects import actions, selectors
from keyprojects.projects.filters import ProjectFilterForm
from keyprojects.projects.forms import MilestoneForm, PlanForm, ProjectForm, StageForm
from keyprojects.projects.models import AnnualPlan, BatchEvent, PlanVersion, Project


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    qs = selectors.project_list(request.user, filters, sort=request.GET.get("sort", ""))
    page = paginate(request, qs)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_change": has_perm(request.user, PROJECT_CHANGE),
    }
    template = "projects/_project_table.html" if request.htmx else "projects/project_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = access_object(request.user, selectors.get_project_for_detail(request.user), pk)
    context = selectors.project_detail_context(project)
    context.update(
        can_change=has_perm(request.user, PROJECT_CHANGE),
        can_delete=has_perm(request.user, PROJECT_DELETE),
        can_approve=has_perm(request.user, PLAN_APPROVE),
    )
    return render(request, "projects/project_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, PROJECT_CHANGE)
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = actions.do_create_project(ui_actor(request), **form.project_values())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已新建项目“%(name)s”。") % {"name": project.name})
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = access_object(request.user, Project.objects.select_related("region"), pk)
    require_perm(request.user, PROJECT_CHANGE)
    conflict = None
    if request.method == "POST":
        form = ProjectForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                actions.do_update_project(
                    ui_actor(request), project, form.cleaned_data.get("version"), **form.project_values()
                )
            except VersionConflict as exc:
                form.add_conflict(exc)
                conflict = exc
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("projects:detail", pk=project.pk)
    else:
        initial = {f: getattr(project, f) for f in actions.EDITABLE_PROJECT_FIELDS}
        initial.update(version=project.version, national_code=project.national_code or "")
        form = ProjectForm(initial=initial, user=request.user)
    return render(request, "projects/project_form.html", {"form": form, "project": project, "conflict": conflict})


@login_required
@require_http_methods(["GET", "POST"])
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    project = access_object(request.user, Project.objects.select_related("region"), pk)
    require_perm(request.user, PROJECT_DELETE)
    error = None
    if request.method == "POST":
        try:
            actions.do_delete_project(ui_actor(request), project, int(request.POST.get("version") or 0) or None)
        except (VersionConflict, ValidationError) as exc:
            error = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        else:
            messages.success(request, _("已删除项目“%(name)s”。") % {"name": project.name})
            return redirect("projects:list")
    return render(request, "projects/project_delete.html", {"project": project, "error": error})


@login_required
@require_http_methods(["GET", "POST"])
def project_stage(request: HttpRequest, pk: int) -> HttpResponse:
    project = access_object(request.user, Project.objects.select_related("region"), pk)
    require_perm(request.user, PROJECT_CHANGE)
    form = StageForm(request.POST or None, initial={"version": project.version, "stage": project.stage})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_change_stage(
                ui_actor(request), project, data.get("version"), data["stage"], data["on"], data.get("note") or ""
            )
        except VersionConflict as exc:
            form.add_conflict(exc)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已更新项目阶段。"))
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/simple_form.html", {"form": form, "project": project, "title": _("变更项目阶段")})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int, year: int | None = None) -> HttpResponse:
    """Create a year's plan, or propose a changed version of an existing one."""
    project = access_object(request.user, Project.objects.select_related("region"), pk)
    require_perm(request.user, PROJECT_CHANGE)
    plan = AnnualPlan.objects.filter(project=project, year=year).select_related("current").first() if year else None
    if year and plan is None:
        return redirect("projects:plan_create", pk=project.pk)
    initial: dict[str, object] = {"year": year or None}
    if plan and plan.current:
        initial.update(
            version=plan.version,
            planned_investment_wan=plan.current.planned_investment_wan,
            targets=plan.current.targets,
        )
        initial.update({f"ms_{m.kind}": m.planned_date for m in plan.current.milestones.all()})
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if plan is None:
                actions.do_create_plan(
                    ui_actor(request),
                    project,
                    data["year"],
                    data["planned_investment_wan"],
                    form.milestones(),
                    targets=data.get("targets") or "",
                )
            else:
                actions.do_propose_plan_change(
                    ui_actor(request),
                    plan,
                    data.get("version"),
                    data["planned_investment_wan"],
                    form.milestones(),
                    reason=data.get("reason") or "",
                    targets=data.get("targets") or "",
                    approve=has_perm(request.user, PLAN_APPROVE) and request.POST.get("approve") == "1",
                )
        except VersionConflict as exc:
            form.add_conflict(exc)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("年度计划已保存。"))
            return redirect("projects:detail", pk=project.pk)
    title = _("调整%(year)s年度计划（将生成新版本）") % {"year": year} if plan else _("新建年度计划")
    return render(
        request,
        "projects/plan_form.html",
        {
            "form": form,
            "project": project,
            "plan": plan,
            "title": title,
            "can_approve": has_perm(request.user, PLAN_APPROVE),
        },
    )


@login_required
@require_POST
def plan_decide(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    project = access_object(request.user, Project.objects.select_related("region"), pk)
    require_perm(request.user, PLAN_APPROVE)
    version = access_object(
        request.user, PlanVersion.objects.filter(plan__project=project).select_related("plan"), version_pk
    )
    try:
        actions.do_decide_plan_version(
            ui_actor(request), version, request.POST.get("decision") == "approve", request.POST.get("comment", "")
        )
    except ValidationError as exc:
        messages.error(request, _("；").join(exc.messages))
    else:
        messages.success(request, _("已处理计划调整。"))
    return redirect("projects:detail", pk=project.pk)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = access_object(request.user, Project.objects.select_related("region"), pk)
    require_perm(request.user, PROJECT_CHANGE)
    form = MilestoneForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_set_milestone_actual(
                ui_actor(request),
                project,
                data["kind"],
                data.get("actual_date"),
                data.get("note") or "",
                expected_version=data.get("version"),
            )
        except VersionConflict as exc:
            form.add_conflict(exc)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("节点完成情况已保存。"))
            return redirect("projects:detail", pk=project.pk)
    return render(
        request, "projects/simple_form.html", {"form": form, "project": project, "title": _("登记节点完成情况")}
    )


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.batch_events_for(request.user))
    return render(request, "projects/batch_list.html", {"page": page, "query": query_without_page(request)})


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_object(request.user, BatchEvent.objects.select_related("region").with_totals(), pk)
    projects = event.projects.select_related("region", "leader", "unit").order_by("-total_investment_wan")
    from keyprojects.audit.selectors import entries_for

    return render(
        request,
        "projects/batch_detail.html",
        {"event": event, "projects": projects, "audit_entries": entries_for(event)},
    )
