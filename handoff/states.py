"""The conversation state machine of SPEC §3: every transition, the fields it writes, the event it publishes.

    bot ──enqueue──▶ waiting ──claim──▶ human ──release──▶ bot
                     waiting ──raise──▶ waiting             human ──close──▶ closed ──reopen──▶ bot
                                        human ──transfer──▶ human

Each transition is one Lua script: it checks the state it starts from, writes its fields, moves the queue and
holdings sets, and appends its console event to the events stream, all atomically — two instances (or two
counselors) racing can never both win, and no state change happens without its event. Nothing else in the
service writes ``state``, ``holder``, ``waiting_since``, ``claimed_at``, ``first_reply_at``, ``outcome`` or the
queue: grep for them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from redis.asyncio import Redis

from bot.levels import URGENCY_ORDER, rank
from handoff import events as ev
from handoff.events import MAX_EVENTS
from handoff.keys import Keys
from handoff.timeutil import now_ms

BOT, WAITING, HUMAN, CLOSED = "bot", "waiting", "human", "closed"
STATES = (BOT, WAITING, HUMAN, CLOSED)
QUEUE_BAND = 10**13  # wider than any millisecond timestamp: urgency first, then waiting time
DEFAULT_MAX_HELD = 3


@dataclass(frozen=True)
class Transition:
    """What a transition does, stated once (the Lua below follows it; tests check it)."""

    name: str
    from_states: Tuple[str, ...]
    to_state: str
    sets: Tuple[str, ...]
    clears: Tuple[str, ...]
    event: str


ENQUEUE = Transition("enqueue", (BOT,), WAITING, ("waiting_since", "handoffs"),
                     ("holder", "claimed_at", "first_reply_at"), ev.QUEUE_CHANGED)
RAISE = Transition("raise", (WAITING,), WAITING, (), (), ev.QUEUE_CHANGED)
CLAIM = Transition("claim", (WAITING,), HUMAN, ("holder", "claimed_at"), (), ev.CLAIMED)
TRANSFER = Transition("transfer", (HUMAN,), HUMAN, ("holder",), (), ev.CLAIMED)  # claimed by the new holder
RELEASE = Transition("release", (HUMAN,), BOT, ("released_at",), ("holder",), ev.RELEASED)
CLOSE = Transition("close", (HUMAN,), CLOSED, ("outcome", "note", "closed_at"), ("holder",), ev.CLOSED)
REOPEN = Transition("reopen", (CLOSED,), BOT, ("reopened_at",), (), ev.REOPENED)
# She left the channel (LINE unfollow) while the bot or the queue had her: out of the queue, closed.
LEAVE = Transition("leave", (BOT, WAITING), CLOSED, ("outcome", "closed_at"), ("holder",), ev.CLOSED)
TRANSITIONS = (ENQUEUE, RAISE, CLAIM, TRANSFER, RELEASE, CLOSE, REOPEN, LEAVE)


def queue_score(urgency: Optional[str], waiting_since_ms: int) -> int:
    """Lower is served first: emergency before high before medium before low; then the oldest."""
    return urgency_band(urgency) + waiting_since_ms


def urgency_band(urgency: Optional[str]) -> int:
    return (len(URGENCY_ORDER) - 1 - rank(urgency)) * QUEUE_BAND


def initial_fields(channel: str, now: int) -> Dict[str, Any]:
    """A new conversation: with the bot, nothing known yet."""
    return {"state": BOT, "channel": channel, "created_at": now, "urgency": "low", "max_urgency": "low",
            "concerns": "[]", "factors": "[]", "waiting_since": ""}


# Shared head of every script: KEYS[1] is the conversation hash, KEYS[2] the events stream;
# ARGV[1] the conversation id, ARGV[2] the event JSON, ARGV[3] now (ms).
_EMIT = """
local function emit()
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', MAX_EVENTS, '*', 'data', ARGV[2])
end
""".replace("MAX_EVENTS", str(MAX_EVENTS))

# KEYS[3] queue. ARGV[4] urgency band. Enters from bot, or raises (never lowers) while waiting.
_ENQUEUE = _EMIT + """
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'bot' then
  redis.call('HSET', KEYS[1], 'state', 'waiting', 'waiting_since', ARGV[3])
  redis.call('HDEL', KEYS[1], 'holder', 'claimed_at', 'first_reply_at')
  redis.call('HINCRBY', KEYS[1], 'handoffs', 1)
  redis.call('ZADD', KEYS[3], tonumber(ARGV[4]) + tonumber(ARGV[3]), ARGV[1])
  emit()
  return {1, 'entered'}
end
if state ~= 'waiting' then return {0, state or 'missing'} end
local new = tonumber(ARGV[4]) + tonumber(redis.call('HGET', KEYS[1], 'waiting_since'))
local current = redis.call('ZSCORE', KEYS[3], ARGV[1])
if current and new >= tonumber(current) then return {0, 'unchanged'} end
redis.call('ZADD', KEYS[3], new, ARGV[1])
emit()
return {1, 'raised'}
"""

# KEYS[3] queue, KEYS[4] the counselor's holdings. ARGV[4] counselor, ARGV[5] most she may hold.
_CLAIM = _EMIT + """
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'waiting' then return {0, 'not_waiting'} end
if redis.call('SCARD', KEYS[4]) >= tonumber(ARGV[5]) then return {0, 'limit'} end
redis.call('HSET', KEYS[1], 'state', 'human', 'holder', ARGV[4], 'claimed_at', ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
emit()
return {1, 'human'}
"""

# Checks that a human holds it and (ARGV[4] not empty) that the expected counselor does.
_HELD = """
if redis.call('HGET', KEYS[1], 'state') ~= 'human' then return {0, 'not_held'} end
local holder = redis.call('HGET', KEYS[1], 'holder')
if ARGV[4] ~= '' and holder ~= ARGV[4] then return {0, 'held_by_other'} end
"""

# KEYS[3] from-holdings, KEYS[4] to-holdings. ARGV[4] expected holder, ARGV[5] to, ARGV[6] most held.
_TRANSFER = _EMIT + _HELD + """
if holder == ARGV[5] then return {1, 'human'} end
if redis.call('SCARD', KEYS[4]) >= tonumber(ARGV[6]) then return {0, 'limit'} end
redis.call('HSET', KEYS[1], 'holder', ARGV[5])
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
emit()
return {1, 'human'}
"""

# KEYS[3] the holder's holdings. ARGV[4] expected holder, ARGV[5] the state to go to, ARGV[6..] field pairs.
_LET_GO = _EMIT + _HELD + """
redis.call('HSET', KEYS[1], 'state', ARGV[5], unpack(ARGV, 6))
redis.call('HDEL', KEYS[1], 'holder')
redis.call('SREM', KEYS[3], ARGV[1])
emit()
return {1, ARGV[5]}
"""

_REOPEN = _EMIT + """
if redis.call('HGET', KEYS[1], 'state') ~= 'closed' then return {0, 'not_closed'} end
redis.call('HSET', KEYS[1], 'state', 'bot', 'reopened_at', ARGV[3])
emit()
return {1, 'bot'}
"""

# KEYS[3] queue. ARGV[4] outcome.
_LEAVE = _EMIT + """
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'bot' and state ~= 'waiting' then return {0, state or 'missing'} end
redis.call('HSET', KEYS[1], 'state', 'closed', 'outcome', ARGV[4], 'closed_at', ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[1])
emit()
return {1, 'closed'}
"""

# First counselor reply of this handoff: only while held, only once.
_FIRST_REPLY = """
if redis.call('HGET', KEYS[1], 'state') ~= 'human' then return 0 end
return redis.call('HSETNX', KEYS[1], 'first_reply_at', ARGV[1])
"""


@dataclass(frozen=True)
class Result:
    """``ok`` and a stable reason code (``entered``, ``raised``, ``unchanged``, ``not_waiting``, ``limit``,
    ``not_held``, ``held_by_other``, ``not_closed``, or the state reached)."""

    ok: bool
    reason: str


class StateMachine:
    """The only writer of a conversation's state; built once per app."""

    def __init__(self, redis: Redis, keys: Keys, max_held: int = DEFAULT_MAX_HELD) -> None:
        self.redis, self.keys, self.max_held = redis, keys, max_held
        self._scripts = {name: redis.register_script(src) for name, src in (
            ("enqueue", _ENQUEUE), ("claim", _CLAIM), ("transfer", _TRANSFER), ("let_go", _LET_GO),
            ("reopen", _REOPEN), ("leave", _LEAVE), ("first_reply", _FIRST_REPLY))}

    async def enqueue(self, conversation_id: str, urgency: str, **event: Any) -> Result:
        """bot → waiting (``entered``), or a higher place while waiting (``raised``); never lower."""
        return await self._run("enqueue", conversation_id, {"type": ENQUEUE.event, "urgency": urgency, **event},
                               [self.keys.queue], [urgency_band(urgency)])

    async def claim(self, conversation_id: str, counselor: str) -> Result:
        return await self._run("claim", conversation_id, {"type": CLAIM.event, "holder": counselor},
                               [self.keys.queue, self.keys.holdings(counselor)], [counselor, self.max_held])

    async def transfer(self, conversation_id: str, holder: str, expected: str, to: str) -> Result:
        """Hand a held conversation to ``to``; ``expected`` '' lets a supervisor take any over."""
        return await self._run("transfer", conversation_id, {"type": TRANSFER.event, "holder": to},
                               [self.keys.holdings(holder), self.keys.holdings(to)], [expected, to, self.max_held])

    async def release(self, conversation_id: str, holder: str, expected: str) -> Result:
        """human → bot: the bot answers her again."""
        return await self._let_go(conversation_id, holder, expected, RELEASE, {"released_at": now_ms()})

    async def close(self, conversation_id: str, holder: str, expected: str, outcome: str, sealed_note: str) -> Result:
        """human → closed, with an outcome code and the (already encrypted) note."""
        fields = {"outcome": outcome, "note": sealed_note, "closed_at": now_ms()}
        return await self._let_go(conversation_id, holder, expected, CLOSE, fields, outcome=outcome)

    async def reopen(self, conversation_id: str) -> Result:
        """closed → bot: she wrote again after a counselor closed the conversation."""
        return await self._run("reopen", conversation_id, {"type": REOPEN.event}, [], [])

    async def leave(self, conversation_id: str, outcome: str) -> Result:
        """bot or waiting → closed: she left the channel; she is taken out of the queue."""
        return await self._run("leave", conversation_id, {"type": LEAVE.event, "outcome": outcome},
                               [self.keys.queue], [outcome])

    async def first_reply(self, conversation_id: str, at_ms: int) -> bool:
        """Record the first counselor reply of the current handoff (for the statistics)."""
        return bool(await self._scripts["first_reply"](keys=[self.keys.conversation(conversation_id)], args=[at_ms]))

    async def _let_go(self, conversation_id: str, holder: str, expected: str, transition: Transition,
                      fields: Dict[str, Any], **event: Any) -> Result:
        pairs = [item for pair in fields.items() for item in pair]
        return await self._run("let_go", conversation_id, {"type": transition.event, **event},
                               [self.keys.holdings(holder)], [expected, transition.to_state, *pairs])

    async def _run(self, script: str, conversation_id: str, event: Dict[str, Any], keys: list, args: list) -> Result:
        payload = json.dumps({**event, "conversation_id": conversation_id}, ensure_ascii=False)
        code, reason = await self._scripts[script](
            keys=[self.keys.conversation(conversation_id), self.keys.events, *keys],
            args=[conversation_id, payload, now_ms(), *args])
        if int(code) == 1:
            await self.redis.publish(self.keys.doorbell, ev.EVENTS_TOPIC)  # wake the consoles (handoff.fanout)
        return Result(int(code) == 1, reason.decode() if isinstance(reason, bytes) else str(reason))
