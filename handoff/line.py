"""The LINE channel (SPEC §4): ``POST /webhooks/line``, verified with the channel secret.

LINE wants its answer within seconds and Rasa may take longer, so the webhook only verifies the signature,
stores each new event (deduplicated on ``webhookEventId``) in a Redis stream and answers 200 at once; workers
(:mod:`handoff.line_worker`) then call :func:`handle` for each event. Each LINE user maps to one open
conversation, whose messages go through ``Messaging.handle`` exactly like web chat ones; the answer goes back
with the reply token while it is fresh, else by push. Message text is never logged.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import math
import traceback
from typing import Any, Coroutine, Dict, List, Optional, Set, Tuple

import aiohttp
from aiohttp import web
from redis.exceptions import RedisError

from handoff import errors, events, fallback, notices
from handoff.appkeys import HTTP, MESSAGING, REDIS, SETTINGS, STATES, STORE
from handoff.errors import problem
from handoff.keys import Keys
from handoff.routing import asks_bot
from handoff.states import CLOSED, HUMAN
from handoff.timeutil import now_ms

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

SIGNATURE_HEADER = "X-Line-Signature"
API_TIMEOUT = aiohttp.ClientTimeout(total=10, connect=3)  # LINE waits on us: never hang on it
MAX_BUBBLES = 5  # LINE accepts at most 5 messages per reply or push
MAX_BUBBLE_CHARS = 5000  # and at most 5000 characters per text message
SEEN_EVENT_TTL_SECONDS = 7 * 24 * 3600  # longer than LINE goes on redelivering an event
REPLY_WINDOW_MS = 50_000  # LINE honours a reply token for about a minute; past this, push instead
REPLY, PUSH, LOADING = "/v2/bot/message/reply", "/v2/bot/message/push", "/v2/bot/chat/loading/start"
HANDLED_EVENTS = ("message", "follow", "unfollow")
QUEUED, SENT, ANSWER = b"queued", b"sent", b"answer:"  # an event's progress, so a retry never answers twice
UNFOLLOW_OUTCOME = "no_response"  # one of the console's outcome codes: she left before it was resolved

ASK_FOR_WORDS = "ごめんね、ここではまだ文字しか読めないの。よかったら、いまの気持ちや困っていることを言葉で書いて送ってね。"
THANKS = {
    "sticker": "スタンプありがとう。",
    "image": "画像を送ってくれてありがとう。",
    "video": "動画を送ってくれてありがとう。",
    "audio": "音声を送ってくれてありがとう。",
    "file": "ファイルを送ってくれてありがとう。",
}
WORDS_PLEASE = THANKS["sticker"] + ASK_FOR_WORDS
LOCATION_NOT_KEPT = "位置情報を送ってくれてありがとう。場所は保存しないでおくね。いまどんな様子か、よかったら言葉で教えてね。"
LOCATION_KEPT = (
    "位置情報を送ってくれてありがとう。危ない状況かもしれないから、この場所は相談の記録に残しておくね。"
    "いまの様子を、言葉で教えてくれる？"
)
LEFT_NOTICE = "LINEの友だち登録が解除されました（ブロック）。LINEではもうメッセージを届けられません。"
FOLLOWED = "友だち追加ありがとう。"
FOLLOWED_AGAIN = "また来てくれてありがとう。"  # she had blocked the account and unblocked it
NOT_WORDS_NOTE = "（{kind}が送られました。内容は保存していません）"
KIND_NAMES = {"sticker": "スタンプ", "image": "画像", "video": "動画", "audio": "音声", "file": "ファイル",
              "location": "位置情報"}

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


# --- pure helpers -----------------------------------------------------------------------------------------

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


def user_of(event: Dict[str, Any]) -> Optional[str]:
    """Her LINE user id, for one-to-one chats only (groups and rooms are not a place for counseling)."""
    source = event.get("source") or {}
    user_id = source.get("userId") if source.get("type") == "user" else None
    return user_id if isinstance(user_id, str) and user_id else None


def handled(event: Dict[str, Any]) -> bool:
    """Events worth a worker's time: her messages, follow and unfollow in a one-to-one chat."""
    return event.get("type") in HANDLED_EVENTS and user_of(event) is not None


def event_time_ms(event: Dict[str, Any], received_ms: int) -> int:
    """When LINE says the event happened (the reply token's clock), or when we received it."""
    timestamp = event.get("timestamp")
    return timestamp if isinstance(timestamp, int) and 0 < timestamp <= received_ms else received_ms


def reply_usable(reply_token: Any, event_ms: int, now: int) -> bool:
    """A reply token is worth trying only while it is fresh; an old one would fail and delay her answer."""
    return isinstance(reply_token, str) and bool(reply_token) and now - event_ms < REPLY_WINDOW_MS


def loading_seconds(rasa_timeout: float) -> int:
    """LINE's loading animation lasts 5–60 s in steps of 5: long enough to cover the bot's slowest answer."""
    return min(60, max(5, math.ceil(rasa_timeout / 5) * 5))


def words_please(kind: str) -> str:
    """A kind answer to a sticker, picture, sound or file: thanks, and a gentle ask for words."""
    return THANKS.get(kind, "") + ASK_FOR_WORDS


def location_text(message: Dict[str, Any]) -> str:
    """A location as the counselor reads it in the transcript (kept only when she may be in danger)."""
    parts = [str(message.get(k)) for k in ("title", "address") if message.get(k)]
    where = "".join(f"{part} " for part in parts)
    return f"📍位置情報: {where}(緯度 {message.get('latitude')}, 経度 {message.get('longitude')})"


def _events(body: bytes) -> List[Dict[str, Any]]:
    """The webhook's events; anything that is not LINE's shape is a 400 (only after the signature held)."""
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise problem(400, "bad_json", "body must be JSON") from error
    events_ = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events_, list):
        raise problem(400, "bad_events", "'events' must be a list")
    return [event for event in events_ if isinstance(event, dict)]


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
    wanted = [event for event in _events(body) if handled(event)]
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
    keys = Keys(app[SETTINGS].key_prefix)
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
            job = _send(app, event.get("replyToken"), user_id, texts, event_time_ms(event, received))
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
        await _unfollow(app, user_id)
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
        await _send(app, event.get("replyToken"), user_id, texts, event_time_ms(event, received_ms))
    if marker:
        await app[REDIS].set(marker, SENT, xx=True, keepttl=True)


def _marker(app: web.Application, event: Dict[str, Any]) -> Optional[str]:
    event_id = event.get("webhookEventId")
    return Keys(app[SETTINGS].key_prefix).line_event(event_id) if isinstance(event_id, str) and event_id else None


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
    conversation_id = await _conversation_for(app, user_id)
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
    current = await _open_conversation(app, user_id)
    if current and current[1].get("state") == HUMAN:
        await _tell_counselor(app, current[0], NOT_WORDS_NOTE.format(kind=KIND_NAMES[kind]))
        return []
    return [words_please(kind)]


async def _answer_location(app: web.Application, user_id: str, message: Dict[str, Any]) -> List[str]:
    """Thanks; the place is kept only in a conversation already at emergency (she may need to be found)."""
    current = await _open_conversation(app, user_id)
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


async def _open_conversation(app: web.Application, user_id: str) -> Optional[Tuple[str, Dict[str, Any]]]:
    """Her open conversation and its fields, without making one (a sticker alone starts nothing)."""
    raw = await app[REDIS].get(Keys(app[SETTINGS].key_prefix).line_user(user_id))
    if not raw:
        return None
    conversation_id = raw.decode() if isinstance(raw, bytes) else raw
    conversation = await app[STORE].get(conversation_id)
    return (conversation_id, conversation) if conversation.get("state") not in (None, CLOSED) else None


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


async def _unfollow(app: web.Application, user_id: str) -> None:
    """She blocked the account: close her conversation (held, waiting or with the bot) and forget her LINE id's
    mapping, so nothing more is ever sent to her and nobody waits to answer a person who has gone."""
    key = Keys(app[SETTINGS].key_prefix).line_user(user_id)
    raw = await app[REDIS].get(key)
    await app[REDIS].delete(key)
    if not raw:
        return
    conversation_id = raw.decode() if isinstance(raw, bytes) else raw
    conversation = await app[STORE].get(conversation_id)
    if not conversation.get("state"):
        return
    if conversation["state"] == HUMAN:
        await app[STATES].close(conversation_id, conversation.get("holder") or "", "", UNFOLLOW_OUTCOME, "")
    else:
        await app[STATES].leave(conversation_id, UNFOLLOW_OUTCOME)
    await app[STORE].add_message(conversation_id, "notice", LEFT_NOTICE)


def log_failure(event: Dict[str, Any], error: BaseException) -> None:
    """The error's type and frames, never its message (it may quote her words)."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("LINE event %s failed: %s\n%s", event.get("webhookEventId"), type(error).__name__, frames)


# --- LINE's Messaging API -----------------------------------------------------------------------------------

async def start_loading(app: web.Application, user_id: str) -> bool:
    """LINE's 'typing' dots in her chat while the bot thinks; they stop when our answer arrives."""
    seconds = loading_seconds(app[SETTINGS].rasa_timeout)
    return await _call_api(app, LOADING, {"chatId": user_id, "loadingSeconds": seconds})


async def _send(app: web.Application, reply_token: Any, user_id: str, texts: List[str], event_ms: int) -> None:
    """Reply while the token is fresh (free, single-use); push when it is too old or the reply fails."""
    messages = bubbles(texts)
    if reply_usable(reply_token, event_ms, now_ms()):
        if await _call_api(app, REPLY, {"replyToken": reply_token, "messages": messages}):
            return
    if not await _call_api(app, PUSH, {"to": user_id, "messages": messages}):
        log.error("LINE reply and push both failed: her answer was not delivered")


async def push_to(app: web.Application, sealed_user_id: str, texts: List[str]) -> bool:
    """Push a counselor's message to her on LINE (her user id is stored encrypted)."""
    user_id = app[STORE].box.open(sealed_user_id)
    return await _call_api(app, PUSH, {"to": user_id, "messages": bubbles(texts)})


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
