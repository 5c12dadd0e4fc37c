"""The LINE webhook end to end: LINE-shaped, LINE-signed events (built with LINE's SDK), real Redis,
Rasa down (so the kind fallback answers), and a local fake of LINE's Messaging API."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import uuid
from dataclasses import replace
from typing import Any, Optional

import pytest
from aiohttp import web
from linebot.v3 import WebhookParser
from linebot.v3.webhook import SignatureValidator
from linebot.v3.webhooks import (
    CallbackRequest,
    DeliveryContext,
    GroupSource,
    MessageEvent,
    StickerMessageContent,
    TextMessageContent,
    UserSource,
)

from handoff import line
from handoff.app import create_app
from handoff.keys import Keys
from handoff.line import WORDS_PLEASE, bubbles
from handoff.messaging import Messaging
from handoff.queue import Queue
from handoff.states import CLOSED, StateMachine
from handoff.store import Store
from tests.conftest import free_port
from tests.handoff.fake_line import PUSH, REPLY, FakeLine

SECRET = "0123456789abcdef0123456789abcdef"
ACCESS_TOKEN = "test-channel-access-token"
BOT_ID = "U" + "b" * 32
USER = "U" + "1" * 32


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


def text_event(text: str, user_id: str = USER, event_id: Optional[str] = None, redelivery: bool = False,
               source: Any = None) -> MessageEvent:
    message = TextMessageContent(id=uuid.uuid4().hex[:18], text=text, quote_token=uuid.uuid4().hex)
    return _event(message, user_id, event_id, redelivery, source)


def sticker_event(user_id: str = USER) -> MessageEvent:
    message = StickerMessageContent(id=uuid.uuid4().hex[:18], package_id="446", sticker_id="1988",
                                    sticker_resource_type="STATIC", quote_token=uuid.uuid4().hex)
    return _event(message, user_id, None, False, None)


def _event(message: Any, user_id: str, event_id: Optional[str], redelivery: bool, source: Any) -> MessageEvent:
    return MessageEvent(
        mode="active", timestamp=1_760_000_000_000, source=source or UserSource(type="user", user_id=user_id),
        webhook_event_id=event_id or uuid.uuid4().hex.upper()[:26], reply_token=uuid.uuid4().hex,
        delivery_context=DeliveryContext(is_redelivery=redelivery), message=message,
    )


def body_of(*events: MessageEvent) -> str:
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


async def conversation_of(redis, settings, user_id: str = USER) -> Optional[str]:
    raw = await redis.get(Keys(settings.key_prefix).line_user(user_id))
    return raw.decode() if raw else None


def store_for(redis, settings) -> Store:
    from handoff.crypto import Box

    return Store(redis, Keys(settings.key_prefix), Box(settings.data_key), 60, 60)


async def test_a_text_gets_the_kind_fallback_through_the_reply_api(line_client, fake_line, redis, line_settings):
    event = text_event("こんばんは")
    response = await deliver(line_client, body_of(event))
    assert response.status == 200
    [call] = fake_line.calls
    assert call.path == REPLY and call.body["replyToken"] == event.reply_token
    words = "\n".join(call.texts)
    assert "ごめんね" in words and "24時間" in words
    conversation_id = await conversation_of(redis, line_settings)
    store = store_for(redis, line_settings)
    assert (await store.get(conversation_id))["channel"] == "line"
    assert [m["role"] for m in await store.transcript(conversation_id)] == ["user", "system", "system"]
    assert fake_line.refused == []


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
    assert [k async for k in redis.scan_iter(match=f"{line_settings.key_prefix}*")] == []


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
    for payload in (body, body, redelivered):
        assert (await deliver(line_client, payload)).status == 200
    assert len(fake_line.calls) == 1
    conversation_id = await conversation_of(redis, line_settings)
    transcript = await store_for(redis, line_settings).transcript(conversation_id)
    assert [m["text"] for m in transcript if m["role"] == "user"] == ["こんばんは"]


async def test_a_sticker_gets_a_kind_ask_for_words(line_client, fake_line, redis, line_settings):
    assert (await deliver(line_client, body_of(sticker_event()))).status == 200
    [call] = fake_line.calls
    assert call.texts == [WORDS_PLEASE] and "言葉" in WORDS_PLEASE
    assert await conversation_of(redis, line_settings) is None  # nothing of hers to keep


async def test_a_high_risk_text_puts_the_line_conversation_in_the_queue(line_client, fake_line, redis,
                                                                       line_settings):
    assert (await deliver(line_client, body_of(text_event("さっき薬全部飲んだ")))).status == 200
    conversation_id = await conversation_of(redis, line_settings)
    assert await Queue(redis, Keys(line_settings.key_prefix)).waiting() == [conversation_id]
    assert (await store_for(redis, line_settings).get(conversation_id))["state"] == "waiting"
    assert "119" in "\n".join(fake_line.calls[0].texts)


async def test_when_the_reply_token_fails_the_answer_is_pushed(line_client, fake_line):
    fake_line.fail_replies = True
    assert (await deliver(line_client, body_of(text_event("こんばんは")))).status == 200
    [call] = fake_line.calls
    assert call.path == PUSH and call.body["to"] == USER
    assert "ごめんね" in "\n".join(call.texts)


async def test_one_conversation_per_user_and_a_new_one_after_closing(line_client, fake_line, redis, line_settings):
    await deliver(line_client, body_of(text_event("こんばんは"), text_event("ねむれない")))
    first = await conversation_of(redis, line_settings)
    await deliver(line_client, body_of(text_event("こんばんは", user_id="U" + "2" * 32)))
    assert await conversation_of(redis, line_settings, "U" + "2" * 32) not in (None, first)
    store = store_for(redis, line_settings)
    assert len([m for m in await store.transcript(first) if m["role"] == "user"]) == 2
    states = StateMachine(redis, Keys(line_settings.key_prefix))
    assert (await states.enqueue(first, "high")).ok and (await states.claim(first, "aoi")).ok
    assert (await states.close(first, "aoi", "aoi", "resolved", "")).reason == CLOSED
    await deliver(line_client, body_of(text_event("また来たよ")))
    assert await conversation_of(redis, line_settings) not in (None, first)


async def test_group_messages_and_other_events_are_ignored(line_client, fake_line, redis, line_settings):
    group = text_event("こんばんは", source=GroupSource(type="group", group_id="C" + "1" * 32, user_id=USER))
    body = CallbackRequest(destination=BOT_ID, events=[group]).to_json()
    follow = json.dumps({"destination": BOT_ID, "events": [{
        "type": "follow", "mode": "active", "timestamp": 1, "source": {"type": "user", "userId": USER},
        "webhookEventId": "X1", "deliveryContext": {"isRedelivery": False}, "replyToken": "r"}]})
    for payload in (body, follow, json.dumps({"destination": BOT_ID, "events": []})):
        assert (await deliver(line_client, payload)).status == 200
    assert fake_line.calls == []
    assert await conversation_of(redis, line_settings) is None


async def test_her_words_never_reach_the_log(aiohttp_client, line_settings, fake_line, redis, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    secret_words = "ひみつのことば"
    client = await aiohttp_client(line_app(replace(line_settings, line_channel_access_token="wrong")))
    assert (await deliver(client, body_of(text_event(secret_words)))).status == 200
    assert fake_line.calls == [] and fake_line.refused == ["token", "token"]  # reply, then push, both refused

    async def broken(self, conversation_id: str, text: str):
        raise ValueError(f"could not handle {text}")

    monkeypatch.setattr(Messaging, "handle", broken)
    assert (await deliver(client, body_of(text_event(secret_words)))).status == 200  # LINE must not retry
    assert fake_line.refused == ["token"] * 4  # the kind fallback was still tried, reply then push
    assert "ValueError" in caplog.text
    assert secret_words not in caplog.text


async def test_with_redis_down_she_still_gets_the_kind_fallback_on_line(aiohttp_client, line_settings, fake_line):
    dead_redis = replace(line_settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    client = await aiohttp_client(line_app(dead_redis))
    assert (await deliver(client, body_of(text_event("さっき薬全部飲んだ")))).status == 200
    [call] = fake_line.calls
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
    from tests.handoff.test_counselors import add_counselor, login

    await deliver(line_client, body_of(text_event("さっき薬全部飲んだ")))
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
