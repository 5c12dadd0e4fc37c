"""Origin checks: a browser's cross-site request to the console or the chat API is refused.

Requests without an Origin header (curl, LINE's servers, tests) pass; the console cookie is SameSite=Strict
and its POSTs still need the CSRF token. Hosts are compared (not schemes), so a TLS proxy in front works.
"""

from __future__ import annotations

from typing import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from handoff import errors

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def origin_ok(origin: str | None, host: str) -> bool:
    return origin is None or urlsplit(origin).netloc == host


def _checked(request: web.Request) -> bool:
    """State changes under /api/, and the console's WebSocket (a GET a foreign page could open)."""
    if not request.path.startswith("/api/"):
        return False
    return request.method not in SAFE_METHODS or request.path == "/api/console/events"


@web.middleware
async def origin_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if _checked(request) and not origin_ok(request.headers.get("Origin"), request.host):
        return errors.response(403, "bad_origin", "cross-site request refused")
    return await handler(request)
