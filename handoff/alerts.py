"""Overdue alerts: an emergency not claimed within a minute, a high one within five (settings).

A background task owned by the app's cleanup context checks the queue and
raises each alert once (a SET NX marker), for every counselor and supervisor.
"""

from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterator, List, Mapping

from aiohttp import web
from redis.asyncio import Redis
from redis.exceptions import RedisError

from handoff import events
from handoff.appkeys import KEYS, QUEUE, REDIS, SETTINGS, STORE
from handoff.fanout import cancel_and_wait
from handoff.settings import Settings
from handoff.timeutil import now_ms

log = logging.getLogger(__name__)


def overdue(conversation: Mapping[str, object], settings: Settings, now: int) -> bool:
    """Whether a waiting conversation has waited past its urgency's limit."""
    limits = {"emergency": settings.alert_emergency_seconds, "high": settings.alert_high_seconds}
    limit = limits.get(str(conversation.get("max_urgency")))
    since = conversation.get("waiting_since")
    return limit is not None and bool(since) and now - int(str(since)) >= limit * 1000


async def check_once(app: web.Application) -> List[str]:
    """Raise the alerts due now; returns the conversations alerted."""
    redis: Redis = app[REDIS]
    settings, keys = app[SETTINGS], app[KEYS]
    raised = []
    for conversation_id in await app[QUEUE].waiting():
        conversation = await app[STORE].get(conversation_id)
        if not overdue(conversation, settings, now_ms()):
            continue
        marker = keys.alerted(conversation_id, conversation["max_urgency"])
        if await redis.set(marker, 1, nx=True, ex=24 * 3600):
            await events.publish(redis, keys, events.ALERT, conversation_id=conversation_id,
                                 urgency=conversation["max_urgency"], waiting_since=int(conversation["waiting_since"]))
            raised.append(conversation_id)
    return raised


async def standing(app: web.Application, seq: str) -> List[dict]:
    """Alerts still standing (she waits, the alert was raised), as frames for a console that (re)connects: the
    capped events stream may have dropped the original frame under chatter; these come from the queue itself."""
    frames = []
    for conversation_id in await app[QUEUE].waiting():
        conversation = await app[STORE].get(conversation_id)
        urgency = conversation.get("max_urgency")
        if urgency in ("emergency", "high") and await app[REDIS].exists(app[KEYS].alerted(conversation_id, urgency)):
            frames.append({"type": events.ALERT, "conversation_id": conversation_id, "urgency": urgency,
                           "waiting_since": int(conversation["waiting_since"]), "standing": True, "seq": seq})
    return frames


async def _loop(app: web.Application) -> None:
    while True:
        try:
            await check_once(app)
        except RedisError:
            log.warning("alert check skipped: Redis unavailable")
        await asyncio.sleep(app[SETTINGS].alert_check_seconds)


async def alert_task(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: start the checker with the app, cancel it cleanly on shutdown."""
    task = asyncio.create_task(_loop(app))
    yield
    await cancel_and_wait(task)
