"""Matching the lemma frames (:mod:`bot.lemma_frames`) against a message's analysis.

A frame becomes one regular expression over :attr:`bot.analysis.Analysis.lemma_text` (``/薬/全部/飲む/た/``),
so a slot always matches a whole token. The predicate slot is captured: :mod:`bot.syntax` reads its negation
and its subject from the dependency parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Iterator, Optional

from bot import syntax
from bot.analysis import Analysis
from bot.lemma_frames import FRAMES
from bot.textnorm import normalize

_GAP = "(?:[^/]+/){0,4}?"
_AUXILIARIES = (
    "て", "で", "てる", "居る", "いる", "ちゃう", "仕舞う", "ます", "た", "だ", "です", "れる", "られる", "う", "よう",
    "ちまう", "とく", "置く", "来る", "行く", "まう",
)
_AUX_RUN = "(?:(?:" + "|".join(re.escape(normalize(a)) for a in _AUXILIARIES) + ")/){0,4}?"
_AUX_WORDS = frozenset(normalize(a) for a in _AUXILIARIES) | {"ない", "無い", "たい", "せる", "させる"}


_NO = frozenset({"無い", "ない"})
_POLITE_NO = "有る/ます/ず/|御座る/ます/ず/"  # 「ありません」「ございません」: Sudachi reads 有る/ます/ず


def _slot(slot: str) -> str:
    """One token; a 「無い」 slot also takes the polite 「ありません」 (issue #6: polite adult register)."""
    alternatives = slot.split("|")
    polite = "|" + _POLITE_NO if _NO & set(alternatives) else ""
    return "(?:" + "|".join(re.escape(normalize(alt)) + "/" for alt in alternatives) + polite + ")"


def _predicate_position(slots: list) -> int:
    for position in range(len(slots) - 1, -1, -1):
        slot = slots[position]
        if slot not in ("*", "~") and not set(normalize(a) for a in slot.split("|")) <= _AUX_WORDS:
            return position
    return len(slots) - 1


@cache
def compile_frame(frame: str) -> re.Pattern:
    """The regular expression for one frame; the predicate slot is the group ``pred``."""
    slots = frame.split()
    predicate = _predicate_position(slots)
    parts = []
    for position, slot in enumerate(slots):
        piece = _GAP if slot == "*" else _AUX_RUN if slot == "~" else _slot(slot)
        parts.append(f"(?P<pred>{piece})" if position == predicate else piece)
    return re.compile("/" + "".join(parts))


@dataclass(frozen=True)
class FrameHit:
    """A frame found in the message: its predicate token, and what the parse says about it."""

    frame: str
    predicate: int
    negated: bool
    person: Optional[str]  # someone other than her, when the parse names the predicate's subject
    passive: bool = False  # 「殴られてる」: the subject is the one it happens to, not the one who does it


def _content_word(analysis: Analysis, index: int) -> int:
    """The word an auxiliary belongs to (「自殺/為る」 → 自殺): the parse hangs negation and subject on it."""
    token = analysis.tokens[index]
    return token.head if token.dep in ("aux", "fixed") and 0 <= token.head < len(analysis.tokens) else index


def find(analysis: Analysis, signal_name: str) -> Iterator[FrameHit]:
    """Every match of the signal's frames, in order; nothing when the message has no parse."""
    if not analysis.tokens:
        return
    for frame in FRAMES.get(signal_name, ()):
        for match in compile_frame(frame).finditer(analysis.lemma_text):
            index = _content_word(analysis, analysis.token_at(match.start("pred")))
            last = analysis.token_at(match.end() - 2)
            yield FrameHit(frame, index, syntax.negated(analysis, index, last), syntax.subject_of(analysis, index),
                           syntax.passive(analysis, index))


__all__ = ["FrameHit", "compile_frame", "find"]
