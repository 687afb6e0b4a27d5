"""The REST API: token auth, one router per room, errors mapped to HTTP the same way everywhere."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from keyprojects.accounts.api import TokenAuth
from keyprojects.core.editing import VersionConflict

api = NinjaAPI(
    title="重点项目督导平台 API",
    version="1",
    description="与网页相同的数据范围与校验。认证：`Authorization: Bearer <令牌>`（在“我的账号”页面生成）。"
    "金额字段接受数字（万元）或“15亿元”“1,500万”等文字。",
    auth=TokenAuth(),
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or _("无权执行此操作。")}, status=403)


@api.exception_handler(VersionConflict)
def on_conflict(request: HttpRequest, exc: VersionConflict) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": str(exc),
            "current_version": exc.current.version,  # type: ignore[attr-defined]
            "changes": exc.changes(),
        },
        status=409,
    )


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": _("数据校验失败。"), "errors": errors}, status=422)


def _register() -> None:
    from keyprojects.cadence.api import router as cadence_router
    from keyprojects.directory.api import router as directory_router
    from keyprojects.notifications.api import router as notifications_router
    from keyprojects.problems.api import router as problems_router
    from keyprojects.projects.api import router as projects_router
    from keyprojects.ratings.api import router as ratings_router
    from keyprojects.regions.api import router as regions_router
    from keyprojects.reports.api import router as reports_router

    api.add_router("/projects", projects_router)
    api.add_router("/regions", regions_router)
    api.add_router("/problems", problems_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/reports", reports_router)
    api.add_router("/ratings", ratings_router)
    api.add_router("/cadence", cadence_router)
    api.add_router("/", directory_router)


_register()
