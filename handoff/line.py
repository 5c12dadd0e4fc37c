"""The LINE channel (SPEC §4): ``POST /webhooks/line``, verified with the channel secret.

LINE wants its answer within seconds and Rasa may take longer, so the webhook only verifies the signature,
stores each new event (deduplicated on ``webhookEventId``) in a Redis stream and answers 200 at once; workers
(:mod:`handoff.line_worker`) then call :func:`handle` for each event. Each LINE user maps to one open
conversation, whose messages go through ``Messaging.handle`` exactly like web chat ones; the answer goes back
with the reply token while it is fresh, else by push. Message text is never logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import traceback
from typing import Any, Coroutine, Dict, List, Optional, Set, Tuple

from aiohttp import web
from redis.exceptions import RedisError

from handoff import errors, events, fallback, line_users, notices
from handoff.appkeys import KEYS, MESSAGING, REDIS, SETTINGS, STORE
from handoff.line_api import push_to, send, start_loading  # noqa: F401  (push_to: the console's replies)
from handoff.line_messages import (
    FOLLOWED,
    FOLLOWED_AGAIN,
    KIND_NAMES,
    LOCATION_KEPT,
    LOCATION_NOT_KEPT,
    NOT_WORDS_NOTE,
    THANKS,
    event_time_ms,
    handled,
    location_text,
    parse_events,
    signature_ok,
    user_of,
    words_please,
)
from handoff.routing import asks_bot
from handoff.states import CLOSED, HUMAN
from handoff.timeutil import now_ms

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

SIGNATURE_HEADER = "X-Line-Signature"
SEEN_EVENT_TTL_SECONDS = 7 * 24 * 3600  # longer than LINE goes on redelivering an event
QUEUED, SENT, ANSWER = b"queued", b"sent", b"answer:"  # an event's progress, so a retry never answers twice

_ENQUEUE = """
if ARGV[4] == '1' and not redis.call('SET', KEYS[2], 'queued', 'NX', 'EX', ARGV[3]) then return 0 end
redis.call('XADD', KEYS[1], '*', 'event', ARGV[1], 'received', ARGV[2])
return 1
"""


class Background:
    """Tasks the webhook starts when it cannot queue (Redis down); cancelled when the app stops."""

    def __init__(self) -> None:
        self.tasks: Set[asyncio.Task] = set()

    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


BACKGROUND = web.AppKey("line_background", Background)


# --- the webhook: verify, queue, answer -------------------------------------------------------------------

@routes.post("/webhooks/line")
async def webhook(request: web.Request) -> web.Response:
    """Verify before parsing; once verified, queue and answer 200 at once (LINE redelivers what fails)."""
    secret = request.app[SETTINGS].line_channel_secret
    if not secret:
        return errors.response(503, "line_not_configured", "the LINE channel is not configured")
    body = await request.read()
    if not signature_ok(secret, body, request.headers.get(SIGNATURE_HEADER, "")):
        return errors.response(401, "bad_signature", "missing or invalid LINE signature")
    wanted = [event for event in parse_events(body) if handled(event)]
    received = now_ms()
    for index, event in enumerate(wanted):
        try:
            await enqueue_one(request.app, event, received)
        except (RedisError, OSError) as error:  # nowhere to keep them: answer what we can without storage
            log.error("LINE events could not be queued (%s): answering with the fallback", type(error).__name__)
            await _answer_offline(request.app, wanted[index:])
            break
    return web.json_response({})


async def enqueue(app: web.Application, wanted: List[Dict[str, Any]], received_ms: int) -> int:
    """Queue each event not seen before; how many were new."""
    return sum([await enqueue_one(app, event, received_ms) for event in wanted])


async def enqueue_one(app: web.Application, event: Dict[str, Any], received_ms: int) -> int:
    """SET NX on its webhookEventId, then XADD (encrypted), in one script: 1 if queued, 0 if seen before."""
    keys = app[KEYS]
    event_id = event.get("webhookEventId")
    has_id = isinstance(event_id, str) and bool(event_id)
    marker = keys.line_event(event_id) if has_id else keys.line_inbox
    sealed = app[STORE].box.seal(json.dumps(event, ensure_ascii=False))
    script = app[REDIS].register_script(_ENQUEUE)
    new = int(await script(keys=[keys.line_inbox, marker],
                           args=[sealed, received_ms, SEEN_EVENT_TTL_SECONDS, "1" if has_id else "0"]))
    if not new:
        _log_duplicate(event)
    return new


def _log_duplicate(event: Dict[str, Any]) -> None:
    redelivery = bool((event.get("deliveryContext") or {}).get("isRedelivery"))
    log.info("LINE event %s already queued (%s): ignored", event.get("webhookEventId"),
             "redelivery" if redelivery else "replay")


async def _answer_offline(app: web.Application, wanted: List[Dict[str, Any]]) -> None:
    """Without Redis: the kind fallback (lexicon triage, lines open now), sent after the 200."""
    received = now_ms()
    for event in wanted:
        texts = _offline_texts(app, event)
        user_id = user_of(event)
        if texts and user_id:
            job = send(app, event.get("replyToken"), user_id, texts, event_time_ms(event, received))
            if BACKGROUND in app:
                app[BACKGROUND].spawn(job)
            else:  # no worker context to own a task: send it now
                await job


def welcome(app: web.Application, event: Dict[str, Any]) -> List[str]:
    """A follow: the shared greeting, bot disclosure and privacy notice (handoff.notices)."""
    again = bool((event.get("follow") or {}).get("isUnblocked"))
    return notices.welcome(app[SETTINGS].retention_seconds, FOLLOWED_AGAIN if again else FOLLOWED)


def _offline_texts(app: web.Application, event: Dict[str, Any]) -> List[str]:
    if event.get("type") == "follow":
        return welcome(app, event)
    if event.get("type") != "message":
        return []
    return _fallback(event.get("message") or {})


def _fallback(message: Dict[str, Any]) -> List[str]:
    """Without storage or routing: the apology and 24-hour lines open now that fit her words."""
    kind = message.get("type")
    if kind == "location":
        return [LOCATION_NOT_KEPT]
    if kind in THANKS:
        return [words_please(kind)]
    text = message.get("text") if kind == "text" else None
    return fallback.kind_reply(fallback.local_triage(text) if isinstance(text, str) else None)


# --- one event, in a worker ---------------------------------------------------------------------------------

async def handle(app: web.Application, event: Dict[str, Any], received_ms: int) -> None:
    """Answer one queued event once: a retry after a dead worker resends a saved answer, or nothing if sent."""
    user_id = user_of(event)
    if user_id is None:
        return
    if event.get("type") == "unfollow":
        await line_users.unfollow(app, user_id)
        return
    marker = _marker(app, event)
    stage, saved = await _stage(app, marker)
    if stage == SENT:
        log.info("LINE event %s was answered before a worker stopped: not sent again", event.get("webhookEventId"))
        return
    texts = saved if saved is not None else await _compose_safely(app, event, user_id)
    if marker and saved is None:
        sealed = app[STORE].box.seal(json.dumps(texts, ensure_ascii=False))
        await app[REDIS].set(marker, ANSWER + sealed.encode(), xx=True, keepttl=True)
    if texts:
        await send(app, event.get("replyToken"), user_id, texts, event_time_ms(event, received_ms))
    if marker:
        await app[REDIS].set(marker, SENT, xx=True, keepttl=True)


def _marker(app: web.Application, event: Dict[str, Any]) -> Optional[str]:
    event_id = event.get("webhookEventId")
    return app[KEYS].line_event(event_id) if isinstance(event_id, str) and event_id else None


async def _stage(app: web.Application, marker: Optional[str]) -> Tuple[bytes, Optional[List[str]]]:
    """Where a previous attempt got to: nothing yet, an answer composed but maybe not sent, or sent."""
    raw = await app[REDIS].get(marker) if marker else None
    if not raw or not raw.startswith(ANSWER):
        return (raw or QUEUED), None
    return ANSWER, json.loads(app[STORE].box.open(raw[len(ANSWER):].decode()))


async def _compose_safely(app: web.Application, event: Dict[str, Any], user_id: str) -> List[str]:
    """What to say; if storage or routing fails she still hears from us."""
    try:
        return await _compose(app, event, user_id)
    except Exception as error:  # she gets the kind fallback regardless
        log_failure(event, error)
        return _offline_texts(app, event)


async def _compose(app: web.Application, event: Dict[str, Any], user_id: str) -> List[str]:
    if event.get("type") == "follow":
        return welcome(app, event)
    message = event.get("message") or {}
    kind = message.get("type")
    if kind == "text":
        text = message.get("text")
        return await _answer_text(app, user_id, text) if isinstance(text, str) and text.strip() else []
    if kind == "location":
        return await _answer_location(app, user_id, message)
    if kind in THANKS:
        return await _answer_not_words(app, user_id, kind)
    return []


async def _answer_text(app: web.Application, user_id: str, text: str) -> List[str]:
    """The conversation's reply, with LINE's loading animation while the bot thinks."""
    conversation_id = await line_users.conversation_for(app, user_id)
    await app[STORE].activate(conversation_id)
    if asks_bot((await app[STORE].get(conversation_id)).get("state") or CLOSED):
        await start_loading(app, user_id)
    limit = app[SETTINGS].max_message_chars
    shown: List[str] = []
    for start in range(0, len(text), limit):  # LINE allows longer texts than we triage at once: keep all of it
        reply = await app[MESSAGING].handle(conversation_id, text[start:start + limit])
        shown += [m["text"] for m in reply.messages]
    return shown


async def _answer_not_words(app: web.Application, user_id: str, kind: str) -> List[str]:
    """A kind ask for words; while a counselor holds her conversation, the counselor is told instead."""
    current = await line_users.open_conversation(app, user_id)
    if current and current[1].get("state") == HUMAN:
        await _tell_counselor(app, current[0], NOT_WORDS_NOTE.format(kind=KIND_NAMES[kind]))
        return []
    return [words_please(kind)]


async def _answer_location(app: web.Application, user_id: str, message: Dict[str, Any]) -> List[str]:
    """Thanks; the place is kept only in a conversation already at emergency (she may need to be found)."""
    current = await line_users.open_conversation(app, user_id)
    emergency = bool(current) and current[1].get("max_urgency") == "emergency"
    if current and current[1].get("state") == HUMAN:
        note = location_text(message) if emergency else NOT_WORDS_NOTE.format(kind=KIND_NAMES["location"])
        await _tell_counselor(app, current[0], note)
        return []
    if current and emergency:
        await app[STORE].add_message(current[0], "user", location_text(message))
        return [LOCATION_KEPT]
    return [LOCATION_NOT_KEPT]


async def _tell_counselor(app: web.Application, conversation_id: str, text: str) -> None:
    await app[STORE].add_message(conversation_id, "user", text)
    await events.publish(app[REDIS], app[STORE].keys, events.USER_MESSAGE, conversation_id=conversation_id)


def log_failure(event: Dict[str, Any], error: BaseException) -> None:
    """The error's type and frames, never its message (it may quote her words)."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("LINE event %s failed: %s\n%s", event.get("webhookEventId"), type(error).__name__, frames)
