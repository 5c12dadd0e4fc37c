"""Text normalisation for matching Japanese SNS messages against word lists.

People hide or stretch words: ﾀﾋにたい (half-width), シニタイ (katakana),
しにたーーい (long marks), ｏｄ (full-width). Both the message and every
pattern go through :func:`normalize`, so a pattern written once matches all of
those spellings.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_KATAKANA_START = 0x30A1
_KATAKANA_END = 0x30F4  # up to ヴ; ヵ and ヶ are counters, not kana
_KANA_OFFSET = 0x60

_LONG_MARKS = re.compile(r"[ー〜~～－―‐-]+")
_SPACES = re.compile(r"\s+")
_REPEATS = re.compile(r"(.)\1{2,}")
# Hidden spellings (レ○プ, 自.殺, し〇にたい) and quoted words (『殺す』って): a mask mark between two
# letters and quote brackets are dropped, so the lexicon reads the word that was meant.
_MASKS = re.compile(r"(?<=[ぁ-んァ-ヶ一-龠])[○〇●◯◎□■×✕＊*.．・･](?=[ぁ-んァ-ヶ一-龠])")
_QUOTES = re.compile(r"[「」『』\"“”]")
_SMALL_TSU_RUN = re.compile(r"っ{2,}")


def to_hiragana(text: str) -> str:
    """Fold katakana into hiragana so シニタイ and しにたい compare equal."""
    return "".join(
        chr(ord(ch) - _KANA_OFFSET) if _KATAKANA_START <= ord(ch) <= _KATAKANA_END else ch
        for ch in text
    )


@lru_cache(maxsize=1024)
def normalize(text: str) -> str:
    """Return the matching form of ``text``.

    NFKC folds width (ﾀﾋ → タヒ, ＯＤ → OD); letters are lower-cased; katakana
    becomes hiragana; long-vowel marks and spaces are dropped; a character
    repeated three times or more is kept once (しにたいいいい → しにたい); a mask mark
    inside a word (レ○プ, 自.殺) and quote brackets are dropped.
    Cached: one message is read by several rules, and every word list is folded once.
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = text.lower()
    text = to_hiragana(text)
    text = _SPACES.sub("", text)
    text = _LONG_MARKS.sub("", text)
    text = _SMALL_TSU_RUN.sub("っ", text)
    text = _QUOTES.sub("", _MASKS.sub("", text))
    return _REPEATS.sub(r"\1", text)
