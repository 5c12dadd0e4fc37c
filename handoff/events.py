"""Live events for consoles: a capped Redis stream, so every instance sees them and a console can resume.

Events carry ids, urgency and concerns, never message text.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

from redis.asyncio import Redis

from handoff.keys import Keys

MAX_EVENTS = 5000


async def publish(redis: Redis, keys: Keys, kind: str, **fields: Any) -> str:
    event_id = await redis.xadd(keys.events, {"data": json.dumps({"type": kind, **fields})},
                                maxlen=MAX_EVENTS, approximate=True)
    return event_id.decode() if isinstance(event_id, bytes) else event_id


async def latest_id(redis: Redis, keys: Keys) -> str:
    """The id to start from when a console connects without a resume point."""
    last = await redis.xrevrange(keys.events, count=1)
    return last[0][0].decode() if last else "0"


async def read_after(redis: Redis, keys: Keys, after: str, block_ms: int) -> List[Tuple[str, Dict[str, Any]]]:
    batches = await redis.xread({keys.events: after}, block=block_ms, count=100)
    if not batches:
        return []
    return [(eid.decode(), json.loads(fields[b"data"])) for eid, fields in batches[0][1]]
