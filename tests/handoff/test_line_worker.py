"""The LINE inbox's workers: at-least-once delivery through a Redis consumer group, against the local fake of
LINE's Messaging API, with signed deliveries. A worker is 'killed' by cancelling its task, as a dying process
would stop: what it held stays pending until another worker takes it over."""

from __future__ import annotations

import asyncio
import json

from redis.exceptions import ResponseError

from handoff import line
from handoff.appkeys import STORE
from handoff.keys import Keys
from handoff.line_worker import GROUP, MAX_DELIVERIES, WORKER, LineWorker
from handoff.messaging import Messaging
from handoff.timeutil import now_ms
from tests.handoff import test_line
from tests.handoff.fake_line import LOADING, REPLY
from tests.handoff.test_line import OTHER, USER, answered, body_of, conversation_of, deliver, text_event, user_texts

fake_line, line_settings, line_client = test_line.fake_line, test_line.line_settings, test_line.line_client  # fixtures


async def pending(redis, settings) -> dict:
    return await redis.xpending(Keys(settings.key_prefix).line_inbox, GROUP)


async def second_worker(client, redis, **options) -> LineWorker:
    worker = LineWorker(client.app, redis, name="second", **options)
    worker.start()
    return worker


async def test_a_worker_killed_mid_event_leaves_it_pending_and_another_finishes_it(line_client, fake_line, redis,
                                                                                   line_settings):
    first = line_client.app[WORKER]
    fake_line.loading_gate.clear()  # the first worker is caught inside her event
    assert (await deliver(line_client, body_of(text_event("こんばんは")))).status == 200
    await fake_line.wait_for(lambda f: f.loading_arrived == [USER])
    await first.kill()
    waiting = await pending(redis, line_settings)
    assert waiting["pending"] == 1 and waiting["consumers"][0]["name"].decode() == first.name
    assert fake_line.messages() == []
    fake_line.loading_gate.set()
    second = await second_worker(line_client, redis, claim_idle_ms=0)
    try:
        [call] = await answered(fake_line)
        await second.wait_handled(1)
    finally:
        await second.kill()
    assert call.path == REPLY and "ごめんね" in "\n".join(call.texts)
    assert (await pending(redis, line_settings))["pending"] == 0
    assert await redis.xlen(Keys(line_settings.key_prefix).line_inbox) == 0  # handled entries do not pile up
    assert await user_texts(redis, line_settings, await conversation_of(redis, line_settings)) == ["こんばんは"]


async def test_shutdown_lets_an_event_in_hand_finish(line_client, fake_line, redis, line_settings):
    fake_line.loading_gate.clear()
    await deliver(line_client, body_of(text_event("こんばんは")))
    await fake_line.wait_for(lambda f: len(f.loading_arrived) == 1)
    worker = line_client.app[WORKER]
    closing = asyncio.create_task(worker.close(grace=10))
    fake_line.loading_gate.set()
    await closing
    assert len(await answered(fake_line)) == 1
    assert (await pending(redis, line_settings))["pending"] == 0


async def test_events_queued_while_no_worker_runs_are_handled_when_one_starts(line_client, fake_line, redis,
                                                                              line_settings):
    await line_client.app[WORKER].kill()
    await deliver(line_client, body_of(text_event("こんばんは"), text_event("ねむれない", user_id=OTHER)))
    second = await second_worker(line_client, redis)
    try:
        assert len(await answered(fake_line, 2)) == 2
    finally:
        await second.kill()


async def test_her_events_are_handled_in_the_order_she_wrote(line_client, fake_line, redis, line_settings):
    words = ["あのね", "ねむれない", "こわい夢をみた"]
    await deliver(line_client, body_of(*[text_event(w) for w in words[:2]]))
    await deliver(line_client, body_of(text_event(words[2])))
    await answered(fake_line, 3)
    assert await user_texts(redis, line_settings, await conversation_of(redis, line_settings)) == words


async def test_an_event_answered_before_its_worker_died_is_not_sent_again(line_client, fake_line, redis,
                                                                          line_settings, monkeypatch):
    event = json.loads(body_of(text_event("こんばんは")))["events"][0]
    await line_client.app[WORKER].kill()
    assert await line.enqueue(line_client.app, [event], now_ms()) == 1
    marker = Keys(line_settings.key_prefix).line_event(event["webhookEventId"])
    await redis.set(marker, line.SENT)
    await line.handle(line_client.app, event, now_ms())
    assert fake_line.calls == []


async def test_an_answer_saved_before_its_worker_died_is_sent_without_asking_the_bot_again(
        line_client, fake_line, redis, line_settings, monkeypatch):
    event = json.loads(body_of(text_event("こんばんは")))["events"][0]
    await line_client.app[WORKER].kill()
    assert await line.enqueue(line_client.app, [event], now_ms()) == 1
    saved = line_client.app[STORE].box.seal(json.dumps(["さっきのお返事"], ensure_ascii=False))
    await redis.set(Keys(line_settings.key_prefix).line_event(event["webhookEventId"]), line.ANSWER + saved.encode())

    async def must_not_run(self, conversation_id: str, text: str):
        raise AssertionError("her message was handled twice")

    monkeypatch.setattr(Messaging, "handle", must_not_run)
    await line.handle(line_client.app, event, now_ms())
    [call] = fake_line.messages()
    assert call.texts == ["さっきのお返事"] and fake_line.sent(LOADING) == []
    await line.handle(line_client.app, event, now_ms())  # and once sent, never again
    assert len(fake_line.messages()) == 1


async def test_an_unreadable_entry_is_dropped_not_retried(line_client, fake_line, redis, line_settings):
    await redis.xadd(Keys(line_settings.key_prefix).line_inbox, {"event": "not-sealed", "received": "1"})
    await line_client.app[WORKER].wait_handled(1)
    assert (await pending(redis, line_settings))["pending"] == 0 and fake_line.calls == []


async def test_an_event_that_killed_too_many_workers_is_dropped(line_client, fake_line, redis, line_settings):
    inbox = Keys(line_settings.key_prefix).line_inbox
    await line_client.app[WORKER].kill()
    await deliver(line_client, body_of(text_event("こんばんは")))
    try:
        await redis.xgroup_create(inbox, GROUP, id="0", mkstream=True)
    except ResponseError:  # the app's worker made it already
        pass
    [[_, [(entry_id, _fields)]]] = await redis.xreadgroup(GROUP, "dead", {inbox: ">"}, count=1)
    for _ in range(MAX_DELIVERIES):  # each takeover by a worker that then died
        await redis.xclaim(inbox, GROUP, "dead", 0, [entry_id])
    second = await second_worker(line_client, redis, claim_idle_ms=0)
    try:
        await second.wait_handled(1)
    finally:
        await second.kill()
    assert (await pending(redis, line_settings))["pending"] == 0 and fake_line.calls == []
