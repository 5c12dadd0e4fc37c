"""The lexicon's two record types: a family of phrases (``Signal``) and a find of one in a message (``Hit``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple


@dataclass(frozen=True)
class Signal:
    """One family of phrases that means the same risk.

    ``code`` (a :mod:`bot.signals` constant) is what behaviour reads; ``factor`` is
    only for counselors to read and may be reworded freely.
    """

    name: str
    concern: Optional[str]
    urgency: str
    factor: str
    phrases: Tuple[str, ...] = ()
    katakana: Tuple[str, ...] = ()  # regexes on the width-folded text: folded, ストーカー would be 「すとか」 (テストとか)
    regexes: Tuple[str, ...] = ()
    negatable: bool = False
    figurative_guard: bool = False
    media_guard: bool = True
    code: Optional[str] = None


@dataclass(frozen=True)
class Hit:
    """A signal found in a message; ``negated`` hits count as past or denied risk.

    ``figurative`` hits (「店長に殺される笑」) are no risk at all; ``start``/``end``
    locate the match in the normalised text (:func:`bot.textnorm.normalize`).
    """

    signal: Signal
    negated: bool = False
    figurative: bool = False
    start: int = 0
    end: int = 0
    person: Optional[str] = None  # a lemma frame whose subject, by the parse, is someone else (「友達が」)

    @property
    def counts(self) -> bool:
        """Whether this hit is a present, literal risk."""
        return not (self.negated or self.figurative)
