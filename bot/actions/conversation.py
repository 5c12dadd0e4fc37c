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
from bot.replies import ReplyPlan
from bot.support.directory import format_lines, open_now, opening_later
from bot.triage import Context, Triage, higher, triage


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
    result = triage(message.get("text") or "", ranking, context or context_of(tracker))
    dispatcher.utter_message(json_message={"triage": result.as_payload()})
    return result, _triage_events(result, tracker, key)


def triage_from_payload(payload: Dict[str, Any]) -> Triage:
    """Rebuild a :class:`Triage` stored in a slot."""
    return Triage(**payload)


def send_plan(dispatcher: CollectingDispatcher, plan: ReplyPlan, result: Triage, age: Optional[float]) -> None:
    """Send the planned responses, with lines open now where the plan puts them."""
    for index, response in enumerate(plan.responses):
        if plan.show_places and index == plan.places_after:
            send_places(dispatcher, result.concerns, age, emergency=result.urgency == "emergency")
        dispatcher.utter_message(response=response)
    if plan.show_places and plan.places_after >= len(plan.responses):
        send_places(dispatcher, result.concerns, age, emergency=result.urgency == "emergency")


def send_places(dispatcher: CollectingDispatcher, concerns: List[str], age: Optional[float], emergency: bool) -> None:
    """The lines that fit these concerns and are open right now."""
    places = open_now(concerns, age=age, emergency=emergency)
    dispatcher.utter_message(response="utter_places_now")
    dispatcher.utter_message(text=format_lines(places))
    later = [place for place in opening_later(concerns, age=age) if place not in places]
    if later and not emergency:
        dispatcher.utter_message(response="utter_places_later")
        dispatcher.utter_message(text=format_lines(later))
