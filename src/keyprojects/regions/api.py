"""/api/regions — read for everyone in scope; writes for administrators."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from keyprojects.accounts.access import access_object
from keyprojects.core.api import api_actor, require_version
from keyprojects.regions import actions
from keyprojects.regions.models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    id: int
    code: str | None
    name: str
    short_name: str
    full_name: str
    level: str
    parent_id: int | None
    aliases: str
    version: int


class RegionIn(Schema):
    name: str
    level: str
    parent_id: int
    code: str | None = None
    short_name: str = ""
    full_name: str = ""
    aliases: str = ""


class RegionPatch(Schema):
    version: int | None = None
    code: str | None = None
    name: str | None = None
    short_name: str | None = None
    full_name: str | None = None
    aliases: str | None = None


@router.get("", response=list[RegionOut], summary="区域列表（按用户范围）")
@paginate(LimitOffsetPagination)
def list_regions(
    request: HttpRequest, level: str | None = None, parent_id: int | None = None, q: str | None = None
) -> Any:
    qs = Region.objects.for_user(request.auth).order_by("path")  # type: ignore[attr-defined]
    if level:
        qs = qs.filter(level=level)
    if parent_id:
        qs = qs.filter(parent_id=parent_id)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


@router.get("/{int:region_id}", response=RegionOut, summary="区域详情")
def get_region(request: HttpRequest, region_id: int) -> Region:
    return access_object(request.auth, Region.objects.all(), region_id)  # type: ignore[attr-defined]


@router.post("", response={201: RegionOut}, summary="新建区域（系统管理员）")
def create_region(request: HttpRequest, payload: RegionIn) -> tuple[int, Region]:
    data = payload.dict()
    data["parent"] = access_object(request.auth, Region.objects.all(), data.pop("parent_id"))  # type: ignore[attr-defined]
    return 201, actions.do_create_region(api_actor(request), **data)


@router.patch("/{int:region_id}", response=RegionOut, summary="修改区域（须带 version）")
def update_region(request: HttpRequest, region_id: int, payload: RegionPatch) -> Region:
    region = access_object(request.auth, Region.objects.all(), region_id)  # type: ignore[attr-defined]
    data = payload.dict(exclude_unset=True)
    version = require_version(data.pop("version", None))
    return actions.do_update_region(api_actor(request), region, version, **data)


@router.delete("/{int:region_id}", response={204: None}, summary="删除区域（须带 version）")
def delete_region(request: HttpRequest, region_id: int, version: int | None = None) -> tuple[int, None]:
    region = access_object(request.auth, Region.objects.all(), region_id)  # type: ignore[attr-defined]
    actions.do_delete_region(api_actor(request), region, require_version(version))
    return 204, None
