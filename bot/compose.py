"""What she sees in one turn, composed once for every channel (SPEC §3).

Pure: the actions plan the parts of a turn (introduction, what the bot says,
lists of lines, the handoff notice, the safety question) and this module shapes
them into at most five short messages, because a LINE reply holds no more and a
phone should show each one without scrolling:

- the bot's introduction once, and first;
- one list of lines (every lines part merged), never the same number twice;
- the question last, so it is what she reads last;
- small parts merged rather than anything dropped.

Rasa's REST channel splits a text on blank lines, so no message here ever
contains one (otherwise the count she sees would not be the count made here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

INTRO, SAY, LINES, NOTICE, QUESTION = "intro", "say", "lines", "notice", "question"
KINDS = (INTRO, SAY, LINES, NOTICE, QUESTION)

MAX_MESSAGES = 5  # a LINE reply holds five messages
SCREEN_CHARS = 170  # about what a phone shows in one bubble without scrolling
TINY_CHARS = 40  # parts this short read better joined to their neighbour
LINES_HEADER = "いまつながる窓口："
LATER_HEADER = "時間になったら相談できるところ："
_BLANK_LINES = re.compile(r"\n\s*\n+")


@dataclass(frozen=True)
class Part:
    """One planned piece of a turn.

    ``places`` (lines parts) are directory ids of lines open now; ``later`` are
    lines closed now, listed with their hours, never as open.
    """

    kind: str
    text: str = ""
    places: Tuple[str, ...] = ()
    later: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """One planned part before it has words: a response (by name) with its fill-in values, or a list of lines.

    The actions turn steps into :class:`Part` (texts from the domain, lines open now).
    """

    kind: str
    response: str = ""
    values: Tuple[Tuple[str, Any], ...] = ()
    concerns: Tuple[str, ...] = ()  # lines: which concerns the lines should fit
    emergency: bool = False  # lines: police / ambulance first
    extra: Tuple[str, ...] = ()  # lines: place ids to list first (when open)


def say(response: str, **values: Any) -> Step:
    return Step(SAY, response, tuple(values.items()))


def ask(response: str) -> Step:
    return Step(QUESTION, response)


@dataclass(frozen=True)
class Line:
    """How one place is shown: its phone (to avoid showing a number twice) and its chat line."""

    phone: Optional[str]
    text: str


Lookup = Callable[[str], Optional[Line]]


def directory_lookup(place_id: str) -> Optional[Line]:
    """The support directory's line for a place id (imported late: tests may pass their own)."""
    from bot.support.directory import load

    place = load().get(place_id)
    return Line(place.phone or place.url, place.line()) if place else None


def one_paragraph(text: str) -> str:
    """The text with no blank line in it (the REST channel would split it)."""
    return _BLANK_LINES.sub("\n", text.strip())


def numbers_in(texts: Sequence[str], lookup_phones: Sequence[str]) -> set:
    """Which of these phone numbers the texts already show (「今すぐ119番に」)."""
    return {
        phone for phone in lookup_phones
        if any(re.search(rf"(?<![\d\-#]){re.escape(phone)}(?![\d\-])", text) for text in texts)
    }


def lines_text(parts: Sequence[Part], lookup: Lookup = directory_lookup, shown: Sequence[str] = ()) -> str:
    """All lines parts as one list: open lines first, then later ones; each number once.

    A number the turn's words already give (``shown``) is not listed again.
    """
    seen: set = set(shown)
    now = _unique_lines([pid for part in parts for pid in part.places], lookup, seen)
    later = _unique_lines([pid for part in parts for pid in part.later], lookup, seen)
    blocks = []
    if now:
        blocks.append("\n".join([LINES_HEADER, *now]))
    if later:
        blocks.append("\n".join([LATER_HEADER, *later]))
    return "\n".join(blocks)


def _unique_lines(place_ids: Sequence[str], lookup: Lookup, seen: set) -> List[str]:
    lines = []
    for place_id in place_ids:
        line = lookup(place_id)
        key = line.phone if line and line.phone else place_id
        if line is None or key in seen:
            continue
        seen.add(key)
        lines.append(line.text)
    return lines


def order(parts: Sequence[Part], lookup: Lookup = directory_lookup) -> List[Tuple[str, str]]:
    """(kind, text) blocks in reading order: intro first, one merged lines block, questions last."""
    intro = next((p for p in parts if p.kind == INTRO and p.text.strip()), None)
    questions = [one_paragraph(p.text) for p in parts if p.kind == QUESTION and p.text.strip()]
    body: List[Tuple[str, str]] = [(INTRO, one_paragraph(intro.text))] if intro else []
    lines_parts = [p for p in parts if p.kind == LINES]
    shown = _numbers_said(parts, lines_parts, lookup)
    listed = False
    for part in parts:
        if part.kind == LINES and not listed:
            listed = True
            merged = lines_text(lines_parts, lookup, shown)
            if merged:
                body.append((LINES, merged))
        elif part.kind in (SAY, NOTICE) and part.text.strip():
            body.append((part.kind, one_paragraph(part.text)))
    if questions:
        body.append((QUESTION, "\n".join(questions)))
    return body


def _numbers_said(parts: Sequence[Part], lines_parts: Sequence[Part], lookup: Lookup) -> set:
    """Numbers of the listed places that the turn's words already give."""
    lines = [lookup(pid) for part in lines_parts for pid in (*part.places, *part.later)]
    phones = [line.phone for line in lines if line and line.phone]
    return numbers_in([p.text for p in parts if p.kind != LINES], phones)


def _merge_at(blocks: List[Tuple[str, str]], index: int) -> None:
    """Join block ``index`` with the next one (the later block's kind wins, so a question stays a question)."""
    (_, first), (kind, second) = blocks[index], blocks[index + 1]
    blocks[index: index + 2] = [(kind, f"{first}\n{second}")]


def _merge_tiny(blocks: List[Tuple[str, str]]) -> None:
    """Join a very short block to its neighbour when the two still fit on a screen."""
    index = 0
    while index < len(blocks) - 1:
        joined = len(blocks[index][1]) + len(blocks[index + 1][1]) + 1
        tiny = min(len(blocks[index][1]), len(blocks[index + 1][1])) <= TINY_CHARS
        if tiny and joined <= SCREEN_CHARS and LINES not in (blocks[index][0], blocks[index + 1][0]):
            _merge_at(blocks, index)
        else:
            index += 1


def _fit(blocks: List[Tuple[str, str]], limit: int) -> None:
    """Merge the shortest neighbouring pair until the turn fits in ``limit`` messages."""
    while len(blocks) > limit:
        sizes = [len(blocks[i][1]) + len(blocks[i + 1][1]) for i in range(len(blocks) - 1)]
        _merge_at(blocks, sizes.index(min(sizes)))


def compose(parts: Sequence[Part], *, limit: int = MAX_MESSAGES, lookup: Lookup = directory_lookup) -> List[str]:
    """The messages she sees this turn, in order (at most ``limit``, none with a blank line)."""
    blocks = order(parts, lookup)
    _merge_tiny(blocks)
    _fit(blocks, limit)
    return [text for _, text in blocks]


def fill(template: str, values: Dict[str, object]) -> str:
    """A response text with its ``{name}`` fields filled; an unknown field is left as written."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)
