"""Directory pages: one list / detail / form trio per kind, declared in KINDS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Model, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from keyprojects.accounts.access import access_object, require_perm
from keyprojects.accounts.permissions import DIRECTORY_CHANGE, has_perm
from keyprojects.audit.selectors import entries_for
from keyprojects.core.editing import VersionConflict
from keyprojects.core.forms import apply_validation_error
from keyprojects.core.web import paginate, query_without_page, ui_actor
from keyprojects.directory import actions
from keyprojects.directory.forms import PersonForm, TaskForceForm, UnitForm
from keyprojects.directory.models import Person, TaskForce, Unit


@dataclass(frozen=True)
class Kind:
    model: type[Model]
    form: type[forms.Form]
    title: str | Promise
    columns: tuple[tuple[str, str | Promise], ...]  # (attribute, heading)


KINDS = {
    "units": Kind(
        Unit,
        UnitForm,
        gettext_lazy("责任单位"),
        (
            ("name", gettext_lazy("单位名称")),
            ("get_kind_display", gettext_lazy("类型")),
            ("region", gettext_lazy("所属区域")),
            ("project_count", gettext_lazy("项目数")),
        ),
    ),
    "people": Kind(
        Person,
        PersonForm,
        gettext_lazy("人员"),
        (
            ("name", gettext_lazy("姓名")),
            ("title", gettext_lazy("职务")),
            ("region", gettext_lazy("所属区域")),
            ("unit", gettext_lazy("所在单位")),
            ("project_count", gettext_lazy("包靠项目数")),
        ),
    ),
    "taskforces": Kind(
        TaskForce,
        TaskForceForm,
        gettext_lazy("工作专班"),
        (
            ("name", gettext_lazy("专班名称")),
            ("region", gettext_lazy("所属区域")),
            ("head", gettext_lazy("负责人")),
            ("project_count", gettext_lazy("项目数")),
        ),
    ),
}


def _kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise Http404(_("未找到该页面。"))
    return KINDS[kind]


def _queryset(kind: Kind, user: Any) -> Any:
    qs = kind.model.objects.for_user(user).select_related("region")  # type: ignore[attr-defined]
    related = {Unit: "projects", Person: "led_projects", TaskForce: "projects"}[kind.model]  # type: ignore[index]
    if kind.model is not Unit:
        qs = qs.select_related("unit" if kind.model is Person else "head")
    return qs.annotate(project_count=Count(related, distinct=True)).order_by("region__path", "name")


@login_required
def entry_list(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    qs = _queryset(spec, request.user)
    text = request.GET.get("q", "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text))
    return render(
        request,
        "directory/entry_list.html",
        {
            "kind": kind,
            "spec": spec,
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "q": text,
            "can_change": has_perm(request.user, DIRECTORY_CHANGE),
        },
    )


@login_required
def entry_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _kind(kind)
    obj = access_object(request.user, _queryset(spec, request.user), pk)
    if isinstance(obj, Unit):
        projects = obj.projects.select_related("region", "leader")
    elif isinstance(obj, Person):
        projects = obj.led_projects.select_related("region", "unit")
    else:
        projects = obj.projects.select_related("region", "leader")
    return render(
        request,
        "directory/entry_detail.html",
        {
            "kind": kind,
            "spec": spec,
            "obj": obj,
            "projects": projects.order_by("code")[:200],
            "members": obj.members.all() if isinstance(obj, TaskForce) else None,
            "audit_entries": entries_for(obj),
            "can_change": has_perm(request.user, DIRECTORY_CHANGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    spec = _kind(kind)
    obj: Unit | Person | TaskForce | None = (
        access_object(request.user, spec.model._default_manager.all(), pk) if pk else None  # type: ignore[assignment]
    )
    require_perm(request.user, DIRECTORY_CHANGE)
    if request.method == "POST":
        form = spec.form(request.POST, user=request.user)  # type: ignore[call-arg]
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                if obj is None:
                    obj = actions.do_create_entry(ui_actor(request), spec.model, **values)  # type: ignore[arg-type]
                else:
                    actions.do_update_entry(ui_actor(request), obj, form.cleaned_data.get("version"), **values)
            except VersionConflict as exc:
                form.add_conflict(exc)  # type: ignore[attr-defined]
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("directory:detail", kind=kind, pk=obj.pk)
    else:
        initial: dict[str, Any] = {}
        if obj is not None:
            initial = {name: getattr(obj, name) for name in spec.form.base_fields if name not in ("version", "members")}
            initial["version"] = obj.version
            if isinstance(obj, TaskForce):
                initial["members"] = list(obj.members.all())
        form = spec.form(initial=initial, user=request.user)  # type: ignore[call-arg]
    return render(request, "directory/entry_form.html", {"kind": kind, "spec": spec, "obj": obj, "form": form})
