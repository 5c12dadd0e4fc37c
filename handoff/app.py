"""The application factory: ``create_app(settings)``."""

from __future__ import annotations

import asyncio
import weakref
from collections import Counter
from pathlib import Path
from typing import AsyncIterator

import aiohttp
from aiohttp import web
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from handoff import (
    alerts,
    auth,
    console_conversations,
    console_events,
    console_holding,
    fanout,
    health,
    line,
    line_worker,
    stats_api,
    webchat,
)
from handoff.appkeys import (
    CONSENTS,
    DOORBELL,
    HTTP,
    KEYS,
    LIVE_TASKS,
    MESSAGING,
    QUEUE,
    REDIS,
    SETTINGS,
    STATES,
    STORE,
)
from handoff.consent import Consents
from handoff.crypto import Box
from handoff.keys import Keys
from handoff.messaging import Messaging
from handoff.middlewares import error_middleware
from handoff.origin import origin_middleware
from handoff.queue import Queue
from handoff.settings import Settings
from handoff.states import StateMachine
from handoff.store import Store

MAX_BODY_BYTES = 64 * 1024
REDIS_POOL_SIZE = 64  # no client holds a connection while it waits (handoff.fanout), so this is plenty
STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def _page(name: str):
    """A static page with a strict CSP and no referrer (the quick exit leaks nothing)."""

    async def handler(request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / name, headers=PAGE_HEADERS)

    return handler


async def _clients(app: web.Application) -> AsyncIterator[None]:
    """Redis, the HTTP client and every per-app client live as long as the app, and close with it."""
    settings = app[SETTINGS]
    # A restarted Redis leaves stale pooled connections: each command retries on a fresh one (briefly, with
    # back-off) instead of answering her with a 503; a Redis that stays down still gets the kind 503.
    redis = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=3,
                           max_connections=REDIS_POOL_SIZE, retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 3),
                           retry_on_error=[RedisConnectionError, RedisTimeoutError])
    http = aiohttp.ClientSession()
    keys = Keys(settings.key_prefix)
    store = Store(redis, keys, Box(settings.data_key), settings.session_ttl_seconds, settings.retention_seconds)
    app[REDIS], app[HTTP], app[STORE], app[KEYS] = redis, http, store, keys
    app[STATES], app[QUEUE] = StateMachine(redis, keys), Queue(redis, keys)
    app[CONSENTS] = Consents(redis, keys, store.box, settings.retention_seconds)
    app[MESSAGING] = Messaging(settings, redis, http, store, app[STATES], app[CONSENTS])
    yield
    await http.close()
    await redis.aclose()


async def _doorbell_listener(app: web.Application) -> AsyncIterator[None]:
    """One pub/sub listener per process, on a connection of its own (no read timeout: it waits by design)."""
    listener_redis = Redis.from_url(app[SETTINGS].redis_url, socket_connect_timeout=3, health_check_interval=30)
    task = asyncio.create_task(fanout.listen(listener_redis, app[KEYS].doorbell, app[DOORBELL]))
    yield
    await fanout.cancel_and_wait(task)
    await listener_redis.aclose()


async def _end_live_handlers(app: web.Application) -> None:
    """on_shutdown: end open streams and sockets now rather than after the shutdown timeout."""
    app[DOORBELL].close()
    for task in list(app[LIVE_TASKS]):
        task.cancel()


def create_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[error_middleware, origin_middleware], client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app[LIVE_TASKS] = weakref.WeakSet()
    app[DOORBELL] = fanout.Doorbell()
    app[webchat.OPEN_STREAMS] = Counter()
    app.on_shutdown.append(_end_live_handlers)
    app.cleanup_ctx.append(_clients)
    app.cleanup_ctx.append(_doorbell_listener)
    app.cleanup_ctx.append(alerts.alert_task)
    app.cleanup_ctx.append(line_worker.line_workers)
    for module in (health, webchat, line, auth, console_conversations, console_holding, console_events, stats_api):
        app.add_routes(module.routes)
    app.router.add_get("/", _page("chat.html"))
    app.router.add_get("/console", _page("console.html"))
    app.router.add_get("/stats", _page("stats.html"))
    app.router.add_static("/static/", STATIC_DIR)
    return app
