"""Counselor accounts, login, the queue, claiming and replying live (Rasa down: the lexicon still queues)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import aiohttp

from handoff.keys import Keys
from tests.handoff.helpers import (
    PASSWORD,
    add_counselor,
    claimed_conversation,
    login,
    open_session,
    open_stream,
    read_event,
    say,
    waiting_conversation,
)

ROOT = Path(__file__).resolve().parents[2]


def test_users_add_reads_the_password_on_standard_input(base_settings):
    env = dict(os.environ, REDIS_URL=base_settings.redis_url, AKARI_KEY_PREFIX=base_settings.key_prefix,
               PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "handoff", "users", "add", "mika", "--role", "supervisor"]
    done = subprocess.run(command, input=PASSWORD + "\n", capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    short = subprocess.run(command, input="short\n", capture_output=True, text=True, env=env, timeout=60)
    assert short.returncode == 2 and "at least" in short.stderr


async def test_login_sets_an_httponly_strict_cookie_and_returns_a_csrf_token(offline_client, redis, base_settings):
    await add_counselor(redis, base_settings)
    response, body = await login(offline_client)
    assert response.status == 200 and body["role"] == "counselor" and body["csrf_token"]
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


async def test_wrong_passwords_lock_the_account_for_a_while(offline_client, redis, base_settings):
    await add_counselor(redis, base_settings)
    for _ in range(5):
        response, _ = await login(offline_client, password="wrong password!")
        assert response.status == 401
    response, _ = await login(offline_client)  # even the right one, during the lock-out
    assert response.status == 429


async def test_only_logged_in_counselors_see_the_queue(offline_client, redis, base_settings):
    session = await waiting_conversation(offline_client)
    assert (await offline_client.get("/api/queue")).status == 401
    await add_counselor(redis, base_settings)
    await login(offline_client)
    body = await (await offline_client.get("/api/queue")).json()
    [entry] = body["queue"]
    assert entry["conversation_id"] == session["conversation_id"]
    assert entry["urgency"] == "emergency" and "suicide_risk" in entry["concerns"]
    assert entry["channel"] == "webchat" and entry["waiting_since"] > 0 and entry["factors"]
    assert "さっき薬全部飲んだ" not in json.dumps(body, ensure_ascii=False)  # the queue shows no message text


async def test_claim_needs_csrf_and_only_one_counselor_gets_it(offline_client, redis, base_settings):
    session = await waiting_conversation(offline_client)
    cid = session["conversation_id"]
    await add_counselor(redis, base_settings, "aoi")
    await add_counselor(redis, base_settings, "ren")
    _, aoi = await login(offline_client, "aoi")
    assert (await offline_client.post(f"/api/conversations/{cid}/claim")).status == 403
    jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=offline_client.make_url("/"))
    async with aiohttp.ClientSession(cookie_jar=jar) as other:  # a second browser
        url = offline_client.make_url
        ren = await (await other.post(url("/api/auth/login"), json={"username": "ren", "password": PASSWORD})).json()
        results = await asyncio.gather(
            offline_client.post(f"/api/conversations/{cid}/claim", headers={"X-CSRF-Token": aoi["csrf_token"]}),
            other.post(url(f"/api/conversations/{cid}/claim"), headers={"X-CSRF-Token": ren["csrf_token"]}),
        )
        assert sorted(r.status for r in results) == [200, 409]
    assert (await (await offline_client.get("/api/queue")).json())["queue"] == []


async def test_the_counselor_reply_reaches_the_user_live_and_the_bot_stays_silent(offline_client, redis, base_settings):
    session, csrf = await claimed_conversation(offline_client, redis, base_settings)
    cid = session["conversation_id"]
    stream = await open_stream(offline_client, session["token"])
    assert stream.headers["Content-Type"].startswith("text/event-stream")
    sent = await offline_client.post(f"/api/conversations/{cid}/messages", json={"text": "相談員のあおいです。いまどこにいる？"},
                                     headers=csrf)
    assert sent.status == 201
    frame = await read_event(stream)
    assert frame["from"] == "counselor" and "あおい" in frame["text"] and frame["seq"]
    stream.close()
    quiet = await (await say(offline_client, session["token"], "家にいる")).json()
    assert quiet == {"messages": [], "state": "human"}
    transcript = (await (await offline_client.get(f"/api/conversations/{cid}")).json())["messages"]
    assert [m["role"] for m in transcript][-2:] == ["counselor", "user"]


async def test_a_reconnecting_user_resumes_after_the_last_event(offline_client, redis, base_settings):
    session, csrf = await claimed_conversation(offline_client, redis, base_settings)
    cid = session["conversation_id"]
    for text in ("ひとつめ", "ふたつめ"):
        await offline_client.post(f"/api/conversations/{cid}/messages", json={"text": text}, headers=csrf)
    stream = await open_stream(offline_client, session["token"])
    first = await read_event(stream)
    stream.close()
    resumed = await open_stream(offline_client, session["token"], first["seq"])
    assert (await read_event(resumed))["text"] == "ふたつめ"
    resumed.close()


async def test_she_is_told_honestly_when_nobody_is_on_duty(offline_client):
    session = await open_session(offline_client)
    body = await (await say(offline_client, session["token"], "さっき薬全部飲んだ")).json()
    words = "\n".join(m["text"] for m in body["messages"])
    assert "相談員がいない時間" in words and "24時間" in words


async def test_with_a_counselor_on_duty_she_hears_roughly_how_long(offline_client, redis, base_settings):
    await add_counselor(redis, base_settings)
    await login(offline_client)
    session = await open_session(offline_client)
    body = await (await say(offline_client, session["token"], "さっき薬全部飲んだ")).json()
    notices = [m for m in body["messages"] if "1人の相談員" in m["text"]]
    assert len(notices) == 1 and notices[0]["from"] == "system" and "分くらい" in notices[0]["text"]
    assert "相談員がいない" not in "\n".join(m["text"] for m in body["messages"])  # never both at once


async def test_release_gives_her_back_to_the_bot_and_close_keeps_an_outcome(offline_client, redis, base_settings):
    await add_counselor(redis, base_settings)
    _, me = await login(offline_client)
    csrf = {"X-CSRF-Token": me["csrf_token"]}
    first, second = await waiting_conversation(offline_client), await waiting_conversation(offline_client)
    for session in (first, second):
        await offline_client.post(f"/api/conversations/{session['conversation_id']}/claim", headers=csrf)
    released = await offline_client.post(f"/api/conversations/{first['conversation_id']}/release", headers=csrf)
    assert (await released.json())["state"] == "bot"
    stream = await open_stream(offline_client, first["token"])
    assert "ボットがお返事" in (await read_event(stream))["text"]
    stream.close()
    bad = await offline_client.post(f"/api/conversations/{second['conversation_id']}/close", json={"outcome": "?"},
                                    headers=csrf)
    assert bad.status == 400
    closed = await offline_client.post(f"/api/conversations/{second['conversation_id']}/close",
                                       json={"outcome": "referred", "note": "NaNaに紹介"}, headers=csrf)
    assert (await closed.json())["state"] == "closed"
    raw = await redis.hget(Keys(base_settings.key_prefix).conversation(second["conversation_id"]), "note")
    assert raw and b"NaNa" not in raw  # the private note is encrypted at rest


async def test_a_counselor_cannot_reply_to_a_conversation_she_has_not_claimed(offline_client, redis, base_settings):
    session = await waiting_conversation(offline_client)
    await add_counselor(redis, base_settings)
    _, me = await login(offline_client)
    response = await offline_client.post(f"/api/conversations/{session['conversation_id']}/messages",
                                         json={"text": "こんにちは"}, headers={"X-CSRF-Token": me["csrf_token"]})
    assert response.status == 409


async def test_a_counselor_holds_at_most_three(offline_client, redis, base_settings):
    await add_counselor(redis, base_settings)
    _, me = await login(offline_client)
    csrf = {"X-CSRF-Token": me["csrf_token"]}
    statuses = []
    for _ in range(4):
        session = await waiting_conversation(offline_client)
        claim = await offline_client.post(f"/api/conversations/{session['conversation_id']}/claim", headers=csrf)
        statuses.append(claim.status)
    assert statuses == [200, 200, 200, 409]
