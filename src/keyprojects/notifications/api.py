"""/api/notifications — the user's notices, and (for administrators and region admins) robots and the outbox.

Error messages are in the request's language; the notices themselves are Chinese (written for Chinese staff), and the
`summary` texts document the API and stay Chinese."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from keyprojects.accounts.access import require_perm
from keyprojects.accounts.permissions import NOTIFY_MANAGE
from keyprojects.core.api import api_actor
from keyprojects.notifications import actions, selectors
from keyprojects.notifications.models import Delivery, NoticeRecipient, Webhook
from keyprojects.regions.models import Region

router = Router(tags=["notifications"])


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read: bool

    @staticmethod
    def resolve_id(obj: NoticeRecipient) -> int:
        return obj.notice_id

    @staticmethod
    def resolve_kind(obj: NoticeRecipient) -> str:
        return obj.notice.kind

    @staticmethod
    def resolve_title(obj: NoticeRecipient) -> str:
        return obj.notice.title

    @staticmethod
    def resolve_body(obj: NoticeRecipient) -> str:
        return obj.notice.body

    @staticmethod
    def resolve_link(obj: NoticeRecipient) -> str:
        return obj.notice.link

    @staticmethod
    def resolve_created_at(obj: NoticeRecipient) -> dt.datetime:
        return obj.notice.created_at

    @staticmethod
    def resolve_read(obj: NoticeRecipient) -> bool:
        return obj.read_at is not None


class ReadIn(Schema):
    ids: list[int] | None = None  # None: all


class WebhookOut(Schema):
    id: int
    region_id: int
    kind: str
    name: str
    masked_url: str
    include_subregions: bool
    enabled: bool
    version: int


class WebhookIn(Schema):
    region_id: int
    kind: str
    name: str
    url: str
    secret: str = ""
    include_subregions: bool = True


class DeliveryOut(Schema):
    id: int
    notice_id: int
    notice_title: str
    channel: str
    target: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime
    sent_at: dt.datetime | None
    last_error: str

    @staticmethod
    def resolve_notice_title(obj: Delivery) -> str:
        return obj.notice.title


class RetryIn(Schema):
    ids: list[int]


@router.get("", response=list[NoticeOut], summary="我的通知")
@paginate(LimitOffsetPagination)
def list_notices(request: HttpRequest, unread: bool = False) -> Any:
    qs = selectors.inbox(request.auth)  # type: ignore[attr-defined]
    return qs.filter(read_at__isnull=True) if unread else qs


@router.post("/read", response=dict[str, int], summary="标记已读（不带 ids 即全部）")
def mark_read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    return {"marked": actions.do_mark_read(request.auth, payload.ids)}  # type: ignore[attr-defined]


@router.get("/webhooks", response=list[WebhookOut], summary="群机器人（按用户范围）")
def list_webhooks(request: HttpRequest) -> Any:
    require_perm(request.auth, NOTIFY_MANAGE)  # type: ignore[attr-defined]
    return list(selectors.webhooks_for(request.auth))  # type: ignore[attr-defined]


@router.post("/webhooks", response={201: WebhookOut}, summary="添加群机器人")
def create_webhook(request: HttpRequest, payload: WebhookIn) -> tuple[int, Webhook]:
    data = payload.dict()
    region = Region.objects.for_user(request.auth).filter(pk=data.pop("region_id")).first()  # type: ignore[attr-defined]
    if region is None:
        raise ValidationError({"region_id": _("区域不存在或不在您的范围内。")})
    return 201, actions.do_create_webhook(api_actor(request), region=region, **data)


@router.get("/outbox", response=list[DeliveryOut], summary="通知投递队列（按用户范围）")
@paginate(LimitOffsetPagination)
def list_outbox(request: HttpRequest, status: str = "") -> Any:
    require_perm(request.auth, NOTIFY_MANAGE)  # type: ignore[attr-defined]
    return selectors.outbox_for(request.auth, status)  # type: ignore[attr-defined]


@router.post("/outbox/retry", response=dict[str, int], summary="重新投递")
def retry(request: HttpRequest, payload: RetryIn) -> dict[str, int]:
    require_perm(request.auth, NOTIFY_MANAGE)  # type: ignore[attr-defined]
    chosen = list(selectors.outbox_for(request.auth).filter(pk__in=payload.ids))  # type: ignore[attr-defined]
    return {"queued": actions.do_retry_deliveries(api_actor(request), chosen)}
