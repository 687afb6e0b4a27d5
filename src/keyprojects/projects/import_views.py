"""The list import pages: upload → preview with row errors and the column mapping → confirm, with a progress bar.

Between the steps the uploaded file sits in the default storage (``imports/<user>/<token>.<ext>``, not served by any
URL) and the options in the user's session, so several app processes can serve one import. The confirmation streams
its page: the import runs inside the request as a generator of progress, one transaction from the first row to the
last, so a closed tab or a dropped connection rolls it back (see keyprojects.projects.import_actions).
"""

from __future__ import annotations

import io
import json
import logging
import re
import uuid
from collections.abc import Generator, Iterator
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escapejs
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyprojects.accounts.access import require_perm
from keyprojects.accounts.permissions import PROJECT_CHANGE
from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.core import clock
from keyprojects.core.web import paginate
from keyprojects.projects import selectors
from keyprojects.projects.import_actions import (
    ImportReport,
    do_save_column_labels,
    iter_import_list,
    preview_import,
    saved_column_labels,
)
from keyprojects.projects.import_forms import MappingForm, UploadForm
from keyprojects.projects.list_export import export_rows, write_list_xlsx
from keyprojects.projects.listfile import FIELD_LABELS, ListFileError, ParseOptions, ParseResult, parse_list, peek_rows
from keyprojects.projects.listfile.headers import match_field, normalise_label
from keyprojects.projects.oc4ids import project_package

logger = logging.getLogger(__name__)

SESSION_KEY = "kp_list_imports"
KEEP_JOBS = 5
ROWS_PER_PAGE = 100
STREAM_MARKER = "<!--kp-import-stream-->"
_COLUMN_KEY_RE = re.compile(r"^col_([A-Z]{1,3})$")
_ACTION_LABELS = {"create": gettext_lazy("新建"), "update": gettext_lazy("更新"), "unchanged": gettext_lazy("未变化"),
                  "error": gettext_lazy("出错")}


def _actor(request: HttpRequest) -> Actor:
    return Actor(user=request.user, source=AuditSource.IMPORT, request_id=getattr(request, "request_id", None))


def _jobs(request: HttpRequest) -> dict[str, dict[str, Any]]:
    jobs: dict[str, dict[str, Any]] = request.session.setdefault(SESSION_KEY, {})
    return jobs


def _job(request: HttpRequest, token: str) -> dict[str, Any]:
    job = _jobs(request).get(token)
    if job is None:
        raise Http404(_("未找到该导入，或已过期；请重新上传文件。"))
    return job


def _read(job: dict[str, Any]) -> bytes:
    try:
        with default_storage.open(job["path"], "rb") as fh:
            data: bytes = fh.read()
            return data
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("该导入已完成或已过期；如需再次导入请重新上传文件。")) from exc


def _label_keys(saved: dict[str, str]) -> dict[str, str]:
    return {normalise_label(k): v for k, v in saved.items()}


def _options(job: dict[str, Any], user: Any = None) -> ParseOptions:
    """This upload's corrections (by column letter) over the headings the user taught earlier imports (by label)."""
    mapping = {**saved_column_labels(user), **job["mapping"]}
    return ParseOptions(mapping=mapping, year=job["year"], within=job["within"] or None, header_row=job["header_row"])


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, PROJECT_CHANGE)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        token = uuid.uuid4().hex
        suffix = PurePath(upload_file.name or "").suffix.lower()
        path = default_storage.save(f"imports/{request.user.pk}/{token}{suffix}", upload_file)
        jobs = _jobs(request)
        jobs[token] = {"path": path, "name": upload_file.name, "year": form.cleaned_data["year"],
                       "within": form.cleaned_data["within"], "strict": form.cleaned_data["strict"], "mapping": {},
                       "header_row": None}
        for old in list(jobs)[:-KEEP_JOBS]:
            default_storage.delete(jobs.pop(old)["path"])
        request.session.modified = True
        return redirect("projects_import:preview", token=token)
    return render(request, "projects/import_upload.html", {"form": form, "year": clock.today().year})


@login_required
@require_GET
def preview(request: HttpRequest, token: str) -> HttpResponse:
    require_perm(request.user, PROJECT_CHANGE)
    job = _job(request, token)
    data = _read(job)
    context: dict[str, Any] = {"job": job, "token": token, "fields": FIELD_LABELS}
    try:
        result = parse_list(data, job["name"], _options(job, request.user))
        report = preview_import(_actor(request), result, year=job["year"], filename=job["name"], strict=job["strict"])
    except (ListFileError, ValidationError) as exc:
        context["fatal"] = _("；").join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        try:
            context["peek"] = peek_rows(data, job["name"])
        except ListFileError:
            context["peek"] = []
        return render(request, "projects/import_preview.html", context)
    only_problems = request.GET.get("only") == "problems"
    rows = _preview_rows(result, report, only_problems)
    context.update(
        result=result, report=report, page=paginate(request, rows, ROWS_PER_PAGE), only_problems=only_problems,
        query="only=problems" if only_problems else "", mapping_form=MappingForm(columns=result.columns),
        file_issues=_file_issues(result, report), problem_count=sum(1 for r in rows if r["issues"]),
        counts={key: report.count(key) for key in _ACTION_LABELS},
    )
    return render(request, "projects/import_preview.html", context)


def _file_issues(result: ParseResult, report: ImportReport) -> list[Any]:
    """Issues not about a project row: the file's, and those of 合计 / 小计 / section rows (which have a row)."""
    project_rows = {r.row for r in result.rows}
    return [i for i in report.issues if i.row is None or i.row not in project_rows]


def _preview_rows(result: ParseResult, report: ImportReport, only_problems: bool) -> list[dict[str, Any]]:
    outcomes = {o.row: o for o in report.outcomes}
    issues: dict[int, list[str]] = {}
    for issue in report.issues:
        if issue.row is not None:
            text = _("%(column)s：%(message)s") % {"column": issue.column, "message": issue.message} \
                if issue.column else issue.message
            issues.setdefault(issue.row, []).append(("⚠ " if not issue.is_error else "") + text)
    rows = []
    for parsed in result.rows:
        outcome = outcomes.get(parsed.row)
        row_issues = issues.get(parsed.row, [])
        if only_problems and not row_issues:
            continue
        rows.append({"parsed": parsed, "action": outcome.action if outcome else "error",
                     "label": str(_ACTION_LABELS[outcome.action if outcome else "error"]),
                     "changed": outcome.changed if outcome else [], "issues": row_issues})
    return rows


@login_required
@require_POST
def mapping(request: HttpRequest, token: str) -> HttpResponse:
    """Save the user's corrections: the header row, the meaning of each column, the plan year, the scope."""
    require_perm(request.user, PROJECT_CHANGE)
    job = _job(request, token)
    if "header_row" in request.POST:
        text = request.POST.get("header_row", "").strip()
        job["header_row"] = int(text) if text.isdigit() and int(text) > 0 else None
        job["mapping"] = {}
    else:
        posted = {m.group(1): request.POST[key] for key in request.POST if (m := _COLUMN_KEY_RE.match(key))}
        job["mapping"] = {letter: value for letter, value in posted.items() if value == "" or value in FIELD_LABELS}
        if request.POST.get("remember") == "on" and job["mapping"]:
            # Keyed by the heading, not the letter, so that next year's file with moved columns is read the same way.
            data = _read(job)
            try:
                result = parse_list(data, job["name"], _options(job, request.user))
            except ListFileError as exc:
                messages.error(request, _("未能记住表头含义：%(reason)s") % {"reason": exc})
            else:
                # Remember only what differs from what the importer reads by itself (its synonyms and earlier lessons).
                saved = saved_column_labels(request.user)
                labels = {c.letter: c.label for c in result.columns}
                taught = {labels[letter]: value for letter, value in job["mapping"].items()
                          if labels.get(letter) and (match_field(labels[letter], _label_keys(saved))[0] or "") != value}
                count = do_save_column_labels(_actor(request), taught)
                messages.success(request, _("已记住%(count)s个表头的含义，下次导入时自动使用。") % {"count": count})
    year = request.POST.get("year", "").strip()
    if year:
        job["year"] = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else job["year"]
    request.session.modified = True
    return redirect("projects_import:preview", token=token)


@login_required
@require_POST
def run(request: HttpRequest, token: str) -> StreamingHttpResponse:
    require_perm(request.user, PROJECT_CHANGE)
    job = _job(request, token)
    data = _read(job)
    strict = request.POST.get("strict") == "on"
    actor = _actor(request)
    page = render_to_string("projects/import_run.html", {"job": job, "token": token, "strict": strict}, request)
    head, _marker, tail = page.partition(STREAM_MARKER)
    stream = _in_language(translation.get_language(), _stream(head, tail, actor, job, data, strict))
    response = StreamingHttpResponse(stream, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass the progress through as it comes
    return response


def _in_language(language: str | None, chunks: Generator[str, None, None]) -> Iterator[str]:
    """The chunks of a streamed page, each made in the language of the request: the server iterates the stream after
    the view has returned, when the LocaleMiddleware's activation may no longer hold (another request, another
    thread). Closing this closes ``chunks``, which rolls back an unfinished import."""
    try:
        while True:
            with translation.override(language):
                try:
                    chunk = next(chunks)
                except StopIteration:
                    return
            yield chunk
    finally:
        chunks.close()


def _stream(head: str, tail: str, actor: Actor, job: dict[str, Any], data: bytes,
            strict: bool) -> Generator[str, None, None]:
    yield head + " " * 1024 + "\n"  # some browsers render nothing before the first kilobyte
    reading = _("正在读取文件……")
    yield _script(f"kpPhase('{escapejs(reading)}')")
    try:
        result = parse_list(data, job["name"], _options(job, actor.user))
    except ListFileError as exc:
        yield _fragment({"fatal": str(exc)})
        yield tail
        return
    checking = _("正在核对%(count)s行……") % {"count": len(result.rows)}
    yield _script(f"kpPhase('{escapejs(checking)}')")
    steps = iter_import_list(actor, result, strict=strict, year=job["year"], filename=job["name"])
    try:
        while True:
            done, total = next(steps)
            yield _script(f"kpProgress({done}, {total})")
    except StopIteration as stop:
        report: ImportReport = stop.value
    except (PermissionDenied, ValidationError) as exc:
        yield _fragment({"fatal": _("；").join(exc.messages) if isinstance(exc, ValidationError) else str(exc)})
        yield tail
        return
    except Exception:
        logger.exception("list import failed: %s", job["name"])
        yield _fragment({"fatal": _("导入时发生意外错误，数据库未作任何修改；请把文件发给系统管理员")})
        yield tail
        return
    finally:
        steps.close()  # a closed connection stops the stream here: the open transaction is rolled back
    if report.written:
        default_storage.delete(job["path"])  # done: the same upload cannot be imported twice by a double click
    yield _script("kpDone()")
    yield _fragment({"report": report, "counts": {key: report.count(key) for key in _ACTION_LABELS}})
    yield tail


def _script(code: str) -> str:
    return f"<script>{code}</script>\n"


def _fragment(context: dict[str, Any]) -> str:
    return render_to_string("projects/import_result.html", context)


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The registry in the user's scope as a list file (the columns the import reads), or as OC4IDS open data."""
    if request.GET.get("format") == "oc4ids":
        package = project_package(selectors.projects_for(request.user), publisher="重点项目督导平台")
        response = HttpResponse(json.dumps(package, ensure_ascii=False, indent=2),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, "重点项目-oc4ids.json") or "attachment"
        return response
    text = request.GET.get("year", "")
    year = int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else clock.today().year
    buffer = io.BytesIO()
    write_list_xlsx(export_rows(selectors.projects_for(request.user), year), year, buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"重点项目名单-{year}.xlsx") or "attachment"
    return response


__all__ = ["export", "mapping", "preview", "run", "upload"]
