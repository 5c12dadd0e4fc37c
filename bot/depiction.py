"""A danger described as a dream, a scene or a figure of speech, not as her life.

「首絞められる夢みた」「飛び降りるシーンで泣いた」「明日テストなのに死ぬほどねむい」「今日暑すぎて死ぬかと思った」.

The media guard (:mod:`bot.lexicon`) mutes most signals when a drama or the news is
named anywhere, but not the emergencies, because 「ドラマの主人公みたいに飛び降りたい」 is a
wish of her own. What separates the two is what the danger word modifies: a dream or a
scene (the parse's ``acl``/``advcl`` head, or the words right after a phrase, in one
unbroken run of text), not her. Kept narrow on purpose: a dream told in the sentence
before, a quoted lyric, 「…場面を想像してしまう」 are not guarded (a review found each one
also hid real emergencies, e.g. 「変な夢見た\\nさっき薬全部飲んだ」).
"""

from __future__ import annotations

import re
from typing import Optional, Sequence, Tuple

from bot.analysis import Analysis
from bot.frames import FrameHit
from bot.lexicon_records import Hit
from bot.textnorm import normalize

SCENE_NOUNS = frozenset({"夢", "夢見る", "悪夢", "しん", "ゆめ"})  # しん: シーン as the kana form reads it
# after a phrase (which may end mid-word: 「屋上から飛」): the rest of the verb (kana, or the 降 of 飛び降りる), then the dream or scene
_SCENE_AFTER = re.compile(r"^[ぁ-ゖ降込下]{0,7}?(?:悪夢|夢|ゆめ|(?P<scene>しん))(?!みたい|じゃな)")
_IDIOM_AFTER = re.compile(r"^(?:ほど|程|くらい|ぐらい|かと(?:思|おも)っ)")  # after 死ぬ: 「死ぬほど」「死ぬかと思った」; not 死ぬ気で (「今日死ぬ気でいる」)
_IDIOM_TOKENS = frozenset({"ほど", "程", "くらい", "ぐらい"})
_WISH = re.compile(r"たい$|たく$")  # 「死にたい夢」 is a wish told with a dream, not a dream of it


def _idiom(analysis: Analysis, index: int) -> bool:
    """「死ぬほど」「死ぬかと思った」: 死ぬ as a measure of how much, not a death."""
    tokens = analysis.tokens
    if not 0 <= index < len(tokens) - 1 or tokens[index].norm != "死ぬ":
        return False
    after = tokens[index + 1].norm
    said = [t.norm for t in tokens[index + 1:index + 5]]
    return after in _IDIOM_TOKENS or said == ["か", "と", "思う", "た"]


def _modifies_scene(analysis: Analysis, index: int) -> bool:
    tokens = analysis.tokens
    if not 0 <= index < len(tokens):
        return False
    if _idiom(analysis, index):
        return True
    token = tokens[index]
    if token.dep not in ("acl", "advcl") or not 0 <= token.head < len(tokens) or token.head == index:
        return False
    scene = token.head
    likeness = any(t.head == scene and t.norm == "みたい" for t in tokens)  # 「殴られた夢みたいな夜」: it happened
    between = "".join(t.surface for t in tokens[index:scene])
    return tokens[scene].norm in SCENE_NOUNS and not likeness and not _WISH.search(between) and " " not in between


def _scene_after(analysis: Analysis, words: str, rest: str) -> bool:
    """「…飛び降りるシーン」 written as one run (no space or line break between); not 「死にたい 夢も希望もない」."""
    match = _SCENE_AFTER.match(rest)
    if not match or _WISH.search(words + rest[: match.start(0) + len(match.group(0)) - 1]):
        return False
    if match.group("scene") is not None and "シーン" not in analysis.text:
        return False  # the kana form reads シーン as しん; 「しんで」 may be 死んで
    joined = words + match.group(0)
    return any(joined in normalize(chunk) for chunk in analysis.text.split())


def _span_depicted(analysis: Analysis, norm: str, start: int, end: int) -> bool:
    words, rest = norm[start:end], norm[end:]
    idiom = words.endswith(("死ぬ", "しぬ")) and bool(_IDIOM_AFTER.match(rest))
    return idiom or _scene_after(analysis, words, rest)


def depicted(
    analysis: Analysis, norm: str, found: Optional[Hit], spans: Sequence[Tuple[int, int]], frame_hits: Sequence[FrameHit],
) -> bool:
    """Whether every find of a signal describes a dream, a scene or an idiom (then it is no risk of hers).

    ``spans`` are all the phrase matches in ``norm``: one said plainly beside a depicted one still counts.
    """
    present = [hit for hit in frame_hits if not hit.negated]
    if found is None and not present:
        return False
    if found is not None and found.counts and not spans:
        return False  # found in the folded (katakana) text: no offsets here to read around it
    phrase_scene = found is None or not found.counts or all(_span_depicted(analysis, norm, a, b) for a, b in spans)
    return phrase_scene and all(_modifies_scene(analysis, hit.predicate) for hit in present)
