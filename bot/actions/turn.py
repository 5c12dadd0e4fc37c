"""From planned steps to the messages she sees: texts from the domain, numbers from the directory.

Every action that speaks ends here, so each turn is composed once
(:func:`bot.compose.compose`). Response texts stay in ``domain.yml``; their
``{fields}`` are filled with numbers from the support directory, facts from
``bot/facts.yml`` and the step's own values, so no number is typed in a reply.
"""

from __future__ import annotations

import random
from datetime import datetime
from functools import lru_cache
from typing import Any, Dict, List, Mapping, Optional, Sequence

from rasa_sdk.executor import CollectingDispatcher

from bot import facts
from bot.compose import LINES, Part, Step, compose, fill
from bot.support.directory import YOUTH_AGE, YOUTH_ONLY, load, open_now, opening_later

# Short names used in replies for numbers from the directory.
NUMBERS = {
    "ambulance": "emergency-119",
    "police": "police-110",
    "onestop": "onestop-8891",
    "nana": "sarc-tokyo",
    "consumer": "shohisha-hotline-188",
    "child_line": "jido-gyakutai-189",
    "houterasu": "houterasu-support-dial",
}


@lru_cache(maxsize=1)
def standing_values() -> Dict[str, str]:
    """Fill-ins that do not change within a process: directory numbers and facts."""
    places = load()
    values = {name: places[pid].phone or "" for name, pid in NUMBERS.items() if pid in places}
    values.update(facts.sayings())
    return values


def response_text(domain: Mapping[str, Any], name: str) -> str:
    """One variant of a response's text from the domain (chosen at random, as Rasa does)."""
    variants = [v for v in (domain.get("responses") or {}).get(name) or [] if v.get("text")]
    if not variants:
        raise KeyError(f"no text for response {name}")
    return random.choice(variants)["text"]


def _open_ids(place_ids: Sequence[str], age: Optional[float], now: Optional[datetime]) -> List[str]:
    places = load()
    youth_ok = age is None or age < YOUTH_AGE
    return [pid for pid in place_ids if pid in places and places[pid].open_at(now) and (youth_ok or pid not in YOUTH_ONLY)]


def lines_part(step: Step, age: Optional[float], now: Optional[datetime] = None) -> Part:
    """The lines for a step: chosen ids first (when open), then the best lines open now for the concerns."""
    chosen = open_now(step.concerns, age=age, emergency=step.emergency, now=now)
    ids = [p.id for p in chosen]
    extra = _open_ids(step.extra, age, now)
    head = ids[:1] if step.emergency else []
    ordered = head + [pid for pid in extra if pid not in head] + [pid for pid in ids if pid not in head]
    later: List[str] = []
    if not step.emergency:
        closed_extra = [pid for pid in step.extra if pid in load() and pid not in extra and load()[pid].hours_machine]
        later = closed_extra[:1] or [p.id for p in opening_later(step.concerns, age=age, now=now) if p.id not in ordered]
    return Part(LINES, places=tuple(dict.fromkeys(ordered)), later=tuple(later))


def render(
    steps: Sequence[Step], domain: Mapping[str, Any], age: Optional[float] = None, now: Optional[datetime] = None
) -> List[Part]:
    """Steps → composer parts: response texts filled in, lines resolved for this moment."""
    parts: List[Part] = []
    for step in steps:
        if step.kind == LINES:
            parts.append(lines_part(step, age, now))
        else:
            values = {**standing_values(), **dict(step.values)}
            parts.append(Part(step.kind, fill(response_text(domain, step.response), values)))
    return parts


def speak(
    dispatcher: CollectingDispatcher,
    steps: Sequence[Step],
    domain: Mapping[str, Any],
    age: Optional[float] = None,
    now: Optional[datetime] = None,
) -> List[str]:
    """Send this turn's messages, composed once; returns them (for the caller's records and tests)."""
    messages = compose(render(steps, domain, age, now))
    for text in messages:
        dispatcher.utter_message(text=text)
    return messages
