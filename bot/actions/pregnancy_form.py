"""The 「妊娠したかも？」 form: its questions, its validation and its ending.

The validation action is where messages inside the form are triaged, so a
crisis typed in the middle (「さっき薬全部飲んだ」) ends the form and is
answered as a crisis instead of being read as an answer.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import pregnancy
from bot import signals as sig
from bot.actions import slots
from bot.actions.conversation import context_of, ensure_triaged, handoff_of, known_age, triage_from_payload
from bot.actions.support_reply import reply_events
from bot.actions.turn import speak
from bot.compose import INTRO, LINES, Step, ask, say
from bot.extract import parse_age
from bot.levels import EMERGENCY, HIGH
from bot.replies import CHILD_LINES, follow_up
from bot.triage import CONCERNS, Triage

CRISIS_TOPICS = frozenset({"suicide_risk", "sexual_violence", "domestic_violence", "no_place_to_stay"})
TEEN_PREGNANCY_LINE = "wakasapo"
CANNOT_GO_HOME = frozenset({"toyoko", "no_place_to_stay", "domestic_violence"})


def form_exit_reason(result: Triage, text: str) -> Optional[str]:
    """Why this message ends the check early, or None to go on."""
    if result.urgency == EMERGENCY or sig.LATE_PREGNANCY in result.signals:  # no "when was it?" at term or in labour
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
    """Ask one question of the form, with what this turn must also say.

    The first question of a check comes with the intro; the advice for the time
    comes as soon as the time is known (not at the end); the handoff notice
    comes on the turn she is handed off. All of it is one composed turn.
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
        steps, events = opening_steps(tracker)
        advice, advice_events = advice_steps(tracker)
        notice, notice_events = notice_steps(tracker)
        speak(dispatcher, steps + advice + notice + [ask(f"utter_ask_{self.slot}")], domain, known_age(tracker))
        return events + advice_events + notice_events


def opening_steps(tracker: Tracker) -> Tuple[List[Step], List[EventType]]:
    """The bot's introduction (once per conversation) and the check's own (once per check)."""
    if tracker.get_slot(slots.PREGNANCY_INTRO_GIVEN):
        return [], []
    steps: List[Step] = []
    if not tracker.get_slot(slots.INTRODUCED):
        steps.append(Step(INTRO, "utter_intro"))
    steps.append(say("utter_pregnancy_intro"))
    return steps, [SlotSet(slots.INTRODUCED, True), SlotSet(slots.PREGNANCY_INTRO_GIVEN, True)]


def advice_steps(tracker: Tracker) -> Tuple[List[Step], List[EventType]]:
    """The advice for the time since the sex, the first turn it is known."""
    hours = tracker.get_slot(slots.PREGNANCY_HOURS)
    if hours is None or tracker.get_slot(slots.PREGNANCY_ADVISED):
        return [], []
    return pregnancy.time_advice(hours, ec_taken(tracker)), [SlotSet(slots.PREGNANCY_ADVISED, True)]


def ec_taken(tracker: Tracker) -> bool:
    """She said she has already taken the morning-after pill (triage keeps the code from turn to turn)."""
    return sig.EC_TAKEN in ((tracker.get_slot(slots.LAST_TRIAGE) or {}).get("signals") or ())


def notice_steps(tracker: Tracker) -> Tuple[List[Step], List[EventType]]:
    """The honest notice about a person, if this turn hands her off (with the lines when nobody is on duty)."""
    payload = tracker.get_slot(slots.LAST_TRIAGE)
    if not payload:
        return [], []
    result = triage_from_payload(payload)
    if not result.handoff:
        return [], []
    steps, _, notice = follow_up(result, handoff_of(tracker))
    steps = [pregnancy_lines(result, known_age(tracker)) if step.kind == LINES else step for step in steps]
    return steps, ([SlotSet(slots.HANDOFF_NOTICE, notice)] if notice else [])


class AskPregnancyWhen(PregnancyQuestion):
    slot = slots.PREGNANCY_WHEN


class AskLastPeriod(PregnancyQuestion):
    slot = slots.LAST_PERIOD


class AskTestDone(PregnancyQuestion):
    slot = slots.TEST_DONE


class AskAge(PregnancyQuestion):
    slot = slots.AGE


def pregnancy_lines(result: Triage, age: Optional[float]) -> Step:
    """Pregnancy lines; for a teen the teen line first, and child lines where she cannot go home."""
    wanted = set(result.concerns) | {"pregnancy"} | ({"minor"} if age is not None and age < 18 else set())
    concerns = sorted(wanted, key=CONCERNS.index)  # the topic's lines before the youth lines
    teen = age is not None and age < pregnancy.TEEN_AGE or "minor" in concerns
    extra = (TEEN_PREGNANCY_LINE,) if teen else ()
    if "minor" in concerns and CANNOT_GO_HOME & set(concerns):
        extra += CHILD_LINES
    return Step(LINES, concerns=tuple(concerns), extra=extra)


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
            return self._reset() + reply_events(dispatcher, tracker, domain, result)
        if reason == "stop":
            steps, events = self._stopped(tracker, result)
        else:
            steps, events = self._advise(tracker, result)
        speak(dispatcher, steps, domain, known_age(tracker))
        return events + self._reset()

    @staticmethod
    def _stopped(tracker: Tracker, result: Triage) -> Tuple[List[Step], List[EventType]]:
        """She left the check: say so kindly, still give the time advice if it was not given, and the lines."""
        advice, _ = advice_steps(tracker)
        return [say("utter_pregnancy_stopped")] + advice + [pregnancy_lines(result, known_age(tracker))], []

    @staticmethod
    def _advise(tracker: Tracker, result: Triage) -> Tuple[List[Step], List[EventType]]:
        age = known_age(tracker)
        advice = pregnancy.closing_advice(
            tracker.get_slot(slots.PREGNANCY_HOURS), tracker.get_slot(slots.TEST_DONE),
            tracker.get_slot(slots.LAST_PERIOD), age, bool(tracker.get_slot(slots.PREGNANCY_ADVISED)), ec_taken(tracker),
        )
        follow, offered, notice = follow_up(result, handoff_of(tracker))
        follow = [step for step in follow if step.kind != LINES]  # the pregnancy lines below are the one list
        events: List[EventType] = [SlotSet(slots.OFFERED_HUMAN, offered)]
        if notice:
            events.append(SlotSet(slots.HANDOFF_NOTICE, notice))
        return advice + [pregnancy_lines(result, age)] + follow, events

    @staticmethod
    def _reset() -> List[EventType]:
        return [
            SlotSet(slots.PREGNANCY_WHEN, None),
            SlotSet(slots.LAST_PERIOD, None),
            SlotSet(slots.TEST_DONE, None),
            SlotSet(slots.PREGNANCY_INTRO_GIVEN, False),
            SlotSet(slots.PREGNANCY_ADVISED, False),
            SlotSet(slots.FORM_EXIT, None),
            SlotSet(slots.AGE_DECLINED, None),
            SlotSet(slots.ASKED_QUESTION, None),
        ]
