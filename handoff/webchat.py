"""The web chat API (SPEC §4): sessions with unguessable tokens, and messages."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict

from aiohttp import web
from redis.exceptions import RedisError

from handoff import events
from handoff.appkeys import LIVE_TASKS, MESSAGING, REDIS, SETTINGS, STORE
from handoff.keys import Keys
from handoff.requests_json import json_object, text_field

routes = web.RouteTableDef()


async def _conversation_id(request: web.Request, allow_query: bool = False) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if allow_query and not header and request.query.get("token"):  # EventSource cannot set headers
        scheme, token = "bearer", request.query["token"]
    if scheme.lower() != "bearer" or not token.strip():
        raise web.HTTPUnauthorized(text=json.dumps({"error": "missing bearer token"}), content_type="application/json")
    conversation_id = await request.app[STORE].conversation_for(token.strip())
    if conversation_id is None:
        raise web.HTTPUnauthorized(text=json.dumps({"error": "unknown or expired token"}), content_type="application/json")
    return conversation_id


async def _text_from(request: web.Request) -> str:
    text = text_field(await json_object(request))
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


STREAM_BLOCK_MS = 4000  # below the Redis socket timeout
# Messages that reach her only through the stream ("notice": out-of-band system messages);
# bot and system replies to her own messages come back in the POST response instead.
LIVE_ROLES = {"counselor": "counselor", "notice": "system"}


def sse_frame(message_id: str, role: str, text: str) -> bytes:
    """One typed, numbered event; the id lets a reconnecting client resume (Last-Event-ID)."""
    data = json.dumps({"type": "message", "seq": message_id, "from": role, "text": text}, ensure_ascii=False)
    return f"id: {message_id}\nevent: message\ndata: {data}\n\n".encode()


def _frame(store: Any, live: bool, message_id: bytes, fields: Dict[bytes, bytes]) -> bytes:
    """A transcript message she should see live, an ephemeral signal, or nothing."""
    if live:  # no id: a typing signal is not something to resume from
        return f"event: typing\ndata: {json.dumps({'type': 'typing', 'from': 'counselor'})}\n\n".encode()
    role = fields[b"role"].decode()
    if role not in LIVE_ROLES:
        return b""
    return sse_frame(message_id.decode(), LIVE_ROLES[role], store.box.open(fields[b"body"].decode()))


@routes.post("/api/webchat/typing")
async def user_typing(request: web.Request) -> web.Response:
    """She is typing: tell the consoles (no text)."""
    conversation_id = await _conversation_id(request)
    keys = Keys(request.app[SETTINGS].key_prefix)
    await events.publish(request.app[REDIS], keys, "typing", conversation_id=conversation_id, who="user")
    return web.json_response({"ok": True})


@routes.get("/api/webchat/stream")
async def stream(request: web.Request) -> web.StreamResponse:
    """Counselor messages, live, as server-sent events; resumes after ``Last-Event-ID``."""
    conversation_id = await _conversation_id(request, allow_query=True)
    last_id = request.headers.get("Last-Event-ID") or request.query.get("last_id") or "0"
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
    await response.prepare(request)
    request.app[LIVE_TASKS].add(asyncio.current_task())
    redis, store, keys = request.app[REDIS], request.app[STORE], Keys(request.app[SETTINGS].key_prefix)
    cursors = {keys.messages(conversation_id): last_id, keys.live(conversation_id): "$"}
    try:
        while True:
            batches = await redis.xread(cursors, block=STREAM_BLOCK_MS, count=50)
            if not batches:
                await response.write(b": keep-alive\n\n")
                continue
            for stream_key, entries in batches:
                stream_key = stream_key.decode()
                for message_id, fields in entries:
                    cursors[stream_key] = message_id.decode()
                    await response.write(_frame(store, stream_key == keys.live(conversation_id), message_id, fields))
    except (ConnectionResetError, RedisError, asyncio.CancelledError):
        pass
    return response
