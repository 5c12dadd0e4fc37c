"""Which conversation a LINE user is in: her open one, a new one, or none once she has left (unfollow).

Her LINE user id is kept only hashed in the key and encrypted on the conversation (for a counselor's push).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from aiohttp import web

from handoff.appkeys import KEYS, REDIS, SETTINGS, STATES, STORE
from handoff.line_messages import LEFT_NOTICE
from handoff.states import CLOSED, HUMAN

UNFOLLOW_OUTCOME = "no_response"  # one of the console's outcome codes: she left before it was resolved


async def open_conversation(app: web.Application, user_id: str) -> Optional[Tuple[str, Dict[str, Any]]]:
    """Her open conversation and its fields, without making one (a sticker alone starts nothing)."""
    raw = await app[REDIS].get(app[KEYS].line_user(user_id))
    if not raw:
        return None
    conversation_id = raw.decode() if isinstance(raw, bytes) else raw
    conversation = await app[STORE].get(conversation_id)
    return (conversation_id, conversation) if conversation.get("state") not in (None, CLOSED) else None


async def conversation_for(app: web.Application, user_id: str) -> str:
    """Her open conversation, or a new one (first message, closed, or expired)."""
    redis, settings = app[REDIS], app[SETTINGS]
    key, ttl = app[KEYS].line_user(user_id), settings.session_ttl_seconds
    raw = await redis.get(key)
    current = raw.decode() if isinstance(raw, bytes) else raw
    if current and (await app[STORE].get(current)).get("state") not in (None, CLOSED):
        await redis.expire(key, ttl)
        return current
    conversation_id, _token = await app[STORE].create("line")  # the web token is never handed out; it expires
    if await redis.set(key, conversation_id, ex=ttl, nx=current is None):
        # kept encrypted, so a counselor's replies can be pushed to her on LINE
        await app[STORE].set_fields(conversation_id, line_user=app[STORE].box.seal(user_id))
        return conversation_id
    await redis.delete(app[KEYS].conversation(conversation_id))  # lost a race: use the winner's
    return await conversation_for(app, user_id)


async def unfollow(app: web.Application, user_id: str) -> None:
    """She blocked the account: close her conversation (held, waiting or with the bot) and forget her LINE id's
    mapping, so nothing more is ever sent to her and nobody waits to answer a person who has gone."""
    key = app[KEYS].line_user(user_id)
    raw = await app[REDIS].get(key)
    await app[REDIS].delete(key)
    if not raw:
        return
    conversation_id = raw.decode() if isinstance(raw, bytes) else raw
    conversation = await app[STORE].get(conversation_id)
    if not conversation.get("state"):
        return
    if conversation["state"] == HUMAN:
        await app[STATES].close(conversation_id, conversation.get("holder") or "", "", UNFOLLOW_OUTCOME, "")
    else:
        await app[STATES].leave(conversation_id, UNFOLLOW_OUTCOME)
    await app[STORE].add_message(conversation_id, "notice", LEFT_NOTICE)
