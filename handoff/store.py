"""Conversations, their transcripts and session tokens in Redis.

Transcripts are Redis streams whose bodies are encrypted; session tokens
are stored only as SHA-256 digests, so a Redis dump opens no conversation.
"""

from __future__ import annotations

import json
import secrets
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from redis.asyncio import Redis
from redis.exceptions import WatchError

from bot.levels import higher
from handoff.crypto import Box
from handoff.keys import Keys
from handoff.states import initial_fields
from handoff.timeutil import digest, now_ms  # noqa: F401  (re-exported for older imports)

MAX_FACTORS = 20
EMPTY_SESSION_TTL = 15 * 60  # a session nobody wrote in is forgotten after this
MAX_HISTORY = 200


class Store:
    """Reads and writes one conversation's state and transcript."""

    def __init__(self, redis: Redis, keys: Keys, box: Box, session_ttl: int, retention: int) -> None:
        self.redis, self.keys, self.box = redis, keys, box
        self.session_ttl, self.retention = session_ttl, retention

    async def create(self, channel: str) -> Tuple[str, str]:
        """A new conversation and its unguessable session token."""
        conversation_id, token = secrets.token_urlsafe(16), secrets.token_urlsafe(32)
        key = self.keys.conversation(conversation_id)
        fields = initial_fields(channel, now_ms())
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=fields).expire(key, EMPTY_SESSION_TTL)
            pipe.set(self.keys.token(digest(token)), conversation_id, ex=EMPTY_SESSION_TTL)
            await pipe.execute()
        return conversation_id, token

    async def activate(self, conversation_id: str, token: Optional[str] = None) -> None:
        """She wrote: keep the conversation for the retention period and count it (an empty session, opened
        and never used, expires within minutes and is never indexed or counted)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.expire(self.keys.conversation(conversation_id), self.retention)
            pipe.zadd(self.keys.index, {conversation_id: now_ms()}, nx=True)
            if token:
                pipe.expire(self.keys.token(digest(token)), self.session_ttl)
            await pipe.execute()

    async def conversation_for(self, token: str) -> Optional[str]:
        """The conversation a token opens, or None (expired or never issued)."""
        value = await self.redis.get(self.keys.token(digest(token)))
        return value.decode() if isinstance(value, bytes) else value

    async def get(self, conversation_id: str) -> Dict[str, Any]:
        raw = await self.redis.hgetall(self.keys.conversation(conversation_id))
        data = {_s(k): _s(v) for k, v in raw.items()}
        for field in ("concerns", "factors"):
            data[field] = json.loads(data.get(field) or "[]")
        return data

    async def add_message(self, conversation_id: str, role: str, text: str) -> str:
        """Append to the transcript (body encrypted); returns the stream id."""
        key = self.keys.messages(conversation_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(key, {"role": role, "body": self.box.seal(text), "ts": now_ms()})
            pipe.expire(key, self.retention)
            pipe.publish(self.keys.doorbell, conversation_id)  # wakes her open stream (handoff.fanout)
            message_id, _, _ = await pipe.execute()
        return _s(message_id)

    async def transcript(self, conversation_id: str) -> List[Dict[str, Any]]:
        entries = await self.redis.xrange(self.keys.messages(conversation_id))
        return [
            {"id": _s(mid), "role": _s(f[b"role"]), "text": self.box.read(_s(f[b"body"])), "ts": int(f[b"ts"])}
            for mid, f in entries
        ]

    async def apply_triage(self, conversation_id: str, triage: Mapping[str, Any], history: bool = True) -> Dict[str, Any]:
        """Record a message's triage; the conversation's urgency only ever rises here. ``history=False``: a
        provisional reading of the same message (the early alarm) that its full triage will record."""
        key = self.keys.conversation(conversation_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(key)
                    current = {_s(k): _s(v) for k, v in (await pipe.hgetall(key)).items()}
                    update = _triage_fields(current, triage)
                    pipe.multi()
                    pipe.hset(key, mapping=update)
                    if history:
                        self._record_history(pipe, conversation_id, triage)
                    await pipe.execute()
                    return update
                except WatchError:  # another instance wrote in between: read again
                    continue

    def _record_history(self, pipe: Any, conversation_id: str, triage: Mapping[str, Any]) -> None:
        entry = {k: triage.get(k) for k in ("urgency", "concerns", "factors", "handoff", "intent")}
        key = self.keys.triage_history(conversation_id)
        pipe.rpush(key, json.dumps({**entry, "ts": now_ms()}, ensure_ascii=False))
        pipe.ltrim(key, -MAX_HISTORY, -1)
        pipe.expire(key, self.retention)

    async def add_note(self, conversation_id: str, author: str, text: str) -> None:
        """A counselor's private note: never shown to her, encrypted at rest."""
        key = self.keys.notes(conversation_id)
        entry = json.dumps({"author": author, "body": self.box.seal(text), "ts": now_ms()})
        async with self.redis.pipeline(transaction=True) as pipe:
            await pipe.rpush(key, entry).expire(key, self.retention).execute()

    async def notes(self, conversation_id: str) -> List[Dict[str, Any]]:
        entries = [json.loads(raw) for raw in await self.redis.lrange(self.keys.notes(conversation_id), 0, -1)]
        return [{"author": e["author"], "text": self.box.read(e["body"]), "ts": e["ts"]} for e in entries]

    async def triage_history(self, conversation_id: str) -> List[Dict[str, Any]]:
        return [json.loads(raw) for raw in await self.redis.lrange(self.keys.triage_history(conversation_id), 0, -1)]

    async def created_between(self, start_ms: int, end_ms: int) -> List[Dict[str, Any]]:
        """Conversations created in [start, end), as stored (for counts; no text)."""
        ids = await self.redis.zrangebyscore(self.keys.index, start_ms, f"({end_ms}")
        return [c for c in [await self.get(_s(i)) for i in ids] if c.get("state")]

    async def set_fields(self, conversation_id: str, **fields: Any) -> None:
        await self.redis.hset(self.keys.conversation(conversation_id), mapping=fields)


def merged_concerns(old: Sequence[str], new: Sequence[str]) -> List[str]:
    """Concerns (or factors) seen so far in the conversation, in first-seen order."""
    merged = list(old)
    merged += [c for c in new if c not in merged]
    return merged


def _triage_fields(current: Mapping[str, str], triage: Mapping[str, Any]) -> Dict[str, str]:
    concerns = merged_concerns(json.loads(current.get("concerns") or "[]"), triage.get("concerns") or [])
    factors = merged_concerns(json.loads(current.get("factors") or "[]"), triage.get("factors") or [])[-MAX_FACTORS:]
    return {
        "urgency": str(triage.get("urgency") or "low"),
        "max_urgency": higher(current.get("max_urgency"), triage.get("urgency")),
        "concerns": json.dumps(concerns, ensure_ascii=False),
        "factors": json.dumps(factors, ensure_ascii=False),
        "language": str(triage.get("language") or "ja"),  # issue 9 (languages): the language of her last message
    }


def _s(value: Any) -> Any:
    return value.decode() if isinstance(value, bytes) else value
