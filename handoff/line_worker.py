"""Workers for the LINE inbox: a Redis stream read through a consumer group, so no event is lost.

The webhook (:mod:`handoff.line`) only queues events. Each process runs one :class:`LineWorker`, owned by the
app's ``cleanup_ctx``: it reads new entries (XREADGROUP), handles a few at once, and acknowledges and deletes
each one only after it was handled (XACK, XDEL). An entry whose worker died stays pending, and any worker
takes it over once it has been idle long enough (XAUTOCLAIM). Events of one user are handled in order within a
process, so her conversation never sees her messages swapped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import socket
import time
from typing import Any, AsyncIterator, Dict, List, Optional, Set, Tuple

from aiohttp import web
from cryptography.fernet import InvalidToken
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from handoff import line, line_messages
from handoff.appkeys import KEYS, SETTINGS, STORE

log = logging.getLogger(__name__)

GROUP = "line-workers"
CONCURRENCY = 4  # events handled at once per process (each mostly waits on Rasa)
CLAIM_IDLE_MS = 90_000  # longer than one event can take (Rasa's timeout per part, the LINE calls)
CLAIM_EVERY_SECONDS = 15.0
READ_BLOCK_MS = 1_000
MAX_DELIVERIES = 5  # an event that killed this many workers is dropped (logged), not retried for ever
SHUTDOWN_GRACE_SECONDS = 5.0
RETRY_DELAYS = (0.5, 1.0, 2.0, 5.0)  # while Redis does not answer

Entry = Tuple[bytes, Dict[bytes, bytes]]


class LineWorker:
    """One consumer of the inbox; ``start()`` it, then ``close()`` (graceful) or ``kill()`` (as if it died)."""

    def __init__(self, app: web.Application, redis: Redis, name: Optional[str] = None,
                 concurrency: int = CONCURRENCY, claim_idle_ms: int = CLAIM_IDLE_MS,
                 block_ms: int = READ_BLOCK_MS) -> None:
        self.app, self.redis, self.concurrency = app, redis, concurrency
        self.claim_idle_ms, self.block_ms = claim_idle_ms, block_ms
        self.name = name or f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self.inbox = app[KEYS].line_inbox
        self.handled = 0  # entries this worker finished (acknowledged): for tests and health
        self._progress = asyncio.Event()
        self._running: Set[asyncio.Task] = set()
        self._locks: Dict[str, List[Any]] = {}  # user → [lock, holders and waiters]
        self._claim_cursor: Any = "0-0"
        self._claim_due = 0.0
        self._has_group = False
        self._stopping = False
        self._task: Optional[asyncio.Task] = None

    def start(self) -> asyncio.Task:
        self._task = asyncio.create_task(self.run())
        return self._task

    async def kill(self) -> None:
        """Stop now, as a dying process would: events in hand are cancelled and stay pending for others."""
        self._stopping = True  # redis-py may swallow a cancellation that lands in a blocking read
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def close(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Stop reading, let events in hand finish for a moment, then cancel the rest (they stay pending)."""
        running = set(self._running)
        self._running.clear()  # run() must not cancel these on its way out
        await self.kill()
        if running:
            _, late = await asyncio.wait(running, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def run(self) -> None:
        """Read, reclaim and handle until cancelled (or stopped, if a library swallowed the cancellation)."""
        failures, me = 0, asyncio.current_task()
        try:
            while not self._stopping and not (me and me.cancelling()):
                try:
                    await self._step()
                    failures = 0
                except (RedisError, OSError) as error:
                    self._has_group = self._has_group and "NOGROUP" not in str(error)
                    delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)]
                    failures += 1
                    log.warning("LINE worker: Redis failed (%s), retrying in %ss", type(error).__name__, delay)
                    await asyncio.sleep(delay)
        finally:
            for task in self._running:
                task.cancel()
            await asyncio.gather(*self._running, return_exceptions=True)

    async def _step(self) -> None:
        if not self._has_group:
            await self._create_group()
        await self._wait_for_room()
        room = self.concurrency - len(self._running)
        entries = await self._reclaim(room) if time.monotonic() >= self._claim_due else []
        if not entries:
            entries = await self._read(room)
        for entry_id, fields in entries:
            self._start_entry(entry_id, fields)

    async def _create_group(self) -> None:
        """From the stream's start, so events queued before any worker ran are handled too."""
        try:
            await self.redis.xgroup_create(self.inbox, GROUP, id="0", mkstream=True)
        except ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise
        self._has_group = True

    async def _wait_for_room(self) -> None:
        if len(self._running) >= self.concurrency:
            await asyncio.wait(set(self._running), return_when=asyncio.FIRST_COMPLETED)

    async def _read(self, room: int) -> List[Entry]:
        batches = await self.redis.xreadgroup(GROUP, self.name, {self.inbox: ">"}, count=room, block=self.block_ms)
        return [entry for _stream, entries in (batches or []) for entry in entries]

    async def _reclaim(self, room: int) -> List[Entry]:
        """Entries a dead worker left pending; the scan goes on each step until it has gone round once."""
        reply = await self.redis.xautoclaim(self.inbox, GROUP, self.name, self.claim_idle_ms,
                                            self._claim_cursor, count=room)
        self._claim_cursor = reply[0]
        if reply[0] in (b"0-0", "0-0"):
            self._claim_due = time.monotonic() + CLAIM_EVERY_SECONDS
        claimed = [(entry_id, fields) for entry_id, fields in reply[1] if entry_id and fields]
        return [entry for entry in claimed if await self._worth_retrying(entry[0])]

    async def _worth_retrying(self, entry_id: bytes) -> bool:
        [pending] = await self.redis.xpending_range(self.inbox, GROUP, min=entry_id, max=entry_id, count=1) or [{}]
        if int(pending.get("times_delivered") or 0) <= MAX_DELIVERIES:
            return True
        log.error("LINE inbox entry %s failed %s times: dropped", entry_id.decode(), MAX_DELIVERIES)
        await self._ack(entry_id)
        return False

    def _start_entry(self, entry_id: bytes, fields: Dict[bytes, bytes]) -> None:
        try:
            event = json.loads(self.app[STORE].box.open(fields[b"event"].decode()))
            received = int(fields[b"received"])
        except (InvalidToken, KeyError, ValueError, TypeError) as error:  # another key, or not ours: never readable
            log.error("LINE inbox entry %s unreadable (%s): dropped", entry_id.decode(), type(error).__name__)
            self._spawn(self._ack(entry_id))
            return
        self._spawn(self._handle(entry_id, event, received))

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _handle(self, entry_id: bytes, event: Dict[str, Any], received: int) -> None:
        """Handle, then acknowledge; a cancelled or Redis-failed event stays pending and is retried."""
        async with self._user_lock(line_messages.user_of(event) or entry_id.decode()):
            try:
                await line.handle(self.app, event, received)
            except (RedisError, OSError) as error:
                log.warning("LINE event %s left pending: Redis failed (%s)", event.get("webhookEventId"),
                            type(error).__name__)
                return
            except Exception as error:  # a bug would fail again: log it and let the others go on
                line.log_failure(event, error)
        await self._ack(entry_id)

    @contextlib.asynccontextmanager
    async def _user_lock(self, user: str) -> AsyncIterator[None]:
        """Her events one after another (FIFO), so her conversation sees them in the order she wrote."""
        entry = self._locks.setdefault(user, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                yield
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                del self._locks[user]

    async def _ack(self, entry_id: bytes) -> None:
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                await pipe.xack(self.inbox, GROUP, entry_id).xdel(self.inbox, entry_id).execute()
        except (RedisError, OSError) as error:  # it stays pending; a retry finds it answered and sends nothing
            log.warning("LINE inbox entry %s not acknowledged: %s", entry_id.decode(), type(error).__name__)
            return
        self.handled += 1
        self._progress.set()

    async def wait_handled(self, count: int, timeout: float = 10.0) -> None:
        """Until this worker has finished ``count`` entries (woken by each one, never by polling)."""
        async def _until() -> None:
            while self.handled < count:
                self._progress.clear()
                await self._progress.wait()
        await asyncio.wait_for(_until(), timeout)


WORKER = web.AppKey("line_worker", LineWorker)


async def line_workers(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: one worker per process while LINE is configured, on a Redis connection pool of its own
    (its reads block); stopped gracefully with the app."""
    app[line.BACKGROUND] = line.Background()
    settings, worker, redis = app[SETTINGS], None, None
    if settings.line_channel_secret:
        redis = Redis.from_url(settings.redis_url, socket_connect_timeout=3,
                               socket_timeout=READ_BLOCK_MS / 1000 + 5, max_connections=CONCURRENCY * 2 + 4)
        worker = app[WORKER] = LineWorker(app, redis)
        worker.start()
    yield
    if worker is not None:
        await worker.close()
    if redis is not None:
        await redis.aclose()
    await app[line.BACKGROUND].close()
