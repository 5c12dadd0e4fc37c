"""Glue between a rasa-sdk tracker and the pure triage and reply code.

Every user message must be triaged exactly once, whichever action sees it
first (action_triage, the form's validation, or the fallback reply): the key
of the triaged message is kept in a slot and checked here.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import slots
from bot.actions.handoff_notice import Handoff
from bot.analysis import from_parse
from bot.levels import higher
from bot.triage import Context, Triage, triage


def message_key(tracker: Tracker) -> str:
    """A key unique to the latest user message (its event timestamp)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return f"{event.get('timestamp')}"
    return "none"


def known_age(tracker: Tracker, result: Optional[Triage] = None) -> Optional[float]:
    """Her age if she gave one (in this message or earlier), else None."""
    if result is not None and result.age is not None:
        return float(result.age)
    value = tracker.get_slot(slots.AGE)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def context_of(tracker: Tracker, **overrides: Any) -> Context:
    """The conversation so far, as the triage needs it."""
    values: Dict[str, Any] = {
        "age": known_age(tracker),
        "pregnancy_hours": tracker.get_slot(slots.PREGNANCY_HOURS),
        "max_urgency": tracker.get_slot(slots.MAX_URGENCY) or "low",
        "concerns": tuple(tracker.get_slot(slots.CONCERNS_SO_FAR) or ()),
        "answering": tracker.get_slot(slots.ASKED_QUESTION),
        "previous_concerns": tuple((tracker.get_slot(slots.LAST_TRIAGE) or {}).get("concerns") or ()),
        # what the last message's triage found (a means named, someone else in danger) carries into this one
        "recent_signals": tuple((tracker.get_slot(slots.LAST_TRIAGE) or {}).get("signals") or ()),
    }
    values.update(overrides)
    return Context(**values)


def _triage_events(result: Triage, tracker: Tracker, key: str) -> List[EventType]:
    concerns = sorted(set(tracker.get_slot(slots.CONCERNS_SO_FAR) or ()) | set(result.concerns))
    previous = (tracker.get_slot(slots.LAST_TRIAGE) or {}).get("concerns") or []
    events = [
        SlotSet(slots.TRIAGED_MESSAGE, key),
        SlotSet(slots.PREVIOUS_CONCERNS, list(previous)),
        SlotSet(slots.LAST_TRIAGE, result.as_payload()),
        SlotSet(slots.MAX_URGENCY, higher(result.urgency, tracker.get_slot(slots.MAX_URGENCY) or "low")),
        SlotSet(slots.CONCERNS_SO_FAR, concerns),
    ]
    if result.age is not None:
        events.append(SlotSet(slots.AGE, float(result.age)))
    return events


def ensure_triaged(
    dispatcher: CollectingDispatcher, tracker: Tracker, context: Optional[Context] = None
) -> Tuple[Triage, List[EventType]]:
    """Triage the latest user message once and send the ``{"triage": ...}`` payload.

    If this message was already triaged in this turn, the stored result is
    returned and nothing is sent again.
    """
    key = message_key(tracker)
    if tracker.get_slot(slots.TRIAGED_MESSAGE) == key and tracker.get_slot(slots.LAST_TRIAGE):
        return triage_from_payload(tracker.get_slot(slots.LAST_TRIAGE)), []
    message = tracker.latest_message or {}
    ranking = message.get("intent_ranking") or ([message["intent"]] if message.get("intent") else [])
    result = triage(from_parse(message), ranking, context or context_of(tracker))  # Rasa's analysis, not a new one
    dispatcher.utter_message(json_message={"triage": result.as_payload()})
    return result, _triage_events(result, tracker, key)


def triage_from_payload(payload: Dict[str, Any]) -> Triage:
    """Rebuild a :class:`Triage` stored in a slot."""
    return Triage(**payload)


def akari_metadata(tracker: Tracker) -> Dict[str, Any]:
    """What the handoff service sent with this message (Rasa REST ``metadata.akari``), or {}."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    akari = metadata.get("akari") if isinstance(metadata, dict) else None
    return akari if isinstance(akari, dict) else {}


def handoff_of(tracker: Tracker) -> Handoff:
    """The conversation's handoff state as the handoff service reports it, and the notice given so far."""
    return Handoff.from_metadata(akari_metadata(tracker), tracker.get_slot(slots.HANDOFF_NOTICE))
