"""The counselor queue: most urgent first, then longest waiting.

A sorted set scored so that a lower score is served first. Raising a
conversation's place is a check-then-set, done atomically in Lua so two
instances can never lower it by racing.
"""

from __future__ import annotations

from typing import List

from redis.asyncio import Redis

from handoff.keys import Keys
from handoff.routing import URGENCY_ORDER, urgency_rank

_BAND = 10**13  # wider than any millisecond timestamp

# KEYS[1] queue, ARGV[1] member, ARGV[2] new score: set it only if new or better (lower).
_RAISE_OR_ADD = """
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
local new = tonumber(ARGV[2])
if (not current) or new < tonumber(current) then
  redis.call('ZADD', KEYS[1], new, ARGV[1])
  return 1
end
return 0
"""


def score(urgency: str, waiting_since_ms: int) -> int:
    """Emergency before high before medium before low; within a level, the oldest first."""
    return (len(URGENCY_ORDER) - 1 - urgency_rank(urgency)) * _BAND + waiting_since_ms


class Queue:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.redis, self.keys = redis, keys
        self._raise = redis.register_script(_RAISE_OR_ADD)

    async def put(self, conversation_id: str, urgency: str, waiting_since_ms: int) -> bool:
        """Add, or move up; never moves a conversation down. True if its place changed."""
        return bool(await self._raise(keys=[self.keys.queue], args=[conversation_id, score(urgency, waiting_since_ms)]))

    async def waiting(self) -> List[str]:
        return [m.decode() if isinstance(m, bytes) else m for m in await self.redis.zrange(self.keys.queue, 0, -1)]

    async def position(self, conversation_id: str) -> int:
        """How many conversations are served before this one (0 = next)."""
        rank = await self.redis.zrank(self.keys.queue, conversation_id)
        return int(rank) if rank is not None else 0

    async def remove(self, conversation_id: str) -> None:
        await self.redis.zrem(self.keys.queue, conversation_id)
