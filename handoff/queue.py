"""Reading the counselor queue: most urgent first, then longest waiting.

Only :mod:`handoff.states` writes the queue (entering, moving up, leaving on a claim); this reads it.
"""

from __future__ import annotations

from typing import List

from redis.asyncio import Redis

from handoff.keys import Keys


class Queue:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.redis, self.keys = redis, keys

    async def waiting(self) -> List[str]:
        return [m.decode() if isinstance(m, bytes) else m for m in await self.redis.zrange(self.keys.queue, 0, -1)]

    async def position(self, conversation_id: str) -> int:
        """How many conversations are served before this one (0 = next)."""
        rank = await self.redis.zrank(self.keys.queue, conversation_id)
        return int(rank) if rank is not None else 0

    async def length(self) -> int:
        return int(await self.redis.zcard(self.keys.queue))
