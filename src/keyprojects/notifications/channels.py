"""Sending one delivery: e-mail through Django's mail backend, DingTalk and WeCom group robots over HTTP.

Configuration from the environment (no settings module change needed):
  KEYPROJECTS_SMTP_URL   smtp://user:password@host:port (smtps:// for implicit TLS, ?starttls=1 for STARTTLS);
                         unset → Django's configured backend (the tests' in-memory outbox)
  KEYPROJECTS_MAIL_FROM  sender address (default: Django's DEFAULT_FROM_EMAIL)
  KEYPROJECTS_BASE_URL   e.g. https://xmdd.example.gov.cn, to turn a notice's link into an absolute address

The messages (e-mails and robot posts) go to Chinese staff and groups: Chinese, not translated. So are the delivery
results and errors below, which are stored in the delivery log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.core.mail import EmailMessage, get_connection

TIMEOUT_SECONDS = 10


class DeliveryError(Exception):
    """A send that failed; the message is logged on the delivery and the send is retried later."""


def absolute(link: str) -> str:
    base = os.environ.get("KEYPROJECTS_BASE_URL", "").rstrip("/")
    return f"{base}{link}" if link.startswith("/") and base else link


def _mail_connection() -> Any:
    url = os.environ.get("KEYPROJECTS_SMTP_URL", "").strip()
    if not url:
        return get_connection()
    parsed = urllib.parse.urlparse(url)
    query = urllib.parse.parse_qs(parsed.query)
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=parsed.hostname or "localhost",
        port=parsed.port or (465 if parsed.scheme == "smtps" else 25),
        username=urllib.parse.unquote(parsed.username or ""),
        password=urllib.parse.unquote(parsed.password or ""),
        use_ssl=parsed.scheme == "smtps",
        use_tls=query.get("starttls", ["0"])[0] == "1",
        timeout=TIMEOUT_SECONDS,
    )


def send_email(address: str, title: str, body: str, link: str) -> str:
    text = body + (f"\n\n查看详情：{absolute(link)}" if link else "") + "\n\n—— 重点项目督导平台（系统邮件，请勿回复）"
    message = EmailMessage(
        subject=f"【重点项目督导】{title}",
        body=text,
        from_email=os.environ.get("KEYPROJECTS_MAIL_FROM") or None,
        to=[address],
        connection=_mail_connection(),
    )
    try:
        sent = message.send()
    except OSError as exc:  # smtplib errors are OSErrors
        raise DeliveryError(f"邮件发送失败：{exc}") from exc
    if sent != 1:
        raise DeliveryError("邮件服务器未接受该邮件。")
    return "邮件已发送"


def dingtalk_url(url: str, secret: str, now_ms: int | None = None) -> str:
    """DingTalk's 加签: timestamp and HMAC-SHA256 signature of "timestamp\\nsecret" appended to the address."""
    if not secret:
        return url
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def robot_payload(kind: str, title: str, body: str, link: str) -> dict[str, Any]:
    more = f"\n\n[查看详情]({absolute(link)})" if link else ""
    if kind == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n\n{body}{more}"}}
    content = f"**{title}**\n{body}{more}"
    encoded = content.encode()
    if len(encoded) > 4000:  # WeCom refuses markdown content over 4096 bytes
        content = encoded[:3990].decode(errors="ignore") + "…"
    return {"msgtype": "markdown", "markdown": {"content": content}}


def post_robot(kind: str, url: str, secret: str, title: str, body: str, link: str) -> str:
    """POST a markdown message; both robots answer HTTP 200 with {"errcode": 0, "errmsg": "ok"} when accepted."""
    if not url.startswith(("https://", "http://")):
        raise DeliveryError("机器人地址无效。")
    target = dingtalk_url(url, secret) if kind == "dingtalk" else url
    data = json.dumps(robot_payload(kind, title, body, link), ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        target, data=data, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            raw = response.read(4096)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}：{exc.read(200).decode(errors='replace')}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"无法连接机器人地址：{getattr(exc, 'reason', exc)}") from exc
    try:
        answer = json.loads(raw.decode() or "{}")
    except ValueError as exc:
        raise DeliveryError(f"机器人返回了无法识别的内容：{raw[:200]!r}") from exc
    if answer.get("errcode", 0) != 0:
        raise DeliveryError(f"机器人拒绝：errcode={answer.get('errcode')} {answer.get('errmsg', '')}")
    return "机器人已接收"
