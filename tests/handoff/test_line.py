"""The LINE webhook end to end: LINE-shaped, LINE-signed events (built with LINE's SDK), real Redis,
Rasa down (so the kind fallback answers), the app's own queue worker, and a local fake of LINE's Messaging API.

The webhook only queues; answers arrive later, so every test waits on the fake (an event it sets on each
request) or on the worker's count of finished events, with a timeout — never by sleeping."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import uuid
from dataclasses import replace
from typing import Any, Optional

import pytest
from aiohttp import web
from linebot.v3 import WebhookParser
from linebot.v3.webhook import SignatureValidator
from linebot.v3.webhooks import (
    AudioMessageContent,
    CallbackRequest,
    ContentProvider,
    DeliveryContext,
    FileMessageContent,
    FollowDetail,
    FollowEvent,
    GroupSource,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
    VideoMessageContent,
)

from handoff import line, line_messages, line_users, notices
from handoff.app import create_app
from handoff.keys import Keys
from handoff.line_messages import LOCATION_KEPT, LOCATION_NOT_KEPT, bubbles, words_please
from handoff.line_worker import WORKER
from handoff.messaging import Messaging
from handoff.queue import Queue
from handoff.states import CLOSED, HUMAN, StateMachine
from handoff.store import Store
from tests.conftest import free_port
from tests.handoff.fake_line import LOADING, PUSH, REPLY, FakeLine
from tests.handoff.helpers import ALARM

SECRET = "0123456789abcdef0123456789abcdef"
ACCESS_TOKEN = "test-channel-access-token"
BOT_ID = "U" + "b" * 32
USER = "U" + "1" * 32
OTHER = "U" + "2" * 32


@pytest.fixture
async def fake_line():
    fake = await FakeLine(ACCESS_TOKEN).start()
    yield fake
    await fake.close()


@pytest.fixture
def line_settings(base_settings, fake_line):
    return replace(base_settings, line_channel_secret=SECRET, line_channel_access_token=ACCESS_TOKEN,
                   line_api_base=fake_line.base_url)


def line_app(settings) -> web.Application:
    """The real app, with the LINE routes added here only until ``handoff/app.py`` adds them itself."""
    app = create_app(settings)
    if not any(resource.canonical == "/webhooks/line" for resource in app.router.resources()):
        app.add_routes(line.routes)
    return app


@pytest.fixture
async def line_client(aiohttp_client, line_settings, redis):
    return await aiohttp_client(line_app(line_settings))


def now_ms() -> int:
    return int(time.time() * 1000)


def text_event(text: str, user_id: str = USER, event_id: Optional[str] = None, redelivery: bool = False,
               source: Any = None, timestamp: Optional[int] = None) -> MessageEvent:
    message = TextMessageContent(id=uuid.uuid4().hex[:18], text=text, quote_token=uuid.uuid4().hex)
    return _event(message, user_id, event_id, redelivery, source, timestamp)


def sticker_event(user_id: str = USER) -> MessageEvent:
    message = StickerMessageContent(id=uuid.uuid4().hex[:18], package_id="446", sticker_id="1988",
                                    sticker_resource_type="STATIC", quote_token=uuid.uuid4().hex)
    return _event(message, user_id, None, False, None)


def media_event(kind: str, user_id: str = USER) -> MessageEvent:
    """An image, video, audio or file message, as LINE sends it (the content itself stays on LINE)."""
    common = {"id": uuid.uuid4().hex[:18]}
    line_provider = ContentProvider(type="line")
    message = {
        "image": lambda: ImageMessageContent(**common, content_provider=line_provider, quote_token="q"),
        "video": lambda: VideoMessageContent(**common, duration=3000, content_provider=line_provider, quote_token="q"),
        "audio": lambda: AudioMessageContent(**common, duration=3000, content_provider=line_provider),
        "file": lambda: FileMessageContent(**common, file_name="memo.pdf", file_size=1024),
    }[kind]()
    return _event(message, user_id, None, False, None)


def location_event(user_id: str = USER) -> MessageEvent:
    message = LocationMessageContent(id=uuid.uuid4().hex[:18], title="コンビニ", address="東京都新宿区歌舞伎町1丁目",
                                     latitude=35.6947, longitude=139.7030)
    return _event(message, user_id, None, False, None)


def _event(message: Any, user_id: str, event_id: Optional[str], redelivery: bool, source: Any,
           timestamp: Optional[int] = None) -> MessageEvent:
    return MessageEvent(
        mode="active", timestamp=timestamp or now_ms(), source=source or UserSource(type="user", user_id=user_id),
        webhook_event_id=event_id or uuid.uuid4().hex.upper()[:26], reply_token=uuid.uuid4().hex,
        delivery_context=DeliveryContext(is_redelivery=redelivery), message=message,
    )


def follow_event(user_id: str = USER) -> FollowEvent:
    return FollowEvent(mode="active", timestamp=now_ms(), source=UserSource(type="user", user_id=user_id),
                       webhook_event_id=uuid.uuid4().hex.upper()[:26], reply_token=uuid.uuid4().hex,
                       delivery_context=DeliveryContext(is_redelivery=False), follow=FollowDetail(is_unblocked=False))


def unfollow_event(user_id: str = USER) -> UnfollowEvent:
    return UnfollowEvent(mode="active", timestamp=now_ms(), source=UserSource(type="user", user_id=user_id),
                         webhook_event_id=uuid.uuid4().hex.upper()[:26],
                         delivery_context=DeliveryContext(is_redelivery=False))


def body_of(*events: Any) -> str:
    return CallbackRequest(destination=BOT_ID, events=list(events)).to_json()


def sign(body: str, secret: str = SECRET) -> str:
    """LINE's signature, checked by LINE's own SDK before it is used."""
    signature = base64.b64encode(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()).decode()
    assert SignatureValidator(secret).validate(body, signature)
    WebhookParser(secret).parse(body, signature)  # the SDK reads it as LINE's events (or raises)
    return signature


async def deliver(client, body: str, signature: Optional[str] = "sign"):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Line-Signature"] = sign(body) if signature == "sign" else signature
    return await client.post("/webhooks/line", data=body.encode(), headers=headers)


async def answered(fake: FakeLine, count: int = 1) -> list:
    """Wait until ``count`` replies or pushes reached LINE; what she saw."""
    await fake.wait_for(lambda f: len(f.messages()) >= count)
    return fake.messages()


async def handled(client, count: int) -> None:
    """Wait until the app's worker has finished ``count`` events (also those that send nothing)."""
    await client.app[WORKER].wait_handled(count)


async def conversation_of(redis, settings, user_id: str = USER) -> Optional[str]:
    raw = await redis.get(Keys(settings.key_prefix).line_user(user_id))
    return raw.decode() if raw else None


def store_for(redis, settings) -> Store:
    from handoff.crypto import Box

    return Store(redis, Keys(settings.key_prefix), Box(settings.data_key), 60, 60)


async def user_texts(redis, settings, conversation_id: str) -> list:
    return [m["text"] for m in await store_for(redis, settings).transcript(conversation_id) if m["role"] == "user"]


async def test_a_text_gets_the_kind_fallback_through_the_reply_api(line_client, fake_line, redis, line_settings):
    event = text_event("こんばんは")
    response = await deliver(line_client, body_of(event))
    assert response.status == 200
    [call] = await answered(fake_line)
    assert call.path == REPLY and call.body["replyToken"] == event.reply_token
    words = "\n".join(call.texts)
    assert "ごめんね" in words and "24時間" in words
    [loading] = fake_line.sent(LOADING)  # the dots were shown while the bot thought, before the answer
    assert loading.user == USER and fake_line.calls.index(loading) < fake_line.calls.index(call)
    conversation_id = await conversation_of(redis, line_settings)
    store = store_for(redis, line_settings)
    assert (await store.get(conversation_id))["channel"] == "line"
    assert [m["role"] for m in await store.transcript(conversation_id)] == ["user", "system", "system"]
    assert fake_line.refused == []


async def test_eight_text_events_are_acknowledged_at_once_and_all_answered_later(line_client, fake_line, caplog):
    """LINE wants its 200 within 2 s whatever the bot costs: the answer comes before any work is done."""
    events = [text_event(f"こんばんは {i}", user_id=f"U{i:032x}") for i in range(8)]
    token_user = {e.reply_token: e.source.user_id for e in events}
    fake_line.loading_gate.clear()  # every worker is held inside its event
    started = time.perf_counter()
    response = await deliver(line_client, body_of(*events))
    elapsed = time.perf_counter() - started
    assert response.status == 200 and elapsed < 1.0, elapsed
    print(f"LINE webhook acknowledged 8 events in {elapsed * 1000:.0f} ms")
    await fake_line.wait_for(lambda f: len(f.loading_arrived) >= 1)
    assert fake_line.messages() == []  # acknowledged while no answer could yet have been sent
    fake_line.loading_gate.set()
    calls = await answered(fake_line, 8)
    reached = [token_user.get(c.body.get("replyToken")) or c.user for c in calls]
    assert sorted(reached) == sorted(token_user.values())
    assert sorted(c.user for c in fake_line.sent(LOADING)) == sorted(token_user.values())
    assert all(5 <= c.body["loadingSeconds"] <= 60 for c in fake_line.sent(LOADING))
    assert fake_line.refused == []
    assert not [r for r in caplog.records if r.name == "handoff.line" and r.levelno >= logging.WARNING]  # all 2xx


async def test_a_missing_wrong_or_stale_signature_is_401_and_nothing_is_sent(line_client, fake_line, redis,
                                                                             line_settings):
    body = body_of(text_event("こんばんは"))
    other = body_of(text_event("べつのメッセージ"))
    wrong_secret = base64.b64encode(hmac.new(b"not-the-secret", body.encode(), hashlib.sha256).digest()).decode()
    for signature in (None, "", "not base64 at all", wrong_secret, sign(other), "署名"):
        response = await deliver(line_client, body, signature=signature)
        assert response.status == 401, signature
        assert "error" in await response.json()
    response = await deliver(line_client, "{not json", signature=None)
    assert response.status == 401  # the signature is checked before anything is parsed
    assert fake_line.calls == []
    assert await redis.xlen(Keys(line_settings.key_prefix).line_inbox) == 0
    assert [k async for k in redis.scan_iter(match=f"{line_settings.key_prefix}line-event:*")] == []


async def test_signed_malformed_json_is_400(line_client, fake_line):
    for body in ("{not json", '["events"]', '{"events": "none"}'):
        headers = {"X-Line-Signature": base64.b64encode(
            hmac.new(SECRET.encode(), body.encode(), hashlib.sha256).digest()).decode()}
        assert SignatureValidator(SECRET).validate(body, headers["X-Line-Signature"])
        response = await line_client.post("/webhooks/line", data=body.encode(), headers=headers)
        assert response.status == 400, body
        assert "error" in await response.json()
    assert fake_line.calls == []


async def test_without_a_channel_secret_the_webhook_is_503(aiohttp_client, base_settings, redis):
    client = await aiohttp_client(line_app(base_settings))
    response = await deliver(client, body_of(text_event("こんばんは")))
    assert response.status == 503 and "error" in await response.json()


async def test_a_replayed_or_redelivered_event_is_processed_once(line_client, fake_line, redis, line_settings):
    event = text_event("こんばんは")
    body = body_of(event)
    redelivered = body_of(text_event("こんばんは", event_id=event.webhook_event_id, redelivery=True))
    inbox = Keys(line_settings.key_prefix).line_inbox
    assert (await deliver(line_client, body)).status == 200
    await handled(line_client, 1)
    last_queued = (await redis.xinfo_stream(inbox))["last-generated-id"]
    for payload in (body, redelivered):
        assert (await deliver(line_client, payload)).status == 200
    assert (await redis.xinfo_stream(inbox))["last-generated-id"] == last_queued  # nothing more was queued
    await deliver(line_client, body_of(text_event("こんばんは", user_id=OTHER)))
    await handled(line_client, 2)
    assert len(await answered(fake_line, 2)) == 2  # one answer each: none for the replays
    conversation_id = await conversation_of(redis, line_settings)
    assert await user_texts(redis, line_settings, conversation_id) == ["こんばんは"]


async def test_a_sticker_gets_a_kind_ask_for_words(line_client, fake_line, redis, line_settings):
    assert (await deliver(line_client, body_of(sticker_event()))).status == 200
    [call] = await answered(fake_line)
    assert call.texts == [words_please("sticker")] and "スタンプ" in call.texts[0] and "言葉" in call.texts[0]
    assert fake_line.sent(LOADING) == []  # nothing to think about
    assert await conversation_of(redis, line_settings) is None  # nothing of hers to keep


@pytest.mark.parametrize("kind, thanked", [("image", "画像"), ("video", "動画"), ("audio", "音声"),
                                           ("file", "ファイル")])
async def test_pictures_sounds_and_files_get_a_kind_ask_for_words(line_client, fake_line, redis, line_settings,
                                                                  kind, thanked):
    assert (await deliver(line_client, body_of(media_event(kind)))).status == 200
    [call] = await answered(fake_line)
    assert thanked in call.texts[0] and "言葉" in call.texts[0]
    assert await conversation_of(redis, line_settings) is None


async def test_a_location_is_thanked_and_not_kept(line_client, fake_line, redis, line_settings):
    await deliver(line_client, body_of(text_event("ねむれない")))
    await answered(fake_line)
    conversation_id = await conversation_of(redis, line_settings)
    await deliver(line_client, body_of(location_event()))
    calls = await answered(fake_line, 2)
    assert calls[-1].texts == [LOCATION_NOT_KEPT]
    assert await user_texts(redis, line_settings, conversation_id) == ["ねむれない"]
    transcript = await store_for(redis, line_settings).transcript(conversation_id)
    assert not [m for m in transcript if "歌舞伎町" in m["text"] or "35.69" in m["text"]]


async def test_a_location_in_an_emergency_is_kept_for_the_counselor(line_client, fake_line, redis, line_settings):
    await deliver(line_client, body_of(text_event(ALARM)))
    await answered(fake_line)
    conversation_id = await conversation_of(redis, line_settings)
    await deliver(line_client, body_of(location_event()))
    calls = await answered(fake_line, 2)
    assert calls[-1].texts == [LOCATION_KEPT]
    kept = (await user_texts(redis, line_settings, conversation_id))[-1]
    assert "歌舞伎町" in kept and "35.6947" in kept


async def test_a_sticker_while_a_counselor_holds_it_reaches_the_counselor_not_the_bot(
        line_client, fake_line, redis, line_settings):
    await deliver(line_client, body_of(text_event(ALARM)))
    await answered(fake_line)
    conversation_id = await conversation_of(redis, line_settings)
    assert (await StateMachine(redis, Keys(line_settings.key_prefix)).claim(conversation_id, "aoi")).ok
    await deliver(line_client, body_of(sticker_event()))
    await handled(line_client, 2)
    assert len(fake_line.messages()) == 1  # the bot stays silent while she is with a counselor
    assert "スタンプ" in (await user_texts(redis, line_settings, conversation_id))[-1]


async def test_no_loading_dots_while_a_counselor_holds_her_conversation(line_client, fake_line, redis, line_settings):
    await deliver(line_client, body_of(text_event(ALARM)))
    await answered(fake_line)
    conversation_id = await conversation_of(redis, line_settings)
    assert (await StateMachine(redis, Keys(line_settings.key_prefix)).claim(conversation_id, "aoi")).ok
    await deliver(line_client, body_of(text_event("まだいる？")))
    await handled(line_client, 2)
    assert len(fake_line.sent(LOADING)) == 1 and len(fake_line.messages()) == 1  # the counselor answers, not the bot
    assert (await user_texts(redis, line_settings, conversation_id))[-1] == "まだいる？"


async def test_a_high_risk_text_puts_the_line_conversation_in_the_queue(line_client, fake_line, redis,
                                                                       line_settings):
    assert (await deliver(line_client, body_of(text_event(ALARM)))).status == 200
    [call] = await answered(fake_line)
    conversation_id = await conversation_of(redis, line_settings)
    assert await Queue(redis, Keys(line_settings.key_prefix)).waiting() == [conversation_id]
    assert (await store_for(redis, line_settings).get(conversation_id))["state"] == "waiting"
    assert "119" in "\n".join(call.texts)


async def test_when_the_reply_token_fails_the_answer_is_pushed(line_client, fake_line):
    fake_line.fail_replies = True
    assert (await deliver(line_client, body_of(text_event("こんばんは")))).status == 200
    [call] = await answered(fake_line)
    assert call.path == PUSH and call.body["to"] == USER
    assert "ごめんね" in "\n".join(call.texts)


async def test_an_event_too_old_for_its_reply_token_is_pushed_without_trying_it(line_client, fake_line):
    stale = text_event("こんばんは", timestamp=now_ms() - 2 * 60 * 1000)
    assert (await deliver(line_client, body_of(stale))).status == 200
    [call] = await answered(fake_line)
    assert call.path == PUSH and call.body["to"] == USER
    assert fake_line.refused == []  # the stale token was never tried


async def test_one_conversation_per_user_and_a_new_one_after_closing(line_client, fake_line, redis, line_settings):
    await deliver(line_client, body_of(text_event("こんばんは"), text_event("ねむれない")))
    await answered(fake_line, 2)
    first = await conversation_of(redis, line_settings)
    await deliver(line_client, body_of(text_event("こんばんは", user_id=OTHER)))
    await answered(fake_line, 3)
    assert await conversation_of(redis, line_settings, OTHER) not in (None, first)
    assert await user_texts(redis, line_settings, first) == ["こんばんは", "ねむれない"]  # in the order she wrote
    states = StateMachine(redis, Keys(line_settings.key_prefix))
    assert (await states.enqueue(first, "high")).ok and (await states.claim(first, "aoi")).ok
    assert (await states.close(first, "aoi", "aoi", "resolved", "")).reason == CLOSED
    await deliver(line_client, body_of(text_event("また来たよ")))
    await answered(fake_line, 4)
    assert await conversation_of(redis, line_settings) not in (None, first)


async def test_follow_greets_her_says_it_is_a_bot_and_what_happens_to_her_words(line_client, fake_line, redis,
                                                                               line_settings):
    event = follow_event()
    assert (await deliver(line_client, body_of(event))).status == 200
    [call] = await answered(fake_line)
    assert call.path == REPLY and call.body["replyToken"] == event.reply_token
    assert call.texts == notices.welcome(line_settings.retention_seconds, line.FOLLOWED)
    words = "\n".join(call.texts)
    for fact in ("ボット", "暗号化", "90日", "相談員", "命が危ない"):
        assert fact in words, fact
    assert await conversation_of(redis, line_settings) is None  # a follow alone keeps nothing of hers


async def test_she_is_welcomed_back_after_unblocking(line_client, fake_line):
    event = follow_event()
    event.follow = FollowDetail(is_unblocked=True)
    await deliver(line_client, body_of(event))
    [call] = await answered(fake_line)
    assert call.texts[0].startswith(line.FOLLOWED_AGAIN) and "ボット" in call.texts[0]


def test_a_reply_token_is_tried_only_while_fresh_and_the_dots_last_as_long_as_the_bot_may():
    now = now_ms()
    assert line_messages.reply_usable("token", now - 5_000, now)
    assert not line_messages.reply_usable("token", now - 70_000, now) and not line_messages.reply_usable("", now, now)
    assert line_messages.event_time_ms({"timestamp": now - 5_000}, now) == now - 5_000
    assert line_messages.event_time_ms({}, now) == now  # no timestamp: when we received it
    assert [line_messages.loading_seconds(t) for t in (0.5, 5, 20, 21, 300)] == [5, 5, 20, 25, 60]


def test_the_privacy_notice_states_the_retention_actually_configured():
    assert "30日" in notices.privacy_notice(30 * 24 * 3600)
    assert "1日" in notices.privacy_notice(3600)  # never shorter than it is
    assert "90日" not in notices.privacy_notice(30 * 24 * 3600)


async def test_unfollow_closes_the_conversation_a_counselor_holds(line_client, fake_line, redis, line_settings):
    await deliver(line_client, body_of(text_event(ALARM)))
    await answered(fake_line)
    conversation_id = await conversation_of(redis, line_settings)
    assert (await StateMachine(redis, Keys(line_settings.key_prefix)).claim(conversation_id, "aoi")).ok
    await deliver(line_client, body_of(unfollow_event()))
    await handled(line_client, 2)
    conversation = await store_for(redis, line_settings).get(conversation_id)
    assert conversation["state"] == CLOSED and conversation["outcome"] == line_users.UNFOLLOW_OUTCOME
    assert await redis.scard(Keys(line_settings.key_prefix).holdings("aoi")) == 0
    assert await conversation_of(redis, line_settings) is None
    assert len(fake_line.messages()) == 1  # nothing is sent to someone who left


async def test_unfollow_with_the_bot_closes_it_and_forgets_her_line_id(line_client, fake_line, redis, line_settings):
    await deliver(line_client, body_of(text_event("こんばんは")))
    await answered(fake_line)
    conversation_id = await conversation_of(redis, line_settings)
    await deliver(line_client, body_of(unfollow_event()))
    await handled(line_client, 2)
    assert await conversation_of(redis, line_settings) is None
    assert (await store_for(redis, line_settings).get(conversation_id))["state"] == "closed"  # nobody waits on her
    await deliver(line_client, body_of(text_event("また来たよ")))
    await answered(fake_line, 2)
    assert await conversation_of(redis, line_settings) not in (None, conversation_id)


async def test_group_messages_and_other_events_are_ignored(line_client, fake_line, redis, line_settings):
    group = text_event("こんばんは", source=GroupSource(type="group", group_id="C" + "1" * 32, user_id=USER))
    body = CallbackRequest(destination=BOT_ID, events=[group]).to_json()
    join = json.dumps({"destination": BOT_ID, "events": [{
        "type": "join", "mode": "active", "timestamp": 1, "source": {"type": "group", "groupId": "C" + "2" * 32},
        "webhookEventId": "X1", "deliveryContext": {"isRedelivery": False}, "replyToken": "r"}]})
    for payload in (body, join, json.dumps({"destination": BOT_ID, "events": []})):
        assert (await deliver(line_client, payload)).status == 200
    keys = Keys(line_settings.key_prefix)
    assert not await redis.exists(keys.line_event(group.webhook_event_id), keys.line_event("X1"))  # never queued
    await deliver(line_client, body_of(sticker_event(user_id=OTHER)))
    await handled(line_client, 1)
    assert [c.user for c in fake_line.messages()] == [None] and len(fake_line.calls) == 1
    assert await conversation_of(redis, line_settings) is None


async def test_her_words_never_reach_the_log(aiohttp_client, line_settings, fake_line, redis, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    secret_words = "ひみつのことば"
    client = await aiohttp_client(line_app(replace(line_settings, line_channel_access_token="wrong")))
    assert (await deliver(client, body_of(text_event(secret_words)))).status == 200
    await fake_line.wait_for(lambda f: len(f.refused) >= 3)
    assert fake_line.calls == [] and fake_line.refused == ["token"] * 3  # loading, reply, then push, all refused

    async def broken(self, conversation_id: str, text: str):
        raise ValueError(f"could not handle {text}")

    monkeypatch.setattr(Messaging, "handle", broken)
    assert (await deliver(client, body_of(text_event(secret_words)))).status == 200  # LINE must not retry
    await fake_line.wait_for(lambda f: len(f.refused) >= 6)
    assert fake_line.refused == ["token"] * 6  # the kind fallback was still tried, reply then push
    await client.app[WORKER].wait_handled(2)
    assert "ValueError" in caplog.text
    assert secret_words not in caplog.text


async def test_with_redis_down_she_still_gets_the_kind_fallback_on_line(aiohttp_client, line_settings, fake_line):
    dead_redis = replace(line_settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    client = await aiohttp_client(line_app(dead_redis))
    assert (await deliver(client, body_of(text_event(ALARM)))).status == 200
    [call] = await answered(fake_line)
    words = "\n".join(call.texts)
    assert "ごめんね" in words and "119" in words


def test_more_than_five_texts_are_merged_and_long_ones_clipped():
    merged = bubbles([f"text {i}" for i in range(7)])
    assert len(merged) == 5 and merged[-1]["text"] == "text 4\n\ntext 5\n\ntext 6"
    assert all(m["type"] == "text" for m in merged)
    [long] = bubbles(["あ" * 6000])
    assert len(long["text"]) == 5000
    assert bubbles(["", "  "]) == []


async def test_a_counselor_reply_is_pushed_to_her_on_line(line_client, fake_line, redis, line_settings):
    from tests.handoff.helpers import add_counselor, login

    await deliver(line_client, body_of(text_event(ALARM)))
    await answered(fake_line)
    conversation_id = await conversation_of(redis, line_settings)
    stored = await redis.hget(Keys(line_settings.key_prefix).conversation(conversation_id), "line_user")
    assert stored and USER.encode() not in stored  # her LINE id is kept encrypted
    await add_counselor(redis, line_settings)
    _, me = await login(line_client)
    csrf = {"X-CSRF-Token": me["csrf_token"]}
    await line_client.post(f"/api/conversations/{conversation_id}/claim", headers=csrf)
    sent = await line_client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "相談員のあおいです"},
                                  headers=csrf)
    assert sent.status == 201
    push = fake_line.calls[-1]
    assert push.path == PUSH and push.body["to"] == USER and push.texts == ["相談員のあおいです"]
    assert (await store_for(redis, line_settings).get(conversation_id))["state"] == HUMAN
