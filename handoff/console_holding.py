"""The counselors' write side: claim, reply, typing, transfer, release, close — each a state transition."""

from __future__ import annotations

from typing import Any, Dict

from aiohttp import web

from handoff import line
from handoff.access import SUPERVISOR
from handoff.appkeys import KEYS, REDIS, STATES, STORE
from handoff.auth import USER, counselor_only
from handoff.console_conversations import existing, require_held
from handoff.errors import problem
from handoff.requests_json import json_object, text_field
from handoff.states import BOT, CLOSED, HUMAN, Result

routes = web.RouteTableDef()

OUTCOMES = ("resolved", "referred", "emergency_services", "no_response", "other")
RELEASED_NOTICE = "相談員とのお話はここまで。ここからはまたボットがお返事するね。話したくなったら、いつでも「相談員と話したい」って送ってね。"
CLOSED_NOTICE = "相談員とのお話はここで終わりにするね。話してくれてありがとう。また困ったときは、いつでもここに書いてね。"
_REFUSALS = {
    "limit": (409, "you already hold the most conversations allowed"),
    "not_waiting": (409, "not waiting: someone else may have claimed it"),
    "not_held": (409, "the conversation is not held by a counselor"),
    "held_by_other": (403, "another counselor holds this conversation"),
}


def refused(result: Result) -> web.HTTPException:
    status, message = _REFUSALS.get(result.reason, (409, "the conversation changed; reload it"))
    return problem(status, result.reason, message)


@routes.post("/api/conversations/{conversation_id}/claim")
@counselor_only
async def claim(request: web.Request) -> web.Response:
    conversation_id = request.match_info["conversation_id"]
    result = await request.app[STATES].claim(conversation_id, request[USER].name)
    if not result.ok:
        raise refused(result)
    return web.json_response({"conversation_id": conversation_id, "state": HUMAN})


async def held_by_me(request: web.Request) -> tuple[str, Dict[str, Any]]:
    """The conversation in the URL, if this counselor holds it (a supervisor may act on any)."""
    conversation_id, conversation = await existing(request)
    user = request[USER]
    if conversation.get("state") != HUMAN:
        raise problem(409, "not_held", "the conversation is not held by a counselor")
    if conversation.get("holder") != user.name and user.role != SUPERVISOR:
        raise problem(403, "held_by_other", "another counselor holds this conversation")
    return conversation_id, conversation


def _expected(request: web.Request) -> str:
    """Whose hold a transition checks: her own, or anyone's for a supervisor."""
    return "" if request[USER].role == SUPERVISOR else request[USER].name


@routes.post("/api/conversations/{conversation_id}/messages")
@counselor_only
async def reply(request: web.Request) -> web.Response:
    conversation_id, conversation = await existing(request)
    require_held(conversation)
    if conversation.get("holder") != request[USER].name:
        raise problem(409, "held_by_other", "another counselor holds this conversation")
    text = text_field(await json_object(request))
    message_id = await request.app[STORE].add_message(conversation_id, "counselor", text)
    if conversation.get("channel") == "line" and conversation.get("line_user"):
        if not await line.push_to(request.app, conversation["line_user"], [text]):
            raise problem(502, "line_refused", "saved, but LINE did not accept the message; try again")
    await request.app[STATES].first_reply(conversation_id, int(message_id.split("-")[0]))
    return web.json_response({"id": message_id}, status=201)


@routes.post("/api/conversations/{conversation_id}/typing")
@counselor_only
async def counselor_typing(request: web.Request) -> web.Response:
    """The counselor is typing: a short-lived signal on her stream."""
    conversation_id, _ = await held_by_me(request)
    key = request.app[KEYS].live(conversation_id)
    async with request.app[REDIS].pipeline(transaction=True) as pipe:
        pipe.xadd(key, {"type": "typing"}, maxlen=20, approximate=True)
        pipe.expire(key, 3600)
        pipe.publish(request.app[KEYS].doorbell, conversation_id)  # wakes her open stream
        await pipe.execute()
    return web.json_response({"ok": True})


@routes.post("/api/conversations/{conversation_id}/release")
@counselor_only
async def release(request: web.Request) -> web.Response:
    """Hand the conversation back to the bot; she is told so."""
    conversation_id, conversation = await held_by_me(request)
    result = await request.app[STATES].release(conversation_id, conversation["holder"], _expected(request))
    if not result.ok:
        raise refused(result)
    await request.app[STORE].add_message(conversation_id, "notice", RELEASED_NOTICE)
    return web.json_response({"conversation_id": conversation_id, "state": BOT})


@routes.post("/api/conversations/{conversation_id}/close")
@counselor_only
async def close(request: web.Request) -> web.Response:
    """Close with an outcome code and a private note (encrypted at rest)."""
    conversation_id, conversation = await held_by_me(request)
    body = await json_object(request)
    outcome, note = body.get("outcome"), body.get("note") or ""
    if outcome not in OUTCOMES:
        raise problem(400, "bad_outcome", f"'outcome' must be one of {', '.join(OUTCOMES)}")
    if not isinstance(note, str):
        raise problem(400, "bad_field", "'note' must be text")
    sealed = request.app[STORE].box.seal(note) if note else ""
    result = await request.app[STATES].close(conversation_id, conversation["holder"], _expected(request), outcome,
                                             sealed)
    if not result.ok:
        raise refused(result)
    await request.app[STORE].add_message(conversation_id, "notice", CLOSED_NOTICE)
    return web.json_response({"conversation_id": conversation_id, "state": CLOSED, "outcome": outcome})


@routes.post("/api/conversations/{conversation_id}/transfer")
@counselor_only
async def transfer_conversation(request: web.Request) -> web.Response:
    """Hand a held conversation to a colleague (``{"to": name}``); a supervisor may take any over."""
    conversation_id, conversation = await held_by_me(request)
    target = (await json_object(request)).get("to")
    if not isinstance(target, str) or not await request.app[REDIS].exists(request.app[KEYS].user(target)):
        raise problem(400, "unknown_counselor", "'to' must name a counselor")
    result = await request.app[STATES].transfer(conversation_id, conversation["holder"], _expected(request), target)
    if not result.ok:
        raise refused(result)
    return web.json_response({"conversation_id": conversation_id, "holder": target})
