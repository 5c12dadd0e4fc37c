"""The LINE channel (SPEC §4): ``POST /webhooks/line``, verified with the channel secret.

Each LINE user maps to one open conversation, whose messages go through
``Messaging.handle`` exactly like web chat ones; the answer goes back with
the reply token, or by push when the reply token no longer works.
Message text is never logged.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import traceback
from typing import Any, Dict, List, Optional

import aiohttp
from aiohttp import web

from handoff import errors, fallback
from handoff.appkeys import HTTP, MESSAGING, REDIS, SETTINGS, STORE
from handoff.errors import problem
from handoff.keys import Keys
from handoff.states import CLOSED

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

SIGNATURE_HEADER = "X-Line-Signature"
API_TIMEOUT = aiohttp.ClientTimeout(total=10, connect=3)  # LINE waits on us: never hang on it
MAX_BUBBLES = 5  # LINE accepts at most 5 messages per reply or push
MAX_BUBBLE_CHARS = 5000  # and at most 5000 characters per text message
SEEN_EVENT_TTL_SECONDS = 7 * 24 * 3600  # longer than LINE goes on redelivering an event
WORDS_PLEASE = (
    "スタンプや画像を送ってくれてありがとう。"
    "ごめんね、ここではまだ文字しか読めないの。"
    "よかったら、いまの気持ちを言葉で書いて送ってね。"
)
NOT_WORDS = {"sticker", "image", "video", "audio", "file", "location"}


def signature_ok(secret: str, body: bytes, signature: str) -> bool:
    """LINE signs the raw body: base64(HMAC-SHA256(channel secret, body)); compared in constant time."""
    expected = base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, signature.encode("utf-8", "replace"))


def bubbles(texts: List[str]) -> List[Dict[str, str]]:
    """LINE text messages for our texts: at most 5 (the rest merged into the last), each within 5000 chars."""
    texts = [t for t in texts if t and t.strip()]
    if len(texts) > MAX_BUBBLES:
        texts = texts[: MAX_BUBBLES - 1] + ["\n\n".join(texts[MAX_BUBBLES - 1:])]
    return [{"type": "text", "text": _clip(t)} for t in texts]


def _clip(text: str) -> str:
    """LINE refuses the whole call for one over-long text; better to lose a tail than every bubble."""
    return text if len(text) <= MAX_BUBBLE_CHARS else text[: MAX_BUBBLE_CHARS - 1] + "…"


def _events(body: bytes) -> List[Dict[str, Any]]:
    """The webhook's events; anything that is not LINE's shape is a 400 (only after the signature held)."""
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise problem(400, "bad_json", "body must be JSON") from error
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        raise problem(400, "bad_events", "'events' must be a list")
    return [event for event in events if isinstance(event, dict)]


@routes.post("/webhooks/line")
async def webhook(request: web.Request) -> web.Response:
    """Verify before parsing; once verified, always 200 so LINE does not redeliver what we already have."""
    secret = request.app[SETTINGS].line_channel_secret
    if not secret:
        return errors.response(503, "line_not_configured", "the LINE channel is not configured")
    body = await request.read()
    if not signature_ok(secret, body, request.headers.get(SIGNATURE_HEADER, "")):
        return errors.response(401, "bad_signature", "missing or invalid LINE signature")
    for event in _events(body):
        await _process_safely(request.app, event)
    return web.json_response({})


async def _process_safely(app: web.Application, event: Dict[str, Any]) -> None:
    """One bad event must not cost the others, nor LINE's 200 (it would redeliver)."""
    try:
        await _process(app, event)
    except Exception as error:  # LINE gets its 200 regardless
        _log_failure(event, error)


def _log_failure(event: Dict[str, Any], error: BaseException) -> None:
    """The error's type and frames, never its message (it may quote her words)."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("LINE event %s failed: %s\n%s", event.get("webhookEventId"), type(error).__name__, frames)


async def _process(app: web.Application, event: Dict[str, Any]) -> None:
    """A user's message, answered once; if storage or routing fails she still gets the kind fallback."""
    source = event.get("source") or {}
    user_id = source.get("userId") if source.get("type") == "user" else None
    if event.get("type") != "message" or not isinstance(user_id, str) or not user_id:
        return  # other events need no answer; groups and rooms are not a place for counseling
    message = event.get("message") or {}
    try:
        if not await _first_delivery(app, event):
            return
        texts = await _answer(app, user_id, message)
    except Exception as error:  # storage or routing down: she still hears from us
        _log_failure(event, error)
        texts = _fallback(message)
    if texts:
        await _send(app, event.get("replyToken"), user_id, texts)


def _fallback(message: Dict[str, Any]) -> List[str]:
    """Without Redis: the apology and 24-hour lines open now that fit her words (as web chat's 503 does)."""
    text = message.get("text") if message.get("type") == "text" else None
    return fallback.kind_reply(fallback.local_triage(text) if isinstance(text, str) else None)


async def _first_delivery(app: web.Application, event: Dict[str, Any]) -> bool:
    """True only the first time LINE's webhookEventId is seen (replays and redeliveries keep the id)."""
    event_id = event.get("webhookEventId")
    if not isinstance(event_id, str) or not event_id:
        return True  # nothing to recognise it by: handle it rather than lose her message
    key = Keys(app[SETTINGS].key_prefix).line_event(event_id)
    if await app[REDIS].set(key, "1", nx=True, ex=SEEN_EVENT_TTL_SECONDS):
        return True
    redelivery = bool((event.get("deliveryContext") or {}).get("isRedelivery"))
    log.info("LINE event %s already handled (%s): ignored", event_id, "redelivery" if redelivery else "replay")
    return False


async def _answer(app: web.Application, user_id: str, message: Dict[str, Any]) -> List[str]:
    """What to say back: the conversation's reply to a text, a kind ask for words to a sticker or picture."""
    if message.get("type") in NOT_WORDS:
        return [WORDS_PLEASE]
    text = message.get("text")
    if message.get("type") != "text" or not isinstance(text, str) or not text.strip():
        return []
    conversation_id = await _conversation_for(app, user_id)
    await app[STORE].activate(conversation_id)
    limit = app[SETTINGS].max_message_chars
    shown: List[str] = []
    for start in range(0, len(text), limit):  # LINE allows longer texts than we triage at once: keep all of it
        reply = await app[MESSAGING].handle(conversation_id, text[start:start + limit])
        shown += [m["text"] for m in reply.messages]
    return shown


async def _conversation_for(app: web.Application, user_id: str) -> str:
    """Her open conversation, or a new one (first message, closed, or expired)."""
    redis, settings = app[REDIS], app[SETTINGS]
    key, ttl = Keys(settings.key_prefix).line_user(user_id), settings.session_ttl_seconds
    raw = await redis.get(key)
    current = raw.decode() if isinstance(raw, bytes) else raw
    if current and (await app[STORE].get(current)).get("state") not in (None, CLOSED):
        await redis.expire(key, ttl)
        return current
    conversation_id, _token = await app[STORE].create("line")  # the web token is never handed out; it expires
    if await redis.set(key, conversation_id, ex=ttl, nx=current is None):
        # kept encrypted, so a counselor's replies can be pushed to her on LINE
        await app[STORE].set_fields(conversation_id, line_user=app[STORE].box.seal(user_id))
        return conversation_id
    await redis.delete(Keys(settings.key_prefix).conversation(conversation_id))  # lost a race: use the winner's
    return await _conversation_for(app, user_id)


async def _send(app: web.Application, reply_token: Optional[str], user_id: str, texts: List[str]) -> None:
    """Reply (free, but the token is single-use and short-lived); push when that fails."""
    messages = bubbles(texts)
    if isinstance(reply_token, str) and reply_token:
        if await _call_api(app, "/v2/bot/message/reply", {"replyToken": reply_token, "messages": messages}):
            return
    if not await _call_api(app, "/v2/bot/message/push", {"to": user_id, "messages": messages}):
        log.error("LINE reply and push both failed: her answer was not delivered")


async def push_to(app: web.Application, sealed_user_id: str, texts: List[str]) -> bool:
    """Push a counselor's message to her on LINE (her user id is stored encrypted)."""
    user_id = app[STORE].box.open(sealed_user_id)
    return await _call_api(app, "/v2/bot/message/push", {"to": user_id, "messages": bubbles(texts)})


async def _call_api(app: web.Application, path: str, body: Dict[str, Any]) -> bool:
    """POST to LINE's Messaging API; True on 2xx. Logs the status only (bodies hold her conversation)."""
    settings = app[SETTINGS]
    if not settings.line_channel_access_token:
        log.error("LINE_CHANNEL_ACCESS_TOKEN is not set: cannot answer on LINE")
        return False
    headers = {"Authorization": f"Bearer {settings.line_channel_access_token}"}
    try:
        async with app[HTTP].post(settings.line_api_base + path, json=body, headers=headers,
                                  timeout=API_TIMEOUT) as response:
            if response.status < 300:
                return True
            log.warning("LINE %s answered %s", path, response.status)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        log.warning("LINE %s unreachable: %s", path, type(error).__name__)
    return False
