"""The counselors' read side: the queue, a conversation, notes, consent questions, places open now (SPEC §4).

Least privilege (:mod:`handoff.access`): a counselor reads the queue's summaries, what she holds and a
waiting conversation she is about to claim; a supervisor reads everything; every transcript read is audited.
"""

from __future__ import annotations

from typing import Any, Callable, Dict

from aiohttp import web

from bot.support.directory import open_in_language, open_now
from handoff import access
from handoff.appkeys import CONSENTS, KEYS, QUEUE, REDIS, STORE
from handoff.auth import USER, counselor_only
from handoff.consent import question
from handoff.errors import problem
from handoff.requests_json import json_object, text_field
from handoff.states import HUMAN

routes = web.RouteTableDef()


def queue_entry(conversation_id: str, conversation: Dict[str, Any]) -> Dict[str, Any]:
    """What a counselor sees in the queue: no message text."""
    return {
        "conversation_id": conversation_id,
        "urgency": conversation.get("max_urgency", "low"),
        "concerns": conversation.get("concerns", []),
        "factors": conversation.get("factors", []),
        "waiting_since": int(conversation["waiting_since"]) if conversation.get("waiting_since") else None,
        "channel": conversation.get("channel"),
        "language": conversation.get("language") or "ja",  # issue 9 (languages)
    }


@routes.get("/api/queue")
@counselor_only
async def get_queue(request: web.Request) -> web.Response:
    store = request.app[STORE]
    entries = [queue_entry(cid, await store.get(cid)) for cid in await request.app[QUEUE].waiting()]
    return web.json_response({"queue": entries})


async def existing(request: web.Request) -> tuple[str, Dict[str, Any]]:
    """The conversation named in the URL, or 404."""
    conversation_id = request.match_info["conversation_id"]
    conversation = await request.app[STORE].get(conversation_id)
    if not conversation.get("state"):
        raise problem(404, "not_found", "no such conversation")
    return conversation_id, conversation


async def _permitted(request: web.Request, allowed: Callable[..., bool], refusal: str) -> tuple[str, Dict[str, Any]]:
    """The conversation in the URL, if ``allowed(user, conversation)``; else 403 with ``refusal``."""
    conversation_id, conversation = await existing(request)
    if not allowed(request[USER], conversation):
        raise problem(403, "not_yours", refusal)
    return conversation_id, conversation


def require_held(conversation: Dict[str, Any]) -> None:
    """A reply or a consent question needs a counselor holding the conversation; else 409 ``not_held``."""
    if conversation.get("state") != HUMAN:
        raise problem(409, "not_held", "claim the conversation first")


async def readable(request: web.Request) -> tuple[str, Dict[str, Any]]:
    """The conversation in the URL, if this counselor may read it (handoff.access); else 403."""
    return await _permitted(request, access.may_read, "another counselor holds this conversation")


@routes.get("/api/conversations/{conversation_id}")
@counselor_only
async def get_conversation(request: web.Request) -> web.Response:
    conversation_id, conversation = await readable(request)
    store, user = request.app[STORE], request[USER]
    await access.audit_read(request.app[REDIS], request.app[KEYS], user, conversation_id)
    notes = await store.notes(conversation_id) if access.may_annotate(user, conversation) else []
    return web.json_response({**queue_entry(conversation_id, conversation), "state": conversation["state"],
                              "holder": conversation.get("holder"), "messages": await store.transcript(conversation_id),
                              "triage_history": await store.triage_history(conversation_id), "notes": notes,
                              "consents": await request.app[CONSENTS].all(conversation_id)})


@routes.get("/api/conversations")
@counselor_only
async def active_conversations(request: web.Request) -> web.Response:
    """Held conversations and who holds them: a supervisor sees all, a counselor her own."""
    store, user, redis, keys = request.app[STORE], request[USER], request.app[REDIS], request.app[KEYS]
    if user.role == access.SUPERVISOR:
        ids = [i.decode() for i in await redis.zrange(keys.index, 0, -1)]
    else:
        ids = sorted(m.decode() for m in await redis.smembers(keys.holdings(user.name)))
    active = []
    for conversation_id in ids:
        conversation = await store.get(conversation_id)
        if conversation.get("state") == HUMAN:
            active.append({**queue_entry(conversation_id, conversation), "holder": conversation.get("holder")})
    return web.json_response({"conversations": active})


@routes.get("/api/conversations/{conversation_id}/places")
@counselor_only
async def places_for(request: web.Request) -> web.Response:
    """Lines that fit her concerns and are open now, ready to insert in a reply (from the directory)."""
    _, conversation = await readable(request)
    emergency, concerns = conversation.get("max_urgency") == "emergency", conversation.get("concerns", [])
    language = conversation.get("language") or "ja"
    places = open_now(concerns, emergency=emergency, limit=5, unsure=True)
    if language != "ja":  # lines that answer in her language first
        theirs = open_in_language(language, concerns, emergency=emergency, limit=5)
        places = (theirs + [p for p in places if p.id not in {t.id for t in theirs}])[:5]
    return web.json_response({"places": [
        {"id": p.id, "name": p.name, "phone": p.phone, "url": p.url, "hours": p.hours, "text": p.line()}
        for p in places
    ]})


async def annotatable(request: web.Request) -> tuple[str, Dict[str, Any]]:
    """The conversation in the URL, if this counselor may add notes or ask for consent; else 403."""
    return await _permitted(request, access.may_annotate, "only the counselor holding this conversation can do that")


@routes.post("/api/conversations/{conversation_id}/notes")
@counselor_only
async def add_note(request: web.Request) -> web.Response:
    """A private note on the conversation (for the team; she never sees it)."""
    conversation_id, _ = await annotatable(request)
    text = text_field(await json_object(request))
    await request.app[STORE].add_note(conversation_id, request[USER].name, text)
    return web.json_response({"ok": True}, status=201)


@routes.post("/api/conversations/{conversation_id}/consent")
@counselor_only
async def ask_consent(request: web.Request) -> web.Response:
    """Ask her before sharing anything (``{"to": "警察", "purpose": "…"}``); her answer is recorded."""
    conversation_id, conversation = await annotatable(request)
    require_held(conversation)
    body = await json_object(request)
    to, purpose = text_field(body, "to"), text_field(body, "purpose")
    await request.app[CONSENTS].ask(conversation_id, request[USER].name, to, purpose)
    await request.app[STORE].add_message(conversation_id, "notice", question(to, purpose))
    return web.json_response({"ok": True}, status=201)


@routes.get("/api/audit")
@counselor_only
async def get_audit(request: web.Request) -> web.Response:
    """Who read which transcript, when: supervisors only."""
    if request[USER].role != access.SUPERVISOR:
        raise problem(403, "supervisors_only", "only a supervisor can see the audit log")
    return web.json_response({"reads": await access.audit_log(request.app[REDIS], request.app[KEYS])})
