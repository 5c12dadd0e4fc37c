"""One way to answer with an error: ``{"error": message, "code": stable_code}``.

Clients (the console, the web chat) act on ``code`` — never on the English ``error`` text, which is for people.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Optional

from aiohttp import web

_EXCEPTIONS: Dict[int, type] = {
    400: web.HTTPBadRequest, 401: web.HTTPUnauthorized, 403: web.HTTPForbidden, 404: web.HTTPNotFound,
    409: web.HTTPConflict, 413: web.HTTPRequestEntityTooLarge, 415: web.HTTPUnsupportedMediaType,
    429: web.HTTPTooManyRequests, 502: web.HTTPBadGateway, 503: web.HTTPServiceUnavailable,
}
API_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def body(code: str, message: str, **extra: Any) -> Dict[str, Any]:
    return {"error": message, "code": code, **extra}


def problem(status: int, code: str, message: str, headers: Optional[Dict[str, str]] = None) -> web.HTTPException:
    """An exception to raise from a handler; the error middleware passes it through as JSON."""
    cls = _EXCEPTIONS[status]
    text = json.dumps(body(code, message), ensure_ascii=False)
    if cls is web.HTTPRequestEntityTooLarge:
        return _TooLarge(text=text, content_type="application/json", headers={**API_HEADERS, **(headers or {})})
    return cls(text=text, content_type="application/json", headers={**API_HEADERS, **(headers or {})})


def response(status: int, code: str, message: str, **extra: Any) -> web.Response:
    """A response to return (for paths that must not raise, e.g. middlewares)."""
    return web.json_response(body(code, message, **extra), status=status, headers=API_HEADERS)


class _TooLarge(web.HTTPException):
    """413 without aiohttp's required size arguments (the message already says what is allowed)."""

    status_code = 413
