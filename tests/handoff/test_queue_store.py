"""The queue's order and the store's guarantees, against a real Redis."""

from __future__ import annotations

from cryptography.fernet import Fernet

from handoff.crypto import Box
from handoff.keys import Keys
from handoff.queue import Queue
from handoff.store import Store


async def test_most_urgent_first_then_longest_waiting(redis, base_settings):
    queue = Queue(redis, Keys(base_settings.key_prefix))
    await queue.put("old-high", "high", 1_000)
    await queue.put("new-emergency", "emergency", 9_000)
    await queue.put("older-high", "high", 500)
    await queue.put("medium", "medium", 100)
    assert await queue.waiting() == ["new-emergency", "older-high", "old-high", "medium"]


async def test_a_place_in_the_queue_only_rises(redis, base_settings):
    queue = Queue(redis, Keys(base_settings.key_prefix))
    await queue.put("a", "emergency", 1_000)
    await queue.put("b", "high", 2_000)
    assert not await queue.put("a", "low", 1_000)
    assert await queue.put("b", "emergency", 2_000)
    assert await queue.waiting() == ["a", "b"]


def make_store(redis, settings) -> Store:
    return Store(redis, Keys(settings.key_prefix), Box(settings.data_key), 60, 600)


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
    assert 0 < await redis.ttl(keys[0]) <= 60
    assert await store.conversation_for(token) == conversation_id
    assert await store.conversation_for(token + "x") is None


async def test_the_conversation_urgency_never_drops(redis, base_settings):
    store = make_store(redis, base_settings)
    conversation_id, _ = await store.create("webchat")
    await store.apply_triage(conversation_id, {"urgency": "emergency", "concerns": ["suicide_risk"], "factors": ["x"]})
    await store.apply_triage(conversation_id, {"urgency": "low", "concerns": [], "factors": []})
    conversation = await store.get(conversation_id)
    assert conversation["max_urgency"] == "emergency"
    assert conversation["urgency"] == "low"
    assert conversation["concerns"] == ["suicide_risk"]


async def test_a_wrong_data_key_cannot_read_the_transcript(redis, base_settings):
    store = make_store(redis, base_settings)
    conversation_id, _ = await store.create("webchat")
    await store.add_message(conversation_id, "user", "ひみつ")
    other = Store(redis, Keys(base_settings.key_prefix), Box(Fernet.generate_key()), 60, 600)
    try:
        await other.transcript(conversation_id)
    except Exception as error:  # cryptography.fernet.InvalidToken
        assert type(error).__name__ == "InvalidToken"
    else:
        raise AssertionError("a different key read the transcript")
