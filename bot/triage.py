"""Triage of one user message, given the conversation so far (SPEC §2).

Pure functions only: the action server and ``bot.evaluate`` call the same
:func:`triage` so what is measured is what runs. The classifier's intent
ranking sets a base; the lexicon (:mod:`bot.lexicon`) can only raise it; the
conversation context (an age given earlier, the time of a condom failure
answered in the pregnancy form) adds what one message alone cannot say.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Dict, Optional, Sequence, Tuple

from bot import extract, guesses, lexicon, risk, risk_frames
from bot import signals as sig
from bot import triage_words as words
from bot.analysis import Analysis, coerce
from bot.levels import EMERGENCY, HIGH, LOW, MEDIUM, higher, rank
from bot.limits import ASSAULT_EMERGENCY_HOURS, ASSAULT_RECENT_HOURS, EC_IUD_HOURS, EC_PILL_HOURS
from bot.safety_answers import apply_answer
from bot.textnorm import normalize
from bot.triage_result import Context, Triage  # noqa: F401  (re-exported: callers import them from here)

CONCERNS: Tuple[str, ...] = (
    "pregnancy", "domestic_violence", "sexual_violence", "host_club", "toyoko",
    "no_place_to_stay", "suicide_risk", "mental_distress", "money", "minor",
)

# intent → (concern, base urgency when the classifier is confident)
INTENT_BASE: Dict[str, Tuple[Optional[str], str]] = {
    "pregnancy_worry": ("pregnancy", MEDIUM),
    "domestic_violence": ("domestic_violence", HIGH),
    "sexual_violence": ("sexual_violence", HIGH),
    "host_club_trouble": ("host_club", MEDIUM),
    "toyoko_youth": ("toyoko", MEDIUM),
    "no_place_to_stay": ("no_place_to_stay", HIGH),
    "suicidal_ideation": ("suicide_risk", HIGH),
    "mental_distress": ("mental_distress", MEDIUM),
    "money_trouble": ("money", MEDIUM),
}

INTENT_THRESHOLD = 0.35
SECOND_INTENT_THRESHOLD = 0.25
SUICIDE_SECOND_THRESHOLD = 0.35
ADULT_AGE = 18


def top_intent(ranking: Sequence[dict]) -> Tuple[str, float]:
    """Best real intent from a Rasa ranking, skipping ``nlu_fallback``."""
    for item in ranking:
        if item.get("name") and item["name"] != "nlu_fallback":
            return item["name"], float(item.get("confidence") or 0.0)
    return "out_of_scope", 0.0


# While a form asks questions, short answers (「先月の10日」) can look like any
# intent; only these intents still count from the classifier then.
_CRISIS_INTENTS = frozenset({"suicidal_ideation", "domestic_violence", "sexual_violence", "no_place_to_stay", "toyoko_youth"})


def _apply_intents(
    result: Triage, ranking: Sequence[dict], context: Context, text: Analysis, hits: Sequence[lexicon.Hit],
) -> None:
    real = [r for r in ranking if r.get("name") not in (None, "nlu_fallback")]
    if context.active_topic:
        result.add_concern(context.active_topic)
    figurative = lexicon.figurative_death(text)
    if figurative:
        result.signal(sig.FIGURATIVE)
    # 「飛び降りるシーンで泣いた」, a depiction and nothing else; a second sentence may be her own wish
    figurative = figurative or (any(hit.figurative for hit in hits) and _sentences(text.text) <= 1)
    for position, item in enumerate(real[:3]):
        name, confidence = item["name"], float(item.get("confidence") or 0.0)
        if name not in INTENT_BASE or (context.active_topic and name not in _CRISIS_INTENTS):
            continue
        concern, base = INTENT_BASE[name]
        if context.active_topic and not _corroborated(concern, hits):
            continue  # a form answer (「16歳」「昨日の夜」) is a crisis only when its words say so
        if position == 0 and confidence >= INTENT_THRESHOLD:
            result.add_concern(concern)
            if base == HIGH and not _corroborated(concern, hits):  # a guess: the risk score decides
                base = MEDIUM
                result.signal(sig.INTENT_ONLY)
            result.raise_to(base, _INTENT_FACTORS[name] if base in (HIGH, EMERGENCY) else None)
        elif position > 0:
            _second_guess(result, name, confidence, figurative)


def _second_guess(result: Triage, name: str, confidence: float, figurative: bool) -> None:
    """A topic the classifier ranks second or third: a concern; a wish to die close behind is high."""
    concern = INTENT_BASE[name][0]
    if name == "suicidal_ideation" and figurative:
        return  # a death depicted or said in jest: the classifier's second guess is not her wish
    if name == "suicidal_ideation" and confidence >= SUICIDE_SECOND_THRESHOLD:
        result.add_concern(concern)
        result.raise_to(HIGH, _INTENT_FACTORS[name])
    elif confidence >= SECOND_INTENT_THRESHOLD:
        result.add_concern(concern)


_SENTENCES = re.compile(r"[^。．.!！?？\n]+")


def _sentences(raw: str) -> int:
    """Sentences in what she typed (the normalised text has no line breaks left to split on)."""
    return sum(1 for part in _SENTENCES.findall(raw) if part.strip())


def _corroborated(concern: Optional[str], hits: Sequence[lexicon.Hit]) -> bool:
    """The classifier's high-risk reading counts at once only when the words back it (issue #6).

    On real messages the classifier is confidently wrong (「眠りたい以外の感情を失いました」 read as DV at
    0.92); without a word of that topic in the lexicon its reading goes to the risk score instead.
    """
    return any(hit.signal.concern == concern or (concern == "suicide_risk" and hit.signal.concern is None)
               for hit in hits if not hit.figurative)


_INTENT_FACTORS = {
    "domestic_violence": "DV・虐待の訴え",
    "sexual_violence": "性被害の訴え",
    "no_place_to_stay": "今夜泊まる場所がない",
    "suicidal_ideation": "希死念慮の表現",
}


def _apply_lexicon(result: Triage, hits: Sequence[lexicon.Hit], norm: str) -> str:
    """Concerns, level and codes from the risk lexicon; returns the level it sets on its own."""
    floor = LOW
    plea = lexicon.opening_plea(hits, norm, "pregnancy" in result.concerns)
    for hit in hits:
        signal = hit.signal
        if hit is plea:
            continue
        if hit.counts and hit.person:  # the parse says it is someone else's (「友達が薬全部飲んだ」)
            result.signal(sig.THIRD_PARTY)
            result.raise_to(LOW, f"本人以外（{hit.person}）の危険")
        if hit.figurative:
            result.signal(sig.FIGURATIVE)
        elif hit.negated:
            result.signal(sig.NEGATED)
            result.add_concern("mental_distress")
            result.raise_to(MEDIUM, "希死念慮は否定・過去形（要確認）")
        else:
            result.add_concern(signal.concern)
            result.raise_to(signal.urgency, signal.factor)
            if signal.code:
                result.signal(signal.code)
            floor = higher(floor, signal.urgency)
    return floor


def _apply_age(result: Triage, text: Analysis, context: Context) -> None:
    age = extract.parse_age(text)
    if age is not None:
        result.age = age
    known = age if age is not None else context.age
    if known is None and _contains(text.norm, words.MINOR_ONLY_WORDS):
        result.add_concern("minor")
        result.factors.append("補導・児相の話題（未成年の可能性）")
    if known is not None and known < ADULT_AGE:
        result.add_concern("minor")
        label = f"{int(known)}歳と記載" if age is not None else f"{int(known)}歳（以前の発言）"
        if label not in result.factors:
            result.factors.append(label)


def _contains(norm: str, words: Sequence[str]) -> bool:
    return any(w in norm for w in _folded(tuple(words)))


@cache
def _folded(words: Tuple[str, ...]) -> Tuple[str, ...]:
    """Each word list normalised once, not once per message."""
    return tuple(normalize(w) for w in words)


def _apply_pregnancy(result: Triage, norm: str, hours: Optional[float], context: Context) -> None:
    if "pregnancy" not in result.concerns or _just_asking(norm):
        return
    again = _contains(norm, words.VOMITED) or _contains(norm, words.EC_AGAIN)
    taken = (words.EC_TAKEN.search(norm) or sig.EC_TAKEN in context.recent_signals) and not again
    if taken:
        result.signal(sig.EC_TAKEN)
    event_hours = hours if hours is not None and _contains(norm, words.SEX_EVENT) and not taken else context.pregnancy_hours
    if event_hours is not None:
        result.hours_since_event = event_hours
        if taken:
            return  # 「昨日アフターピル飲んで」: the time is the pill's, or the window is already used
        if event_hours <= EC_PILL_HOURS:
            result.raise_to(HIGH, f"{EC_PILL_HOURS:.0f}時間以内の避妊失敗・性交")
        elif event_hours <= EC_IUD_HOURS:
            result.raise_to(HIGH, f"{EC_PILL_HOURS:.0f}〜{EC_IUD_HOURS:.0f}時間以内の避妊失敗・性交")
        if event_hours <= EC_IUD_HOURS:
            result.signal(sig.EC_WINDOW)
    elif _contains(norm, words.EC_QUESTION) and _contains(norm, words.SEX_EVENT + words.NEEDS_IT) and not taken:
        result.raise_to(HIGH, "緊急避妊について相談（時期の確認が必要）")


def _just_asking(norm: str) -> bool:
    """「今必要なわけじゃないけど」 with no sex said: a question for later, not a need now (「今」 is no time here)."""
    return _contains(norm, words.JUST_ASKING) and not _contains(norm, words.SEX_HAPPENED)


def _apply_information_question(result: Triage, text: Analysis, norm: str) -> None:
    """A general question about the rules or where to ask (SPEC: information questions are low)."""
    if result.urgency != MEDIUM or sig.NEGATED in result.signals:
        return
    asks = text.text.rstrip().endswith(words.QUESTION_ENDINGS) and _contains(norm, words.GENERAL_QUESTION)
    asks = asks or _just_asking(norm)  # 「今必要なわけじゃないけど、いざって時のために」
    if asks and not _contains(norm, words.PERSONAL):
        result.urgency = LOW
        result.factors.append("一般的な情報の質問")


def _apply_housing(result: Triage, norm: str, hits: Sequence[lexicon.Hit]) -> None:
    """Housing trouble with a later date and no sign of tonight stays medium.

    「昨日から出張でカプセルホテルに泊まっています」: a classifier's guess of housing trouble is not raised by 「昨日」.
    """
    if "no_place_to_stay" not in result.concerns:
        return
    if _contains(norm, words.TONIGHT) and _corroborated("no_place_to_stay", hits):
        result.raise_to(HIGH, "今夜泊まる場所がない")
        result.signal(sig.NO_PLACE_TONIGHT)
    elif result.concerns == ["no_place_to_stay"] and result.urgency in (HIGH, MEDIUM) and _contains(norm, words.LATER):
        result.urgency = MEDIUM
        result.factors = [f for f in result.factors if f != "今夜泊まる場所がない"] + ["住まいを失う見込み（今夜の寝場所はある）"]
        result.signals = [s for s in result.signals if s != sig.NO_PLACE_TONIGHT]
        result.signal(sig.SAFE_NOW)


def _apply_assault(result: Triage, hours: Optional[float]) -> None:
    """An assault within hours is an emergency; within 120 h a one-stop centre can still help (EC, STI, evidence)."""
    if "sexual_violence" not in result.concerns or hours is None or hours > ASSAULT_RECENT_HOURS:
        return
    result.hours_since_event = hours
    result.signal(sig.ASSAULT_RECENT)
    if hours <= ASSAULT_EMERGENCY_HOURS:
        result.raise_to(EMERGENCY, f"性被害から{ASSAULT_EMERGENCY_HOURS:.0f}時間以内")
    else:
        result.raise_to(HIGH, f"性被害から{ASSAULT_RECENT_HOURS:.0f}時間以内（緊急避妊・証拠採取が間に合う）")


def _apply_combinations(result: Triage, norm: str, hits: Sequence[lexicon.Hit]) -> None:
    concerns = set(result.concerns)
    street = {c for c in concerns & {"toyoko", "no_place_to_stay"} if _corroborated(c, hits)}  # not 「高校生です」 alone
    if "minor" in concerns and (street or _contains(norm, words.RUNAWAY)):
        result.raise_to(HIGH, "未成年が路上・家出の状態")
    luring = sig.LURING in result.signals
    if luring and "minor" in concerns:
        now = _contains(norm, words.NOW_WORDS)
        result.raise_to(EMERGENCY if now else HIGH, "未成年が大人に連れ出されそう")
    elif luring and (result.age is None or result.age < ADULT_AGE):
        result.raise_to(HIGH, "年齢不明の相談者への大人からの誘い")
    if "host_club" in concerns and "sexual_violence" in concerns:
        result.raise_to(HIGH, "性的搾取の可能性")
    if "host_club" in concerns and _contains(norm, words.MADE_TO_EARN):  # 「売掛が増えると…働かされる」
        result.signal(sig.COERCION)
        result.raise_to(HIGH, "売掛のために働かされている")


def _apply_third_party(result: Triage, text: Analysis) -> None:
    """Someone else in danger (a friend's overdose, a child not breathing): still her concern, flagged as theirs."""
    other = extract.other_in_danger(text)
    if other is None:
        return
    result.signal(sig.THIRD_PARTY)
    result.raise_to(other.level, f"本人以外（{other.person}）の危険")


def _ec_used(result: Triage) -> bool:
    """The pill taken and nothing else said: the classifier's reading of 「アフターピル」 must not raise it."""
    return sig.EC_TAKEN in result.signals and set(result.concerns) <= {"pregnancy", "minor"}


NO_CONTEXT = Context()


def triage(
    message: str | Analysis, ranking: Sequence[dict], context: Context = NO_CONTEXT, score_risk: bool = True,
) -> Triage:
    """Triage one message: urgency, concerns, handoff and factors (SPEC §2).

    ``message`` is the analysis made at the door (:mod:`bot.analysis`); text is analysed here.
    ``score_risk=False`` gives the rules alone (bot/risk.py uses it for the classifier-free floor).
    """
    text = coerce(message)
    intent, confidence = top_intent(ranking)
    result = Triage(intent=intent, confidence=confidence)
    norm = text.norm
    hours = extract.parse_hours_ago(text)
    hits = lexicon.find_signals(text)  # once per call: the intents' corroboration and the floor read the same hits
    _apply_intents(result, ranking, context, text, hits)
    floor = _apply_lexicon(result, hits, norm)
    _apply_age(result, text, context)
    _apply_housing(result, norm, hits)
    _apply_pregnancy(result, norm, hours, context)
    _apply_assault(result, hours)
    _apply_combinations(result, norm, hits)
    _apply_third_party(result, text)
    risk_frames.apply_bleeding(result, text, hits)
    risk_frames.apply_means(result, text, context)
    risk_frames.apply_abuser_near(result, text, context)
    risk_frames.apply_place(result, text, context)
    risk_frames.apply_time_chosen(result, text, hits)
    risk_frames.apply_history(result, text)
    _apply_information_question(result, text, norm)
    apply_answer(result, text.text, norm, context)
    if rank(floor) >= rank(HIGH) and rank(result.urgency) >= rank(floor):
        result.signal(sig.LEXICON_FLOOR)
    if score_risk:  # risk-score (issue #6 item 4): urgency follows the score above the classifier-free floor
        floor_level = triage(text, (), context, score_risk=False).urgency
        result.risk = round(risk.score(ranking, result, context, floor_level), 4)
        settled = sig.SAFE_NOW in result.signals or sig.NEGATED in result.signals or _ec_used(result)
        result.urgency = risk.decide(result.urgency, floor_level, result.risk, risk.load_model().threshold, settled)
    guesses.drop_unbacked(result, hits, context.active_topic)
    wants_human = (intent == "request_human" and confidence >= INTENT_THRESHOLD) or lexicon.asks_for_human(text)
    if wants_human:
        result.factors.append("相談員との会話を希望")
        result.signal(sig.WANTS_HUMAN)
    result.handoff = result.urgency in (HIGH, EMERGENCY) or wants_human
    result.max_urgency = higher(result.urgency, context.max_urgency)
    result.concerns.sort(key=CONCERNS.index)
    if "minor" in result.concerns:
        result.signal(sig.MINOR)
    return result
