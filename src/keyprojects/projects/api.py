"""/api/projects — the same selectors and actions as the pages."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from keyprojects.accounts.access import access_object
from keyprojects.core.api import MoneyIn, api_actor, require_version
from keyprojects.directory.models import Person, TaskForce, Unit
from keyprojects.projects import actions, selectors
from keyprojects.projects.models import Project
from keyprojects.regions.models import Region

router = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    code: str
    national_code: str | None
    name: str
    owner: str
    region_id: int
    region_name: str
    region_code: str | None
    address: str
    industry: str
    category: str
    level: str
    total_investment_wan: Decimal | None
    scope: str
    start_year: int | None
    end_year: int | None
    stage: str
    stage_since: Any
    leader_id: int | None
    unit_id: int | None
    task_force_id: int | None
    person_in_charge_id: int | None
    tags: str
    version: int

    @staticmethod
    def resolve_region_name(obj: Project) -> str:
        return obj.region.name

    @staticmethod
    def resolve_region_code(obj: Project) -> str | None:
        return obj.region.code


class ProjectIn(Schema):
    name: str
    region_id: int
    national_code: str | None = None
    owner: str = ""
    address: str = ""
    industry: str = ""
    category: str = "新开工"
    level: str = ""
    total_investment_wan: MoneyIn = None
    scope: str = ""
    start_year: int | None = None
    end_year: int | None = None
    leader_id: int | None = None
    unit_id: int | None = None
    task_force_id: int | None = None
    person_in_charge_id: int | None = None
    tags: str = ""


class ProjectPatch(Schema):
    version: int | None = None
    name: str | None = None
    region_id: int | None = None
    national_code: str | None = None
    owner: str | None = None
    address: str | None = None
    industry: str | None = None
    category: str | None = None
    level: str | None = None
    total_investment_wan: MoneyIn = None
    scope: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    leader_id: int | None = None
    unit_id: int | None = None
    task_force_id: int | None = None
    person_in_charge_id: int | None = None
    tags: str | None = None


class ProjectFilters(Schema):
    q: str | None = None
    region_id: int | None = None
    industry: str | None = None
    category: str | None = None
    level: str | None = None
    stage: str | None = None
    leader_id: int | None = None
    unit_id: int | None = None
    sort: str = ""


RELATED = {
    "region_id": ("region", Region),
    "leader_id": ("leader", Person),
    "unit_id": ("unit", Unit),
    "task_force_id": ("task_force", TaskForce),
    "person_in_charge_id": ("person_in_charge", Person),
}


def _resolve(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Turn *_id fields into objects the user can see; an id outside the scope is reported as not found."""
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in RELATED:
            field, model = RELATED[key]
            if value is None:
                values[field] = None
                continue
            found = model.objects.for_user(user).filter(pk=value).first()  # type: ignore[attr-defined]
            if found is None:
                raise ValidationError({key: _("%(id)s 不存在或不在您的范围内。") % {"id": value}})
            values[field] = found
        else:
            values[key] = value
    if "national_code" in values:
        values["national_code"] = (values["national_code"] or "").strip() or None
    return values


def _base(user: Any) -> Any:
    return selectors.projects_for(user).select_related("region")


@router.get("", response=list[ProjectOut], summary="项目列表（按用户范围）")
@paginate(LimitOffsetPagination)
def list_projects(request: HttpRequest, filters: Query[ProjectFilters]) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    wanted: dict[str, Any] = {k: v for k, v in filters.dict().items() if v not in (None, "") and k != "sort"}
    for key, field, model in (
        ("region_id", "region", Region),
        ("leader_id", "leader", Person),
        ("unit_id", "unit", Unit),
    ):
        if key in wanted:
            wanted[field] = model.objects.for_user(user).filter(pk=wanted.pop(key)).first()
            if wanted[field] is None:
                return Project.objects.none()
    return selectors.project_list(user, wanted, sort=filters.sort)


@router.get("/{int:project_id}", response=ProjectOut, summary="项目详情")
def get_project(request: HttpRequest, project_id: int) -> Project:
    return access_object(request.auth, _base(request.auth), project_id)  # type: ignore[attr-defined]


@router.post("", response={201: ProjectOut}, summary="新建项目")
def create_project(request: HttpRequest, payload: ProjectIn) -> tuple[int, Project]:
    values = _resolve(request.auth, payload.dict())  # type: ignore[attr-defined]
    project = actions.do_create_project(api_actor(request), **values)
    return 201, _base(request.auth).get(pk=project.pk)  # type: ignore[attr-defined]


@router.patch("/{int:project_id}", response=ProjectOut, summary="修改项目（须带 version，版本过期返回 409）")
def update_project(request: HttpRequest, project_id: int, payload: ProjectPatch) -> Project:
    project = access_object(request.auth, _base(request.auth), project_id)  # type: ignore[attr-defined]
    data = payload.dict(exclude_unset=True)
    version = require_version(data.pop("version", None))
    actions.do_update_project(api_actor(request), project, version, **_resolve(request.auth, data))  # type: ignore[attr-defined]
    return _base(request.auth).get(pk=project.pk)  # type: ignore[attr-defined]


@router.delete("/{int:project_id}", response={204: None}, summary="删除项目（须带 version）")
def delete_project(request: HttpRequest, project_id: int, version: int | None = None) -> tuple[int, None]:
    project = access_object(request.auth, _base(request.auth), project_id)  # type: ignore[attr-defined]
    actions.do_delete_project(api_actor(request), project, require_version(version))
    return 204, None
