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


class _Waiter:
    """One waiting client: ``rung`` tells a doorbell from a timeout."""

    __slots__ = ("event", "rung")

    def __init__(self) -> None:
        self.event, self.rung = asyncio.Event(), False

    def ring(self) -> None:
        self.rung = True
        self.event.set()


class Doorbell:
    """In-memory waiters by topic (a conversation id, or ``events``)."""

    def __init__(self) -> None:
        self._waiters: DefaultDict[str, Set[_Waiter]] = defaultdict(set)
        self.closed = False

    def close(self) -> None:
        """Shutting down: wake every waiter, and make every later wait return at once."""
        self.closed = True
        self.ring_all()

    def open(self) -> bool:
        """Whether a live handler should go on. Also False when its task was cancelled but a library swallowed
        the CancelledError (redis-py can, inside a read): the handler must end rather than wait forever."""
        task = asyncio.current_task()
        return not self.closed and not (task is not None and task.cancelling())

    async def wait(self, topic: str, timeout: float) -> bool:
        """True if rung before ``timeout`` seconds. A plain timer, not ``asyncio.wait_for``: its inner task made
        a cancelled stream handler hang for the whole shutdown timeout (Python 3.11)."""
        if not self.open():
            return False
        waiter = _Waiter()
        self._waiters[topic].add(waiter)
        timer = asyncio.get_running_loop().call_later(timeout, waiter.event.set)
        try:
            await waiter.event.wait()
            return waiter.rung
        finally:
            timer.cancel()
            self._waiters[topic].discard(waiter)
            if not self._waiters[topic]:
                self._waiters.pop(topic, None)

    def ring(self, topic: str) -> None:
        for waiter in self._waiters.get(topic, ()):
            waiter.ring()

    def ring_all(self) -> None:
        for topic in list(self._waiters):
            self.ring(topic)

    @property
    def waiting(self) -> int:
        return sum(len(w) for w in self._waiters.values())


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


async def cancel_and_wait(task: asyncio.Task[None]) -> None:
    """End a background task owned by a cleanup context, and wait until it has."""
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
