"""Report pages. Thin: authorise → parse → call an action or selector → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.accounts.access import access_object, require_perm
from keyprojects.accounts.permissions import REPORT_SUBMIT
from keyprojects.core.editing import VersionConflict
from keyprojects.core.forms import apply_validation_error
from keyprojects.core.web import ui_actor
from keyprojects.directory.models import Unit
from keyprojects.projects.models import Project
from keyprojects.reports import actions, selectors
from keyprojects.reports.forms import PhotoForm, ReportForm, UploadForm
from keyprojects.reports.i18n import join_messages
from keyprojects.reports.models import ReportPhoto, WeeklyReport
from keyprojects.reports.weeks import IsoWeek, WeekError


def _week(text: str | None) -> IsoWeek:
    if not text:
        return IsoWeek.current()
    try:
        return IsoWeek.parse(text)
    except WeekError as exc:
        raise Http404(str(exc)) from exc


@login_required
def week_list(request: HttpRequest) -> HttpResponse:
    """填报: the week's projects in scope with their reporting status; the entry point on a phone."""
    week = _week(request.GET.get("week"))
    units = selectors.units_for_reporting(request.user)
    unit = units.filter(pk=request.GET["unit"]).first() if request.GET.get("unit", "").isdigit() else None
    rows = list(selectors.week_status(request.user, week, unit=unit))
    now_week = IsoWeek.current()
    for row in rows:
        row.status_code, row.status_text = selectors.status_label(row.report_timeliness, week)  # type: ignore[attr-defined]
    return render(
        request,
        "reports/week_list.html",
        {
            "week": week,
            "rows": rows,
            "counts": selectors.week_counts(rows, week),
            "units": units,
            "unit": unit,
            "deadline": selectors.deadline_text(week),
            "previous_week": week.shift(-1),
            "next_week": week.shift(1) if week < now_week else None,
            "can_submit": selectors.can_submit(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int, week: str) -> HttpResponse:
    project = access_object(request.user, Project.objects.select_related("region", "unit"), pk)
    require_perm(request.user, REPORT_SUBMIT)
    iso_week = _week(week)
    existing = WeeklyReport.objects.filter(project=project, week_start=iso_week.monday).first()
    previous = selectors.previous_report(project, iso_week)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                result = actions.do_submit_report(
                    ui_actor(request), project, iso_week, form.report_input(), form.cleaned_data.get("version") or 0
                )
            except VersionConflict as exc:
                form.add_conflict(exc)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                for warning in result.warnings:
                    messages.warning(request, warning)
                names = {"project": project.name, "week": iso_week}
                if result.changed and result.created:
                    messages.success(request, _("%(project)s %(week)s周报已报送。") % names)
                elif result.changed:
                    messages.success(request, _("%(project)s %(week)s周报已重新报送（原报告保留在历史中）。") % names)
                else:
                    messages.info(request, _("内容与已报送的周报相同，未生成新版本。"))
                return redirect("reports:detail", pk=result.report.pk)
    elif existing is not None:
        initial = {f: getattr(existing, f) for f in actions.REPORT_FIELDS}
        initial["version"] = existing.version
        form = ReportForm(initial=initial)
    else:
        form = ReportForm(initial={"version": 0, "stage": previous.stage if previous else project.stage})
    return render(
        request,
        "reports/report_form.html",
        {
            "form": form,
            "project": project,
            "week": iso_week,
            "existing": existing,
            "previous": previous,
            "deadline": selectors.deadline_text(iso_week),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_object(request.user, selectors.report_for_detail(request.user), pk)
    return render(
        request,
        "reports/report_detail.html",
        {
            "detail": selectors.report_detail(report),
            "report": report,
            "photo_form": PhotoForm(),
            "can_submit": selectors.can_submit(request.user),
        },
    )


@login_required
@require_POST
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_object(request.user, selectors.report_for_detail(request.user), pk)
    require_perm(request.user, REPORT_SUBMIT)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的照片。"))
        return redirect("reports:detail", pk=report.pk)
    upload = form.cleaned_data["photo"]
    from keyprojects.reports import conf
    from keyprojects.reports.photos import too_large_message

    if upload.size > conf.photo_max_bytes():
        messages.error(request, too_large_message(upload.size, conf.photo_max_bytes()))
        return redirect("reports:detail", pk=report.pk)
    try:
        photo = actions.do_add_photo(
            ui_actor(request), report, upload.read(), upload.name or "", form.cleaned_data.get("caption") or ""
        )
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
    else:
        messages.success(request, _("已上传照片“%(name)s”。") % {"name": photo.original_name})
        for warning in photo_messages(photo):
            messages.warning(request, warning)
    return redirect("reports:detail", pk=report.pk)


def photo_messages(photo: ReportPhoto) -> list[str]:
    return photo.flag_messages()


@login_required
def photo_file(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    photo = access_object(request.user, ReportPhoto.objects.all(), pk)
    if variant not in ("thumb", "full"):
        raise Http404(_("未找到该文件。"))
    file = photo.thumbnail if variant == "thumb" else photo.image
    response = FileResponse(file.open("rb"), content_type="image/jpeg" if variant == "thumb" else photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def template_download(request: HttpRequest, unit_pk: int, week: str) -> HttpResponse:
    unit = access_object(request.user, Unit.objects.all(), unit_pk)
    require_perm(request.user, REPORT_SUBMIT)
    iso_week = _week(week)
    content = selectors.template_file(request.user, unit, iso_week)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    from urllib.parse import quote

    filename = _("%(unit)s-%(week)s-周报.xlsx") % {"unit": unit.name, "week": iso_week}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, REPORT_SUBMIT)
    form = UploadForm(request.POST or None, request.FILES or None, initial={"week": str(IsoWeek.current())})
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = actions.do_import_week(ui_actor(request), data["week"], data["file"].read(), data["dry_run"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return render(
        request,
        "reports/upload.html",
        {
            "form": form,
            "result": result,
            "units": selectors.units_for_reporting(request.user),
            "week": IsoWeek.current(),
        },
    )


@login_required
def project_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The recent reports of a project, loaded into the project page by htmx."""
    project = access_object(request.user, Project.objects.all(), pk)
    return render(
        request,
        "reports/_project_panel.html",
        {
            "project": project,
            "reports": selectors.project_reports(project),
            "week": IsoWeek.current(),
            "can_submit": selectors.can_submit(request.user),
        },
    )
