"""What the bot says after a triage: pure choices of responses, no I/O.

The most dangerous concern leads; the bot acknowledges, shows lines that are
open now, says honestly whether a person is coming (SPEC §3), and ends with one
gentle question. Behaviour reads signal codes and concerns, never the Japanese
``factors`` shown to counselors. The plan is a list of :class:`Step` that the
actions turn into text and :func:`bot.compose.compose` shapes into one turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from bot import signals as sig
from bot.actions.handoff_notice import NO_METADATA, NOTICE_NO_COUNSELOR, Handoff, handoff_notice, notice_given
from bot.compose import INTRO, LINES, NOTICE, Step, ask, say
from bot.levels import EMERGENCY, HIGH
from bot.limits import ASSAULT_RECENT_HOURS
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

THIRD_PARTY_QUESTION = "third_party_with"  # "are you with that person?" (the answer is about them, not her)
# The safety question each response asks, so the next answer can be read (bot.triage._ANSWERS).
QUESTION_KEYS = {
    "utter_ask_third_party": THIRD_PARTY_QUESTION,
    "utter_ask_third_party_police": THIRD_PARTY_QUESTION,
    "utter_ask_safety": "suicide_means",
    "utter_ask_dv_safety": "dv_nearby",
    "utter_ask_host": "host_threat",
    "utter_ask_toyoko": "safe_place",
}
_SHORT_REPLIES = frozenset({"affirm", "deny", "out_of_scope", "greet", "thank", "nlu_fallback"})
# Where she may not be able to go home: the child-protection lines are offered to a minor.
_CANNOT_GO_HOME = frozenset({"toyoko", "no_place_to_stay", "domestic_violence"})
CHILD_LINES = ("jido-gyakutai-189", "tokyo-jido-sodan-center")
ASSAULT_LINES = ("onestop-8891", "sarc-tokyo")
HOST_LINES = ("houterasu-support-dial", "tokyo-shohi-seikatsu-center")
AMBULANCE = "emergency-119"



@dataclass
class ReplyPlan:
    """The steps of one turn, and what the turn leaves behind in slots."""

    steps: List[Step] = field(default_factory=list)
    offered_human: bool = False
    notice: Optional[str] = None  # which handoff notice this turn gave

    @property
    def responses(self) -> List[str]:
        return [step.response for step in self.steps if step.response]

    @property
    def shows_lines(self) -> bool:
        return any(step.kind == LINES for step in self.steps)

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


def lines_for(triage: Triage, extra: Sequence[str] = ()) -> Step:
    """Lines that fit her concerns (police / ambulance first in an emergency)."""
    return Step(LINES, concerns=tuple(triage.concerns), emergency=triage.urgency == EMERGENCY, extra=tuple(extra))


def wants_human(triage: Triage, offered_human: bool) -> bool:
    """She asked for a person, or said yes to the offer of one."""
    return (triage.intent == "affirm" and offered_human) or sig.WANTS_HUMAN in triage.signals or (
        triage.intent == "request_human"
    )


def plan(
    triage: Triage,
    *,
    introduced: bool,
    offered_human: bool,
    answering: Optional[str] = None,
    previous_concerns: Sequence[str] = (),
    handoff: Handoff = NO_METADATA,
    ongoing: bool = False,
) -> ReplyPlan:
    """Choose the bot's turn for this triage. ``ongoing``: she has already told the bot of a trouble."""
    topic = main_topic(triage)
    if wants_human(triage, offered_human):
        result = _human_plan(triage, handoff)
    elif answering == THIRD_PARTY_QUESTION and triage.intent in _SHORT_REPLIES:
        result = _third_party_answer_plan(triage, handoff)
    elif answering and triage.intent in _SHORT_REPLIES and triage.urgency != EMERGENCY:
        result = _answer_plan(triage, set(triage.concerns) - set(previous_concerns), handoff)
    elif _is_topic_turn(triage, topic):
        result = _topic_plan(triage, topic, handoff)
    else:
        result = _small_talk_plan(triage, ongoing)
    if not introduced:
        result.steps.insert(0, Step(INTRO, "utter_intro"))
    return result


def _is_topic_turn(triage: Triage, topic: Optional[str]) -> bool:
    small_talk = triage.intent in ("greet", "thank", "goodbye")
    return (topic is not None and not small_talk) or triage.urgency in (HIGH, EMERGENCY)


# In the middle of a trouble she has shared, 「寒い」 or 「どうしよう」 is her story going on, not small talk.
_LISTEN_INSTEAD = frozenset({"out_of_scope", "nlu_fallback"})


def _small_talk_plan(triage: Triage, ongoing: bool = False) -> ReplyPlan:
    unsure = triage.confidence < INTENT_THRESHOLD
    response = "utter_default" if unsure else _SMALL_TALK.get(triage.intent, "utter_default")
    if ongoing and (unsure or triage.intent in _LISTEN_INSTEAD):
        response = "utter_listening"
    steps = [say(response)]
    if triage.intent == "goodbye":
        steps.append(lines_for(triage))
    return ReplyPlan(steps)


def _human_plan(triage: Triage, handoff: Handoff) -> ReplyPlan:
    """She asked for a person: say plainly whether one is there, and keep the lines at hand."""
    if handoff.nobody_on_duty:
        # Her own question gets the plain answer even if the notice was given before.
        steps = [Step(NOTICE, "utter_notice_no_counselor"), lines_for(triage)]
        return ReplyPlan(steps, notice=NOTICE_NO_COUNSELOR)
    notice = handoff_notice(handoff)
    steps = [say("utter_request_human"), notice or say("utter_human_waiting"), lines_for(triage)]
    return ReplyPlan(steps, notice=notice_given(notice))


def follow_up(triage: Triage, handoff: Handoff) -> Tuple[List[Step], bool, Optional[str]]:
    """The handoff notice, or the offer of a person: (steps, offered_human, notice given).

    The no-counselor notice always comes with the lines open now.
    """
    if triage.handoff:
        notice = handoff_notice(handoff)
        steps = [notice] if notice else []
        if notice_given(notice) == NOTICE_NO_COUNSELOR:
            steps.append(lines_for(triage))
        return steps, False, notice_given(notice)
    if handoff.nobody_on_duty:
        return [], False, None  # never offer a person who is not there
    return [say("utter_offer_human")], True, None


def _answer_plan(triage: Triage, new_concerns: set, handoff: Handoff) -> ReplyPlan:
    """She answered the safety question: thank her and stay with her.

    The lines were listed a moment ago; they are listed again only if the
    answer revealed a new trouble (「今夜いる場所がない」).
    """
    follow, offered, notice = follow_up(triage, handoff)
    steps = [say("utter_thanks_for_telling")]
    if new_concerns:
        steps.append(lines_for(triage, _extra_lines(triage)))
        follow = [step for step in follow if step.kind != LINES]
    return ReplyPlan(steps + follow, offered_human=offered, notice=notice)


def _third_party_answer_plan(triage: Triage, handoff: Handoff) -> ReplyPlan:
    """She answered about the person in danger: stay on that person (call, stay, tell), not on her."""
    follow, offered, notice = follow_up(triage, handoff)
    steps = [say("utter_third_party_stay")] + [step for step in follow if step.kind != LINES]
    return ReplyPlan(steps, offered_human=offered, notice=notice)


def _topic_plan(triage: Triage, topic: Optional[str], handoff: Handoff) -> ReplyPlan:
    """Acknowledge (and what matters now), the lines open now, the notice or offer, then one question."""
    acknowledge, questions = _acknowledge(triage, topic)
    follow, offered, notice = follow_up(triage, handoff)
    follow = [step for step in follow if step.kind != LINES]  # the topic's lines are the one list
    steps = acknowledge + _topic_extras(triage, topic) + [lines_for(triage, _extra_lines(triage))] + follow
    return ReplyPlan(steps + questions, offered_human=offered, notice=notice)


def _acknowledge(triage: Triage, topic: Optional[str]) -> Tuple[List[Step], List[Step]]:
    """The first words and the question, by who is in danger and how urgently."""
    if sig.RESCUE_CALL in triage.signals:  # 「警察呼んで」: the bot cannot call; say so, and who can
        return [say("utter_rescue_call")], [ask("utter_ask_safe_now")]
    if sig.THIRD_PARTY in triage.signals and triage.urgency in (HIGH, EMERGENCY):
        return _third_party(triage, topic)
    situation = _situation_now(triage, topic)
    if situation is not None:
        return situation
    if topic is None:
        return [say("utter_danger_now")], [ask("utter_ask_safe_now")]
    responses = _topic_responses(topic, triage.urgency)
    if topic == "sexual_violence" and triage.urgency == HIGH and assault_recent(triage):
        responses[0] = "utter_sv_recent_ack"  # not 「どれだけ前のことでも」: it was days ago at most
    questions = [ask(r) for r in responses[1:]]
    if triage.urgency == EMERGENCY and topic == "suicide_risk":
        questions = [ask("utter_ask_safety_emergency")]
    return [say(responses[0])], questions


def _situation_now(triage: Triage, topic: Optional[str]) -> Optional[Tuple[List[Step], List[Step]]]:
    """Her body or a man near her now: words for that situation before any topic's words."""
    if sig.LATE_PREGNANCY in triage.signals and not _OTHER_CRISES & set(triage.concerns):
        # not the pregnancy check's questions: her body first, then the lines
        if triage.urgency == EMERGENCY:  # labour: 119 and what to say; no question to answer before she calls
            return [say("utter_pregnancy_labour")], []
        return [say("utter_pregnancy_late")], [ask("utter_ask_safe_now")]
    if triage.urgency != EMERGENCY:
        return None
    if sig.BODY_EMERGENCY in triage.signals and topic in (None, "pregnancy"):
        return [say("utter_body_emergency")], []  # her body: 119 now, no question to answer first
    if sig.DRUGGED in triage.signals:  # 110 now, people nearby; not the suicide words
        return [say("utter_drugged")], [ask("utter_ask_safe_now")]
    if sig.FOLLOWED in triage.signals and "suicide_risk" not in triage.concerns:
        return [say("utter_followed")], [ask("utter_ask_safe_now")]  # not 「外へ」: he may be waiting outside
    return None


# A late pregnancy with one of these (an overdose at term, a partner hitting her) is answered as that crisis.
_OTHER_CRISES = frozenset({"suicide_risk", "domestic_violence", "sexual_violence"})


def _third_party(triage: Triage, topic: Optional[str]) -> Tuple[List[Step], List[Step]]:
    """Someone she is with is in danger: what to do for that person, never questions about her own life."""
    if triage.urgency != EMERGENCY:
        return [say("utter_third_party_high")], [ask("utter_ask_third_party_high")]
    if topic in ("domestic_violence", "sexual_violence"):
        return [say("utter_third_party_police")], [ask("utter_ask_third_party_police")]
    return [say("utter_third_party_ambulance"), say("utter_third_party_tell")], [ask("utter_ask_third_party")]


def assault_recent(triage: Triage) -> bool:
    """A sexual assault within 120 hours: emergency contraception, STI care and evidence still matter."""
    hours = triage.hours_since_event
    return "sexual_violence" in triage.concerns and (
        sig.ASSAULT_RECENT in triage.signals or sig.DRUGGED in triage.signals
        or (hours is not None and hours <= ASSAULT_RECENT_HOURS)
    )


def _topic_extras(triage: Triage, topic: Optional[str]) -> List[Step]:
    """What the topic needs said beyond the first words: current law, recent assault care, minors."""
    extras: List[Step] = []
    if sig.THIRD_PARTY in triage.signals and triage.urgency in (HIGH, EMERGENCY):
        return extras
    if assault_recent(triage):
        extras.append(say("utter_sv_recent"))
    if topic == "host_club":
        extras.append(say("utter_host_law"))
    if "minor" in triage.concerns:
        cannot_go_home = bool(_CANNOT_GO_HOME & set(triage.concerns))
        extras.append(say("utter_minor_home" if cannot_go_home else "utter_minor"))
    return extras


_BODY = frozenset({sig.LATE_PREGNANCY, sig.BODY_EMERGENCY})


def _extra_lines(triage: Triage) -> List[str]:
    """Place ids to list first for this triage (shown only when open)."""
    ids: List[str] = []
    if assault_recent(triage):
        ids.extend(ASSAULT_LINES)
    if "host_club" in triage.concerns:
        ids.extend(HOST_LINES)
    if "minor" in triage.concerns and _CANNOT_GO_HOME & set(triage.concerns):
        ids.extend(CHILD_LINES)
    if triage.urgency == EMERGENCY and _BODY & set(triage.signals):  # labour, a collapse: the ambulance too
        ids.append(AMBULANCE)
    return ids
