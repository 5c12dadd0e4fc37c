"""An emergency reaches the counselors' queue before Rasa answers (issue #8's load run: under load her message
waited behind everyone else's at Rasa, and the alarm with it)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from aiohttp import web

from handoff.app import create_app
from tests.handoff.helpers import ALARM, add_counselor, login, next_frame, open_session, say


async def test_the_alarm_does_not_wait_for_a_slow_rasa(aiohttp_server, aiohttp_client, base_settings, redis):
    release = asyncio.Event()

    async def slow_webhook(request: web.Request) -> web.Response:
        await release.wait()  # Rasa, busy with three hundred other people
        return web.json_response([{"recipient_id": "x", "text": "ここにいるよ。"}])

    rasa = web.Application()
    rasa.router.add_post("/webhooks/rest/webhook", slow_webhook)
    server = await aiohttp_server(rasa)
    client = await aiohttp_client(create_app(replace(base_settings, rasa_url=str(server.make_url("")).rstrip("/"))))
    await add_counselor(redis, base_settings)
    await login(client)
    socket = await client.ws_connect("/api/console/events")
    await next_frame(socket, "hello")
    session = await open_session(client)
    sending = asyncio.create_task(say(client, session["token"], ALARM))
    frame = await next_frame(socket, "queue_changed")  # while Rasa has not answered yet
    assert frame["conversation_id"] == session["conversation_id"] and not sending.done()
    [entry] = (await (await client.get("/api/queue")).json())["queue"]
    assert entry["urgency"] == "emergency"
    release.set()
    body = await (await sending).json()
    assert body["state"] == "waiting" and body["messages"]  # and the bot's turn still reaches her
    await socket.close()


async def test_a_calm_message_is_not_queued_early(offline_client, redis, base_settings):
    session = await open_session(offline_client)
    await say(offline_client, session["token"], "死ぬほど眠い")
    assert await redis.zcard(f"{base_settings.key_prefix}queue") == 0
