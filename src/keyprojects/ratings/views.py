"""Rating pages: 每周梳理, the project's score panel, overrides, escalations, rule sets. Thin views."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.accounts.access import access_object, require_perm
from keyprojects.accounts.permissions import RATING_CONFIGURE, RATING_OVERRIDE, has_perm
from keyprojects.accounts.scope import scope_of
from keyprojects.core.editing import VersionConflict
from keyprojects.core.forms import apply_validation_error
from keyprojects.core.web import paginate, query_without_page, ui_actor
from keyprojects.projects.models import Project
from keyprojects.ratings import actions, export, scoring, selectors
from keyprojects.ratings.choices import Colour, EscalationKind
from keyprojects.ratings.forms import OverrideForm, RuleSetCreateForm, RuleVersionForm, WeeklyFilterForm
from keyprojects.ratings.models import RuleSet
from keyprojects.reports.i18n import join_messages
from keyprojects.reports.weeks import IsoWeek, WeekError


def _week(text: str | None, default: IsoWeek) -> IsoWeek:
    if not text:
        return default
    try:
        return IsoWeek.parse(text)
    except WeekError as exc:
        raise Http404(str(exc)) from exc


def _weekly_context(request: HttpRequest) -> dict[str, Any]:
    weeks = selectors.rated_weeks()
    week = _week(request.GET.get("week"), selectors.default_week())
    if week not in weeks:
        weeks = sorted({*weeks, week}, reverse=True)
    data = request.GET.copy()
    data.setdefault("week", str(week))
    form = WeeklyFilterForm(data, user=request.user, weeks=weeks)
    qs = selectors.weekly_list(request.user, week, form.filters(), sort=request.GET.get("sort", ""))
    return {"form": form, "week": week, "qs": qs}


@login_required
def weekly(request: HttpRequest) -> HttpResponse:
    """每周梳理: every project in scope with its card, score, change and reasons."""
    context = _weekly_context(request)
    context.update(
        page=paginate(request, context["qs"]),
        counts=selectors.colour_counts(context["qs"]),
        query=query_without_page(request),
        can_configure=has_perm(request.user, RATING_CONFIGURE),
        can_override=has_perm(request.user, RATING_OVERRIDE),
        current_week=IsoWeek.current(),
    )
    template = "ratings/_weekly_table.html" if request.htmx else "ratings/weekly.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def weekly_export(request: HttpRequest) -> HttpResponse:
    context = _weekly_context(request)
    week = context["week"]
    content = export.weekly_xlsx(_("重点项目"), week, context["qs"])
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = _("每周梳理-%(week)s.xlsx") % {"week": week}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, RATING_CONFIGURE)
    try:
        week = IsoWeek.parse(request.POST.get("week", ""))
        result = actions.do_rate_week(ui_actor(request), week)
    except (WeekError, ValidationError) as exc:
        messages.error(request, join_messages(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return redirect("ratings:weekly")
    messages.success(request, _("已重新计算评分。%(summary)s") % {"summary": result.summary()})
    return redirect(f"{reverse('ratings:weekly')}?week={week}")


@login_required
def project_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """Score history and colour timeline of a project, loaded into the project page by htmx."""
    project = access_object(request.user, Project.objects.all(), pk)
    history = selectors.project_history(project)
    latest = history[-1] if history else None
    chart = {
        "weeks": [str(r.iso_week) for r in history],
        "scores": [r.score for r in history],
        "colours": [r.colour for r in history],
        "computed": [r.computed_colour for r in history],
        "labels": {c.value: str(c.label) for c in Colour},
        "text": {"score": _("得分"), "overridden": _("（人工调整，计算为%(colour)s）")},
    }
    return render(
        request,
        "ratings/_project_panel.html",
        {
            "project": project,
            "latest": latest,
            "history": list(reversed(history))[:8],
            "chart_json": json.dumps(chart, ensure_ascii=False),
            "escalations": selectors.project_escalations(project),
            "can_override": has_perm(request.user, RATING_OVERRIDE),
            "component_rows": _component_rows(latest),
        },
    )


def _component_rows(rating: Any) -> list[tuple[str, str]]:
    if rating is None:
        return []
    rows = []
    for name, value in rating.components().items():
        rows.append((_(scoring.COMPONENT_LABELS[name]), _("不参与") if value is None else f"{value * 100:.0f}%"))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def override(request: HttpRequest, pk: int, week: str) -> HttpResponse:
    project = access_object(request.user, Project.objects.select_related("region"), pk)
    require_perm(request.user, RATING_OVERRIDE)
    iso_week = _week(week, IsoWeek.current())
    rating = project.weekly_ratings.filter(week_start=iso_week.monday).first()
    current = selectors.project_override(project, iso_week)
    form = OverrideForm(request.POST or None, initial={"colour": current.colour if current else None})
    if request.method == "POST":
        if request.POST.get("clear") == "1":
            try:
                actions.do_clear_override(ui_actor(request), project, iso_week, request.POST.get("reason", ""))
            except ValidationError as exc:
                messages.error(request, join_messages(exc.messages))
                return redirect("ratings:override", pk=project.pk, week=str(iso_week))
            messages.success(request, _("已撤销人工调整，恢复为计算颜色。"))
            return redirect("projects:detail", pk=project.pk)
        if form.is_valid():
            try:
                actions.do_override_colour(
                    ui_actor(request), project, iso_week, form.cleaned_data["colour"], form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("已将%(project)s%(week)s的颜色调整为%(colour)s。")
                    % {"project": project.name, "week": iso_week, "colour": Colour(form.cleaned_data["colour"]).label},
                )
                return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "ratings/override.html",
        {"form": form, "project": project, "week": iso_week, "rating": rating, "current": current},
    )


@login_required
def escalations(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or ""
    if kind not in ("", *EscalationKind.values):
        kind = ""
    page = paginate(request, selectors.escalation_list(request.user, kind or None))
    return render(
        request,
        "ratings/escalations.html",
        {"page": page, "kind": kind, "kinds": EscalationKind.choices, "query": query_without_page(request)},
    )


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ratings/rules.html",
        {
            "rule_sets": selectors.rule_sets_for(request.user),
            # A run's counts cover every region: only users who see everything get them.
            "runs": selectors.recent_runs() if scope_of(request.user).unrestricted else [],
            "can_configure": has_perm(request.user, RATING_CONFIGURE),
            "current_week": IsoWeek.current(),
        },
    )


@login_required
def rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = access_object(request.user, RuleSet.objects.select_related("region"), pk)
    from keyprojects.audit.selectors import entries_for

    return render(
        request,
        "ratings/rule_detail.html",
        {
            "rule_set": rule_set,
            "versions": selectors.rule_versions(rule_set),
            "can_configure": has_perm(request.user, RATING_CONFIGURE),
            "audit_entries": list(entries_for(rule_set)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = access_object(request.user, RuleSet.objects.select_related("region"), pk)
    require_perm(request.user, RATING_CONFIGURE)
    latest = selectors.latest_version(rule_set)
    params = latest.rules.params() if latest else dict(scoring.DEFAULTS)
    form = RuleVersionForm(
        request.POST or None,
        params=params,
        initial={"version": rule_set.version, "valid_from": str(IsoWeek.current())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_rule_version(
                ui_actor(request),
                rule_set,
                form.cleaned_data.get("version"),
                form.params(),
                form.cleaned_data["valid_from"],
                form.cleaned_data["note"],
            )
        except VersionConflict as exc:
            form.add_conflict(exc)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已保存新版本规则。重新计算有关周次的评分后生效。"))
            return redirect("ratings:rule_detail", pk=rule_set.pk)
    return render(request, "ratings/rule_form.html", {"form": form, "rule_set": rule_set, "latest": latest})


@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, RATING_CONFIGURE)
    form = RuleSetCreateForm(request.POST or None, user=request.user, initial={"valid_from": str(IsoWeek.current())})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rule_set = actions.do_create_rule_set(
                ui_actor(request),
                data["name"],
                data["region"],
                data["preset"],
                data["valid_from"],
                data.get("description") or "",
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已新建评分规则“%(name)s”。") % {"name": rule_set.name})
            return redirect("ratings:rule_detail", pk=rule_set.pk)
    return render(request, "ratings/rule_form.html", {"form": form, "creating": True})
