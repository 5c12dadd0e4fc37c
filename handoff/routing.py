"""Who answers a user message: the bot, a counselor, or nobody yet (SPEC §3). Pure logic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from bot.levels import URGENCY_ORDER, higher  # noqa: F401  (shared with the bot)
from bot.levels import rank as urgency_rank  # noqa: F401

BOT, WAITING, HUMAN, CLOSED = "bot", "waiting", "human", "closed"
STATES = (BOT, WAITING, HUMAN, CLOSED)


def asks_bot(state: str) -> bool:
    """Messages go through Rasa (and so are triaged) while the bot or the queue holds them."""
    return state in (BOT, WAITING)


@dataclass(frozen=True)
class Outcome:
    """What a triaged user message does to the conversation."""

    state: str
    enqueue: bool
    forward_bot_texts: bool


def after_triage(state: str, triage: Optional[Mapping[str, Any]]) -> Outcome:
    """Apply one message's triage to the conversation state.

    bot → waiting on a handoff; while waiting the bot is quiet except for
    safety messages (an emergency triage), and the queue place can rise.
    """
    handoff = bool(triage and triage.get("handoff"))
    emergency = bool(triage and triage.get("urgency") == "emergency")
    if state == BOT and handoff:
        return Outcome(WAITING, enqueue=True, forward_bot_texts=True)
    if state == BOT:
        return Outcome(BOT, enqueue=False, forward_bot_texts=True)
    if state == WAITING:
        return Outcome(WAITING, enqueue=True, forward_bot_texts=emergency)
    return Outcome(state, enqueue=False, forward_bot_texts=False)


def merged_concerns(old: Sequence[str], new: Sequence[str]) -> list[str]:
    """Concerns seen so far in the conversation, in first-seen order."""
    merged = list(old)
    merged += [c for c in new if c not in merged]
    return merged
