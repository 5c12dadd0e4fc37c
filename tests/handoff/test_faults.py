"""Faults, by starting and killing real processes (issue #8): Redis killed and restarted with her stream open,
the handoff service restarted with streams open. No acknowledged message is lost; the conversation continues."""

from __future__ import annotations

from dataclasses import replace

import pytest
from redis.asyncio import Redis

from handoff.app import create_app
from tests.conftest import free_port
from tests.handoff.helpers import (
    ALARM,
    RedisProcess,
    add_counselor,
    login,
    next_frame,
    open_session,
    open_stream,
    read_event,
    say,
)


@pytest.fixture
def own_redis(tmp_path):
    """A Redis this test may kill, configured as `make run` starts it (append-only file, fsync on every write)."""
    server = RedisProcess(free_port(), tmp_path, "--appendonly", "yes", "--appendfsync", "always")
    yield server
    server.stop(kill=True)


async def _claimed(client, redis_url, settings):
    redis = Redis.from_url(redis_url)
    await add_counselor(redis, settings)
    await redis.aclose()
    _, me = await login(client)
    csrf = {"X-CSRF-Token": me["csrf_token"]}
    session = await open_session(client)
    await say(client, session["token"], ALARM)
    claim = await client.post(f"/api/conversations/{session['conversation_id']}/claim", headers=csrf)
    assert claim.status == 200, await claim.text()
    return session, csrf


async def test_redis_killed_and_restarted_under_an_open_stream(aiohttp_client, base_settings, own_redis):
    settings = replace(base_settings, redis_url=own_redis.url)
    client = await aiohttp_client(create_app(settings))
    session, csrf = await _claimed(client, own_redis.url, settings)
    cid = session["conversation_id"]
    stream = await open_stream(client, session["token"])
    await client.post(f"/api/conversations/{cid}/messages", json={"text": "相談員のあおいです"}, headers=csrf)
    first = await read_event(stream)
    own_redis.restart()  # kill -9, then start again on the same files
    down = await say(client, session["token"], "つながってる？")
    assert down.status == 200  # stale connections are retried on fresh ones: she never sees the restart
    stream.close()
    resumed = await open_stream(client, session["token"], last_id=first["seq"])
    await client.post(f"/api/conversations/{cid}/messages", json={"text": "ここにいるよ"}, headers=csrf)
    assert (await read_event(resumed))["text"] == "ここにいるよ"  # the conversation continues
    resumed.close()
    detail = await (await client.get(f"/api/conversations/{cid}")).json()
    texts = [m["text"] for m in detail["messages"]]
    assert texts[0] == ALARM and "相談員のあおいです" in texts and "つながってる？" in texts  # nothing acknowledged is lost


async def test_a_handoff_restart_with_streams_open_loses_nothing(aiohttp_server, aiohttp_client, base_settings, redis):
    first_server = await aiohttp_server(create_app(base_settings))
    client = await aiohttp_client(first_server)
    session, csrf = await _claimed(client, base_settings.redis_url, base_settings)
    cid = session["conversation_id"]
    socket = await client.ws_connect("/api/console/events")
    hello = await next_frame(socket, "hello")
    stream = await open_stream(client, session["token"])
    await client.post(f"/api/conversations/{cid}/messages", json={"text": "ひとつめ"}, headers=csrf)
    seen = await read_event(stream)
    await first_server.close()  # the instance goes away with a stream and a console socket open
    second = await aiohttp_client(create_app(replace(base_settings)))
    _, me = await login(second)
    csrf = {"X-CSRF-Token": me["csrf_token"]}
    await second.post(f"/api/conversations/{cid}/messages", json={"text": "ふたつめ"}, headers=csrf)
    resumed = await open_stream(second, session["token"], last_id=seen["seq"])
    assert (await read_event(resumed))["text"] == "ふたつめ"  # she resumes after the last message she saw
    resumed.close()
    await say(second, session["token"], "ありがとう")  # while the console was away: a user_message event
    console = await second.ws_connect(f"/api/console/events?after={hello['seq']}")
    assert (await next_frame(console, "user_message"))["conversation_id"] == cid  # the console resumes its events
    await console.close()
