"""Reading JSON request bodies the same way everywhere: a clear 400, never a stack trace."""

from __future__ import annotations

import json
from typing import Any, Dict

from aiohttp import web


def problem(exception: type, message: str) -> web.HTTPException:
    """An HTTP error whose body is ``{"error": message}``."""
    return exception(text=json.dumps({"error": message}), content_type="application/json")


async def json_object(request: web.Request) -> Dict[str, Any]:
    """The body as a JSON object, or 400."""
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise problem(web.HTTPBadRequest, "body must be JSON") from error
    if not isinstance(body, dict):
        raise problem(web.HTTPBadRequest, "body must be a JSON object")
    return body


def text_field(body: Dict[str, Any], name: str = "text") -> str:
    """A required, non-blank string field, or 400."""
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise problem(web.HTTPBadRequest, f"'{name}' must be a non-empty string")
    return value
