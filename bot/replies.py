"""What the bot says after a triage: pure choices of responses, no I/O.

The most dangerous concern leads; the bot acknowledges, asks one gentle
question, shows lines that are open now, and offers (or starts) a handoff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence

from bot import signals as sig
from bot.levels import EMERGENCY, HIGH
from bot.triage import INTENT_THRESHOLD, Triage

# Most dangerous first: the first concern present picks the reply.
TOPIC_ORDER = (
    "suicide_risk", "sexual_violence", "domestic_violence", "no_place_to_stay",
    "toyoko", "host_club", "pregnancy", "mental_distress", "money",
)

_TOPIC_REPLIES = {
    "suicide_risk": {EMERGENCY: ["utter_suicide_emergency"], HIGH: ["utter_suicide_high", "utter_ask_safety"]},
    "sexual_violence": {EMERGENCY: ["utter_sv_emergency"], HIGH: ["utter_sv_high", "utter_ask_sv"]},
    "domestic_violence": {EMERGENCY: ["utter_dv_emergency"], HIGH: ["utter_dv_high", "utter_ask_dv_safety"]},
    "no_place_to_stay": {HIGH: ["utter_no_place_high", "utter_ask_no_place"]},
    "toyoko": {HIGH: ["utter_toyoko_high", "utter_ask_toyoko"], "medium": ["utter_toyoko_medium", "utter_ask_toyoko"]},
    "host_club": {HIGH: ["utter_host_high", "utter_ask_host"], "medium": ["utter_host_medium", "utter_ask_host"]},
    "pregnancy": {"medium": ["utter_pregnancy_unknown_time"]},
    "mental_distress": {"medium": ["utter_distress_medium", "utter_ask_distress"]},
    "money": {"medium": ["utter_money_medium", "utter_ask_money"]},
}

_SMALL_TALK = {
    "greet": "utter_greet",
    "goodbye": "utter_goodbye",
    "thank": "utter_thank",
    "affirm": "utter_affirm",
    "deny": "utter_deny",
    "out_of_scope": "utter_out_of_scope",
}


# The safety question each response asks, so the next answer can be read (bot.triage._ANSWERS).
QUESTION_KEYS = {
    "utter_ask_safety": "suicide_means",
    "utter_ask_dv_safety": "dv_nearby",
    "utter_ask_host": "host_threat",
    "utter_ask_toyoko": "safe_place",
}
_SHORT_REPLIES = frozenset({"affirm", "deny", "out_of_scope", "greet", "thank", "nlu_fallback"})


@dataclass
class ReplyPlan:
    """Responses to send, and whether to list places open now."""

    responses: List[str] = field(default_factory=list)
    show_places: bool = False
    places_after: int = 1  # insert the places after this many responses
    offered_human: bool = False

    @property
    def asked(self) -> Optional[str]:
        """The safety question this turn ends with, if any."""
        return next((QUESTION_KEYS[r] for r in reversed(self.responses) if r in QUESTION_KEYS), None)


def main_topic(triage: Triage) -> Optional[str]:
    """The concern the reply is about."""
    return next((topic for topic in TOPIC_ORDER if topic in triage.concerns), None)


def _topic_responses(topic: str, urgency: str) -> List[str]:
    options = _TOPIC_REPLIES[topic]
    for level in (urgency, HIGH, "medium", EMERGENCY):
        if level in options:
            return list(options[level])
    return []


def plan(
    triage: Triage,
    *,
    introduced: bool,
    offered_human: bool,
    answering: Optional[str] = None,
    previous_concerns: Sequence[str] = (),
) -> ReplyPlan:
    """Choose the bot's turn for this triage."""
    wants_human = triage.intent == "request_human" or (triage.intent == "affirm" and offered_human) or (
        sig.WANTS_HUMAN in triage.signals
    )
    topic = main_topic(triage)
    if wants_human:
        result = ReplyPlan(["utter_request_human"], show_places=True)
    elif answering and triage.intent in _SHORT_REPLIES and triage.urgency != EMERGENCY:
        result = _answer_plan(triage, new_concern=bool(set(triage.concerns) - set(previous_concerns)))
    elif (topic is not None and triage.intent not in ("greet", "thank", "goodbye")) or triage.urgency in (
        HIGH,
        EMERGENCY,
    ):
        result = _topic_plan(triage, topic)
    else:
        unsure = triage.confidence < INTENT_THRESHOLD
        result = ReplyPlan(["utter_default" if unsure else _SMALL_TALK.get(triage.intent, "utter_default")])
        result.show_places = triage.intent == "goodbye"
    if not introduced:
        position = 1 if triage.urgency in (HIGH, EMERGENCY) and result.responses[0] != "utter_request_human" else 0
        result.responses.insert(position, "utter_intro")
        result.places_after += 1 if position <= result.places_after else 0
    return result


def _answer_plan(triage: Triage, new_concern: bool) -> ReplyPlan:
    """She answered the safety question: thank her and stay with her.

    The lines were listed a moment ago; they are listed again only if the
    answer revealed a new trouble (「今夜いる場所がない」).
    """
    follow = ["utter_handoff_started"] if triage.handoff else ["utter_offer_human"]
    return ReplyPlan(["utter_thanks_for_telling"] + follow, show_places=new_concern, places_after=1,
                     offered_human=not triage.handoff)


def _topic_plan(triage: Triage, topic: Optional[str]) -> ReplyPlan:
    """Acknowledge, then places open now, then the handoff line, then one question."""
    responses = _topic_responses(topic, triage.urgency) if topic else ["utter_default"]
    acknowledge, questions = responses[:1], responses[1:]
    if triage.urgency == EMERGENCY and topic == "suicide_risk":
        questions = ["utter_ask_safety_emergency"]
    offered = not triage.handoff
    handoff = ["utter_offer_human"] if offered else ["utter_handoff_started"]
    return ReplyPlan(acknowledge + handoff + questions, show_places=True, places_after=1, offered_human=offered)
