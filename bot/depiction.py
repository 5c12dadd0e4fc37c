"""A danger described as a dream, a scene or a figure of speech, not as her life.

「首絞められる夢みた」「飛び降りるシーンで泣いた」「明日テストなのに死ぬほどねむい」「今日暑すぎて死ぬかと思った」.

The media guard (:mod:`bot.lexicon`) mutes most signals when a drama or the news is
named anywhere, but not the emergencies, because 「ドラマの主人公みたいに飛び降りたい」 is a
wish of her own. What separates the two is what the danger word modifies: a dream or a
scene (the parse's ``acl``/``advcl`` head, or the kana right after a phrase), not her.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from bot.analysis import Analysis
from bot.frames import FrameHit
from bot.lexicon_records import Hit

SCENE_NOUNS = frozenset({"夢", "夢見る", "悪夢", "しん", "場面", "ゆめ"})  # しん: シーン as the kana form reads it
# after a phrase (which may end mid-word: 「屋上から飛」): the rest of the verb (kana, or the 降 of 飛び降りる), then the dream or scene
_SCENE_AFTER = re.compile(r"^[ぁ-ゖ降込下]{0,7}?(?:悪夢|夢|ゆめ|場面|(?P<scene>しん))(?!みたい|じゃな)")


_IDIOM_AFTER = re.compile(r"^(?:ほど|程|くらい|ぐらい|かと(?:思|おも)っ)")  # after 死ぬ: 「死ぬほど」「死ぬかと思った」; not 死ぬ気で (「今日死ぬ気でいる」)
_IDIOM_TOKENS = frozenset({"ほど", "程", "くらい", "ぐらい"})


def _idiom(analysis: Analysis, index: int) -> bool:
    """「死ぬほど」「死ぬかと思った」: 死ぬ as a measure of how much, not a death."""
    tokens = analysis.tokens
    if tokens[index].norm != "死ぬ" or index + 1 >= len(tokens):
        return False
    after = tokens[index + 1].norm
    said = [t.norm for t in tokens[index + 1:index + 5]]
    return after in _IDIOM_TOKENS or said == ["か", "と", "思う", "た"]


def _modifies_scene(analysis: Analysis, index: int) -> bool:
    tokens = analysis.tokens
    if _idiom(analysis, index):
        return True
    token = tokens[index]
    if token.dep not in ("acl", "advcl") or not 0 <= token.head < len(tokens) or token.head == index:
        return False
    scene = token.head
    likeness = any(t.head == scene and t.norm == "みたい" for t in tokens)  # 「殴られた夢みたいな夜」: it happened
    return tokens[scene].norm in SCENE_NOUNS and not likeness


def _scene_after(analysis: Analysis, rest: str) -> bool:
    """「…飛び降りるシーン」; the kana form reads シーン as しん, so it counts only when シーン is written."""
    match = _SCENE_AFTER.match(rest)
    return bool(match) and (match.group("scene") is None or "シーン" in analysis.text)


def depicted(analysis: Analysis, norm: str, found: Optional[Hit], frame_hits: Sequence[FrameHit]) -> bool:
    """Whether every find of a signal describes a dream, a scene or an idiom (then it is no risk of hers)."""
    present = [hit for hit in frame_hits if not hit.negated]
    if found is None and not present:
        return False
    rest = norm[found.end:] if found is not None else ""
    idiom = found is not None and norm[found.start:found.end].endswith(("死ぬ", "しぬ")) and bool(_IDIOM_AFTER.match(rest))
    phrase_scene = found is None or not found.counts or idiom or _scene_after(analysis, rest)
    return phrase_scene and all(_modifies_scene(analysis, hit.predicate) for hit in present)
