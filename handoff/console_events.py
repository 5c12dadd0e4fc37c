"""Console events over a WebSocket: typed, numbered frames; ``?after=SEQ`` resumes after a reconnect.

The socket never holds a Redis connection while it waits: the process's one listener rings the doorbell
(:mod:`handoff.fanout`) and the socket reads the events stream from its own cursor.
"""

from __future__ import annotations

import asyncio

from aiohttp import web
from redis.exceptions import RedisError

from handoff import alerts, events
from handoff.appkeys import DOORBELL, KEYS, LIVE_TASKS, REDIS
from handoff.auth import LOGIN_ALERT, USER, counselor_only, still_logged_in

routes = web.RouteTableDef()
WAKE_SECONDS = 15.0  # look at the stream at least this often, doorbell or not
LOGGED_OUT = 4401  # close code: the login ended while the socket was open
SUPERVISOR_ONLY = frozenset({LOGIN_ALERT})


def visible(event: dict, role: str) -> bool:
    """Login alerts are for supervisors; everything else for every console."""
    return event.get("type") not in SUPERVISOR_ONLY or role == "supervisor"


@routes.get("/api/console/events")
@counselor_only
async def console_events(request: web.Request) -> web.WebSocketResponse:
    socket = web.WebSocketResponse(heartbeat=30)
    await socket.prepare(request)
    request.app[LIVE_TASKS].add(asyncio.current_task())
    redis, keys = request.app[REDIS], request.app[KEYS]
    after = request.query.get("after") or await events.latest_id(redis, keys)
    await socket.send_json({"type": "hello", "seq": after, "user": request[USER].name})
    for frame in await alerts.standing(request.app, after):  # never lost to the stream's cap
        await socket.send_json(frame)
    reader = asyncio.create_task(_until_closed(socket))
    loop = asyncio.get_running_loop()
    next_login_check = loop.time() + WAKE_SECONDS
    try:
        while not reader.done() and request.app[DOORBELL].open():
            for seq, event in await events.read_now(redis, keys, after):
                if visible(event, request[USER].role):
                    await socket.send_json({**event, "seq": seq})
                after = seq
            await request.app[DOORBELL].wait(events.EVENTS_TOPIC, WAKE_SECONDS)
            if loop.time() >= next_login_check:  # on a clock, not on every event: a busy night rings often
                next_login_check = loop.time() + WAKE_SECONDS
                if not await still_logged_in(request):  # logged out, disabled, removed, or idle too long
                    await socket.close(code=LOGGED_OUT, message=b"login ended")
                    break
    except (ConnectionResetError, RedisError):
        pass  # she went away, or storage did: the stream ends (a cancellation on shutdown propagates)
    finally:
        reader.cancel()
    return socket


async def _until_closed(socket: web.WebSocketResponse) -> None:
    async for _ in socket:  # consoles send nothing yet; this only notices the close
        pass
