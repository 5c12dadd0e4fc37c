"""action_support_reply: the bot's answer to a triaged message."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import slots
from bot.actions.conversation import ensure_triaged, known_age, send_plan
from bot.replies import plan
from bot.triage import Triage


def reply_events(dispatcher: CollectingDispatcher, tracker: Tracker, result: Triage) -> List[EventType]:
    """Send the reply for ``result`` and return the slots it changes."""
    chosen = plan(
        result,
        introduced=bool(tracker.get_slot(slots.INTRODUCED)),
        offered_human=bool(tracker.get_slot(slots.OFFERED_HUMAN)),
        answering=tracker.get_slot(slots.ASKED_QUESTION),
        previous_concerns=tracker.get_slot(slots.PREVIOUS_CONCERNS) or (),
    )
    send_plan(dispatcher, chosen, result, known_age(tracker, result))
    return [
        SlotSet(slots.INTRODUCED, True),
        SlotSet(slots.OFFERED_HUMAN, chosen.offered_human),
        SlotSet(slots.ASKED_QUESTION, chosen.asked),
    ]


class ActionSupportReply(Action):
    """Acknowledge, show lines open now, offer a human; also the core fallback."""

    def name(self) -> str:
        return "action_support_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        result, events = ensure_triaged(dispatcher, tracker)
        return events + reply_events(dispatcher, tracker, result)
