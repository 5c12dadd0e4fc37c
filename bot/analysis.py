"""One message, analysed once at the door (issue #6): its normalised forms and its GiNZA/SudachiPy tokens.

Rasa's pipeline already runs GiNZA on every message; :mod:`bot.nlu_analysis` puts the tokens it made into the
parse data (``akari_analysis``), and :func:`from_parse` rebuilds them here, so the action server neither
loads GiNZA again nor parses the message twice. The lexicon, the extractors and triage all read this one
:class:`Analysis`: the text is normalised once (:func:`bot.textnorm.normalize`), tokenised once.

Each token keeps SudachiPy's *normalized form* (飲んだ／のんだ／飲みました → 飲む; じゃう → ちゃう), its part of
speech and its dependency head: the lexicon's lemma frames match those forms, and the parse decides negation
scope and whose danger a sentence speaks of (:mod:`bot.syntax`).
"""

from __future__ import annotations

import logging
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, List, Mapping, Optional, Sequence, Tuple

from bot.language import romaji_to_kana
from bot.textnorm import normalize

log = logging.getLogger(__name__)

PARSE_KEY = "akari_analysis"  # the key bot.nlu_analysis adds to Rasa's parse data
WIRE_VERSION = 1
MAX_TOKENS = 2000  # a pasted novel is still triaged by its surface forms; the parse covers its first part


@dataclass(frozen=True)
class Token:
    """One Sudachi morpheme as GiNZA parsed it; ``norm`` is the normalized form, folded like every pattern."""

    surface: str
    norm: str
    pos: str
    dep: str
    head: int


@dataclass(frozen=True)
class Analysis:
    """Everything the rules read about one message, computed once."""

    text: str
    tokens: Tuple[Token, ...] = field(default=(), compare=False)

    @cached_property
    def norm(self) -> str:
        """The matching form of the text (width, kana, long marks, repeats folded)."""
        return normalize(self.text)

    @cached_property
    def kana(self) -> str:
        """Like :attr:`norm`, with romaji read as the kana it spells (「shinitai」 → しにたい)."""
        kana = romaji_to_kana(self.text)
        return self.norm if kana == self.text else normalize(kana)

    @cached_property
    def folded(self) -> str:
        """Width-folded and lower-cased, katakana kept (「カッター」 must not become the past tense 「かった」)."""
        return unicodedata.normalize("NFKC", self.text or "").lower()

    @cached_property
    def lemma_text(self) -> str:
        """The tokens' normalized forms as ``/飲む/た/``: what lemma frames match (:mod:`bot.lexicon`)."""
        return "/" + "".join(f"{token.norm}/" for token in self.tokens) if self.tokens else ""

    @cached_property
    def lemma_starts(self) -> Tuple[int, ...]:
        """Offset in :attr:`lemma_text` where each token's form begins."""
        starts, offset = [], 1
        for token in self.tokens:
            starts.append(offset)
            offset += len(token.norm) + 1
        return tuple(starts)

    def token_at(self, offset: int) -> int:
        """Index of the token whose form covers ``offset`` of :attr:`lemma_text`."""
        return max(bisect_right(self.lemma_starts, offset) - 1, 0)


def tokens_from_doc(doc: Any) -> List[list]:
    """A parsed spaCy ``Doc`` as plain lists (JSON-safe), the form kept in Rasa's parse data.

    Run after GiNZA's own pipeline, the parser labels dependencies per bunsetsu (``nsubj_bunsetu``); the
    suffix is dropped so both ways of loading GiNZA give the same labels.
    """
    return [[t.text, t.norm_, t.pos_, t.dep_.removesuffix("_bunsetu"), t.head.i] for t in list(doc)[:MAX_TOKENS]]


def add_parse(nlp: Any, doc: Any) -> Any:
    """Run GiNZA's dependency parser on a ``doc`` made with it disabled (Rasa's SpacyNLP disables it)."""
    if "parser" in getattr(nlp, "disabled", ()) and len(doc):
        doc = nlp.get_pipe("parser")(doc)
    return doc


def _tokens(rows: Sequence[Sequence[Any]]) -> Tuple[Token, ...]:
    out = []
    for surface, norm, pos, dep, head in rows:
        out.append(Token(str(surface), normalize(str(norm)) or str(norm), str(pos), str(dep), int(head)))
    return tuple(out)


def from_tokens(text: str, rows: Sequence[Sequence[Any]]) -> Analysis:
    """An analysis from serialised tokens; rows that do not fit give the surface-only analysis."""
    try:
        return Analysis(text, _tokens(rows))
    except (TypeError, ValueError):
        log.warning("token rows of an unexpected shape; triage reads surface forms only")
        return Analysis(text)


def from_parse(parse_data: Mapping[str, Any]) -> Analysis:
    """The analysis Rasa made of this message (tracker ``latest_message``); GiNZA here only if it is missing."""
    text = str(parse_data.get("text") or "")
    wire = parse_data.get(PARSE_KEY)
    if isinstance(wire, Mapping) and wire.get("v") == WIRE_VERSION and isinstance(wire.get("tokens"), list):
        return from_tokens(text, wire["tokens"])
    return of(text)


def of(text: str) -> Analysis:
    """Analyse ``text`` here (evaluation, tests, a parse without tokens): GiNZA when installed, else surface only."""
    nlp = _nlp()
    if nlp is None or not text:
        return Analysis(text or "")
    return from_tokens(text, tokens_from_doc(add_parse(nlp, nlp(text[:20000]))))


def surface(text: str) -> Analysis:
    """The analysis without a parse: what the handoff service (no spaCy there) can read."""
    return Analysis(text or "")


def norm_of(message: str | Analysis) -> str:
    """The normalised text, from the analysis when there is one (normalised once, at the door)."""
    return message.norm if isinstance(message, Analysis) else normalize(message)


def coerce(message: str | Analysis) -> Analysis:
    """Callers may pass the text; the rules always read an :class:`Analysis`."""
    return message if isinstance(message, Analysis) else of(message)


@lru_cache(maxsize=1)
def _nlp() -> Optional[Any]:
    """GiNZA, loaded on first use (never at import), exactly as Rasa's SpacyNLP loads it (parser disabled)."""
    try:
        import spacy
    except ImportError:
        return None
    try:
        return spacy.load("ja_ginza", disable=["parser"])
    except OSError:
        log.warning("ja_ginza is not installed; triage reads surface forms only")
        return None


def wire(nlp: Any, doc: Any) -> dict:
    """What :mod:`bot.nlu_analysis` stores in the parse data: the same doc Rasa made, parsed."""
    return {"v": WIRE_VERSION, "tokens": tokens_from_doc(add_parse(nlp, doc))}
