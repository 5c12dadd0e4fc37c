"""The application factory: ``create_app(settings)``."""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import AsyncIterator

import aiohttp
from aiohttp import web
from redis.asyncio import Redis

from handoff import alerts, auth, console_api, health, line, webchat
from handoff.appkeys import HTTP, LIVE_TASKS, MESSAGING, REDIS, SETTINGS, STORE
from handoff.crypto import Box
from handoff.keys import Keys
from handoff.messaging import Messaging
from handoff.middlewares import error_middleware
from handoff.settings import Settings
from handoff.store import Store

MAX_BODY_BYTES = 64 * 1024
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
    """Redis and the HTTP client live as long as the app, and close with it."""
    settings = app[SETTINGS]
    redis = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=3)
    http = aiohttp.ClientSession()
    store = Store(redis, Keys(settings.key_prefix), Box(settings.data_key), settings.session_ttl_seconds,
                  settings.retention_seconds)
    app[REDIS], app[HTTP], app[STORE] = redis, http, store
    app[MESSAGING] = Messaging(settings, redis, http, store)
    yield
    await http.close()
    await redis.aclose()


async def _end_live_handlers(app: web.Application) -> None:
    """on_shutdown: end open streams and sockets now rather than after the shutdown timeout."""
    for task in list(app[LIVE_TASKS]):
        task.cancel()


def create_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[error_middleware], client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app[LIVE_TASKS] = weakref.WeakSet()
    app.on_shutdown.append(_end_live_handlers)
    app.cleanup_ctx.append(_clients)
    app.cleanup_ctx.append(alerts.alert_task)
    app.add_routes(health.routes)
    app.add_routes(webchat.routes)
    app.add_routes(line.routes)
    app.add_routes(auth.routes)
    app.add_routes(console_api.routes)
    app.router.add_get("/", _page("chat.html"))
    app.router.add_get("/console", _page("console.html"))
    app.router.add_get("/stats", _page("stats.html"))
    app.router.add_static("/static/", STATIC_DIR)
    return app
