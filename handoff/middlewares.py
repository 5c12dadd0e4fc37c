"""Errors as clear JSON, never a stack trace and never message text in the log."""

from __future__ import annotations

import logging
from typing import Awaitable, Callable

from aiohttp import web
from redis.exceptions import RedisError

from handoff import fallback

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPRequestEntityTooLarge:
        return json_error(413, "message too large")
    except web.HTTPException as error:
        if error.content_type == "application/json":
            raise
        return json_error(error.status, error.reason)
    except RedisError:
        log.error("storage unavailable for %s %s", request.method, request.path)
        return storage_down()


def storage_down() -> web.Response:
    """Redis is down: a clear error, and for her still a kind reply with lines open now."""
    messages = [{"text": text, "from": "system"} for text in fallback.kind_reply(None)]
    return web.json_response({"error": "storage unavailable, please try again", "messages": messages}, status=503)
