"""action_support_reply: the bot's answer to a triaged message."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import slots
from bot.actions.conversation import ensure_triaged, handoff_of, known_age
from bot.actions.turn import speak
from bot.replies import ReplyPlan, plan
from bot.triage import Triage


def plan_for(tracker: Tracker, result: Triage) -> ReplyPlan:
    """The reply plan for ``result`` in this conversation."""
    return plan(
        result,
        introduced=bool(tracker.get_slot(slots.INTRODUCED)),
        offered_human=bool(tracker.get_slot(slots.OFFERED_HUMAN)),
        answering=tracker.get_slot(slots.ASKED_QUESTION),
        previous_concerns=tracker.get_slot(slots.PREVIOUS_CONCERNS) or (),
        handoff=handoff_of(tracker),
        ongoing=bool(tracker.get_slot(slots.CONCERNS_SO_FAR)),
    )


def plan_events(chosen: ReplyPlan) -> List[EventType]:
    """The slots a spoken plan changes."""
    events: List[EventType] = [
        SlotSet(slots.INTRODUCED, True),
        SlotSet(slots.OFFERED_HUMAN, chosen.offered_human),
        SlotSet(slots.ASKED_QUESTION, chosen.asked),
    ]
    if chosen.notice:
        events.append(SlotSet(slots.HANDOFF_NOTICE, chosen.notice))
    return events


def reply_events(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any], result: Triage
) -> List[EventType]:
    """Send the reply for ``result`` (one composed turn) and return the slots it changes."""
    chosen = plan_for(tracker, result)
    speak(dispatcher, chosen.steps, domain, known_age(tracker, result))
    return plan_events(chosen)


class ActionSupportReply(Action):
    """Acknowledge, show lines open now, say whether a person is coming; also the core fallback."""

    def name(self) -> str:
        return "action_support_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        result, events = ensure_triaged(dispatcher, tracker)
        return events + reply_events(dispatcher, tracker, domain, result)
