"""The 「妊娠したかも？」 form: its questions, its validation and its ending.

The validation action is where messages inside the form are triaged, so a
crisis typed in the middle (「さっき薬全部飲んだ」) ends the form and is
answered as a crisis instead of being read as an answer.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import pregnancy
from bot.actions import slots
from bot.actions.conversation import context_of, ensure_triaged, known_age, send_places, triage_from_payload
from bot.actions.support_reply import reply_events
from bot.extract import parse_age
from bot import signals as sig
from bot.levels import EMERGENCY, HIGH
from bot.triage import Triage

CRISIS_TOPICS = frozenset({"suicide_risk", "sexual_violence", "domestic_violence", "no_place_to_stay"})


def form_exit_reason(result: Triage, text: str) -> Optional[str]:
    """Why this message ends the check early, or None to go on."""
    if result.urgency == EMERGENCY:
        return "crisis"
    if result.urgency == HIGH and CRISIS_TOPICS & set(result.concerns):
        return "crisis"
    if result.intent == "request_human" or sig.WANTS_HUMAN in result.signals:
        return "human"
    if pregnancy.wants_to_stop(text):
        return "stop"
    return None


class ValidatePregnancyForm(FormValidationAction):
    """Triage every message in the form, leave it on a crisis or on request, read the answers."""

    def name(self) -> str:
        return "validate_pregnancy_form"

    async def required_slots(
        self, domain_slots: List[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[str]:
        if tracker.get_slot(slots.AGE_DECLINED) or known_age(tracker) is not None:
            return [slot for slot in domain_slots if slot != slots.AGE]
        return domain_slots

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        prefill = self._prefill(tracker, text)
        hours = self._answer_hours(tracker, text, prefill)
        context = context_of(tracker, active_topic="pregnancy", answering=None)
        if hours is not None:
            context = context_of(tracker, active_topic="pregnancy", answering=None, pregnancy_hours=hours)
        result, events = ensure_triaged(dispatcher, tracker, context)
        reason = form_exit_reason(result, text)
        if reason is not None:
            return events + [SlotSet(slots.FORM_EXIT, reason), SlotSet(slots.REQUESTED_SLOT, None), ActiveLoop(None)]
        tracker.add_slots(events + prefill)
        return events + prefill + await super().run(dispatcher, tracker, domain)

    @staticmethod
    def _answer_hours(tracker: Tracker, text: str, prefill: List[EventType]) -> Optional[float]:
        """Hours since the event, if this message gives them (as a prefill or as the answer)."""
        from_prefill = next((e["value"] for e in prefill if e["name"] == slots.PREGNANCY_HOURS), None)
        if from_prefill is not None or tracker.get_slot(slots.REQUESTED_SLOT) != slots.PREGNANCY_WHEN:
            return from_prefill
        return pregnancy.read_when(text)[1]

    @staticmethod
    def _prefill(tracker: Tracker, text: str) -> List[EventType]:
        """On activation, take what the first message already says (「昨日ゴム破れた」)."""
        if tracker.get_slot(slots.REQUESTED_SLOT) is not None:
            return []
        hours = pregnancy.read_when(text)[1]
        if hours is None:
            return []
        return [SlotSet(slots.PREGNANCY_WHEN, f"{hours:g}h"), SlotSet(slots.PREGNANCY_HOURS, hours)]

    def validate_pregnancy_when(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        answer, hours = pregnancy.read_when(str(value or ""))
        return {slots.PREGNANCY_WHEN: answer, slots.PREGNANCY_HOURS: hours}

    def validate_last_period(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return {slots.LAST_PERIOD: pregnancy.read_last_period(str(value or ""))}

    def validate_test_done(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return {slots.TEST_DONE: pregnancy.read_test(str(value or ""))}

    def validate_age(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return {slots.AGE: float(value)}
        text = str(value or "")
        age = parse_age(text)
        if age is None and text.strip().isdigit():
            age = int(text.strip())
        if age is not None and 6 <= age <= 90:
            return {slots.AGE: float(age)}
        return {slots.AGE: None, slots.AGE_DECLINED: True}


class PregnancyQuestion(Action, ABC):
    """Ask one question of the form; the first question of a check comes with the intro.

    Abstract: rasa-sdk registers only the concrete subclasses below.
    """

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot this question fills."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        events: List[EventType] = []
        if not tracker.get_slot(slots.PREGNANCY_INTRO_GIVEN):
            if not tracker.get_slot(slots.INTRODUCED):
                dispatcher.utter_message(response="utter_intro")
                events.append(SlotSet(slots.INTRODUCED, True))
            dispatcher.utter_message(response="utter_pregnancy_intro")
            events.append(SlotSet(slots.PREGNANCY_INTRO_GIVEN, True))
        dispatcher.utter_message(response=f"utter_ask_{self.slot}")
        return events


class AskPregnancyWhen(PregnancyQuestion):
    slot = slots.PREGNANCY_WHEN


class AskLastPeriod(PregnancyQuestion):
    slot = slots.LAST_PERIOD


class AskTestDone(PregnancyQuestion):
    slot = slots.TEST_DONE


class AskAge(PregnancyQuestion):
    slot = slots.AGE


class ActionPregnancyFormEnd(Action):
    """After the form: advice that follows the answers, or the crisis reply, or a kind goodbye."""

    def name(self) -> str:
        return "action_pregnancy_form_end"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        reason = tracker.get_slot(slots.FORM_EXIT)
        result = triage_from_payload(tracker.get_slot(slots.LAST_TRIAGE))
        if reason in ("crisis", "human"):
            return self._reset() + reply_events(dispatcher, tracker, result)
        elif reason == "stop":
            dispatcher.utter_message(response="utter_pregnancy_stopped")
            send_places(dispatcher, ["pregnancy"], known_age(tracker), emergency=False)
            events = []
        else:
            events = self._advise(dispatcher, tracker, result)
        return events + self._reset()

    @staticmethod
    def _advise(dispatcher: CollectingDispatcher, tracker: Tracker, result: Triage) -> List[EventType]:
        age = known_age(tracker)
        for response in pregnancy.advice(tracker.get_slot(slots.PREGNANCY_HOURS), tracker.get_slot(slots.TEST_DONE), age):
            dispatcher.utter_message(response=response)
        concerns = sorted(set(result.concerns) | {"pregnancy"} | ({"minor"} if age is not None and age < 18 else set()))
        send_places(dispatcher, concerns, age, emergency=False)
        dispatcher.utter_message(response="utter_handoff_started" if result.handoff else "utter_offer_human")
        return [SlotSet(slots.OFFERED_HUMAN, not result.handoff)]

    @staticmethod
    def _reset() -> List[EventType]:
        return [
            SlotSet(slots.PREGNANCY_WHEN, None),
            SlotSet(slots.LAST_PERIOD, None),
            SlotSet(slots.TEST_DONE, None),
            SlotSet(slots.PREGNANCY_INTRO_GIVEN, False),
            SlotSet(slots.FORM_EXIT, None),
            SlotSet(slots.AGE_DECLINED, None),
            SlotSet(slots.ASKED_QUESTION, None),
        ]
