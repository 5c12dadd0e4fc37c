"""Consent before anything is shared: asked, answered in her words, recorded."""

from __future__ import annotations

import pytest

from handoff.consent import read_answer
from tests.handoff.conftest import say
from tests.handoff.test_counselors import claimed_conversation, read_event


@pytest.mark.parametrize("text, answer", [("はい", True), ("うん、いいよ", True), ("いいえ", False),
                                          ("やめて、言わないで", False), ("どういうこと？", None)])
def test_reading_her_answer(text, answer):
    assert read_answer(text) is answer


async def test_she_is_asked_and_her_answer_is_recorded(offline_client, redis, base_settings):
    session, csrf = await claimed_conversation(offline_client, redis, base_settings)
    cid = session["conversation_id"]
    asked = await offline_client.post(f"/api/conversations/{cid}/consent", json={"to": "児童相談所", "purpose": "保護の相談"},
                                      headers=csrf)
    assert asked.status == 201
    stream = await offline_client.get("/api/webchat/stream", params={"token": session["token"]})
    assert "児童相談所" in (await read_event(stream))["text"]
    stream.close()
    await say(offline_client, session["token"], "どういうこと？")  # unclear: nothing recorded yet
    await say(offline_client, session["token"], "いいえ")
    [record] = (await (await offline_client.get(f"/api/conversations/{cid}")).json())["consents"]
    assert record["to"] == "児童相談所" and record["asked_by"] == "aoi" and record["answer"] is False
