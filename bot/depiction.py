"""A danger described as a dream or a scene, not as her life: 「首絞められる夢みた」「飛び降りるシーンで泣いた」.

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


def _modifies_scene(analysis: Analysis, index: int) -> bool:
    tokens = analysis.tokens
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
    """Whether every find of a signal describes a dream or a scene (then it is no risk of hers)."""
    present = [hit for hit in frame_hits if not hit.negated]
    if found is None and not present:
        return False
    phrase_scene = found is None or not found.counts or _scene_after(analysis, norm[found.end:])
    return phrase_scene and all(_modifies_scene(analysis, hit.predicate) for hit in present)
