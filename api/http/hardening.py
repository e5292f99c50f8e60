"""HTTP hardening that applies to every response, as one ASGI middleware.

- **Host check without keys.** With no API keys the API trusts loopback callers. A page on
  another site can reach 127.0.0.1 through DNS rebinding (its own name resolving to
  127.0.0.1), and the request then carries that foreign name in ``Host``; so in that mode only
  loopback names are served (``localhost``, ``127.x.x.x``, ``::1``).
- **Headers.** ``X-Content-Type-Options: nosniff`` everywhere; HTML also gets a Content
  Security Policy (no framing, nothing fetched from elsewhere, inline script only for the
  self-contained pages) and ``Referrer-Policy: no-referrer``.
- **HEAD** is answered wherever GET is, with the GET's headers and no body.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["HardeningMiddleware", "is_loopback_host"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_PAGE_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                "img-src data: blob:; font-src data:; connect-src 'self'; base-uri 'none'; "
                "form-action 'none'; frame-ancestors 'none'")
#: The interactive docs load Swagger UI and ReDoc from this server (bundled, no CDN).
_DOCS_POLICY = ("default-src 'none'; script-src 'self' 'unsafe-inline'; "
                "style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
                "img-src 'self' data:; connect-src 'self'; worker-src blob:; base-uri 'none'; "
                "form-action 'none'; frame-ancestors 'none'")
_DOCS_PATHS = ("/docs", "/redoc")


def is_loopback_host(host_header: str) -> bool:
    """Whether a ``Host`` header names this machine's loopback (any port)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        host = host[1:host.find("]")] if "]" in host else ""
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    if host in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class HardeningMiddleware:
    """See the module docstring. ``loopback_hosts_only`` is on when no keys are configured."""

    def __init__(self, app: ASGIApp, loopback_hosts_only: bool) -> None:
        self.app = app
        self.loopback_hosts_only = loopback_hosts_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        hosts = [bytes(v) for k, v in scope.get("headers", []) if k.lower() == b"host"]
        if len(hosts) > 1:  # RFC 9112 3.2: a request with more than one Host is refused
            await _refuse(send, "the request has more than one Host header")
            return
        if self.loopback_hosts_only:
            host = hosts[0].decode("latin-1") if hosts else None
            if host is None or not is_loopback_host(host):
                await _refuse(send, "without API keys this server answers only requests "
                                    "addressed to a loopback name (localhost, 127.0.0.1, ::1)")
                return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        docs = scope["path"].startswith(_DOCS_PATHS)

        async def send_hardened(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html"):
                    policy = _DOCS_POLICY if docs else _PAGE_POLICY
                    headers += [(b"content-security-policy", policy.encode()),
                                (b"referrer-policy", b"no-referrer")]
                message = {**message, "headers": headers}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_hardened)


async def _refuse(send: Send, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": 400,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"x-content-type-options", b"nosniff")]})
    await send({"type": "http.response.body", "body": body})
