"""Reading JSON request bodies the same way everywhere: a clear 400, never a stack trace, never her text lost."""

from __future__ import annotations

import json
from typing import Any, Dict

from aiohttp import web

from handoff.errors import problem


def _loads(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:  # RecursionError: absurd nesting
        raise problem(400, "bad_json", "body must be JSON") from error


async def json_object(request: web.Request) -> Dict[str, Any]:
    """The body as a JSON object, or 400."""
    body = _loads(await request.read())
    if not isinstance(body, dict):
        raise problem(400, "not_an_object", "body must be a JSON object")
    return body


def clean_text(value: str) -> str:
    """Her words as valid Unicode: a lone surrogate (which JSON allows) becomes U+FFFD rather than a 500."""
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def text_field(body: Dict[str, Any], name: str = "text") -> str:
    """A required, non-blank string field, or 400."""
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise problem(400, "bad_field", f"'{name}' must be a non-empty string")
    return clean_text(value)
