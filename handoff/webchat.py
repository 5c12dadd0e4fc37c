"""The web chat API (SPEC §4): sessions with unguessable tokens, and messages."""

from __future__ import annotations

import json
from typing import Any, Dict

from aiohttp import web

from handoff.appkeys import MESSAGING, SETTINGS, STORE

routes = web.RouteTableDef()


async def _conversation_id(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise web.HTTPUnauthorized(text=json.dumps({"error": "missing bearer token"}), content_type="application/json")
    conversation_id = await request.app[STORE].conversation_for(token.strip())
    if conversation_id is None:
        raise web.HTTPUnauthorized(text=json.dumps({"error": "unknown or expired token"}), content_type="application/json")
    return conversation_id


async def _text_from(request: web.Request) -> str:
    try:
        body: Any = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise web.HTTPBadRequest(text=json.dumps({"error": "body must be JSON"}), content_type="application/json") from error
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise web.HTTPBadRequest(text=json.dumps({"error": "'text' must be a non-empty string"}),
                                 content_type="application/json")
    if len(text) > request.app[SETTINGS].max_message_chars:
        raise web.HTTPRequestEntityTooLarge(max_size=request.app[SETTINGS].max_message_chars, actual_size=len(text))
    return text


@routes.post("/api/webchat/sessions")
async def create_session(request: web.Request) -> web.Response:
    conversation_id, token = await request.app[STORE].create("webchat")
    return web.json_response({"conversation_id": conversation_id, "token": token}, status=201)


@routes.post("/api/webchat/messages")
async def post_message(request: web.Request) -> web.Response:
    conversation_id = await _conversation_id(request)
    text = await _text_from(request)
    reply = await request.app[MESSAGING].handle(conversation_id, text)
    body: Dict[str, Any] = {"messages": reply.messages, "state": reply.state}
    return web.json_response(body)
