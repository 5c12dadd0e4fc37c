"""Least privilege for counselors (pure rules) and the audit log of transcript reads.

A counselor reads the queue's summaries, the conversations she holds, and a waiting one she is about to
claim; only a supervisor reads everything. Every transcript read is written to the audit log.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping

from redis.asyncio import Redis

from handoff.keys import Keys
from handoff.states import HUMAN, WAITING
from handoff.timeutil import now_ms
from handoff.users import User

SUPERVISOR = "supervisor"
MAX_AUDIT = 10_000


def may_read(user: User, conversation: Mapping[str, Any]) -> bool:
    if user.role == SUPERVISOR:
        return True
    return conversation.get("state") == WAITING or _holds(user, conversation)


def may_annotate(user: User, conversation: Mapping[str, Any]) -> bool:
    """Notes and consent questions: whoever holds it (or a supervisor)."""
    return user.role == SUPERVISOR or _holds(user, conversation)


def _holds(user: User, conversation: Mapping[str, Any]) -> bool:
    return conversation.get("state") == HUMAN and conversation.get("holder") == user.name


async def audit_read(redis: Redis, keys: Keys, user: User, conversation_id: str) -> None:
    """Who read which transcript, when (no text); capped, kept for the retention period."""
    entry = json.dumps({"user": user.name, "role": user.role, "conversation_id": conversation_id, "ts": now_ms()})
    async with redis.pipeline(transaction=True) as pipe:
        await pipe.rpush(keys.audit, entry).ltrim(keys.audit, -MAX_AUDIT, -1).execute()


async def audit_log(redis: Redis, keys: Keys, limit: int = 500) -> List[Dict[str, Any]]:
    return [json.loads(raw) for raw in await redis.lrange(keys.audit, -limit, -1)]
