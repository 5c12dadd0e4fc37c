"""Risk frames that carry across turns and sentences (issue #6): what one keyword cannot say.

A means named earlier and "tonight" now; an abuser who has just come home in a conversation about violence; a
riverbank said by someone who has spoken of dying; a risk told as history with nothing said of now. Each reads
the message's :class:`bot.analysis.Analysis` and the conversation's :class:`bot.triage_result.Context`.
"""

from __future__ import annotations

from typing import Sequence

from bot import frames, lexicon
from bot import signals as sig
from bot import triage_words as words
from bot.analysis import Analysis
from bot.levels import EMERGENCY, HIGH, MEDIUM
from bot.triage_result import Context, Triage


def apply_abuser_near(result: Triage, text: Analysis, context: Context) -> None:
    """In a conversation about violence, 「帰ってきた」 means the abuser is near her now (issue #6)."""
    topic = "domestic_violence" in result.concerns or "domestic_violence" in context.concerns + context.previous_concerns
    if topic and sig.THIRD_PARTY not in result.signals and lexicon.abuser_arrives(text):
        result.add_concern("domestic_violence")
        result.signal(sig.DANGER_NOW)
        result.raise_to(EMERGENCY, "加害者が帰ってきた・近くにいる")


def apply_means(result: Triage, text: Analysis, context: Context) -> None:
    """Means named now or in recent turns, with intent or "now": an emergency (issue #6's multi-turn frame)."""
    if sig.THIRD_PARTY in result.signals:
        return
    at_hand = lexicon.means_at_hand(text)
    if at_hand:
        result.signal(sig.MEANS_NAMED)
    suicide_topic = "suicide_risk" in result.concerns or "suicide_risk" in context.concerns
    earlier = sig.MEANS_NAMED in context.recent_signals
    if at_hand and suicide_topic:
        result.raise_to(EMERGENCY, "自殺の手段が手元にある")
    elif earlier and lexicon.intends_now(text):
        result.add_concern("suicide_risk")
        result.signal(sig.MEANS_NAMED)
        result.raise_to(EMERGENCY, "前に挙げた手段で、実行の意図・時期の言及")


def apply_time_chosen(result: Triage, text: Analysis, hits: Sequence[lexicon.Hit]) -> None:
    """A wish to die with the day or the hour chosen is a plan: an emergency (guide §2, plan or time)."""
    wish = any(h.counts and not h.person and h.signal.concern == "suicide_risk" for h in hits)
    if wish and sig.THIRD_PARTY not in result.signals and words.TIME_CHOSEN.search(text.norm):
        result.signal(sig.SUICIDE_PLAN)
        result.signal(sig.TIME_CHOSEN)  # a chosen 「7時に」 is not the history anchor 「時に」 (apply_history)
        result.raise_to(EMERGENCY, "死ぬ日・時間を決めている")


def apply_place(result: Triage, text: Analysis, context: Context) -> None:
    """A riverbank, a roof, a platform and a wish to die, in this message or the last few: an emergency.

    「いま川辺にいる」 then 「もう死にたい」 is the same night as both in one message (guide §2).
    """
    here = any(not h.negated for h in frames.find(text, "place_now"))
    if here:
        result.signal(sig.PLACE_NAMED)
    if sig.THIRD_PARTY in result.signals:
        return
    suicide_now = "suicide_risk" in result.concerns
    place_earlier = sig.PLACE_NAMED in context.recent_signals
    if (here and (suicide_now or "suicide_risk" in context.concerns)) or (suicide_now and place_earlier):
        result.signal(sig.DANGEROUS_PLACE)
        result.raise_to(EMERGENCY, "死を考えながら危険な場所にいる")


def apply_bleeding(result: Triage, text: Analysis, hits: Sequence[lexicon.Hit]) -> None:
    """Bleeding that won't stop in a pregnancy or a period is her body in danger, not self-harm: 119, not the
    suicide script (「妊娠してて出血が止まらない」)."""
    if sig.BODY_EMERGENCY not in result.signals or "suicide_risk" not in result.concerns:
        return
    norm = text.norm
    if not any(w in norm for w in words.BODY_BLEEDING) or any(w in norm for w in words.SELF_HARM):
        return
    if any(h.counts and h.signal.concern == "suicide_risk" and h.signal.name != "self_harm_bleeding" for h in hits):
        return
    result.concerns.remove("suicide_risk")
    result.factors.append("自傷ではない出血（妊娠・生理など）")


_NOW_SIGNALS = frozenset({
    sig.DANGER_NOW, sig.FOLLOWED, sig.BODY_EMERGENCY, sig.DANGEROUS_PLACE, sig.RESCUE_CALL, sig.ASSAULT_RECENT,
    sig.THIRD_PARTY, sig.EC_WINDOW, sig.NO_PLACE_TONIGHT, sig.DRUGGED, sig.TIME_CHOSEN,
})
_HISTORY_CONCERNS = frozenset({"suicide_risk", "domestic_violence", "mental_distress", "money", "pregnancy", "host_club"})


def apply_history(result: Triage, text: Analysis) -> None:
    """A risk told as history with nothing said of now (「学生のころDVを受けていました」) is medium (guide §2).

    Never for sexual violence (past assault stays high), a minor or the street; an emergency told as history
    becomes high, never lower.
    """
    if result.urgency not in (HIGH, EMERGENCY) or not set(result.concerns) <= _HISTORY_CONCERNS:
        return
    norm = text.norm
    now = set(result.signals) & _NOW_SIGNALS
    over_for_them = now == {sig.THIRD_PARTY} and result.urgency == HIGH and words.NOW_SAFE.search(norm)  # a friend's past
    if (now and not over_for_them) or result.hours_since_event is not None:
        return
    past = words.PAST_ANCHORS.search(norm) and (words.NOW_SAFE.search(norm) or not words.PRESENT_MARKERS.search(norm))
    over = (words.PAST_EXPERIENCE.search(norm) or words.PAST_ANCHORS_WEAK.search(norm)) and words.NOW_SAFE.search(norm)
    if past or over:
        # an emergency told as history still reaches a person (high): a wrong "past" must not hide one
        result.urgency = HIGH if result.urgency == EMERGENCY else MEDIUM
        result.signal(sig.NEGATED)
        result.factors.append("過去の出来事として記載（今の危険は要確認）")
