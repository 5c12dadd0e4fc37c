"""Urgency levels and their order: one definition for the bot and the handoff service (SPEC §2).

Pure and import-free so ``handoff/`` (Python 3.11, no rasa) can share it.
"""

from __future__ import annotations

from typing import Optional, Tuple

LOW, MEDIUM, HIGH, EMERGENCY = "low", "medium", "high", "emergency"
URGENCY_ORDER: Tuple[str, ...] = (LOW, MEDIUM, HIGH, EMERGENCY)
HANDOFF_LEVELS = frozenset({HIGH, EMERGENCY})


def rank(level: Optional[str]) -> int:
    """0 for low (or anything unknown) … 3 for emergency."""
    return URGENCY_ORDER.index(level) if level in URGENCY_ORDER else 0


def higher(a: Optional[str], b: Optional[str]) -> str:
    """The more urgent of two levels; a conversation's urgency never drops by itself."""
    return (a or LOW) if rank(a) >= rank(b) else (b or LOW)


def at_least_high(level: Optional[str]) -> bool:
    return level in HANDOFF_LEVELS
