"""Statistics routes: counts and times only, never text (plan items 1, 85, 86)."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from handoff import stats
from handoff.appkeys import STORE
from handoff.auth import counselor_only
from handoff.errors import problem

routes = web.RouteTableDef()


async def _conversations_in_range(request: web.Request) -> list:
    try:
        start, end = stats.day_range(request.query.get("from"), request.query.get("to"), datetime.now(stats.TOKYO))
    except ValueError as error:
        raise problem(400, "bad_date", "dates must be YYYY-MM-DD") from error
    return await request.app[STORE].created_between(start, end)


@routes.get("/api/stats")
@counselor_only
async def get_stats(request: web.Request) -> web.Response:
    return web.json_response(stats.summarize(await _conversations_in_range(request)))


@routes.get("/api/stats.csv")
@counselor_only
async def get_stats_csv(request: web.Request) -> web.Response:
    body = stats.to_csv(await _conversations_in_range(request))
    return web.Response(text=body, content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": 'attachment; filename="akari-stats.csv"'})
