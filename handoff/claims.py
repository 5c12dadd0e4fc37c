"""Taking a conversation from the queue: one atomic check-then-set, so two counselors never both get it."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from handoff.keys import Keys
from handoff.store import now_ms

# KEYS: conversation hash, queue, the counselor's holdings. ARGV: id, counselor, max held, now.
_CLAIM = """
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'waiting' then return {0, state or 'missing'} end
if redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[3]) then return {-1, 'limit'} end
redis.call('HSET', KEYS[1], 'state', 'human', 'holder', ARGV[2], 'claimed_at', ARGV[4])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return {1, 'human'}
"""

DEFAULT_MAX_HELD = 3


@dataclass(frozen=True)
class ClaimResult:
    ok: bool
    reason: str  # "human" when claimed; else the state it was in, or "limit"


class Claims:
    def __init__(self, redis: Redis, keys: Keys, max_held: int = DEFAULT_MAX_HELD) -> None:
        self.redis, self.keys, self.max_held = redis, keys, max_held
        self._claim = redis.register_script(_CLAIM)

    async def claim(self, conversation_id: str, counselor: str) -> ClaimResult:
        code, reason = await self._claim(
            keys=[self.keys.conversation(conversation_id), self.keys.queue, self.keys.holdings(counselor)],
            args=[conversation_id, counselor, self.max_held, now_ms()],
        )
        return ClaimResult(int(code) == 1, reason.decode() if isinstance(reason, bytes) else reason)


# KEYS: conversation hash, from-holdings, to-holdings. ARGV: id, expected holder ('' = any), to, max held.
_TRANSFER = """
if redis.call('HGET', KEYS[1], 'state') ~= 'human' then return {0, 'not held'} end
local holder = redis.call('HGET', KEYS[1], 'holder')
if ARGV[2] ~= '' and holder ~= ARGV[2] then return {0, 'held by someone else'} end
if holder == ARGV[3] then return {1, 'human'} end
if redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[4]) then return {-1, 'limit'} end
redis.call('HSET', KEYS[1], 'holder', ARGV[3])
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return {1, 'human'}
"""


async def transfer(claims: Claims, conversation_id: str, holder: str, expected: str, to: str) -> ClaimResult:
    """Move a held conversation to another counselor, atomically (``expected`` '' lets a supervisor take any)."""
    script = claims.redis.register_script(_TRANSFER)
    keys = claims.keys
    code, reason = await script(
        keys=[keys.conversation(conversation_id), keys.holdings(holder), keys.holdings(to)],
        args=[conversation_id, expected, to, claims.max_held],
    )
    return ClaimResult(int(code) == 1, reason.decode() if isinstance(reason, bytes) else reason)
