"""Consent before anything is shared: asked, answered in her words, recorded only when clearly yes or no."""

from __future__ import annotations

import pytest

from handoff.consent import ASK_AGAIN, read_answer
from handoff.keys import Keys
from tests.handoff.helpers import claimed_conversation, open_stream, read_event, say

ANSWERS = [
    ("はい", True), ("うん、いいよ", True), ("はい！", True), ("ええよ", True), ("かまへん", True), ("OK👍", True),
    ("お願いします", True), ("同意します", True), ("いいですよ", True), ("うんうん", True),
    ("いいえ", False), ("やだ", False), ("同意しません", False), ("お願いだからやめて", False), ("やめて、言わないで", False),
    ("親には言わないで", False), ("大丈夫です", False), ("いいです", False), ("結構です", False), ("嫌", False),
    ("いいよ、でも学校には言わないで", False), ("むり", False),
    ("はい？どういうこと？", None), ("どういうこと？", None), ("ちょっと待って", None), ("考えさせて", None),
    ("はい、大丈夫です", None), ("誰に言うの？", None), ("うーん", None), ("わかった", None),
]


@pytest.mark.parametrize("text, answer", ANSWERS)
def test_reading_her_answer(text, answer):
    assert read_answer(text) is answer


async def _ask(client, redis, settings):
    session, csrf = await claimed_conversation(client, redis, settings)
    cid = session["conversation_id"]
    asked = await client.post(f"/api/conversations/{cid}/consent", json={"to": "児童相談所", "purpose": "保護の相談"},
                              headers=csrf)
    assert asked.status == 201
    return session, cid


async def _records(client, cid):
    return (await (await client.get(f"/api/conversations/{cid}")).json())["consents"]


async def test_she_is_asked_and_her_answer_is_recorded(offline_client, redis, base_settings):
    session, cid = await _ask(offline_client, redis, base_settings)
    stream = await open_stream(offline_client, session["token"])
    assert "児童相談所" in (await read_event(stream))["text"]
    stream.close()
    unclear = await (await say(offline_client, session["token"], "どういうこと？")).json()
    [record] = await _records(offline_client, cid)
    assert record["answer"] is None  # unclear: nothing recorded, and she is asked again in plain words, once
    assert [m["text"] for m in unclear["messages"]] == [ASK_AGAIN]
    again = await (await say(offline_client, session["token"], "えっと")).json()
    assert again["messages"] == []
    await say(offline_client, session["token"], "いいえ")
    [record] = await _records(offline_client, cid)
    assert record["to"] == "児童相談所" and record["asked_by"] == "aoi" and record["answer"] is False


@pytest.mark.parametrize("text", ["同意しません", "大丈夫です"])
async def test_a_polite_refusal_is_never_recorded_as_consent(offline_client, redis, base_settings, text):
    session, cid = await _ask(offline_client, redis, base_settings)
    await say(offline_client, session["token"], text)
    [record] = await _records(offline_client, cid)
    assert record["answer"] is False


async def test_consent_records_are_encrypted_and_expire(offline_client, redis, base_settings):
    session, cid = await _ask(offline_client, redis, base_settings)
    key = Keys(base_settings.key_prefix).consents(cid)
    assert "児童相談所".encode() not in b"".join(await redis.lrange(key, 0, -1))
    assert 0 < await redis.ttl(key) <= base_settings.retention_seconds
