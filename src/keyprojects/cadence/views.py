"""Cadence pages. Thin: authorise → parse → call an action or selector → render.

Out of scope answers 404 (a region, meeting or round the user cannot see), a missing permission 403.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.accounts.access import access_object, require_perm
from keyprojects.accounts.permissions import CADENCE_RUN, OBSERVATION_SCORE, has_perm
from keyprojects.cadence import actions, selectors
from keyprojects.cadence.assessment import DEFAULT_WEIGHTS
from keyprojects.cadence.bulletin import bulletin_data
from keyprojects.cadence.bulletin_docx import bulletin_docx
from keyprojects.cadence.choices import RoundStatus, TargetKind
from keyprojects.cadence.dashboard import dashboard, yi
from keyprojects.cadence.forms import (
    AgendaForm,
    AssessmentForm,
    AssessmentRuleForm,
    BulletinForm,
    DecisionForm,
    MeetingEditForm,
    MeetingForm,
    QuarterForm,
    RoundForm,
    ScoreForm,
    criteria_text,
)
from keyprojects.cadence.models import AssessmentRule, DispatchMeeting, ObservationRound, ObservationTarget
from keyprojects.cadence.summary import quarterly_summary
from keyprojects.cadence.workbooks import assessment_xlsx, bulletin_xlsx, quarterly_xlsx, round_xlsx
from keyprojects.core.editing import VersionConflict
from keyprojects.core.forms import apply_validation_error
from keyprojects.core.web import paginate, ui_actor
from keyprojects.regions.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _region_or_404(form: Any) -> Region:
    region = form.chosen_region()
    if region is None:
        raise Http404(_("您的管辖范围内没有可用的区域。"))
    return region


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


# --- hub and dashboard --------------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """调度通报: the cadence's pages in one place, with the latest meetings and rounds."""
    return render(
        request,
        "cadence/index.html",
        {
            "meetings": list(selectors.meetings_for(request.user)[:5]),
            "rounds": list(selectors.rounds_for(request.user)[:5]),
            "can_run": has_perm(request.user, CADENCE_RUN),
        },
    )


@login_required
def dashboard_panel(request: HttpRequest) -> HttpResponse:
    """The home page's charts, loaded by htmx so that the home page keeps its own few queries."""
    data = dashboard(request.user)
    return render(request, "cadence/_dashboard.html", data)


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """The same charts on a page of their own, large, for the projector in the meeting room."""
    data = dashboard(request.user)
    context = {**data, "projector": True}
    return render(request, "cadence/dashboard.html", context)


# --- 半月调度 -----------------------------------------------------------------------------------------------------


@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    form = AgendaForm(request.GET or None, user=request.user)
    region = _region_or_404(form)
    day = form.chosen_day()
    data = selectors.agenda(request.user, region, day)
    existing = selectors.meetings_for(request.user).filter(region=region, held_on=day).first()
    return render(
        request,
        "cadence/agenda.html",
        {
            "form": form,
            "agenda": data,
            "region": region,
            "day": day,
            "meeting": existing,
            "can_run": has_perm(request.user, CADENCE_RUN),
        },
    )


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cadence/meeting_list.html",
        {
            "page": paginate(request, selectors.meetings_for(request.user)),
            "can_run": has_perm(request.user, CADENCE_RUN),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, CADENCE_RUN)
    initial = {k: v for k, v in request.GET.items() if k in ("region", "held_on")}
    form = MeetingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = actions.do_create_meeting(
                ui_actor(request),
                data["region"],
                data["held_on"],
                title=data["title"],
                venue=data["venue"],
                chair=data["chair"],
                attendees=data["attendees"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已召开“%(title)s”，议程已生成。") % {"title": meeting.title})
            return redirect("cadence:meeting_detail", pk=meeting.pk)
    return render(request, "cadence/meeting_form.html", {"form": form})


def _meeting(request: HttpRequest, pk: int) -> DispatchMeeting:
    return access_object(request.user, DispatchMeeting.objects.select_related("region", "created_by"), pk)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's agenda as prepared, its decisions, and (for supervisors) the form to record a decision."""
    meeting = _meeting(request, pk)
    can_run = has_perm(request.user, CADENCE_RUN)
    form = DecisionForm(request.POST or None, user=request.user, meeting=meeting) if can_run else None
    if request.method == "POST":
        require_perm(request.user, CADENCE_RUN)
        assert form is not None
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = actions.do_record_decision(
                    ui_actor(request),
                    meeting,
                    data["project"],
                    text=data["text"],
                    detail=data["detail"],
                    category=data["category"],
                    unit=data["unit"],
                    working_days=data["working_days"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                problem = decision.problem
                assert problem is not None
                messages.success(
                    request,
                    _("已记录决定事项，交办%(unit)s，办理期限%(deadline)s（问题%(number)s）。")
                    % {
                        "unit": decision.unit,
                        "deadline": date_format(problem.deadline, _("Y年n月j日")) if problem.deadline else "—",
                        "number": problem.number,
                    },
                )
                return redirect("cadence:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "cadence/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": selectors.Agenda.from_json(meeting.agenda),
            "decisions": selectors.meeting_decisions(meeting),
            "form": form,
            "can_run": can_run,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    require_perm(request.user, CADENCE_RUN)
    fields = ("title", "venue", "chair", "attendees", "minutes")
    initial = {f: getattr(meeting, f) for f in fields} | {"version": meeting.version}
    form = MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in fields}
        try:
            actions.do_update_meeting(ui_actor(request), meeting, form.cleaned_data["version"], **values)
        except VersionConflict as exc:
            form.add_conflict(exc)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已保存会议信息。"))
            return redirect("cadence:meeting_detail", pk=meeting.pk)
    return render(request, "cadence/meeting_edit.html", {"form": form, "meeting": meeting})


@login_required
@require_POST
def meeting_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    require_perm(request.user, CADENCE_RUN)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        actions.do_refresh_agenda(ui_actor(request), meeting, version)
    except VersionConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已按当前情况重新生成议程。"))
    return redirect("cadence:meeting_detail", pk=meeting.pk)


# --- 每月通报 / 季度总结 ------------------------------------------------------------------------------------------


@login_required
def bulletin(request: HttpRequest) -> HttpResponse:
    form = BulletinForm(request.GET or None, user=request.user)
    region, month = _region_or_404(form), form.chosen_month()
    data = bulletin_data(request.user, month, region)
    query = f"region={region.pk}&month={month}"
    return render(request, "cadence/bulletin.html", {"form": form, "data": data, "query": query})


@login_required
@override("zh-hans")  # the official documents stay Chinese
def bulletin_docx_download(request: HttpRequest) -> HttpResponse:
    form = BulletinForm(request.GET or None, user=request.user)
    data = bulletin_data(request.user, form.chosen_month(), _region_or_404(form))
    return attachment_response(bulletin_docx(data), DOCX, f"{data.file_stem}.docx")


@login_required
@override("zh-hans")  # the official documents stay Chinese
def bulletin_xlsx_download(request: HttpRequest) -> HttpResponse:
    form = BulletinForm(request.GET or None, user=request.user)
    data = bulletin_data(request.user, form.chosen_month(), _region_or_404(form))
    return attachment_response(bulletin_xlsx(data), XLSX, f"{data.file_stem}.xlsx")


@login_required
def quarterly(request: HttpRequest) -> HttpResponse:
    form = QuarterForm(request.GET or None, user=request.user)
    region, quarter = _region_or_404(form), form.chosen_quarter()
    summary = quarterly_summary(request.user, quarter, region)
    charts = {
        "regions": {
            "labels": [g.label for g in summary.by_region],
            "plan": [yi(g.plan.plan_wan) for g in summary.by_region],
            "due": [yi(g.plan.due_wan) for g in summary.by_region],
            "done": [yi(g.plan.done_wan) for g in summary.by_region],
        },
        "industry": [{"name": g.label, "value": yi(g.plan.plan_wan)} for g in summary.by_industry],
        "category": {
            "labels": [g.label for g in summary.by_category],
            "values": [g.plan.projects for g in summary.by_category],
        },
        "stage": {
            "labels": [g.label for g in summary.by_stage],
            "values": [g.plan.projects for g in summary.by_stage],
        },
        "months": {
            "labels": [label for label, _flow in summary.months],
            "due": [yi(f.due_wan) for _label, f in summary.months],
            "done": [yi(f.done_wan) for _label, f in summary.months],
        },
    }
    context = {
        "form": form,
        "summary": summary,
        "charts": charts,
        "query": f"region={region.pk}&quarter={quarter}",
    }
    return render(request, "cadence/quarterly.html", context)


@login_required
@override("zh-hans")  # the official documents stay Chinese
def quarterly_xlsx_download(request: HttpRequest) -> HttpResponse:
    form = QuarterForm(request.GET or None, user=request.user)
    summary = quarterly_summary(request.user, form.chosen_quarter(), _region_or_404(form))
    return attachment_response(quarterly_xlsx(summary), XLSX, f"{summary.title}.xlsx")


# --- 半年观摩 -----------------------------------------------------------------------------------------------------


def _round(request: HttpRequest, pk: int) -> ObservationRound:
    return access_object(request.user, ObservationRound.objects.select_related("region"), pk)


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cadence/round_list.html",
        {"page": paginate(request, selectors.rounds_for(request.user)), "can_run": has_perm(request.user, CADENCE_RUN)},
    )


def _setup(form: RoundForm) -> actions.RoundSetup:
    data = form.cleaned_data
    return actions.RoundSetup(
        title=data["title"],
        region=data["region"],
        year=data["year"],
        half=data["half"],
        held_on=data["held_on"],
        target_kind=data["target_kind"],
        criteria=data["criteria"],
        projects=list(data["projects"]) if data["target_kind"] == TargetKind.PROJECT else [],
        regions=list(data["regions"]) if data["target_kind"] == TargetKind.REGION else [],
        panel=list(data["panel"]),
        note=data["note"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, CADENCE_RUN)
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = actions.do_create_round(ui_actor(request), _setup(form))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已创建“%(title)s”。设置完成后请点击“开始评分”。") % {"title": round_.title})
            return redirect("cadence:round_detail", pk=round_.pk)
    return render(request, "cadence/round_form.html", {"form": form, "round": None})


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    require_perm(request.user, CADENCE_RUN)
    view = selectors.round_view(round_)
    initial = {
        "title": round_.title,
        "region": round_.region_id,
        "year": round_.year,
        "half": round_.half,
        "held_on": round_.held_on,
        "target_kind": round_.target_kind,
        "criteria": criteria_text(view.criteria),
        "projects": [t.project_id for t in view.targets if t.project_id],
        "regions": [t.region_id for t in view.targets if t.region_id],
        "panel": [m.user_id for m in view.panel],
        "note": round_.note,
    }
    form = RoundForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = int(request.POST.get("version", round_.version))
            actions.do_update_round(ui_actor(request), round_, version, _setup(form))
        except VersionConflict as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已保存观摩活动设置。"))
            return redirect("cadence:round_detail", pk=round_.pk)
    return render(request, "cadence/round_form.html", {"form": form, "round": round_})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    view = selectors.round_view(round_)
    member = next((m for m in view.panel if m.user_id == request.user.pk), None)
    mine = {tid for (tid, mid) in view.sheets if member is not None and mid == member.pk}
    can_run = has_perm(request.user, CADENCE_RUN)
    show_results = can_run or round_.status == RoundStatus.CLOSED
    return render(
        request,
        "cadence/round_detail.html",
        {
            "round": round_,
            "view": view,
            "member": member,
            "mine": mine,
            "can_run": can_run,
            "can_score": member is not None and has_perm(request.user, OBSERVATION_SCORE),
            "show_results": show_results,
            "statuses": RoundStatus,
        },
    )


@login_required
@require_POST
def round_status(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    require_perm(request.user, CADENCE_RUN)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        updated = actions.do_set_round_status(ui_actor(request), round_, version, request.POST.get("status", ""))
    except VersionConflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("观摩活动已改为“%(status)s”。") % {"status": updated.get_status_display()})
    return redirect("cadence:round_detail", pk=round_.pk)


def _target(round_: ObservationRound, target_pk: int) -> ObservationTarget:
    target = (
        ObservationTarget.objects.filter(round=round_, pk=target_pk)
        .select_related("project", "project__region", "region")
        .first()
    )
    if target is None:
        raise Http404(_("未找到该观摩对象。"))
    return target


@login_required
@require_http_methods(["GET", "POST"])
def round_score(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    """A panel member's score sheet for one target."""
    round_ = _round(request, pk)
    target = _target(round_, target_pk)
    require_perm(request.user, OBSERVATION_SCORE)
    member = selectors.member_of(round_, request.user)
    if member is None:
        raise PermissionDenied(_("您不是本次观摩的评委，不能评分。"))
    criteria = list(round_.criteria.order_by("order"))
    sheet = target.sheets.filter(member=member).first()
    current = selectors.sheet_scores(sheet)
    initial: dict[str, Any] = {f"score_{k}": v for k, v in current.items()}
    if sheet is not None:
        initial |= {"comment": sheet.comment, "version": sheet.version}
    form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    open_for_scoring = round_.status == RoundStatus.SCORING
    if request.method == "POST":
        if not open_for_scoring:
            status = round_.get_status_display()
            form.add_error(None, _("观摩活动当前状态为“%(status)s”，不在评分阶段。") % {"status": status})
        elif form.is_valid():
            try:
                saved = actions.do_save_sheet(
                    ui_actor(request),
                    target,
                    form.scores(),
                    form.cleaned_data["comment"],
                    form.cleaned_data.get("version"),
                )
            except VersionConflict as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                saved_text = _("已保存对“%(name)s”的评分：加权得分%(total)s分。")
                messages.success(request, saved_text % {"name": target.name, "total": saved.total})
                return _next_target(round_, target, member)
    targets = list(round_.targets.select_related("project", "region").order_by("order"))
    done = set(member.sheets.values_list("target_id", flat=True))
    return render(
        request,
        "cadence/round_score.html",
        {
            "round": round_,
            "target": target,
            "form": form,
            "sheet": sheet,
            "targets": targets,
            "done": done,
            "open_for_scoring": open_for_scoring,
            "weights": {f"score_{c.pk}": float(c.weight) for c in criteria},
        },
    )


def _next_target(round_: ObservationRound, target: ObservationTarget, member: Any) -> HttpResponse:
    """After a sheet, the next target the member has not scored yet; the round's page when all are done."""
    done = set(member.sheets.values_list("target_id", flat=True))
    following = round_.targets.exclude(pk__in=done).order_by("order").first()
    if following is None:
        return redirect("cadence:round_detail", pk=round_.pk)
    return redirect("cadence:round_score", pk=round_.pk, target_pk=following.pk)


@login_required
@require_POST
def target_summary(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    target = _target(round_, target_pk)
    require_perm(request.user, CADENCE_RUN)
    actions.do_comment_target(ui_actor(request), target, request.POST.get("summary", ""))
    messages.success(request, _("已保存对“%(name)s”的综合点评。") % {"name": target.name})
    return redirect(reverse("cadence:round_detail", kwargs={"pk": round_.pk}) + f"#target-{target.pk}")


@login_required
@override("zh-hans")  # the official documents stay Chinese
def round_xlsx_download(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    if round_.status != RoundStatus.CLOSED:
        require_perm(request.user, CADENCE_RUN)  # provisional results are the organiser's
    return attachment_response(round_xlsx(selectors.round_view(round_)), XLSX, f"{round_.title}评分结果.xlsx")


# --- 绩效考核 -----------------------------------------------------------------------------------------------------


@login_required
def assessment(request: HttpRequest) -> HttpResponse:
    form = AssessmentForm(request.GET or None, user=request.user)
    region = _region_or_404(form)
    start, end, kind = form.period()
    report = selectors.assessment(request.user, region, start, end, kind)
    query = f"region={region.pk}&kind={kind}&start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
    return render(request, "cadence/assessment.html", {"form": form, "report": report, "query": query})


@login_required
@override("zh-hans")  # the official documents stay Chinese
def assessment_xlsx_download(request: HttpRequest) -> HttpResponse:
    form = AssessmentForm(request.GET or None, user=request.user)
    start, end, kind = form.period()
    report = selectors.assessment(request.user, _region_or_404(form), start, end, kind)
    return attachment_response(assessment_xlsx(report), XLSX, f"{report.region.name}{report.kind_label}绩效考核.xlsx")


@login_required
def assessment_rules(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cadence/assessment_rules.html",
        {
            "rules": list(selectors.assessment_rules_for(request.user)),
            "regions": list(selectors.regions_for_choice(request.user)[:200]),
            "defaults": DEFAULT_WEIGHTS,
            "can_run": has_perm(request.user, CADENCE_RUN),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    region = access_object(request.user, selectors.regions_for_choice(request.user), pk)
    require_perm(request.user, CADENCE_RUN)
    rule = AssessmentRule.objects.filter(region=region).first()
    current = selectors.weights_for(region)
    initial = {
        "weight_score": current.score,
        "weight_blue": current.blue,
        "weight_red": current.red,
        "weight_problems": current.problems,
        "weight_observation": current.observation,
        "excellent_min": current.excellent_min,
        "good_min": current.good_min,
        "fair_min": current.fair_min,
        "note": rule.note if rule else "",
        "version": rule.version if rule else None,
    }
    form = AssessmentRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            actions.do_save_assessment_rule(ui_actor(request), region, form.cleaned_data["version"], **values)
        except VersionConflict as exc:
            form.add_conflict(exc)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已保存%(region)s的绩效考核权重。") % {"region": region.name})
            return redirect("cadence:assessment_rules")
    return render(
        request, "cadence/assessment_rule_form.html", {"form": form, "region": region, "rule": rule, "current": current}
    )
