"""action_triage: runs first on every user turn outside the pregnancy form."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.conversation import ensure_triaged


class ActionTriage(Action):
    """Triage the latest message and send the ``{"triage": ...}`` payload."""

    def name(self) -> str:
        return "action_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        _, events = ensure_triaged(dispatcher, tracker)
        return events
