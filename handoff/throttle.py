"""Per-client limits on anonymous traffic: fixed windows counted in Redis (every instance shares them).

Limits are generous because many people can share one address (a school, a shelter, a carrier's NAT); they
stop floods, not a frightened person typing fast. Over a limit she still gets a kind reply with numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from handoff.keys import Keys


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int


SESSIONS_PER_IP = Limit("sessions-ip", 30, 600)
MESSAGES_PER_IP = Limit("messages-ip", 240, 60)
MESSAGES_PER_CONVERSATION = Limit("messages-conv", 30, 60)
TYPING_PER_CONVERSATION = Limit("typing-conv", 20, 60)
LOGINS_PER_IP = Limit("login-ip", 30, 600)


async def allow(redis: Redis, keys: Keys, limit: Limit, who: str) -> bool:
    """Count one more use by ``who``; False once the window's count is over the limit."""
    key = keys.throttle(limit.name, who)
    async with redis.pipeline(transaction=True) as pipe:
        _, count = await pipe.set(key, 0, ex=limit.seconds, nx=True).incr(key).execute()  # works on Redis 6.2
    return int(count) <= limit.count
