"""The application factory: ``create_app(settings)``."""

from __future__ import annotations

from typing import AsyncIterator

import aiohttp
from aiohttp import web
from redis.asyncio import Redis

from handoff import alerts, auth, console_api, health, line, webchat
from handoff.appkeys import HTTP, MESSAGING, REDIS, SETTINGS, STORE
from handoff.crypto import Box
from handoff.keys import Keys
from handoff.messaging import Messaging
from handoff.middlewares import error_middleware
from handoff.settings import Settings
from handoff.store import Store

MAX_BODY_BYTES = 64 * 1024


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


def create_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[error_middleware], client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app.cleanup_ctx.append(_clients)
    app.cleanup_ctx.append(alerts.alert_task)
    app.add_routes(health.routes)
    app.add_routes(webchat.routes)
    app.add_routes(line.routes)
    app.add_routes(auth.routes)
    app.add_routes(console_api.routes)
    return app
