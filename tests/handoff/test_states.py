"""Every transition of the conversation state machine, against a real Redis (SPEC §3)."""

from __future__ import annotations

import json

import pytest

from handoff import events, states, stats
from handoff.crypto import Box
from handoff.keys import Keys
from handoff.states import BOT, CLOSED, HUMAN, WAITING, StateMachine
from handoff.store import Store


@pytest.fixture
def machine(redis, base_settings) -> StateMachine:
    return StateMachine(redis, Keys(base_settings.key_prefix), max_held=2)


@pytest.fixture
def store(redis, base_settings) -> Store:
    return Store(redis, Keys(base_settings.key_prefix), Box(base_settings.data_key), 600, 6000)


async def _new(store: Store) -> str:
    conversation_id, _ = await store.create("webchat")
    return conversation_id


async def _event_types(redis, base_settings) -> list:
    entries = await redis.xrange(Keys(base_settings.key_prefix).events)
    return [json.loads(fields[b"data"])["type"] for _, fields in entries]


async def test_enqueue_moves_bot_to_waiting_with_its_event(machine, store, redis, base_settings):
    cid = await _new(store)
    result = await machine.enqueue(cid, "high")
    conversation = await store.get(cid)
    assert result.reason == "entered" and conversation["state"] == WAITING and conversation["waiting_since"]
    assert await redis.zrange(Keys(base_settings.key_prefix).queue, 0, -1) == [cid.encode()]
    assert await _event_types(redis, base_settings) == [events.QUEUE_CHANGED]


async def test_the_queue_is_most_urgent_first_then_longest_waiting_and_a_place_only_rises(machine, store, redis,
                                                                                         base_settings):
    first, second, third = [await _new(store) for _ in range(3)]
    for cid, urgency in ((first, "high"), (second, "high"), (third, "medium")):
        await machine.enqueue(cid, urgency)
    assert (await machine.enqueue(third, "emergency")).reason == "raised"
    assert (await machine.enqueue(first, "low")).reason == "unchanged"  # never moves down
    order = [m.decode() for m in await redis.zrange(Keys(base_settings.key_prefix).queue, 0, -1)]
    assert order[0] == third and set(order[1:]) == {first, second}


async def test_claim_is_atomic_and_limited(machine, store):
    cids = [await _new(store) for _ in range(3)]
    for cid in cids:
        await machine.enqueue(cid, "high")
    assert (await machine.claim(cids[0], "aoi")).ok
    assert (await machine.claim(cids[0], "ren")).reason == "not_waiting"  # only one counselor gets it
    assert (await machine.claim(cids[1], "aoi")).ok
    assert (await machine.claim(cids[2], "aoi")).reason == "limit"
    held = await store.get(cids[0])
    assert held["state"] == HUMAN and held["holder"] == "aoi" and held["claimed_at"]


async def test_transfer_checks_the_holder_and_a_supervisor_may_take_any(machine, store):
    cid = await _new(store)
    await machine.enqueue(cid, "high")
    await machine.claim(cid, "aoi")
    assert (await machine.transfer(cid, "aoi", "ren", "mika")).reason == "held_by_other"
    assert (await machine.transfer(cid, "aoi", "", "sup")).ok  # a supervisor's take-over
    assert (await store.get(cid))["holder"] == "sup"


async def test_release_gives_it_to_the_bot_and_only_the_holder_can(machine, store):
    cid = await _new(store)
    await machine.enqueue(cid, "emergency")
    await machine.claim(cid, "aoi")
    assert (await machine.release(cid, "aoi", "ren")).reason == "held_by_other"
    assert (await machine.release(cid, "aoi", "aoi")).reason == BOT
    conversation = await store.get(cid)
    assert conversation["state"] == BOT and "holder" not in conversation
    assert (await machine.release(cid, "aoi", "aoi")).reason == "not_held"


async def test_close_keeps_the_outcome_and_reopen_gives_it_back_to_the_bot(machine, store, redis, base_settings):
    cid = await _new(store)
    await machine.enqueue(cid, "high")
    await machine.claim(cid, "aoi")
    assert (await machine.close(cid, "aoi", "aoi", "referred", "sealed")).reason == CLOSED
    assert not await redis.sismember(Keys(base_settings.key_prefix).holdings("aoi"), cid)
    assert (await store.get(cid))["outcome"] == "referred"
    assert (await machine.reopen(cid)).reason == BOT
    assert (await machine.reopen(cid)).reason == "not_closed"
    assert await _event_types(redis, base_settings) == [
        events.QUEUE_CHANGED, events.CLAIMED, events.CLOSED, events.REOPENED]


async def test_release_then_a_second_handoff_gives_honest_statistics(machine, store):
    cid = await _new(store)
    await store.apply_triage(cid, {"urgency": "high", "concerns": ["suicide_risk"], "factors": []})
    await machine.enqueue(cid, "high")
    await machine.claim(cid, "aoi")
    assert await machine.first_reply(cid, 10**13)  # a first reply far in the future: the stale value to beat
    await machine.release(cid, "aoi", "aoi")
    await machine.enqueue(cid, "high")  # she asks again: a new handoff
    conversation = await store.get(cid)
    assert "first_reply_at" not in conversation and "claimed_at" not in conversation
    assert conversation["handoffs"] == "2"
    await machine.claim(cid, "ren")
    await machine.first_reply(cid, int(conversation["waiting_since"]) + 1500)
    summary = stats.summarize([await store.get(cid)])
    assert summary["first_human_reply"]["high"]["median_s"] == 1.5  # never negative, never the old handoff


async def test_a_first_reply_is_recorded_only_while_held(machine, store):
    cid = await _new(store)
    assert not await machine.first_reply(cid, 5)
    await machine.enqueue(cid, "high")
    assert not await machine.first_reply(cid, 5)


def test_every_transition_states_what_it_does():
    names = {t.name for t in states.TRANSITIONS}
    assert names == {"enqueue", "raise", "claim", "transfer", "release", "close", "reopen", "leave"}
    assert all(t.event in events.TYPES for t in states.TRANSITIONS)
    assert all(set(t.from_states) <= set(states.STATES) and t.to_state in states.STATES for t in states.TRANSITIONS)


async def test_leaving_the_channel_closes_and_takes_her_out_of_the_queue(machine, store, redis, base_settings):
    waiting, with_bot, held = [await _new(store) for _ in range(3)]
    await machine.enqueue(waiting, "high")
    await machine.enqueue(held, "high")
    await machine.claim(held, "aoi")
    assert (await machine.leave(waiting, "no_response")).reason == CLOSED
    assert (await machine.leave(with_bot, "no_response")).reason == CLOSED
    assert (await machine.leave(held, "no_response")).reason == HUMAN  # a held one is closed by its counselor
    assert await redis.zrange(Keys(base_settings.key_prefix).queue, 0, -1) == []
    assert (await store.get(waiting))["state"] == CLOSED
