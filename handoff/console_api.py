"""The counselors' API: the queue, a conversation, claiming it and replying (SPEC §4)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, Dict

from aiohttp import web
from redis.exceptions import RedisError

from bot.support.directory import open_now
from handoff import events, line, stats
from handoff.appkeys import LIVE_TASKS, REDIS, SETTINGS, STORE
from handoff.auth import USER, counselor_only
from handoff.claims import Claims, transfer
from handoff.consent import Consents, question
from handoff.keys import Keys
from handoff.queue import Queue
from handoff.requests_json import json_object, problem, text_field
from handoff.routing import HUMAN

routes = web.RouteTableDef()


def _keys(request: web.Request) -> Keys:
    return Keys(request.app[SETTINGS].key_prefix)




def queue_entry(conversation_id: str, conversation: Dict[str, Any]) -> Dict[str, Any]:
    """What a counselor sees in the queue: no message text."""
    return {
        "conversation_id": conversation_id,
        "urgency": conversation.get("max_urgency", "low"),
        "concerns": conversation.get("concerns", []),
        "factors": conversation.get("factors", []),
        "waiting_since": int(conversation["waiting_since"]) if conversation.get("waiting_since") else None,
        "channel": conversation.get("channel"),
    }


@routes.get("/api/queue")
@counselor_only
async def get_queue(request: web.Request) -> web.Response:
    store = request.app[STORE]
    waiting = await Queue(request.app[REDIS], _keys(request)).waiting()
    entries = [queue_entry(cid, await store.get(cid)) for cid in waiting]
    return web.json_response({"queue": entries})


async def _existing(request: web.Request) -> tuple[str, Dict[str, Any]]:
    """The conversation named in the URL, or 404."""
    conversation_id = request.match_info["conversation_id"]
    conversation = await request.app[STORE].get(conversation_id)
    if not conversation.get("state"):
        raise problem(web.HTTPNotFound, "no such conversation")
    return conversation_id, conversation


@routes.get("/api/conversations/{conversation_id}")
@counselor_only
async def get_conversation(request: web.Request) -> web.Response:
    conversation_id, conversation = await _existing(request)
    store = request.app[STORE]
    return web.json_response({**queue_entry(conversation_id, conversation), "state": conversation["state"],
                              "holder": conversation.get("holder"), "messages": await store.transcript(conversation_id),
                              "triage_history": await store.triage_history(conversation_id),
                              "notes": await store.notes(conversation_id),
                              "consents": await Consents(request.app[REDIS], _keys(request)).all(conversation_id)})


@routes.post("/api/conversations/{conversation_id}/claim")
@counselor_only
async def claim(request: web.Request) -> web.Response:
    conversation_id = request.match_info["conversation_id"]
    result = await Claims(request.app[REDIS], _keys(request)).claim(conversation_id, request[USER].name)
    if result.ok:
        await events.publish(request.app[REDIS], _keys(request), "claimed", conversation_id=conversation_id,
                             holder=request[USER].name)
        return web.json_response({"conversation_id": conversation_id, "state": HUMAN})
    if result.reason == "limit":
        raise problem(web.HTTPConflict, "you already hold the most conversations allowed")
    raise problem(web.HTTPConflict, f"not waiting (state: {result.reason})")


@routes.post("/api/conversations/{conversation_id}/messages")
@counselor_only
async def reply(request: web.Request) -> web.Response:
    conversation_id = request.match_info["conversation_id"]
    store = request.app[STORE]
    conversation = await store.get(conversation_id)
    if conversation.get("state") != HUMAN or conversation.get("holder") != request[USER].name:
        raise problem(web.HTTPConflict, "claim the conversation first")
    body = await json_object(request)
    text = text_field(body)
    message_id = await store.add_message(conversation_id, "counselor", text)
    if conversation.get("channel") == "line" and conversation.get("line_user"):
        if not await line.push_to(request.app, conversation["line_user"], [text]):
            raise problem(web.HTTPBadGateway, "saved, but LINE did not accept the message; try again")
    await request.app[REDIS].hsetnx(_keys(request).conversation(conversation_id), "first_reply_at", message_id.split("-")[0])
    return web.json_response({"id": message_id}, status=201)


OUTCOMES = ("resolved", "referred", "emergency_services", "no_response", "other")


async def _held_by_me(request: web.Request) -> tuple[str, Dict[str, Any]]:
    """The conversation in the URL, if this counselor holds it (a supervisor may act on any)."""
    conversation_id = request.match_info["conversation_id"]
    conversation = await request.app[STORE].get(conversation_id)
    user = request[USER]
    if conversation.get("state") != HUMAN:
        raise problem(web.HTTPConflict, "the conversation is not held by a counselor")
    if conversation.get("holder") != user.name and user.role != "supervisor":
        raise problem(web.HTTPForbidden, "another counselor holds this conversation")
    return conversation_id, conversation


async def _let_go(request: web.Request, conversation_id: str, holder: str, state: str, **fields: Any) -> None:
    redis, keys = request.app[REDIS], _keys(request)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.hset(keys.conversation(conversation_id), mapping={"state": state, "holder": "", **fields})
        pipe.srem(keys.holdings(holder), conversation_id)
        await pipe.execute()
    await events.publish(redis, keys, state, conversation_id=conversation_id)


@routes.post("/api/conversations/{conversation_id}/release")
@counselor_only
async def release(request: web.Request) -> web.Response:
    """Hand the conversation back to the bot; she is told so."""
    conversation_id, conversation = await _held_by_me(request)
    await _let_go(request, conversation_id, conversation["holder"], "bot")
    await request.app[STORE].add_message(conversation_id, "notice", RELEASED_NOTICE)
    return web.json_response({"conversation_id": conversation_id, "state": "bot"})


RELEASED_NOTICE = "相談員とのお話はここまで。ここからはまたボットがお返事するね。話したくなったら、いつでも「相談員と話したい」って送ってね。"


CLOSED_NOTICE = "相談員とのお話はここで終わりにするね。話してくれてありがとう。また困ったときは、いつでもここに書いてね。"


@routes.post("/api/conversations/{conversation_id}/close")
@counselor_only
async def close(request: web.Request) -> web.Response:
    """Close with an outcome code and a private note (encrypted at rest)."""
    conversation_id, conversation = await _held_by_me(request)
    body = await json_object(request)
    outcome = body.get("outcome")
    if outcome not in OUTCOMES:
        raise problem(web.HTTPBadRequest, f"'outcome' must be one of {', '.join(OUTCOMES)}")
    note = body.get("note") or ""
    if not isinstance(note, str):
        raise problem(web.HTTPBadRequest, "'note' must be text")
    sealed = request.app[STORE].box.seal(note) if note else ""
    await _let_go(request, conversation_id, conversation["holder"], "closed", outcome=outcome, note=sealed)
    await request.app[STORE].add_message(conversation_id, "notice", CLOSED_NOTICE)
    return web.json_response({"conversation_id": conversation_id, "state": "closed", "outcome": outcome})


WS_BLOCK_MS = 4000  # below the Redis socket timeout


@routes.get("/api/console/events")
@counselor_only
async def console_events(request: web.Request) -> web.WebSocketResponse:
    """Live events as typed, numbered WebSocket frames; ``?after=SEQ`` resumes after a reconnect."""
    socket = web.WebSocketResponse(heartbeat=30)
    await socket.prepare(request)
    request.app[LIVE_TASKS].add(asyncio.current_task())
    redis, keys = request.app[REDIS], _keys(request)
    after = request.query.get("after") or await events.latest_id(redis, keys)
    await socket.send_json({"type": "hello", "seq": after, "user": request[USER].name})
    reader = asyncio.create_task(_until_closed(socket))
    try:
        while not reader.done():
            for seq, event in await events.read_after(redis, keys, after, WS_BLOCK_MS):
                await socket.send_json({**event, "seq": seq})
                after = seq
    except (ConnectionResetError, RedisError, asyncio.CancelledError):
        pass
    finally:
        reader.cancel()
    return socket


async def _until_closed(socket: web.WebSocketResponse) -> None:
    async for _ in socket:  # consoles send nothing yet; this only notices the close
        pass


async def _conversations_in_range(request: web.Request) -> list:
    try:
        start, end = stats.day_range(request.query.get("from"), request.query.get("to"), datetime.now(stats.TOKYO))
    except ValueError as error:
        raise problem(web.HTTPBadRequest, "dates must be YYYY-MM-DD") from error
    return await request.app[STORE].created_between(start, end)


@routes.get("/api/stats")
@counselor_only
async def get_stats(request: web.Request) -> web.Response:
    return web.json_response(stats.summarize(await _conversations_in_range(request)))


@routes.get("/api/stats.csv")
@counselor_only
async def get_stats_csv(request: web.Request) -> web.Response:
    body = stats.to_csv(await _conversations_in_range(request))
    return web.Response(text=body, content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": 'attachment; filename="akari-stats.csv"'})


@routes.get("/api/conversations")
@counselor_only
async def active_conversations(request: web.Request) -> web.Response:
    """Held conversations and who holds them: a supervisor sees all, a counselor her own."""
    store, user = request.app[STORE], request[USER]
    redis, keys = request.app[REDIS], _keys(request)
    if user.role == "supervisor":
        ids = [i.decode() for i in await redis.zrange(keys.index, 0, -1)]
    else:
        ids = sorted(m.decode() for m in await redis.smembers(keys.holdings(user.name)))
    active = []
    for conversation_id in ids:
        conversation = await store.get(conversation_id)
        if conversation.get("state") == HUMAN:
            active.append({**queue_entry(conversation_id, conversation), "holder": conversation.get("holder")})
    return web.json_response({"conversations": active})


@routes.post("/api/conversations/{conversation_id}/transfer")
@counselor_only
async def transfer_conversation(request: web.Request) -> web.Response:
    """Hand a held conversation to a colleague (``{"to": name}``); a supervisor may take any over."""
    conversation_id, conversation = await _held_by_me(request)
    user = request[USER]
    body = await json_object(request)
    target = body.get("to")
    if not isinstance(target, str) or not await request.app[REDIS].exists(_keys(request).user(target)):
        raise problem(web.HTTPBadRequest, "'to' must name a counselor")
    expected = "" if user.role == "supervisor" else user.name
    claims = Claims(request.app[REDIS], _keys(request))
    result = await transfer(claims, conversation_id, conversation["holder"], expected, target)
    if not result.ok:
        raise problem(web.HTTPConflict, result.reason)
    await events.publish(request.app[REDIS], _keys(request), "claimed", conversation_id=conversation_id, holder=target)
    return web.json_response({"conversation_id": conversation_id, "holder": target})


@routes.get("/api/conversations/{conversation_id}/places")
@counselor_only
async def places_for(request: web.Request) -> web.Response:
    """Lines that fit her concerns and are open now, ready to insert in a reply (from the directory)."""
    _, conversation = await _existing(request)
    emergency = conversation.get("max_urgency") == "emergency"
    places = open_now(conversation.get("concerns", []), emergency=emergency, limit=5)
    return web.json_response({"places": [
        {"id": p.id, "name": p.name, "phone": p.phone, "url": p.url, "hours": p.hours, "text": p.line()}
        for p in places
    ]})


@routes.post("/api/conversations/{conversation_id}/typing")
@counselor_only
async def counselor_typing(request: web.Request) -> web.Response:
    """The counselor is typing: a short-lived signal on her stream."""
    conversation_id, _ = await _held_by_me(request)
    key = _keys(request).live(conversation_id)
    async with request.app[REDIS].pipeline(transaction=True) as pipe:
        pipe.xadd(key, {"type": "typing"}, maxlen=20, approximate=True)
        pipe.expire(key, 3600)
        await pipe.execute()
    return web.json_response({"ok": True})


@routes.post("/api/conversations/{conversation_id}/notes")
@counselor_only
async def add_note(request: web.Request) -> web.Response:
    """A private note on the conversation (for the team; she never sees it)."""
    conversation_id, _ = await _existing(request)
    store = request.app[STORE]
    body = await json_object(request)
    text = text_field(body)
    await store.add_note(conversation_id, request[USER].name, text)
    return web.json_response({"ok": True}, status=201)


@routes.post("/api/conversations/{conversation_id}/consent")
@counselor_only
async def ask_consent(request: web.Request) -> web.Response:
    """Ask her before sharing anything (``{"to": "警察", "purpose": "…"}``); her answer is recorded."""
    conversation_id, _ = await _held_by_me(request)
    body = await json_object(request)
    to, purpose = text_field(body, "to"), text_field(body, "purpose")
    await Consents(request.app[REDIS], _keys(request)).ask(conversation_id, request[USER].name, to, purpose)
    await request.app[STORE].add_message(conversation_id, "notice", question(to, purpose))
    return web.json_response({"ok": True}, status=201)
