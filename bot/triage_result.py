"""The records triage works with: what earlier turns told us (``Context``) and one message's result (``Triage``,
whose ``as_payload`` is what every channel receives)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import List, Optional, Tuple

from bot.levels import LOW, URGENCY_ORDER


@dataclass(frozen=True)
class Context:
    """What earlier turns told us; all optional."""

    age: Optional[float] = None
    pregnancy_hours: Optional[float] = None
    max_urgency: str = LOW
    concerns: Tuple[str, ...] = ()
    active_topic: Optional[str] = None  # e.g. "pregnancy" while the pregnancy check runs
    answering: Optional[str] = None  # the safety question the bot asked last turn, if any
    previous_concerns: Tuple[str, ...] = ()  # concerns of the previous message
    recent_signals: Tuple[str, ...] = ()  # signal codes of the last few messages' triage (e.g. means_named)


@dataclass
class Triage:
    """The triage of one message; ``as_payload`` is what channels receive."""

    intent: str
    confidence: float
    urgency: str = LOW
    concerns: List[str] = field(default_factory=list)
    handoff: bool = False
    factors: List[str] = field(default_factory=list)
    age: Optional[int] = None
    hours_since_event: Optional[float] = None
    max_urgency: str = LOW
    signals: List[str] = field(default_factory=list)
    risk: float = 0.0  # risk-score: P(high or emergency), bot/risk.py (SPEC §2)

    def signal(self, code: str) -> None:
        """Note a machine-readable signal (bot.signals); behaviour reads these, never ``factors``."""
        if code not in self.signals:
            self.signals.append(code)

    def raise_to(self, level: str, factor: Optional[str] = None) -> None:
        """Raise urgency (never lower it) and note why."""
        if URGENCY_ORDER.index(level) > URGENCY_ORDER.index(self.urgency):
            self.urgency = level
        if factor and factor not in self.factors:
            self.factors.append(factor)

    def add_concern(self, concern: Optional[str]) -> None:
        if concern and concern not in self.concerns:
            self.concerns.append(concern)

    def as_payload(self) -> dict:
        payload = asdict(self)
        payload["confidence"] = round(self.confidence, 4)
        return payload
