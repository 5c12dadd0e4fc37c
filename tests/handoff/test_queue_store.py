"""The queue's order and the store's guarantees, against a real Redis."""

from __future__ import annotations

from cryptography.fernet import Fernet

from handoff.crypto import UNREADABLE, Box
from handoff.keys import Keys
from handoff.store import EMPTY_SESSION_TTL, Store


def make_store(redis, settings) -> Store:
    return Store(redis, Keys(settings.key_prefix), Box(settings.data_key), 86400, 600)


async def test_message_bodies_are_encrypted_at_rest(redis, base_settings):
    store = make_store(redis, base_settings)
    conversation_id, _ = await store.create("webchat")
    await store.add_message(conversation_id, "user", "昨日ゴム破れたかも")
    raw = await redis.xrange(Keys(base_settings.key_prefix).messages(conversation_id))
    assert "昨日ゴム破れたかも".encode() not in repr(raw).encode()
    assert [m["text"] for m in await store.transcript(conversation_id)] == ["昨日ゴム破れたかも"]


async def test_tokens_are_stored_only_as_digests_and_expire(redis, base_settings):
    store = make_store(redis, base_settings)
    conversation_id, token = await store.create("webchat")
    keys = [k.decode() async for k in redis.scan_iter(match=f"{base_settings.key_prefix}token:*")]
    assert keys and all(token not in key for key in keys)
    assert 0 < await redis.ttl(keys[0]) <= EMPTY_SESSION_TTL  # a session nobody writes in is soon forgotten
    assert await store.conversation_for(token) == conversation_id
    assert await store.conversation_for(token + "x") is None
    assert await redis.zscore(Keys(base_settings.key_prefix).index, conversation_id) is None  # not counted yet
    await store.activate(conversation_id, token)
    assert EMPTY_SESSION_TTL < await redis.ttl(keys[0]) <= 86400  # she wrote: it lasts the session
    assert await redis.zscore(Keys(base_settings.key_prefix).index, conversation_id) is not None


async def test_the_conversation_urgency_never_drops(redis, base_settings):
    store = make_store(redis, base_settings)
    conversation_id, _ = await store.create("webchat")
    await store.apply_triage(conversation_id, {"urgency": "emergency", "concerns": ["suicide_risk"], "factors": ["x"]})
    await store.apply_triage(conversation_id, {"urgency": "low", "concerns": [], "factors": []})
    conversation = await store.get(conversation_id)
    assert conversation["max_urgency"] == "emergency"
    assert conversation["urgency"] == "low"
    assert conversation["concerns"] == ["suicide_risk"]


async def test_a_wrong_data_key_reads_nothing_but_the_view_still_works(redis, base_settings):
    store = make_store(redis, base_settings)
    conversation_id, _ = await store.create("webchat")
    await store.add_message(conversation_id, "user", "ひみつ")
    other = Store(redis, Keys(base_settings.key_prefix), Box(Fernet.generate_key()), 60, 600)
    await other.add_message(conversation_id, "bot", "あたらしい")
    assert [m["text"] for m in await other.transcript(conversation_id)] == [UNREADABLE, "あたらしい"]
