"""Who answers a user message: the bot, a counselor, or the bot while she waits (SPEC §3). Pure logic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional

from handoff.states import BOT, CLOSED, HUMAN, WAITING


def asks_bot(state: str) -> bool:
    """Until a counselor claims it, every message goes through Rasa (and so is triaged).

    A closed conversation is reopened first (see :func:`reopens`), so she is never met with silence.
    """
    return state in (BOT, WAITING, CLOSED)


def reopens(state: str) -> bool:
    """She wrote again after a counselor closed the conversation: the bot takes it up again."""
    return state == CLOSED


@dataclass(frozen=True)
class Outcome:
    """What a triaged user message does to the conversation."""

    state: str
    enqueue: bool
    forward_bot_texts: bool


def after_triage(state: str, triage: Optional[Mapping[str, Any]]) -> Outcome:
    """Apply one message's triage to the conversation state.

    bot → waiting on a handoff. While waiting, every message is still triaged (her place can only rise) and
    the bot keeps the conversation going — form questions, advice, safety questions — until a counselor
    claims it. From the claim on, the bot is silent.
    """
    handoff = bool(triage and triage.get("handoff"))
    if state == BOT:
        return Outcome(WAITING if handoff else BOT, enqueue=handoff, forward_bot_texts=True)
    if state == WAITING:
        return Outcome(WAITING, enqueue=True, forward_bot_texts=True)
    return Outcome(state, enqueue=False, forward_bot_texts=state != HUMAN)
