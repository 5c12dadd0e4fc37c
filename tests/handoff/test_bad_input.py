"""Bad input gets a clear error and loses nothing; a Rasa that is down still gets her a kind reply."""

from __future__ import annotations

from handoff.keys import Keys
from handoff.queue import Queue
from tests.handoff.helpers import open_session, say


async def test_no_token_and_wrong_token_are_refused(offline_client):
    response = await offline_client.post("/api/webchat/messages", json={"text": "hi"})
    assert response.status == 401 and "error" in await response.json()
    response = await say(offline_client, "not-a-token", "hi")
    assert response.status == 401


async def test_malformed_json_empty_text_binary_and_huge_messages(offline_client):
    session = await open_session(offline_client)
    headers = {"Authorization": f"Bearer {session['token']}", "Content-Type": "application/json"}
    cases = [
        (b"{not json", 400),
        (b'{"text": ""}', 400),
        (b'{"text": 5}', 400),
        (b"\xff\xfe\x00binary", 400),
        (('{"text": "' + "あ" * 5000 + '"}').encode(), 413),
        (b"x" * (200 * 1024), 413),
    ]
    for body, status in cases:
        response = await offline_client.post("/api/webchat/messages", data=body, headers=headers)
        assert response.status == status, body[:20]
        assert "error" in await response.json()


async def test_when_rasa_is_down_she_still_gets_a_kind_reply_with_lines_open_now(offline_client):
    session = await open_session(offline_client)
    body = await (await say(offline_client, session["token"], "こんばんは")).json()
    assert body["state"] == "bot"
    words = "\n".join(m["text"] for m in body["messages"])
    assert "ごめんね" in words
    assert "24時間" in words
    assert all(m["from"] == "system" for m in body["messages"])


async def test_when_rasa_is_down_an_overdose_still_reaches_the_queue(offline_client, redis, base_settings):
    session = await open_session(offline_client)
    body = await (await say(offline_client, session["token"], "さっき薬全部飲んだ")).json()
    assert body["state"] == "waiting"
    assert "119" in "\n".join(m["text"] for m in body["messages"])
    assert await Queue(redis, Keys(base_settings.key_prefix)).waiting() == [session["conversation_id"]]


async def test_healthz_says_what_is_down(offline_client):
    response = await offline_client.get("/healthz")
    assert response.status == 200
    body = await response.json()
    assert body["redis"] is True
    assert body["rasa"] is False and body["action_server"] is False and body["ok"] is False
