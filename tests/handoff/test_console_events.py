"""Live console events over WebSocket: typed, numbered, resumable; overdue alerts."""

from __future__ import annotations

from dataclasses import replace

from handoff.app import create_app
from tests.handoff.helpers import add_counselor, login, next_frame, open_session, say


async def test_events_need_a_login(offline_client):
    response = await offline_client.get("/api/console/events")
    assert response.status == 401


async def test_a_new_waiting_conversation_reaches_the_console_live(offline_client, redis, base_settings):
    await add_counselor(redis, base_settings)
    await login(offline_client)
    socket = await offline_client.ws_connect("/api/console/events")
    hello = await next_frame(socket, "hello")
    session = await open_session(offline_client)
    await say(offline_client, session["token"], "さっき薬全部飲んだ")
    frame = await next_frame(socket, "queue_changed")
    assert frame["conversation_id"] == session["conversation_id"] and frame["seq"] > hello["seq"]
    assert "薬" not in str(frame)
    await socket.close()


async def test_a_console_resumes_after_the_last_frame_it_saw(offline_client, redis, base_settings):
    await add_counselor(redis, base_settings)
    await login(offline_client)
    socket = await offline_client.ws_connect("/api/console/events")
    await next_frame(socket, "hello")
    first, second = await open_session(offline_client), await open_session(offline_client)
    await say(offline_client, first["token"], "さっき薬全部飲んだ")
    seen = await next_frame(socket, "queue_changed")
    await socket.close()
    await say(offline_client, second["token"], "今から飛び降りる")
    resumed = await offline_client.ws_connect("/api/console/events", params={"after": seen["seq"]})
    frame = await next_frame(resumed, "queue_changed")
    assert frame["conversation_id"] == second["conversation_id"]
    await resumed.close()


async def test_an_unclaimed_emergency_raises_an_alert_once(aiohttp_client, redis, base_settings):
    settings = replace(base_settings, alert_emergency_seconds=0, alert_check_seconds=0.05)
    client = await aiohttp_client(create_app(settings))
    await add_counselor(redis, settings)
    await login(client)
    socket = await client.ws_connect("/api/console/events")
    await next_frame(socket, "hello")
    session = await open_session(client)
    await say(client, session["token"], "さっき薬全部飲んだ")
    alert = await next_frame(socket, "alert")
    assert alert["conversation_id"] == session["conversation_id"] and alert["urgency"] == "emergency"
    await socket.close()


async def test_a_standing_alert_survives_any_amount_of_chatter(aiohttp_client, redis, base_settings):
    from handoff import alerts, events
    from handoff.keys import Keys

    settings = replace(base_settings, alert_emergency_seconds=0)  # the limit passes at once
    client = await aiohttp_client(create_app(settings))
    keys = Keys(settings.key_prefix)
    await add_counselor(redis, settings)
    await login(client)
    session = await open_session(client)
    await say(client, session["token"], "さっき薬全部飲んだ")
    await alerts.check_once(client.server.app)  # (the app's own checker may have raised it already)
    assert await redis.exists(keys.alerted(session["conversation_id"], "emergency"))
    for _ in range(events.MAX_EVENTS + 500):  # chatter pushes the alert's frame out of the capped stream
        await events.publish(redis, keys, events.USER_MESSAGE, conversation_id="someone-else")
    socket = await client.ws_connect("/api/console/events?after=0")
    frame = await next_frame(socket, "alert")
    assert frame["conversation_id"] == session["conversation_id"] and frame["urgency"] == "emergency"
    await socket.close()
