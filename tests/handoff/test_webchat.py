"""The web chat API end to end: real Redis, real Rasa and action servers (SPEC §3–§4)."""

from __future__ import annotations

import pytest

from handoff.keys import Keys
from handoff.queue import Queue
from tests.handoff.helpers import open_session, say

pytestmark = pytest.mark.servers


async def test_a_greeting_is_answered_by_the_bot_and_the_triage_is_stripped(client):
    session = await open_session(client)
    response = await say(client, session["token"], "こんばんは")
    assert response.status == 200
    body = await response.json()
    assert body["state"] == "bot"
    assert any("自動応答ボット" in m["text"] for m in body["messages"])
    assert all(set(m) == {"text", "from"} and m["from"] == "bot" for m in body["messages"])


async def test_a_high_risk_message_goes_to_the_queue(client, redis, base_settings):
    session = await open_session(client)
    body = await (await say(client, session["token"], "しにたい")).json()
    assert body["state"] == "waiting"
    assert any("相談員" in m["text"] for m in body["messages"])
    assert await Queue(redis, Keys(base_settings.key_prefix)).waiting() == [session["conversation_id"]]


async def test_while_waiting_the_bot_stays_with_her_and_an_emergency_moves_her_up(client, redis, base_settings):
    queue = Queue(redis, Keys(base_settings.key_prefix))
    first, second = await open_session(client), await open_session(client)
    await say(client, first["token"], "彼氏に殴られてる、毎日")
    await say(client, second["token"], "親に追い出されて今夜寝るところがない")
    assert await queue.waiting() == [first["conversation_id"], second["conversation_id"]]
    cold = await (await say(client, second["token"], "寒い")).json()
    assert cold["state"] == "waiting" and cold["messages"]  # the bot stays with her until a counselor claims it
    assert not any("うまく答えられない" in m["text"] for m in cold["messages"])  # her story, not small talk
    urgent = await (await say(client, second["token"], "さっき薬全部飲んだ")).json()
    assert any("119" in m["text"] for m in urgent["messages"])  # safety messages still go out
    assert await queue.waiting() == [second["conversation_id"], first["conversation_id"]]


async def test_one_token_opens_only_its_own_conversation(client, redis, base_settings):
    first, second = await open_session(client), await open_session(client)
    assert first["token"] != second["token"]
    await say(client, first["token"], "しにたい")
    waiting = await Queue(redis, Keys(base_settings.key_prefix)).waiting()
    assert waiting == [first["conversation_id"]]


async def test_the_page_tells_her_what_is_kept_for_how_long_and_who_reads_it(offline_client, base_settings):
    body = await (await offline_client.get("/api/webchat/notice")).json()
    days = base_settings.retention_seconds // 86400
    assert f"{days}日間" in body["privacy"] and "暗号化" in body["privacy"] and "相談員だけ" in body["privacy"]
    assert "命が危ない" in body["privacy"] and "ボット" in body["bot"]
