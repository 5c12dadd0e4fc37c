"""The web chat API (SPEC §4): sessions with unguessable tokens, messages, and her live stream."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections import Counter
from typing import Any, Dict, Optional

from aiohttp import web
from redis.exceptions import RedisError

from handoff import events, fallback, notices, throttle
from handoff.appkeys import DOORBELL, KEYS, LIVE_TASKS, MESSAGING, REDIS, SETTINGS, STORE
from handoff.errors import problem, response
from handoff.requests_json import json_object, text_field
from handoff.states import HUMAN
from handoff.timeutil import digest

routes = web.RouteTableDef()

WAKE_SECONDS = 15.0  # a keep-alive (and a look at the stream) at least this often
TICKET_SECONDS = 60
MAX_STREAMS_PER_TOKEN = 3
MAX_STREAMS_PER_IP = 50
# Messages that reach her only through the stream ("notice": out-of-band system messages);
# bot and system replies to her own messages come back in the POST response instead.
LIVE_ROLES = {"counselor": "counselor", "notice": "system"}
OPEN_STREAMS = web.AppKey("open_streams", Counter)


def client_ip(request: web.Request) -> str:
    return request.remote or "unknown"


async def _conversation_id(request: web.Request) -> tuple[str, str]:
    """(conversation id, token) for the request's bearer token, or 401."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise problem(401, "no_token", "missing bearer token")
    conversation_id = await request.app[STORE].conversation_for(token.strip())
    if conversation_id is None:
        raise problem(401, "bad_token", "unknown or expired token")
    return conversation_id, token.strip()


async def _text_from(request: web.Request) -> str:
    text = text_field(await json_object(request))
    if len(text) > request.app[SETTINGS].max_message_chars:
        raise problem(413, "too_large", f"a message may have at most {request.app[SETTINGS].max_message_chars} characters")
    return text


def _slow_down() -> web.Response:
    """Over a limit: a clear 429, and for her still the kind words and lines open now."""
    messages = [{"text": text, "from": "system"} for text in fallback.kind_reply(None)]
    return response(429, "slow_down", "too many requests; please wait a little", messages=messages)


@routes.get("/api/webchat/notice")
async def notice(request: web.Request) -> web.Response:
    """What the chat page shows before she writes: who answers, and what happens to her words (handoff.notices)."""
    return web.json_response({"bot": notices.BOT_DISCLOSURE,
                              "privacy": notices.privacy_notice(request.app[SETTINGS].retention_seconds)})


@routes.post("/api/webchat/sessions")
async def create_session(request: web.Request) -> web.Response:
    if not await throttle.allow(request.app[REDIS], request.app[KEYS], throttle.SESSIONS_PER_IP, client_ip(request)):
        return _slow_down()
    conversation_id, token = await request.app[STORE].create("webchat")
    return web.json_response({"conversation_id": conversation_id, "token": token}, status=201)


@routes.post("/api/webchat/messages")
async def post_message(request: web.Request) -> web.Response:
    conversation_id, token = await _conversation_id(request)
    text = await _text_from(request)
    redis, keys = request.app[REDIS], request.app[KEYS]
    if not (await throttle.allow(redis, keys, throttle.MESSAGES_PER_IP, client_ip(request))
            and await throttle.allow(redis, keys, throttle.MESSAGES_PER_CONVERSATION, conversation_id)):
        return _slow_down()
    await request.app[STORE].activate(conversation_id, token)
    reply = await request.app[MESSAGING].handle(conversation_id, text)
    body: Dict[str, Any] = {"messages": reply.messages, "state": reply.state}
    return web.json_response(body)


@routes.post("/api/webchat/typing")
async def user_typing(request: web.Request) -> web.Response:
    """She is typing: tell the console of the counselor holding it (no text), a few times a minute at most."""
    conversation_id, _ = await _conversation_id(request)
    redis, keys = request.app[REDIS], request.app[KEYS]
    held = (await request.app[STORE].get(conversation_id)).get("state") == HUMAN
    if held and await throttle.allow(redis, keys, throttle.TYPING_PER_CONVERSATION, conversation_id):
        await events.publish(redis, keys, events.TYPING, conversation_id=conversation_id, who="user")
    return web.json_response({"ok": True})


@routes.post("/api/webchat/stream-ticket")
async def stream_ticket(request: web.Request) -> web.Response:
    """A single-use ticket for EventSource (which cannot send headers), so the token never goes in a URL."""
    conversation_id, _ = await _conversation_id(request)
    ticket = secrets.token_urlsafe(24)
    await request.app[REDIS].set(request.app[KEYS].stream_ticket(digest(ticket)), conversation_id, ex=TICKET_SECONDS)
    return web.json_response({"ticket": ticket, "expires_in": TICKET_SECONDS}, status=201)


async def _stream_owner(request: web.Request) -> str:
    """(conversation id, who is streaming) from a ticket (used once), or the bearer token in a header — never
    a token in the URL, where logs and browser history would keep it."""
    redis, keys = request.app[REDIS], request.app[KEYS]
    ticket = request.query.get("ticket")
    if ticket:
        conversation_id = await redis.getdel(keys.stream_ticket(digest(ticket)))
        if conversation_id is None:
            raise problem(401, "bad_ticket", "unknown, used or expired stream ticket")
        return conversation_id.decode()
    token = request.headers.get("Authorization", "").partition(" ")[2]
    conversation_id = await request.app[STORE].conversation_for(token.strip()) if token.strip() else None
    if conversation_id is None:
        raise problem(401, "bad_token", "unknown or expired token")
    return conversation_id


def sse_frame(message_id: str, role: str, text: str) -> bytes:
    """One typed, numbered event; the id lets a reconnecting client resume (Last-Event-ID)."""
    data = json.dumps({"type": "message", "seq": message_id, "from": role, "text": text}, ensure_ascii=False)
    return f"id: {message_id}\nevent: message\ndata: {data}\n\n".encode()


def _frame(store: Any, live: bool, message_id: str, fields: Dict[bytes, bytes]) -> bytes:
    """A transcript message she should see live, an ephemeral signal, or nothing."""
    if live:  # no id: a typing signal is not something to resume from
        return f"event: typing\ndata: {json.dumps({'type': 'typing', 'from': 'counselor'})}\n\n".encode()
    role = fields[b"role"].decode()
    if role not in LIVE_ROLES:
        return b""
    return sse_frame(message_id, LIVE_ROLES[role], store.box.read(fields[b"body"].decode()))


def _claim_slot(request: web.Request, owner: str) -> Optional[str]:
    """Count an open stream per conversation and per address; the reason it is refused, if it is."""
    opened, ip = request.app[OPEN_STREAMS], client_ip(request)
    if opened[f"c:{owner}"] >= MAX_STREAMS_PER_TOKEN or opened[f"ip:{ip}"] >= MAX_STREAMS_PER_IP:
        return "too many open streams"
    opened[f"c:{owner}"] += 1
    opened[f"ip:{ip}"] += 1
    return None


def _free_slot(request: web.Request, owner: str) -> None:
    opened = request.app[OPEN_STREAMS]
    for key in (f"c:{owner}", f"ip:{client_ip(request)}"):
        opened[key] -= 1
        if opened[key] <= 0:
            del opened[key]


@routes.get("/api/webchat/stream")
async def stream(request: web.Request) -> web.StreamResponse:
    """Counselor messages, live, as server-sent events; resumes after ``Last-Event-ID``."""
    conversation_id = await _stream_owner(request)
    if _claim_slot(request, conversation_id):
        raise problem(429, "too_many_streams", "too many open streams")
    try:
        return await _serve_stream(request, conversation_id)
    finally:
        _free_slot(request, conversation_id)


async def _serve_stream(request: web.Request, conversation_id: str) -> web.StreamResponse:
    last_id = request.headers.get("Last-Event-ID") or request.query.get("last_id") or "0"
    response_ = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store",
                                            "X-Content-Type-Options": "nosniff"})
    await response_.prepare(request)
    request.app[LIVE_TASKS].add(asyncio.current_task())
    redis, keys = request.app[REDIS], request.app[KEYS]
    cursors = {keys.messages(conversation_id): last_id, keys.live(conversation_id): await _latest(redis, keys.live(conversation_id))}
    try:
        doorbell = request.app[DOORBELL]
        while doorbell.open():
            wrote = await _write_new(request, response_, cursors, conversation_id)
            if not wrote and not await doorbell.wait(conversation_id, WAKE_SECONDS) and doorbell.open():
                await response_.write(b": keep-alive\n\n")
    except (ConnectionResetError, RedisError):
        pass  # she went away, or storage did: the stream ends (a cancellation on shutdown propagates)
    return response_


async def _latest(redis: Any, key: str) -> str:
    last = await redis.xrevrange(key, count=1)
    return last[0][0].decode() if last else "0"


async def _write_new(request: web.Request, response_: web.StreamResponse, cursors: Dict[str, str],
                     conversation_id: str) -> bool:
    """Write what is new on her streams since the cursors (no blocking read); True if anything was."""
    redis, store, keys = request.app[REDIS], request.app[STORE], request.app[KEYS]
    wrote = False
    for key, cursor in list(cursors.items()):
        entries = await redis.xrange(key, min="-" if cursor == "0" else f"({cursor}", count=50)
        for message_id, fields in entries:
            cursors[key] = message_id.decode()
            await response_.write(_frame(store, key == keys.live(conversation_id), cursors[key], fields))
            wrote = True
    return wrote
