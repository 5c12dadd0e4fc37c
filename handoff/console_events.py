"""Console events over a WebSocket: typed, numbered frames; ``?after=SEQ`` resumes after a reconnect.

The socket never holds a Redis connection while it waits: the process's one listener rings the doorbell
(:mod:`handoff.fanout`) and the socket reads the events stream from its own cursor.
"""

from __future__ import annotations

import asyncio

from aiohttp import web
from redis.exceptions import RedisError

from handoff import events
from handoff.appkeys import DOORBELL, KEYS, LIVE_TASKS, REDIS
from handoff.auth import USER, counselor_only

routes = web.RouteTableDef()
WAKE_SECONDS = 15.0  # look at the stream at least this often, doorbell or not


@routes.get("/api/console/events")
@counselor_only
async def console_events(request: web.Request) -> web.WebSocketResponse:
    socket = web.WebSocketResponse(heartbeat=30)
    await socket.prepare(request)
    request.app[LIVE_TASKS].add(asyncio.current_task())
    redis, keys = request.app[REDIS], request.app[KEYS]
    after = request.query.get("after") or await events.latest_id(redis, keys)
    await socket.send_json({"type": "hello", "seq": after, "user": request[USER].name})
    reader = asyncio.create_task(_until_closed(socket))
    try:
        while not reader.done():
            for seq, event in await events.read_now(redis, keys, after):
                await socket.send_json({**event, "seq": seq})
                after = seq
            await request.app[DOORBELL].wait(events.EVENTS_TOPIC, WAKE_SECONDS)
    except (ConnectionResetError, RedisError, asyncio.CancelledError):
        pass
    finally:
        reader.cancel()
    return socket


async def _until_closed(socket: web.WebSocketResponse) -> None:
    async for _ in socket:  # consoles send nothing yet; this only notices the close
        pass
