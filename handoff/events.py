"""Live events for consoles: a capped Redis stream, so every instance sees them and a console can resume.

Events carry ids, urgency and concerns, never message text.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

from redis.asyncio import Redis

from handoff.keys import Keys

MAX_EVENTS = 5000
EVENTS_TOPIC = "events"  # the doorbell topic of this stream (handoff.fanout)

# Event types: the console acts on these names (handoff/static/console*.js), so they are constants.
QUEUE_CHANGED = "queue_changed"  # she entered the queue or moved up
CLAIMED = "claimed"  # a counselor holds it (also after a transfer: ``holder`` is the new one)
RELEASED = "released"  # back to the bot
CLOSED = "closed"
REOPENED = "reopened"  # she wrote again after it was closed
USER_MESSAGE = "user_message"  # she wrote while a counselor holds it
CONSENT_ANSWERED = "consent_answered"
TYPING = "typing"  # ephemeral: she is typing
ALERT = "alert"  # an emergency or high conversation waited too long
TYPES = (QUEUE_CHANGED, CLAIMED, RELEASED, CLOSED, REOPENED, USER_MESSAGE, CONSENT_ANSWERED, TYPING, ALERT)


async def publish(redis: Redis, keys: Keys, kind: str, **fields: Any) -> str:
    async with redis.pipeline(transaction=True) as pipe:
        pipe.xadd(keys.events, {"data": json.dumps({"type": kind, **fields})}, maxlen=MAX_EVENTS, approximate=True)
        pipe.publish(keys.doorbell, EVENTS_TOPIC)
        event_id, _ = await pipe.execute()
    return event_id.decode() if isinstance(event_id, bytes) else event_id


async def read_now(redis: Redis, keys: Keys, after: str, count: int = 100) -> List[Tuple[str, Dict[str, Any]]]:
    """Events after ``after``, without blocking (the doorbell says when to look)."""
    entries = await redis.xrange(keys.events, min=f"({after}" if after != "0" else "-", count=count)
    return [(eid.decode(), json.loads(fields[b"data"])) for eid, fields in entries]


async def latest_id(redis: Redis, keys: Keys) -> str:
    """The id to start from when a console connects without a resume point."""
    last = await redis.xrevrange(keys.events, count=1)
    return last[0][0].decode() if last else "0"
