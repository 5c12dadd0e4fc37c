"""A busy or hostile night (issue #8): odd input, floods, cross-site requests, colleagues' conversations."""

from __future__ import annotations

from dataclasses import replace

from handoff import throttle
from handoff.app import create_app
from handoff.crypto import Box
from handoff.keys import Keys
from handoff.store import Store
from tests.handoff.helpers import (
    add_counselor,
    claimed_conversation,
    login,
    open_session,
    open_stream,
    read_event,
    say,
    waiting_conversation,
)


async def test_absurd_nesting_a_lone_surrogate_and_odd_headers_get_clear_answers(offline_client, redis, base_settings):
    session = await open_session(offline_client)
    headers = {"Authorization": f"Bearer {session['token']}", "Content-Type": "application/json"}
    nested = await offline_client.post("/api/webchat/messages", data=b"[" * 50_000 + b"]" * 50_000, headers=headers)
    assert nested.status in (400, 413) and (await nested.json())["code"] in ("bad_json", "too_large")
    surrogate = await offline_client.post("/api/webchat/messages", data=b'{"text": "\\ud800\\u305f\\u3059\\u3051\\u3066"}',
                                          headers=headers)
    assert surrogate.status == 200  # her words are kept, the broken character replaced
    store = Store(redis, Keys(base_settings.key_prefix), Box(base_settings.data_key), 60, 600)
    assert [m["text"] for m in await store.transcript(session["conversation_id"]) if m["role"] == "user"] == [
        "\ufffdたすけて"]
    await add_counselor(redis, base_settings)
    await login(offline_client)
    odd = await offline_client.post("/api/conversations/x/claim", headers={"X-CSRF-Token": "ｃｓｒｆ😀"})
    assert odd.status == 403 and (await odd.json())["code"] == "csrf"


async def test_errors_carry_a_stable_code_and_api_answers_are_never_cached(offline_client):
    response = await offline_client.post("/api/webchat/messages", json={"text": "hi"})
    assert (await response.json())["code"] == "no_token"
    session = await (await offline_client.post("/api/webchat/sessions")).json()
    reply = await say(offline_client, session["token"], "こんばんは")
    assert reply.headers["Cache-Control"] == "no-store" and reply.headers["X-Content-Type-Options"] == "nosniff"


async def test_a_cross_site_post_is_refused(offline_client):
    response = await offline_client.post("/api/webchat/sessions", headers={"Origin": "https://evil.example"})
    assert response.status == 403 and (await response.json())["code"] == "bad_origin"
    same = await offline_client.post("/api/webchat/sessions",
                                     headers={"Origin": f"http://{offline_client.host}:{offline_client.port}"})
    assert same.status == 201


async def test_one_client_cannot_flood_the_queue(aiohttp_client, base_settings, redis):
    client = await aiohttp_client(create_app(base_settings))
    statuses = [(await client.post("/api/webchat/sessions")).status for _ in range(throttle.SESSIONS_PER_IP.count + 3)]
    assert statuses.count(201) == throttle.SESSIONS_PER_IP.count and statuses[-1] == 429
    refused = await client.post("/api/webchat/sessions")
    body = await refused.json()
    assert body["code"] == "slow_down" and any("24時間" in m["text"] for m in body["messages"])  # still kind


async def test_an_empty_session_is_not_counted(offline_client, redis, base_settings):
    await open_session(offline_client)
    assert await redis.zcard(Keys(base_settings.key_prefix).index) == 0
    session = await open_session(offline_client)
    await say(offline_client, session["token"], "こんばんは")
    assert await redis.zcard(Keys(base_settings.key_prefix).index) == 1


async def test_a_stream_ticket_works_once_and_the_token_never_needs_the_url(offline_client, redis, base_settings):
    session, csrf = await claimed_conversation(offline_client, redis, base_settings)
    ticket = await offline_client.post("/api/webchat/stream-ticket", headers={"Authorization": f"Bearer {session['token']}"})
    value = (await ticket.json())["ticket"]
    stream = await offline_client.get("/api/webchat/stream", params={"ticket": value})
    await offline_client.post(f"/api/conversations/{session['conversation_id']}/messages", json={"text": "来たよ"},
                              headers=csrf)
    assert (await read_event(stream))["text"] == "来たよ"
    stream.close()
    again = await offline_client.get("/api/webchat/stream", params={"ticket": value})
    assert again.status == 401 and (await again.json())["code"] == "bad_ticket"


async def test_a_counselor_cannot_read_or_annotate_a_colleagues_conversation(aiohttp_client, offline_client, redis,
                                                                            base_settings):
    session, _ = await claimed_conversation(offline_client, redis, base_settings, name="aoi")
    cid = session["conversation_id"]
    colleague = await aiohttp_client(create_app(replace(base_settings)))
    await add_counselor(redis, base_settings, "ren")
    _, ren = await login(colleague, "ren")
    assert (await colleague.get(f"/api/conversations/{cid}")).status == 403
    note = await colleague.post(f"/api/conversations/{cid}/notes", json={"text": "x"},
                                headers={"X-CSRF-Token": ren["csrf_token"]})
    assert note.status == 403
    assert (await colleague.get("/api/audit")).status == 403  # the audit log is for supervisors


async def test_every_transcript_read_is_audited_for_supervisors(offline_client, aiohttp_client, redis, base_settings):
    session = await waiting_conversation(offline_client)
    await add_counselor(redis, base_settings, "aoi")
    await login(offline_client, "aoi")
    assert (await offline_client.get(f"/api/conversations/{session['conversation_id']}")).status == 200  # about to claim
    supervisor = await aiohttp_client(create_app(replace(base_settings)))
    await add_counselor(redis, base_settings, "boss", role="supervisor")
    await login(supervisor, "boss")
    reads = (await (await supervisor.get("/api/audit")).json())["reads"]
    assert [(r["user"], r["conversation_id"]) for r in reads] == [("aoi", session["conversation_id"])]


async def test_typing_reaches_the_console_only_while_a_counselor_holds_it(offline_client, redis, base_settings):
    session = await open_session(offline_client)
    headers = {"Authorization": f"Bearer {session['token']}"}
    await offline_client.post("/api/webchat/typing", headers=headers)
    assert await redis.xlen(Keys(base_settings.key_prefix).events) == 0  # nobody holds it: nothing published
    stream = await open_stream(offline_client, session["token"])
    stream.close()
