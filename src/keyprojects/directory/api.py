"""/api/units and /api/people — the same scoping and validation as the pages."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from keyprojects.accounts.access import access_object
from keyprojects.core.api import api_actor, require_version
from keyprojects.directory import actions
from keyprojects.directory.models import Person, Unit
from keyprojects.regions.models import Region

router = Router(tags=["directory"])


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    region_id: int
    phone: str
    version: int


class UnitIn(Schema):
    name: str
    region_id: int
    short_name: str = ""
    kind: str = "department"
    phone: str = ""


class UnitPatch(Schema):
    version: int | None = None
    name: str | None = None
    region_id: int | None = None
    short_name: str | None = None
    kind: str | None = None
    phone: str | None = None


class PersonOut(Schema):
    id: int
    name: str
    title: str
    region_id: int
    unit_id: int | None
    phone: str
    is_leader: bool
    version: int


class PersonIn(Schema):
    name: str
    region_id: int
    title: str = ""
    unit_id: int | None = None
    phone: str = ""
    is_leader: bool = False


class PersonPatch(Schema):
    version: int | None = None
    name: str | None = None
    region_id: int | None = None
    title: str | None = None
    unit_id: int | None = None
    phone: str | None = None
    is_leader: bool | None = None


def _resolve(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    if "region_id" in values:
        region = Region.objects.for_user(user).filter(pk=values.pop("region_id")).first()
        if region is None:
            raise ValidationError({"region_id": _("区域不存在或不在您的范围内。")})
        values["region"] = region
    if "unit_id" in values:
        unit_id = values.pop("unit_id")
        values["unit"] = Unit.objects.for_user(user).filter(pk=unit_id).first() if unit_id else None
        if unit_id and values["unit"] is None:
            raise ValidationError({"unit_id": _("单位不存在或不在您的范围内。")})
    return values


@router.get("units", response=list[UnitOut], summary="责任单位列表")
@paginate(LimitOffsetPagination)
def list_units(request: HttpRequest, q: str | None = None) -> Any:
    qs = Unit.objects.for_user(request.auth).order_by("region__path", "name")  # type: ignore[attr-defined]
    return qs.filter(name__icontains=q) if q else qs


@router.get("units/{int:unit_id}", response=UnitOut, summary="责任单位详情")
def get_unit(request: HttpRequest, unit_id: int) -> Unit:
    return access_object(request.auth, Unit.objects.all(), unit_id)  # type: ignore[attr-defined]


@router.post("units", response={201: UnitOut}, summary="新建责任单位")
def create_unit(request: HttpRequest, payload: UnitIn) -> tuple[int, Unit]:
    return 201, actions.do_create_entry(api_actor(request), Unit, **_resolve(request.auth, payload.dict()))  # type: ignore[attr-defined]


@router.patch("units/{int:unit_id}", response=UnitOut, summary="修改责任单位（须带 version）")
def update_unit(request: HttpRequest, unit_id: int, payload: UnitPatch) -> Unit:
    unit = access_object(request.auth, Unit.objects.all(), unit_id)  # type: ignore[attr-defined]
    data = payload.dict(exclude_unset=True)
    version = require_version(data.pop("version", None))
    return actions.do_update_entry(api_actor(request), unit, version, **_resolve(request.auth, data))  # type: ignore[attr-defined]


@router.delete("units/{int:unit_id}", response={204: None}, summary="删除责任单位（须带 version）")
def delete_unit(request: HttpRequest, unit_id: int, version: int | None = None) -> tuple[int, None]:
    unit = access_object(request.auth, Unit.objects.all(), unit_id)  # type: ignore[attr-defined]
    actions.do_delete_entry(api_actor(request), unit, require_version(version))
    return 204, None


@router.get("people", response=list[PersonOut], summary="人员列表")
@paginate(LimitOffsetPagination)
def list_people(request: HttpRequest, q: str | None = None, leaders: bool = False) -> Any:
    qs = Person.objects.for_user(request.auth).order_by("region__path", "name")  # type: ignore[attr-defined]
    if leaders:
        qs = qs.filter(is_leader=True)
    return qs.filter(name__icontains=q) if q else qs


@router.get("people/{int:person_id}", response=PersonOut, summary="人员详情")
def get_person(request: HttpRequest, person_id: int) -> Person:
    return access_object(request.auth, Person.objects.all(), person_id)  # type: ignore[attr-defined]


@router.post("people", response={201: PersonOut}, summary="新建人员")
def create_person(request: HttpRequest, payload: PersonIn) -> tuple[int, Person]:
    return 201, actions.do_create_entry(api_actor(request), Person, **_resolve(request.auth, payload.dict()))  # type: ignore[attr-defined]


@router.patch("people/{int:person_id}", response=PersonOut, summary="修改人员（须带 version）")
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> Person:
    person = access_object(request.auth, Person.objects.all(), person_id)  # type: ignore[attr-defined]
    data = payload.dict(exclude_unset=True)
    version = require_version(data.pop("version", None))
    return actions.do_update_entry(api_actor(request), person, version, **_resolve(request.auth, data))  # type: ignore[attr-defined]


@router.delete("people/{int:person_id}", response={204: None}, summary="删除人员（须带 version）")
def delete_person(request: HttpRequest, person_id: int, version: int | None = None) -> tuple[int, None]:
    person = access_object(request.auth, Person.objects.all(), person_id)  # type: ignore[attr-defined]
    actions.do_delete_entry(api_actor(request), person, require_version(version))
    return 204, None
