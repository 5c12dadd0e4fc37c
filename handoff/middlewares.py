"""Errors as clear JSON, never a stack trace and never message text in the log."""

from __future__ import annotations

import logging
from typing import Awaitable, Callable

from aiohttp import web
from redis.exceptions import RedisError

from handoff import errors, fallback

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as error:
        if error.content_type == "application/json":
            raise
        if error.status == 413:
            return errors.response(413, "too_large", "message too large")
        return errors.response(error.status, "http_error", error.reason)
    except RedisError:
        log.error("storage unavailable for %s %s", request.method, request.path)
        return storage_down()
    if request.path.startswith("/api/") and not response.prepared:
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def storage_down() -> web.Response:
    """Redis is down: a clear error, and for her still a kind reply with lines open now."""
    messages = [{"text": text, "from": "system"} for text in fallback.kind_reply(None)]
    return errors.response(503, "storage_down", "storage unavailable, please try again", messages=messages)
