"""The support directory: which places to offer, now, for these concerns.

Every number the bot shows comes through here, from ``directory.yml``
(built by :mod:`bot.support.build`). Lookups never return a line that is
closed at the given time, so a girl at 2 a.m. is not handed a daytime number,
nor one whose hours we are not sure of (``hours_confidence: low``) as open:
those are shown with 「時間は要確認」 among the lines to try later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import yaml

from bot.support.hours import is_open

DIRECTORY_PATH = Path(__file__).resolve().parent / "directory.yml"

# Curated order per concern: which lines suit which trouble is a judgement,
# kept here in one reviewable place rather than inferred from topic tags.
PRIORITY: Dict[str, Tuple[str, ...]] = {
    "emergency_medical": ("emergency-119",),
    "emergency_police": ("police-110",),
    "suicide_risk": ("kokoro-inochi-hotline-tokyo", "tokyo-inochi-no-denwa", "yorisoi-hotline",
                     "inochi-no-denwa-national", "tokyo-tama-inochi-no-denwa"),
    "mental_distress": ("kokoro-inochi-hotline-tokyo", "yorisoi-hotline", "tokyo-inochi-no-denwa",
                        "tokyo-womens-plaza-dv"),
    "domestic_violence": ("dv-sodan-plus", "jido-gyakutai-189", "tokyo-josei-sodan-shien-center",
                          "tokyo-womens-plaza-dv", "tokyo-josei-sodan-shien-center-emergency", "yorisoi-hotline"),
    "sexual_violence": ("sarc-tokyo", "onestop-8891", "police-8103", "cure-time"),
    "pregnancy": ("ninshin-hotline-tokyo", "wakasapo"),
    # 188 and 法テラス before she pays anything (issue 7); at night the host-club window's night number.
    "host_club": ("keishicho-host-club-higai-madoguchi", "keishicho-host-club-higai-madoguchi-night",
                  "shohisha-hotline-188", "houterasu-support-dial", "tokyo-josei-sodan-shien-center",
                  "keishicho-young-telephone", "tokyo-shohi-seikatsu-center", "yorisoi-hotline"),
    "toyoko": ("keishicho-young-telephone", "tokyo-jido-sodan-center", "yorisoi-hotline"),
    "no_place_to_stay": ("tokyo-challenge-net", "tokyo-josei-sodan-shien-center",
                         "tokyo-josei-sodan-shien-center-emergency", "yorisoi-hotline"),
    "money": ("tokyo-challenge-net", "houterasu-support-dial", "shohisha-hotline-188", "tokyo-shohi-seikatsu-center",
              "tokyo-hitorioya-haat", "yorisoi-hotline"),
    "minor": ("keishicho-young-telephone", "tokyo-jido-sodan-center"),
}
# Open to everyone at any hour: what is left when nothing topical is open.
ALWAYS_ON: Tuple[str, ...] = ("yorisoi-hotline", "tokyo-inochi-no-denwa")
# Lines for children and teens: offered when she is, or may be, young.
YOUTH_ONLY = frozenset({"tokyo-jido-sodan-center", "jido-gyakutai-189", "keishicho-young-telephone", "wakasapo"})
YOUTH_AGE = 20
# Emergency-only lines are offered only when urgency is emergency.
EMERGENCY_ONLY = frozenset({"police-110", "emergency-119"})
# Hours we trust enough to call a line open; low-confidence hours are shown as 「時間は要確認」.
KNOWN_HOURS = ("high", "medium")
# Topics of lines that take any crisis, ranked next after her own topics in another language.
CRISIS_TOPICS = frozenset({"suicide_risk", "mental_distress", "domestic_violence", "sexual_violence"})


@dataclass(frozen=True)
class Place:
    """One place to turn to, as the chat shows it, with where the number comes from.

    ``hours`` is what the chat shows: 「時間は要確認」 when the hours are of low confidence.
    ``languages`` are ISO 639-1 codes of the languages its source says it answers in, ``("ja",)``
    when the source says none; a Japanese line that also takes English (110) may list only ``en``.
    ``closures`` apply to every window; each window of ``hours_machine`` carries its own line's (``closed``).
    ``after_hours_of`` names the entry whose main line this one stands in for at night and on holidays.
    """

    id: str
    name: str
    phone: Optional[str]
    url: Optional[str]
    hours: str
    topics: Tuple[str, ...]
    source_url: str
    confidence: str
    hours_machine: Any
    closures: Tuple[Tuple[str, bool], ...]
    languages: Tuple[str, ...] = ("ja",)
    source_date: str = ""
    hours_confidence: str = "high"
    after_hours_of: Optional[str] = None

    @property
    def hours_known(self) -> bool:
        """Hours we trust enough to say "open now" (hours_confidence high or medium)."""
        return self.hours_confidence in KNOWN_HOURS

    def recorded_open(self, now: Optional[datetime] = None) -> bool:
        """What the recorded hours say, however sure we are of them."""
        return is_open(self.hours_machine, now, dict(self.closures))

    def open_at(self, now: Optional[datetime] = None) -> bool:
        """Known to be open at ``now``: hours of low confidence never count as open."""
        return self.hours_known and self.recorded_open(now)

    def line(self) -> str:
        """One chat line: name, how to reach it, hours."""
        reach = self.phone or self.url or ""
        hours = f"（{self.hours}）" if self.hours else ""
        return f"・{self.name}：{reach}{hours}"


def _place(entry: Dict[str, Any]) -> Place:
    return Place(
        id=entry["id"],
        name=entry["display_name"],
        phone=entry.get("display_phone"),
        url=entry.get("url"),
        hours=entry.get("display_hours") or "",
        topics=tuple(entry.get("topics") or ()),
        source_url=entry["source_url"],
        confidence=entry["confidence"],
        hours_machine=entry.get("hours_machine"),
        closures=tuple(sorted((entry.get("closures") or {}).items())),
        languages=tuple(entry.get("languages") or ("ja",)),
        source_date=str(entry.get("source_date") or ""),
        hours_confidence=entry.get("hours_confidence") or "low",
        after_hours_of=entry.get("after_hours_of"),
    )


@lru_cache(maxsize=4)
def load(path: Path = DIRECTORY_PATH) -> Dict[str, Place]:
    """All places by id (read once per process)."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {entry["id"]: _place(entry) for entry in entries}


def _candidates(concerns: Sequence[str], places: Dict[str, Place]) -> Iterable[Place]:
    for concern in concerns:
        for place_id in PRIORITY.get(concern, ()):
            if place_id in places:
                yield places[place_id]
    for place_id in ALWAYS_ON:
        yield places[place_id]


def _suitable(place: Place, concerns: Sequence[str], age: Optional[float], emergency: bool) -> bool:
    if place.id in EMERGENCY_ONLY and not emergency:
        return False
    if place.id in YOUTH_ONLY:
        if age is not None:
            return age < YOUTH_AGE
        return "minor" in concerns or "toyoko" in concerns
    return True


def _repeats(place: Place, chosen: Sequence[Place]) -> bool:
    """Already listed, or its number already is (one list never shows a number twice)."""
    return any(place == other or (place.phone and place.phone == other.phone) for other in chosen)


def _standing_in(place: Place, places: Dict[str, Place], now: Optional[datetime]) -> bool:
    """An after-hours line is offered only while the main line it stands in for is not known open."""
    main = places.get(place.after_hours_of or "")
    return main is None or not main.open_at(now)


def _pick(candidates: Iterable[Place], offerable: Callable[[Place], bool], limit: int) -> List[Place]:
    chosen: List[Place] = []
    for place in candidates:
        if len(chosen) >= limit:
            break
        if not _repeats(place, chosen) and offerable(place):
            chosen.append(place)
    return chosen


def open_now(
    concerns: Sequence[str],
    *,
    age: Optional[float] = None,
    emergency: bool = False,
    now: Optional[datetime] = None,
    limit: int = 3,
    unsure: bool = False,
) -> List[Place]:
    """Places that fit these concerns and are known to be open at ``now``, best first.

    With ``emergency`` the police/ambulance lines come first. When nothing
    topical is open, the 24-hour general lines are returned, so the list is
    never empty. Lines whose hours are of low confidence are never counted as
    open; with ``unsure`` (for a counselor, who can check) the ones whose
    recorded hours say open are added after the known-open ones, shown as 「時間は要確認」.
    """
    places = load()
    wanted = list(concerns)
    if emergency:
        wanted.insert(0, "emergency_medical" if "suicide_risk" in concerns else "emergency_police")

    def known(place: Place) -> bool:
        return _suitable(place, concerns, age, emergency) and place.open_at(now) and _standing_in(place, places, now)

    chosen = _pick(_candidates(wanted, places), known, limit)
    if unsure and len(chosen) < limit:
        maybe = [p for p in _candidates(wanted, places) if not p.hours_known and p.recorded_open(now)]
        chosen += _pick(maybe, lambda p: _suitable(p, concerns, age, emergency) and not _repeats(p, chosen),
                        limit - len(chosen))
    return chosen


def opening_later(
    concerns: Sequence[str],
    *,
    age: Optional[float] = None,
    now: Optional[datetime] = None,
    limit: int = 1,
    unsure: bool = False,
) -> List[Place]:
    """The best topical places that are closed now, to say when they open (never as open).

    A line of low-confidence hours is included when its recorded hours say closed now
    (with ``unsure``, at any time), and it shows 「時間は要確認」 rather than exact hours.
    """
    places = load()
    topical = [places[pid] for concern in concerns for pid in PRIORITY.get(concern, ()) if pid in places]

    def later(place: Place) -> bool:
        if not place.hours_machine or place.open_at(now) or not _suitable(place, concerns, age, False):
            return False
        return place.hours_known or unsure or not place.recorded_open(now)

    return _pick(topical, later, limit)


def open_in_language(
    language: str,
    concerns: Sequence[str] = (),
    *,
    age: Optional[float] = None,
    emergency: bool = False,
    now: Optional[datetime] = None,
    limit: int = 3,
) -> List[Place]:
    """Places known open at ``now`` that answer in ``language`` (ISO 639-1), best first.

    For a reply in her language: the lines that fit her concerns first, then crisis lines;
    information lines (medical, legal, visitors) only when they fit a concern or none is known.
    With ``emergency``, 110/119 first where they answer in it. May be empty: then say that
    110/119 can be asked for English.
    The same rules as :func:`open_now`: only the directory's shown entries, low-confidence
    hours never open. Japanese is :func:`open_now` itself.
    """
    if language == "ja":
        return open_now(concerns, age=age, emergency=emergency, now=now, limit=limit)
    places = load()
    first = ("emergency-119", "police-110") if "suicide_risk" in concerns else ("police-110", "emergency-119")
    speaking = [place for place in places.values() if language in place.languages]

    def rank(place: Place) -> Tuple[int, int]:
        if place.id in first:
            return (0, first.index(place.id))
        if set(place.topics) & set(concerns):
            return (1, 0)
        return (2, 0) if set(place.topics) & CRISIS_TOPICS else (3, 0)

    def offerable(place: Place) -> bool:
        if concerns and rank(place)[0] > 2:
            return False
        return _suitable(place, concerns, age, emergency) and place.open_at(now) and _standing_in(place, places, now)

    return _pick(sorted(speaking, key=rank), offerable, limit)


def format_lines(places: Sequence[Place]) -> str:
    """Chat text listing places, one per line."""
    return "\n".join(place.line() for place in places)
