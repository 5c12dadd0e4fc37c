"""The risk lexicon: a safety net under the classifier.

A classifier can miss 「ﾀﾋにたい」 or 「ブロン50錠いった」; these word lists cannot
be argued out of them. Patterns are written as plain phrases ("*" = a short
gap) and normalised with :func:`bot.textnorm.normalize`, so one entry covers
katakana, half-width and stretched spellings. A hit may be cancelled by a
negation right after it (「死にたいとは思ってない」) or by a figurative frame
(「死ぬほど眠い」).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import Iterable, List, Optional, Sequence, Tuple

from bot import depiction, frames
from bot.analysis import Analysis, surface
from bot.levels import EMERGENCY, HIGH, LOW, MEDIUM  # noqa: F401  (re-exported for old imports)
from bot.lexicon_table import SIGNALS, SUICIDE, Hit, Signal  # noqa: F401  (the entries; re-exported)
from bot.textnorm import normalize

_GAP = ".{0,12}?"
_SENTENCE_END = re.compile(r"[。!?！？\n]|けど|でも|が、")



_NOUN_NO = re.compile("(?:^|(?<=[がはもころ所場]))ない$")  # 「場所がない」, not 「行かない」
_POLITE_NO = "(?:ない|ありません|ありませ|ございません)"


def _phrase_part(part: str) -> str:
    """One piece of a phrase; 「…がない」 also takes the polite 「…がありません」 (issue #6: polite register)."""
    folded = normalize(part)
    match = _NOUN_NO.search(folded)
    return re.escape(folded[:match.start()]) + _POLITE_NO if match else re.escape(folded)


def _phrase_regex(phrase: str) -> str:
    return _GAP.join(_phrase_part(part) for part in phrase.split("*"))


@cache
def _compiled_katakana(signal: Signal) -> Optional[re.Pattern]:
    """Patterns whose folded form would collide with ordinary kana, read on the width-folded text (long marks kept)."""
    return re.compile("|".join(f"(?:{p})" for p in signal.katakana)) if signal.katakana else None


@cache
def _compiled(signal: Signal) -> Optional[re.Pattern]:
    """The signal's phrases and regexes as one pattern; None for a signal of lemma frames only (an empty
    alternation would match everywhere)."""
    alternatives = [_phrase_regex(p) for p in signal.phrases] + list(signal.regexes)
    return re.compile("|".join(f"(?:{a})" for a in alternatives)) if alternatives else None


_NEGATIONS = re.compile(
    "|".join(
        _phrase_regex(p)
        for p in (
            "とは思ってない", "とは思ってません", "とは思わない", "とは思わなく", "って思わなくな",
            "と思わなくな", "と思うことはなくな", "とは思っていない", "わけじゃない", "わけではない",
            "訳じゃない", "わけじゃなく", "気持ちはもうない", "気持ちはなくな", "のはもうやめた",
            "はもうしてない", "はもうやめ", "のはやめた", "とかは思ってない", "なんて思ってない", "とかじゃな",
            "とかではな", "わけでもな", "とか思ってな", "とか思わな", "とか思ってません", "とかは思わな", "か思ってな",
            "か思わな",
            "って思ってない", "はしてない", "はしてません", "たことはない", "たことない",
        )
    )
)
_PAST_THEN_NOW = re.compile(
    "|".join(_phrase_regex(p) for p in ("前は", "昔は", "以前は", "去年は", "前まで", "一時期", "頃は", "ころは", "時期は"))
)
_NOW_OK = re.compile(
    "今は(?:もう)?(?:大丈夫|してない|やめ|思ってない|平気|落ち着|そこまで)|もう.{0,6}(?:やってない|してない|やめ)|やめた"
    "|やめて.{0,4}たつ"
)
_FIGURATIVE = re.compile(
    "ほど|すぎ|過ぎ|尊|笑|草|w$|ww|眠|ねむ|暇|ひま|腹|おなか|お腹|暑|寒|疲れ|てすと|テスト|推し|おし|かわい|可愛|面白|おもしろ|まじ|ばいと"
)
_MEDIA = re.compile("どらま|ドラマ|漫画(?!喫茶)|まんが(?!喫茶|きっさ)|あにめ|アニメ|映画|にゅうす|にゅす|ニュース|小説|げむ|ゲーム|って何|ってなに|とは[?？]")


REQUEST_HUMAN = re.compile(
    _phrase_regex("人と話") + "|" + _phrase_regex("人間と") + "|" + _phrase_regex("人間に") + "|"
    + _phrase_regex("相談員") + "|" + _phrase_regex("ボットじゃなく") + "|" + _phrase_regex("botじゃなく")
    + "|" + _phrase_regex("AIじゃなく") + "|" + _phrase_regex("カウンセラー")
)


def _sentence_after(norm: str, end: int) -> str:
    rest = norm[end:end + 24]
    stop = _SENTENCE_END.search(rest)
    return rest[: stop.start()] if stop else rest


def _sentence_around(norm: str, start: int, end: int) -> str:
    before = norm[max(0, start - 16):start]
    cut = max(before.rfind(ch) for ch in "。!?！？\n")
    return before[cut + 1:] + norm[start:end] + _sentence_after(norm, end)


def _is_negated(norm: str, match: re.Match) -> bool:
    after = _sentence_after(norm, match.end())
    if _NEGATIONS.match(after) or _NEGATIONS.search(after[:14]):
        return True
    before = norm[max(0, match.start() - 12):match.start()]
    return bool(_PAST_THEN_NOW.search(before) and _NOW_OK.search(norm[match.end():]))


def _is_figurative(norm: str, match: re.Match) -> bool:
    return bool(_FIGURATIVE.search(_sentence_around(norm, match.start(), match.end())))


def _analysis(message: str | Analysis) -> Analysis:
    """The handoff service passes text (no parse there); triage passes the analysis made at the door."""
    return message if isinstance(message, Analysis) else surface(message)


def find_signals(message: str | Analysis, signals: Iterable[Signal] = SIGNALS) -> List[Hit]:
    """Every signal present in the message, at most one hit per signal.

    A signal counts once when any of its phrases or lemma frames is found un-negated; otherwise a negated
    find is reported so the caller can note it. Phrases read the surface (hidden spellings such as ﾀﾋ, and
    romaji: 「shinitai」 is read as the kana it spells); frames read the parse (:mod:`bot.frames`).
    """
    analysis = _analysis(message)
    norm = analysis.kana
    media = bool(_MEDIA.search(norm))
    hits: List[Hit] = []
    for signal in signals:
        if media and signal.media_guard:
            continue
        found = _first_hit(norm, _compiled(signal), signal) or _first_hit(
            analysis.folded, _compiled_katakana(signal), signal)  # katakana offsets are in the folded text
        frame_hits = list(frames.find(analysis, signal.name))
        hit = _decide(signal, found, frame_hits)
        if hit is not None and hit.counts and depiction.depicted(analysis, norm, found, spans(norm, signal), frame_hits):
            hit = replace(hit, figurative=True)
        if hit is not None:
            hits.append(hit)
    return hits


def _victim(signal: Signal, hit: frames.FrameHit) -> Optional[str]:
    """Whose danger a frame shows: the subject of 「飲んだ」「倒れてる」, but of 「殴る」 only when passive."""
    if hit.person is None:
        return None
    return hit.person if signal.concern in (SUICIDE, None) or hit.passive else None


def _decide(signal: Signal, found: Optional[Hit], frame_hits: List[frames.FrameHit]) -> Optional[Hit]:
    """Phrases and frames together: the parse decides negation when it saw the predicate.

    A frame un-negated finds the risk even where the phrase rules read a denial (「死にたいって思わない日は
    ない」); frames that all read a denial turn a phrase hit into a denied one (「死にたいなんて一度も思った
    ことない」). A frame whose subject is someone else marks the hit as theirs.
    """
    present = [h for h in frame_hits if not h.negated]
    if present:
        person = next((p for p in (_victim(signal, h) for h in present) if p), None)
        if found is not None and found.counts:
            return replace(found, person=person)
        return Hit(signal, person=person)
    if frame_hits and signal.negatable and (found is None or found.counts):
        return replace(found, negated=True) if found else Hit(signal, negated=True)
    return found


def _first_hit(norm: str, pattern: Optional[re.Pattern], signal: Signal) -> Optional[Hit]:
    """The first present, literal match of ``pattern``; else a negated one; else a figurative one."""
    fallback: Optional[Hit] = None
    for match in pattern.finditer(norm) if pattern else ():
        where = {"start": match.start(), "end": match.end()}
        if signal.figurative_guard and _is_figurative(norm, match):
            fallback = fallback or Hit(signal, figurative=True, **where)
            continue
        if signal.negatable and _is_negated(norm, match):
            if fallback is None or fallback.figurative:
                fallback = Hit(signal, negated=True, **where)
            continue
        return Hit(signal, **where)
    return fallback


def spans(norm: str, signal: Signal) -> List[Tuple[int, int]]:
    """Every match of ``signal`` in normalised text, for reading who a risk belongs to."""
    pattern = _compiled(signal)
    return [(m.start(), m.end()) for m in pattern.finditer(norm)] if pattern else []


PLEA_OPENING = 6  # 「初めまして！助けてください」: where a plea that opens a question sits
# With these, 「助けて」 before a pregnancy question is more than a plea: pain, bleeding, a secret she cannot tell.
PLEA_NOT_ENOUGH = ("痛", "出血", "血が", "言えない", "言えてない", "いえない")


def opening_plea(hits: Sequence[Hit], norm: str, pregnancy_topic: bool = False) -> Optional[Hit]:
    """The 「助けてください」 that opens a pregnancy question: a plea for an answer, not a cry of danger (guide §2).

    Real questions start 「助けて下さい。彼女が妊娠してしまいました」; the pregnancy rules decide how urgent they are.
    Not with another risk, nor with pain, bleeding or a secret she cannot tell.
    """
    counting = [hit for hit in hits if hit.counts]
    topic = pregnancy_topic or any(hit.signal.concern == "pregnancy" for hit in counting)
    if not topic or any(hit.signal.concern not in ("pregnancy", "mental_distress") for hit in counting):
        return None
    if any(word in norm for word in PLEA_NOT_ENOUGH):
        return None
    return next((hit for hit in hits if hit.signal.name == "cry_for_help" and hit.start <= PLEA_OPENING), None)


def asks_for_human(message: str | Analysis) -> bool:
    """True when the message asks for a person rather than the bot."""
    return bool(REQUEST_HUMAN.search(_analysis(message).norm))


_FIGURATIVE_DEATH = re.compile(
    "(?:すぎ|過ぎ|ほど)て?.{0,3}(?:死|氏|しぬ|しね|たひ)|(?:死|氏)(?:ぬ|んだ|ねる)(?:笑|w|草)|尊.{0,4}(?:死|しぬ)"
    "|(?:死|氏|し)ぬほど.{0,3}(?:眠|ねむ|暑|あつ|寒|さむ|忙|いそが|疲|好き|すき|かわい|可愛|面白|おもしろ|笑|腹|お腹|おなか|暇|ひま|美味|おいし|うま|楽し|たのし)"
)


def figurative_death(message: str | Analysis) -> bool:
    """「最高すぎて死ねる」「眠すぎて氏ぬ」: death as a figure of speech."""
    return bool(_FIGURATIVE_DEATH.search(_analysis(message).norm))


# Matched on width-folded text with katakana kept: 「カッター」 folded to hiragana would be 「かった」 (past tense).
_MEANS_WORDS = "(?:睡眠薬|眠剤|市販薬|ブロン|ぶろん|薬(?!局|剤師|物)|くすり|クスリ|💊|錠|カッター|刃物|包丁|ナイフ|カミソリ|かみそり|剃刀|ロープ|紐|ひも|練炭)"
_MEANS_AT_HAND = re.compile(
    _MEANS_WORDS + r"[^。!?\n]{0,8}?(?:ある|あります|持って|もって|手元|ためて|ためた|貯め|集め|用意|買った|買ってきた|握って|机に|そばに|ここに)"
)
_NOT_AT_HAND = re.compile("^[ぁ-ん]{0,2}?(?:ない|ません|なかった)")


def means_at_hand(message: str | Analysis) -> bool:
    """A means of self-harm said to be at hand (「カッター持ってる」「睡眠薬ためてある」), not denied."""
    folded = _analysis(message).folded
    return any(not _NOT_AT_HAND.match(folded[m.end():]) for m in _MEANS_AT_HAND.finditer(folded))


_NOW_OR_INTENT = re.compile(
    "今夜|今晩|こんや|今日|きょう|今から|いまから|これから|今すぐ|いますぐ|もうすぐ|明日|あした|全部|ぜんぶ|まとめて|一気"
    "|飲む|のむ|飲も|のも|飲んじゃ|のんじゃ|やる(?!気)|やろ|使う|つかう|決めた|実行|終わらせ|終わりにする"
)
_NOT_NOW = re.compile("(?:飲ま|のま|やら|使わ|つかわ|し)(?:ない|ません)|やめ|ないよ|ないから|ないで")


def _said_not_denied(message: str | Analysis, said: re.Pattern, denied: re.Pattern) -> bool:
    norm = _analysis(message).norm
    return bool(said.search(norm)) and not denied.search(norm)


def intends_now(message: str | Analysis) -> bool:
    """「今夜ぜんぶ飲む」「いまから」: intent or a time, said after a means was named."""
    return _said_not_denied(message, _NOW_OR_INTENT, _NOT_NOW)


_ARRIVES = re.compile(
    "帰ってきた(?!ら)|帰ってきそう|帰宅した|戻ってきた(?!ら)|(?<!出)来た(?!ら)|来ちゃった|来てる|起きた(?!ら)|起きちゃった"
    "|目を覚ました|近くにいる|そこにいる|隣にいる"
)
_NOT_ARRIVED = re.compile("帰ってこない|来ない|こない|いない|起きてない|寝てる")


def abuser_arrives(message: str | Analysis) -> bool:
    """「帰ってきた」「起きた」: said in a conversation about violence, the person is near her now."""
    return _said_not_denied(message, _ARRIVES, _NOT_ARRIVED)
