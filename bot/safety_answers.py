"""Her answer to the safety question the bot asked last turn (「そのための物が近くにある？」, 「今夜安全に過ごせる
場所はある？」…): read with the one yes/no reader, and what a yes or a no means for the triage."""

from __future__ import annotations

from typing import Optional, Sequence

from bot import signals as sig
from bot import triage_words as words
from bot import yesno
from bot.levels import EMERGENCY, HIGH
from bot.textnorm import normalize
from bot.triage_result import Context, Triage

INTENT_THRESHOLD = 0.35  # as in bot.triage: a confident affirm/deny settles an unclear answer


def _contains(norm: str, wanted: Sequence[str]) -> bool:
    return any(normalize(w) in norm for w in wanted)


# question key → (what a yes means, what a no means): (urgency, factor, concern, signal) or None
_ANSWERS = {
    "suicide_means": ((EMERGENCY, "自傷の手段が手元にある・しようとしている", "suicide_risk", sig.MEANS_NAMED), None),
    "dv_nearby": ((EMERGENCY, "加害者が近くにいる", "domestic_violence", sig.DANGER_NOW), None),
    "host_threat": ((HIGH, "脅し・監視されている", "host_club", None), None),
    "safe_place": (None, (HIGH, "今夜安全に過ごせる場所がない", "no_place_to_stay", sig.NO_PLACE_TONIGHT)),
}
# Questions asking "is there a safe place?": 「大丈夫」 answers yes. The others ask "are you in danger?": it answers no.
_SAFE_MEANS_YES = frozenset({"safe_place"})


def _answer_kind(result: Triage, text: str, question: str) -> Optional[bool]:
    """Whether her reply to the safety question reads as yes (True) or no (False)."""
    safe = yesno.safety(text)
    if safe is not None:
        return safe if question in _SAFE_MEANS_YES else not safe
    answer = yesno.read(text, echo=True, lenient=question not in _SAFE_MEANS_YES)
    if answer is None and result.confidence >= INTENT_THRESHOLD and result.intent in ("affirm", "deny"):
        return result.intent == "affirm"
    return answer


def apply_answer(result: Triage, text: str, norm: str, context: Context) -> None:
    """Read the reply to the safety question asked last turn; the topic carries over."""
    if not context.answering:
        return
    for concern in context.previous_concerns:
        result.add_concern(concern)
    if sig.THIRD_PARTY in context.recent_signals:
        result.signal(sig.THIRD_PARTY)  # her answer is still about the friend in danger
    result.raise_to(context.max_urgency)  # the answer belongs to the same risk exchange
    if context.answering == "suicide_means" and _contains(norm, words.MEANS):
        result.raise_to(EMERGENCY, "自傷の手段が手元にある・しようとしている")
        result.signal(sig.MEANS_NAMED)
    kind = _answer_kind(result, text, context.answering)
    yes_outcome, no_outcome = _ANSWERS.get(context.answering, (None, None))
    outcome = yes_outcome if kind is True else no_outcome if kind is False else None
    if outcome is None and kind is (context.answering in _SAFE_MEANS_YES):
        result.signal(sig.SAFE_NOW)  # a reassuring answer: the score may not raise it (bot.risk.decide)
    if outcome:
        level, factor, concern, code = outcome
        result.add_concern(concern)
        result.raise_to(level, factor)
        if code:
            result.signal(code)
