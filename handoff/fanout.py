"""One Redis listener per process wakes every open stream and console socket (as in aiohttp's
``examples/background_tasks.py``).

Streams in Redis stay the source of truth (numbered, resumable); pub/sub is only a doorbell that says
"something new for conversation X" (or for the console events). Waiters then read their stream from their own
cursor without blocking, so no client ever holds a Redis connection while it waits. If the doorbell's
connection drops, waiters still wake on their timeout and catch up from the stream.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import DefaultDict, Set

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


class Doorbell:
    """In-memory waiters by topic (a conversation id, or ``events``)."""

    def __init__(self) -> None:
        self._waiters: DefaultDict[str, Set[asyncio.Event]] = defaultdict(set)

    async def wait(self, topic: str, timeout: float) -> bool:
        """True if rung before ``timeout`` seconds."""
        event = asyncio.Event()
        self._waiters[topic].add(event)
        try:
            await asyncio.wait_for(event.wait(), timeout)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            self._waiters[topic].discard(event)
            if not self._waiters[topic]:
                self._waiters.pop(topic, None)

    def ring(self, topic: str) -> None:
        for event in self._waiters.get(topic, ()):
            event.set()

    def ring_all(self) -> None:
        for topic in list(self._waiters):
            self.ring(topic)

    @property
    def waiting(self) -> int:
        return sum(len(w) for w in self._waiters.values())


async def ring(redis: Redis, channel: str, topic: str) -> None:
    """Tell every instance's listener that ``topic`` has something new."""
    await redis.publish(channel, topic)


async def listen(redis: Redis, channel: str, doorbell: Doorbell) -> None:
    """Forward the channel's doorbells to local waiters until cancelled; reconnect on Redis errors."""
    while True:
        try:
            async with redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                await pubsub.subscribe(channel)
                doorbell.ring_all()  # after a reconnect: anything may have been missed
                async for message in pubsub.listen():
                    data = message.get("data")
                    doorbell.ring(data.decode() if isinstance(data, bytes) else str(data))
        except (RedisError, OSError) as error:
            log.warning("doorbell listener lost Redis (%s); retrying", type(error).__name__)
            doorbell.ring_all()
            await asyncio.sleep(RETRY_SECONDS)
