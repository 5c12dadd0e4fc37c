"""Transfer, supervisor take-over, who holds what, places to insert, triage history."""

from __future__ import annotations

import aiohttp

from tests.handoff.helpers import PASSWORD, add_counselor, claimed_conversation, login, waiting_conversation


async def test_transfer_to_a_colleague_and_supervisor_take_over(offline_client, redis, base_settings):
    await add_counselor(redis, base_settings, "aoi")
    await add_counselor(redis, base_settings, "ren")
    await add_counselor(redis, base_settings, "boss", role="supervisor")
    _, aoi = await login(offline_client, "aoi")
    csrf = {"X-CSRF-Token": aoi["csrf_token"]}
    cid = (await waiting_conversation(offline_client))["conversation_id"]
    await offline_client.post(f"/api/conversations/{cid}/claim", headers=csrf)
    moved = await offline_client.post(f"/api/conversations/{cid}/transfer", json={"to": "ren"}, headers=csrf)
    assert (await moved.json())["holder"] == "ren"
    again = await offline_client.post(f"/api/conversations/{cid}/transfer", json={"to": "aoi"}, headers=csrf)
    assert again.status == 403  # aoi no longer holds it
    jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=offline_client.make_url("/"))
    async with aiohttp.ClientSession(cookie_jar=jar) as supervisor:
        url = offline_client.make_url
        boss = await (await supervisor.post(url("/api/auth/login"), json={"username": "boss", "password": PASSWORD})).json()
        active = await (await supervisor.get(url("/api/conversations"))).json()
        assert [(c["conversation_id"], c["holder"]) for c in active["conversations"]] == [(cid, "ren")]
        taken = await supervisor.post(url(f"/api/conversations/{cid}/transfer"), json={"to": "boss"},
                                      headers={"X-CSRF-Token": boss["csrf_token"]})
        assert (await taken.json())["holder"] == "boss"


async def test_places_open_now_and_the_triage_history_for_the_counselor(offline_client, redis, base_settings):
    await add_counselor(redis, base_settings)
    await login(offline_client)
    cid = (await waiting_conversation(offline_client))["conversation_id"]
    places = (await (await offline_client.get(f"/api/conversations/{cid}/places")).json())["places"]
    assert places[0]["phone"] == "119" and all(p["text"].startswith("・") for p in places)
    detail = await (await offline_client.get(f"/api/conversations/{cid}")).json()
    [entry] = detail["triage_history"]
    assert entry["urgency"] == "emergency" and "suicide_risk" in entry["concerns"] and "text" not in entry


async def test_when_nobody_is_on_duty_the_notice_lists_lines_open_now(offline_client):
    from tests.handoff.helpers import open_session, say
    session = await open_session(offline_client)
    body = await (await say(offline_client, session["token"], "さっき薬全部飲んだ")).json()
    texts = [m["text"] for m in body["messages"]]
    told = [i for i, text in enumerate(texts) if "相談員がいない時間" in text]
    assert len(told) == 1 and any("119" in text for text in texts[told[0]:])  # said once, with the lines
    assert not any("待っていて" in text for text in texts)  # never told to wait for a person who is not there


async def test_private_notes_are_for_the_team_only_and_encrypted(offline_client, redis, base_settings):
    from handoff.keys import Keys

    session, csrf = await claimed_conversation(offline_client, redis, base_settings)
    cid = session["conversation_id"]
    added = await offline_client.post(f"/api/conversations/{cid}/notes", json={"text": "母親からの連絡に注意"},
                                      headers=csrf)
    assert added.status == 201
    detail = await (await offline_client.get(f"/api/conversations/{cid}")).json()
    assert [(n["author"], n["text"]) for n in detail["notes"]] == [("aoi", "母親からの連絡に注意")]
    raw = await redis.lrange(Keys(base_settings.key_prefix).notes(cid), 0, -1)
    assert "母親".encode() not in b"".join(raw)
    assert all(m["text"] != "母親からの連絡に注意" for m in detail["messages"])  # not in her transcript
