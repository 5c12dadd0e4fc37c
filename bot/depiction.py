"""A danger described as a dream, a scene, a quoted lyric or a figure of speech, not as her life.

「首絞められる夢みた」「変な夢みた…追いかけられてビルから落ちるやつ」「飛び降りるシーンで泣いた」
「新曲のサビ『消えたい夜に君を呼ぶ』」「明日テストなのに死ぬほどねむい」「今日暑すぎて死ぬかと思った」.

The media guard (:mod:`bot.lexicon`) mutes most signals when a drama or the news is
named anywhere, but not the emergencies, because 「ドラマの主人公みたいに飛び降りたい」 is a
wish of her own. What separates the two is what the danger word modifies: a dream or a
scene (the parse's ``acl``/``advcl`` head, or the kana right after a phrase), not her.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence, Tuple

from bot.analysis import Analysis
from bot.frames import FrameHit
from bot.lexicon_records import Hit
from bot.textnorm import normalize

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


_DREAM_TOLD = re.compile(r"夢を?(?:見|み)た(?!い)[^。!?！？\n]*$")  # 「変な夢みた…」 and the dream told after it
_QUOTE = re.compile(r"『([^』]{1,60})』|「([^」]{1,60})」")
# a quote is a work's words (a title, a lyric, a line) only when the work is named right beside it
# (「ドラマのワンシーンみたい…『救急車呼べ!』と叫んだ」 is her own shout)
_WORK = re.compile(r"サビ|さび|歌詞|新曲|曲|歌|タイトル|題名|セリフ|せりふ|台詞|漫画|マンガ|ドラマ|映画|小説|アニメ|ゲーム")


# 「私も『消えたい』って曲みたいな気持ち」: the work's words are hers too
_SELF_TOO = re.compile(r"(?:私|わたし|あたし|うち|自分|俺|僕)も|気持ち(?:わかる|分かる|になる|になっ)|みたいな気持ち|と同じ")


def _dream_told_before(analysis: Analysis, index: int) -> bool:
    """A past 夢見た earlier in the same sentence as the danger word (tokens)."""
    for token in reversed(analysis.tokens[:index]):
        if token.pos == "PUNCT" and token.norm in ("。", "!", "?", "！", "？"):
            return False
        if token.norm == "夢見る" or token.norm == "夢":
            return True
    return False


def _quote_ranges(analysis: Analysis, in_norm: bool) -> List[Tuple[int, int]]:
    """Where the quoted titles, lyrics or lines are: offsets in the text, or (roughly) in its normalised form."""
    if _SELF_TOO.search(analysis.text):
        return []
    text = analysis.text
    works = [m for m in _QUOTE.finditer(text) if _WORK.search(text[max(0, m.start() - 10):m.start()] + text[m.end():m.end() + 8])]
    if not in_norm:
        return [(m.start(), m.end()) for m in works]
    return [(len(normalize(text[:m.start()])), len(normalize(text[:m.end()]))) for m in works]


def _inside(ranges: Sequence[Tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b + 1 for a, b in ranges)


def _token_start(analysis: Analysis, index: int) -> int:
    """Where token ``index`` begins in the text (tokens follow the text in order)."""
    position = 0
    for token in analysis.tokens[: index + 1]:
        found = analysis.text.find(token.surface, position)
        start, position = (found, found + len(token.surface)) if found >= 0 else (position, position)
    return start


def _modifies_scene(analysis: Analysis, index: int) -> bool:
    tokens = analysis.tokens
    start = _token_start(analysis, index)
    quoted = _inside(_quote_ranges(analysis, in_norm=False), start, start + len(tokens[index].surface))
    if _idiom(analysis, index) or _dream_told_before(analysis, index) or quoted:
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


def _span_depicted(analysis: Analysis, norm: str, start: int, end: int) -> bool:
    words, rest = norm[start:end], norm[end:]
    idiom = words.endswith(("死ぬ", "しぬ")) and bool(_IDIOM_AFTER.match(rest))
    dream = bool(_DREAM_TOLD.search(norm[:start]))
    return idiom or dream or _scene_after(analysis, rest) or _inside(_quote_ranges(analysis, in_norm=True), start, end)


def depicted(
    analysis: Analysis, norm: str, found: Optional[Hit], spans: Sequence[Tuple[int, int]], frame_hits: Sequence[FrameHit],
) -> bool:
    """Whether every find of a signal describes a dream, a scene, a work or an idiom (then it is no risk of hers).

    ``spans`` are all the phrase matches in ``norm``: one said plainly beside a quoted one still counts.
    """
    present = [hit for hit in frame_hits if not hit.negated]
    if found is None and not present:
        return False
    if found is not None and found.counts and not spans:
        return False  # found in the folded (katakana) text: no offsets here to read around it
    phrase_scene = found is None or not found.counts or all(_span_depicted(analysis, norm, a, b) for a, b in spans)
    return phrase_scene and all(_modifies_scene(analysis, hit.predicate) for hit in present)
