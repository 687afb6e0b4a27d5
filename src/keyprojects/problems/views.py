"""Problem pages. Thin: authorise → parse → call an action or selector → render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.accounts.access import access_object, require_perm
from keyprojects.accounts.choices import Role
from keyprojects.accounts.permissions import (
    CALENDAR_MANAGE,
    ELEMENT_CHANGE,
    PROBLEM_MANAGE,
    PROBLEM_RAISE,
    has_perm,
)
from keyprojects.accounts.scope import scope_of
from keyprojects.core import clock
from keyprojects.core.editing import VersionConflict
from keyprojects.core.forms import apply_validation_error
from keyprojects.core.web import paginate, query_without_page, ui_actor
from keyprojects.directory.models import Person, Unit
from keyprojects.problems import actions, selectors, workflow
from keyprojects.problems.choices import ELEMENT_UNIT_LABELS, Channel, ElementKind, Escalation, State, Transition
from keyprojects.problems.deadlines import PACKAGE_YEARS
from keyprojects.problems.export import problems_xlsx
from keyprojects.problems.filters import ProblemFilterForm
from keyprojects.problems.forms import CalendarForm, ElementForm, RaiseForm, RulesForm, TransitionForm
from keyprojects.problems.models import CalendarYear, ElementItem, Problem, RegionRules
from keyprojects.projects.models import Project
from keyprojects.regions.models import Region

ACTIONS = [*Transition.values, "comment"]
STEP_STYLE: dict[str, str] = {
    Transition.CONSULT: "outline-primary",
    Transition.ASSIGN: "primary",
    Transition.ACCEPT: "primary",
    Transition.RESOLVE: "success",
    Transition.CLOSE: "success",
    Transition.RETURN: "outline-danger",
}
# The message after a step ("已交办：…"): the same words as the states where there is one.
DONE: dict[str, Any] = {
    Transition.CONSULT: gettext_lazy("已会商"),
    Transition.ASSIGN: gettext_lazy("已交办"),
    Transition.ACCEPT: gettext_lazy("已签收办理"),
    Transition.RESOLVE: gettext_lazy("已办结"),
    Transition.CLOSE: gettext_lazy("已销号"),
    Transition.RETURN: gettext_lazy("已退回"),
}


def _refused(request: HttpRequest, problem: Problem | None, message: str, status: int) -> HttpResponse:
    return render(request, "problems/refused.html", {"problem": problem, "message": message}, status=status)


@login_required
def problem_list(request: HttpRequest) -> HttpResponse:
    form = ProblemFilterForm(request.GET or None, user=request.user)
    qs = selectors.problem_list(request.user, form.filters(), sort=request.GET.get("sort", ""))
    context = {
        "form": form,
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "today": clock.today(),
    }
    template = "problems/_problem_table.html" if request.htmx else "problems/problem_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def problem_export(request: HttpRequest) -> HttpResponse:
    form = ProblemFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    qs = selectors.problem_list(request.user, filters, sort=request.GET.get("sort", ""))
    today = clock.today()
    content = problems_xlsx(
        qs, selectors.problem_stats(request.user, filters), _("问题清单（截至%(date)s）") % {"date": date_format(today)}
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    quoted = "%E9%97%AE%E9%A2%98%E6%B8%85%E5%8D%95"  # 问题清单
    response["Content-Disposition"] = (
        f"attachment; filename=\"problems-{today:%Y%m%d}.xlsx\"; filename*=UTF-8''{quoted}-{today:%Y%m%d}.xlsx"
    )
    return response


def _queue(request: HttpRequest, qs: Any, title: str, intro: str, extra: dict[str, Any] | None = None) -> HttpResponse:
    context = {"page": paginate(request, qs), "query": query_without_page(request), "title": title, "intro": intro}
    context.update(extra or {})
    return render(request, "problems/queue.html", context)


@login_required
def unit_queue(request: HttpRequest) -> HttpResponse:
    """单位待办: problems assigned to a unit and not yet closed; a reporter sees its own units'."""
    units = Unit.objects.for_user(request.user).order_by("region__path", "name")
    unit = None
    if request.GET.get("unit"):
        unit = units.filter(pk=request.GET["unit"]).first() if request.GET["unit"].isdigit() else None
    qs = selectors.unit_queue(request.user, unit)
    if request.user.role == Role.REPORTER and unit is None:  # type: ignore[union-attr]
        qs = qs.filter(assigned_unit__in=scope_of(request.user).unit_ids)
    return _queue(
        request,
        qs,
        _("单位待办"),
        _("交办给各承办单位、尚未销号的问题，按办理期限排序。承办单位签收后办理，办结后由提出人或督导员核验销号。"),
        {"units": units, "unit": unit, "unit_filter": True},
    )


@login_required
def direct_queue(request: HttpRequest) -> HttpResponse:
    """直通车: problems sent straight to the region's top leader (or raised to him by the ladder)."""
    person_id = request.user.person_id if request.user.role == Role.LEADER else None  # type: ignore[union-attr]
    return _queue(
        request,
        selectors.direct_queue(request.user, person_id),
        _("直通车问题") + (_("（报送给我的）") if person_id else ""),
        _("直通车问题直接报送区域主要领导，默认3个工作日内办结；常规问题逾期满规定工作日仍未办结的，自动升级到直通车。"),
    )


@login_required
def overdue_board(request: HttpRequest) -> HttpResponse:
    return _queue(
        request,
        selectors.overdue_board(request.user),
        _("逾期督办"),
        _(
            "超过办理期限仍未办结的问题。每个工作日自动向承办单位和包靠领导发出督办通知；"
            "逾期满规定工作日升级直通车，再逾期列入约谈名单。"
        ),
    )


@login_required
def summons(request: HttpRequest) -> HttpResponse:
    return _queue(
        request,
        selectors.summons_list(request.user),
        _("约谈名单"),
        _("经督办仍没有明显进展的问题：逾期满规定工作日仍未办结，列入约谈名单，由督导员组织约谈。"),
        {"summons": True},
    )


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    form = ProblemFilterForm(request.GET or None, user=request.user)
    data = selectors.problem_stats(request.user, form.filters())
    return render(
        request,
        "problems/stats.html",
        {
            "form": form,
            "stats": data,
            "totals": selectors.stats_totals(data["category"]),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access_object(request.user, selectors.get_problem_for_detail(request.user), pk)
    who = selectors.who_of(request.user)
    steps = workflow.allowed(selectors.facts_of(problem), who)
    context = selectors.problem_detail_context(problem)
    context.update(
        steps=[(s, Transition(s).label, STEP_STYLE[s]) for s in steps],
        can_comment=has_perm(request.user, "problems.comment"),
        ladder=_ladder(problem),
        states=State,
        state_index=State.values.index(problem.state),
    )
    return render(request, "problems/problem_detail.html", context)


def _ladder(problem: Problem) -> list[dict[str, Any]]:
    """The escalation ladder as steps for the page: reached or not, and when."""
    return [
        {
            "label": _("督办"),
            "reached": problem.escalation >= Escalation.SUPERVISED,
            "on": problem.last_supervised_on,
            "note": ngettext("已督办%(n)s次", "已督办%(n)s次", problem.supervise_count) % {"n": problem.supervise_count}
            if problem.supervise_count
            else "",
        },
        {
            "label": _("直通车"),
            "reached": problem.channel == Channel.DIRECT,
            "on": problem.escalated_on,
            "note": _("逾期升级")
            if problem.escalated_on
            else (_("提出时即走直通车") if problem.channel == Channel.DIRECT else ""),
        },
        {
            "label": _("约谈"),
            "reached": problem.escalation >= Escalation.SUMMONS,
            "on": problem.summoned_on,
            "note": "",
        },
    ]


@login_required
@require_http_methods(["GET", "POST"])
def problem_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of the loop (or a comment): the form on GET, the step on POST. A step the user may not take answers
    403 with the reason; a step the problem's state does not allow answers 409 with the reason."""
    if action not in ACTIONS:
        raise Http404(_("未知的操作。"))
    problem = access_object(
        request.user, Problem.objects.select_related("project", "project__region", "assigned_unit"), pk
    )
    who = selectors.who_of(request.user)
    try:
        if action == "comment":
            workflow.check_comment(who)
        elif request.method == "GET":
            # On POST the action decides, after comparing versions: someone who was a moment too late sees the
            # conflict with the other person's change and keeps what they typed.
            workflow.check(action, selectors.facts_of(problem), who)
    except workflow.NotAllowed as exc:
        return _refused(request, problem, str(exc), 403)
    except workflow.IllegalTransition as exc:
        return _refused(request, problem, exc.messages[0], 409)
    units = actions.assignable_units(problem.project) if action == Transition.ASSIGN else None
    rules = selectors.rules_for(problem.project.region)
    initial: dict[str, Any] = {"version": problem.version}
    if action == Transition.ASSIGN:
        initial.update(
            unit=problem.assigned_unit_id or problem.project.unit_id,
            working_days=rules.direct_days if problem.channel == Channel.DIRECT else rules.normal_days,
        )
    form = TransitionForm(request.POST or None, initial=initial, action=action, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "comment":
                actions.do_comment(ui_actor(request), problem, data.get("comment") or "")
            else:
                actions.do_transition(
                    ui_actor(request),
                    problem,
                    data.get("version"),
                    action,
                    comment=data.get("comment") or "",
                    resolution=data.get("resolution") or "",
                    unit=data.get("unit"),
                    working_days=data.get("working_days"),
                )
        except VersionConflict as exc:
            form.add_conflict(exc)
        except workflow.NotAllowed as exc:
            return _refused(request, problem, str(exc), 403)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            label = _("意见已发表") if action == "comment" else DONE[action]
            messages.success(request, _("%(done)s：%(title)s") % {"done": label, "title": problem.title})
            return redirect("problems:detail", pk=problem.pk)
    title = _("发表意见") if action == "comment" else Transition(action).label
    return render(
        request,
        "problems/act_form.html",
        {"form": form, "problem": problem, "title": title, "action": action, "rules": rules},
    )


@login_required
@require_http_methods(["GET", "POST"])
def raise_problem(request: HttpRequest, pk: int) -> HttpResponse:
    project = access_object(request.user, Project.objects.select_related("region"), pk)
    require_perm(request.user, PROBLEM_RAISE)
    form = RaiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            problem = actions.do_raise_problem(ui_actor(request), project, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已提出问题：%(title)s") % {"title": problem.title})
            return redirect("problems:detail", pk=problem.pk)
    return render(
        request,
        "problems/raise_form.html",
        {"form": form, "project": project, "rules": selectors.rules_for(project.region)},
    )


@login_required
def project_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The 问题 and 要素保障 card of a project page (loaded by htmx, so the project page's own queries stay fixed)."""
    project = access_object(request.user, Project.objects.select_related("region"), pk)
    return render(
        request,
        "problems/_project_card.html",
        {
            "project": project,
            "problems": selectors.project_problems(project),
            "elements": selectors.project_elements(project),
            "can_raise": has_perm(request.user, PROBLEM_RAISE),
            "can_edit_elements": has_perm(request.user, ELEMENT_CHANGE),
        },
    )


@login_required
def elements(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "problems/elements.html",
        {
            "totals": selectors.element_totals_by_region(request.user),
            "shortfalls": selectors.element_shortfalls(request.user),
            "can_raise": has_perm(request.user, PROBLEM_RAISE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def element_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's ledger: one form per element (land, energy, emission, funds)."""
    project = access_object(request.user, Project.objects.select_related("region"), pk)
    require_perm(request.user, ELEMENT_CHANGE)
    existing = {e.kind: e for e in ElementItem.objects.filter(project=project)}
    forms = []
    for kind in ElementKind:
        item = existing.get(kind.value)
        initial = {"kind": kind.value, "secured": 0}
        if item:
            initial.update(
                version=item.version,
                required=item.required,
                secured=item.secured,
                needed_by=item.needed_by,
                secured_on=item.secured_on,
                note=item.note,
            )
        bound = request.method == "POST" and request.POST.get(f"{kind.value}-kind") == kind.value
        form = ElementForm(request.POST if bound else None, prefix=kind.value, initial=initial)
        form.fields["kind"].widget = form.fields["kind"].hidden_widget()
        forms.append((kind, ELEMENT_UNIT_LABELS[kind], form, bound))
    if request.method == "POST":
        saved = 0
        ok = True
        for kind, _unit, form, bound in forms:
            if not bound or not (form.data.get(f"{kind.value}-required") or "").strip():
                continue
            if not form.is_valid():
                ok = False
                continue
            data = form.cleaned_data
            try:
                actions.do_save_element(
                    ui_actor(request),
                    project,
                    kind.value,
                    data.get("version"),
                    required=data["required"],
                    secured=data["secured"] or Decimal(0),
                    needed_by=data.get("needed_by"),
                    secured_on=data.get("secured_on"),
                    note=data.get("note") or "",
                )
                saved += 1
            except VersionConflict as exc:
                form.add_conflict(exc)
                ok = False
            except ValidationError as exc:
                apply_validation_error(form, exc)
                ok = False
        if ok:
            saved_text = ngettext("要素保障台账已保存（%(n)s项）。", "要素保障台账已保存（%(n)s项）。", saved)
            messages.success(request, saved_text % {"n": saved})
            return redirect("projects:detail", pk=project.pk)
    return render(request, "problems/element_form.html", {"project": project, "forms": forms})


@login_required
@require_POST
def element_raise(request: HttpRequest, pk: int) -> HttpResponse:
    element = access_object(request.user, ElementItem.objects.select_related("project"), pk)
    require_perm(request.user, PROBLEM_RAISE)
    try:
        problem = actions.do_raise_from_shortfall(ui_actor(request), element)
    except ValidationError as exc:
        messages.error(request, pgettext("message separator", "；").join(exc.messages))
        return redirect("projects:detail", pk=element.project_id)
    messages.success(request, _("已按缺口提出问题：%(title)s") % {"title": problem.title})
    return redirect("problems:detail", pk=problem.pk)


@login_required
def rules_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "problems/rules.html",
        {
            "rules": selectors.region_rules_for(request.user),
            "regions": Region.objects.for_user(request.user).filter(level__in=["province", "city", "county", "zone"]),
            "can_manage": has_perm(request.user, PROBLEM_MANAGE),
            "defaults": selectors.DEFAULT_RULES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rules_edit(request: HttpRequest, pk: int) -> HttpResponse:
    region = access_object(request.user, Region.objects.all(), pk)
    require_perm(request.user, PROBLEM_MANAGE)
    current = RegionRules.objects.filter(region=region).first()
    inherited = selectors.rules_for(region)
    initial: dict[str, Any] = {
        "version": current.version if current else None,
        "top_leader": inherited.top_leader_id,
        "normal_days": inherited.normal_days,
        "direct_days": inherited.direct_days,
        "escalate_after": inherited.escalate_after,
        "summon_after": inherited.summon_after,
    }
    leaders = Person.objects.filter(is_leader=True, region__path__startswith=region.path).order_by(
        "region__path", "name"
    )
    form = RulesForm(request.POST or None, initial=initial, leaders=leaders)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            actions.do_save_rules(ui_actor(request), region, form.cleaned_data.get("version"), **values)
        except VersionConflict as exc:
            form.add_conflict(exc)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已保存%(region)s的问题办理规则。") % {"region": region})
            return redirect("problems:rules")
    return render(request, "problems/rules_form.html", {"form": form, "region": region, "inherited": inherited})


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    """节假日安排: which years are known, and (administrators) entering a later year's official schedule."""
    can_manage = has_perm(request.user, CALENDAR_MANAGE)
    form = CalendarForm(request.POST or None, initial={"year": max(PACKAGE_YEARS) + 1})
    if request.method == "POST":
        require_perm(request.user, CALENDAR_MANAGE)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = actions.do_save_calendar_year(
                    ui_actor(request),
                    data["year"],
                    data["holidays"],
                    data.get("workdays") or "",
                    data.get("source") or "",
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request, _("已录入%(year)s年节假日安排，此后该年的办理期限按此计算。") % {"year": entry.year}
                )
                return redirect("problems:calendar")
    years = list(CalendarYear.objects.prefetch_related("days").order_by("-year"))
    cal = selectors.load_calendar()
    this_year = clock.today().year
    upcoming = [y for y in (this_year, this_year + 1) if not cal.is_known(y)]
    return render(
        request,
        "problems/calendar.html",
        {
            "form": form,
            "years": years,
            "can_manage": can_manage,
            "package_first": min(PACKAGE_YEARS),
            "package_last": max(PACKAGE_YEARS),
            "unknown_years": upcoming,
            "unknown_years_text": pgettext("list separator", "、").join(
                _("%(year)s年") % {"year": y} for y in upcoming
            ),
        },
    )
