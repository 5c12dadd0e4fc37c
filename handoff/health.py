"""GET /healthz: does Redis, Rasa and the action server answer? (SPEC §4)"""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web
from redis.exceptions import RedisError

from handoff.appkeys import DOORBELL, HTTP, REDIS, SETTINGS

routes = web.RouteTableDef()
PROBE_TIMEOUT = aiohttp.ClientTimeout(total=3)


async def _http_ok(session: aiohttp.ClientSession, url: str) -> bool:
    try:
        async with session.get(url, timeout=PROBE_TIMEOUT) as response:
            return response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False


async def _redis_ok(request: web.Request) -> bool:
    try:
        return bool(await asyncio.wait_for(request.app[REDIS].ping(), timeout=3))
    except (RedisError, OSError, asyncio.TimeoutError):
        return False


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    settings, http = request.app[SETTINGS], request.app[HTTP]
    redis_ok, actions_ok, *replicas = await asyncio.gather(
        _redis_ok(request),
        _http_ok(http, f"{settings.action_server_url}/health"),
        *(_http_ok(http, f"{url}/status") for url in settings.rasa_urls),
    )
    pool = pool_usage(request.app[REDIS])
    ok = redis_ok and all(replicas) and actions_ok and pool["in_use"] < pool["max"]
    # "rasa": the bot answers (some replica does; conversations fail over); "rasa_replicas": each replica in
    # RASA_URL's order (by position, not URL: internal addresses stay internal), and "ok" needs them all.
    body = {"redis": redis_ok, "rasa": any(replicas), "rasa_replicas": replicas, "action_server": actions_ok,
            "redis_pool": pool, "open_streams": request.app[DOORBELL].waiting, "ok": ok}
    return web.json_response(body, status=200)


def pool_usage(redis) -> dict:
    """How many of the Redis pool's connections are taken: a full pool means new messages would fail."""
    pool = redis.connection_pool
    return {"in_use": len(getattr(pool, "_in_use_connections", ())), "max": pool.max_connections}
