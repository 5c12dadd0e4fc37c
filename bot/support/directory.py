"""The support directory: which places to offer, now, for these concerns.

Every number the bot shows comes through here, from ``directory.yml``
(built by :mod:`bot.support.build`). Lookups never return a line that is
closed at the given time, so a girl at 2 a.m. is not handed a daytime number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

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
    "host_club": ("keishicho-host-club-higai-madoguchi", "tokyo-josei-sodan-shien-center",
                  "keishicho-young-telephone", "tokyo-shohi-seikatsu-center", "yorisoi-hotline"),
    "toyoko": ("keishicho-young-telephone", "tokyo-jido-sodan-center", "yorisoi-hotline"),
    "no_place_to_stay": ("tokyo-challenge-net", "tokyo-josei-sodan-shien-center",
                         "tokyo-josei-sodan-shien-center-emergency", "yorisoi-hotline"),
    "money": ("tokyo-challenge-net", "houterasu-support-dial", "tokyo-shohi-seikatsu-center",
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


@dataclass(frozen=True)
class Place:
    """One place to turn to, as the chat shows it, with where the number comes from."""

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

    def open_at(self, now: Optional[datetime] = None) -> bool:
        return is_open(self.hours_machine, now, dict(self.closures))

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


def open_now(
    concerns: Sequence[str],
    *,
    age: Optional[float] = None,
    emergency: bool = False,
    now: Optional[datetime] = None,
    limit: int = 3,
) -> List[Place]:
    """Places that fit these concerns and are open at ``now``, best first.

    With ``emergency`` the police/ambulance lines come first. When nothing
    topical is open, the 24-hour general lines are returned, so the list is
    never empty.
    """
    places = load()
    wanted = list(concerns)
    if emergency:
        wanted.insert(0, "emergency_medical" if "suicide_risk" in concerns else "emergency_police")
    chosen: List[Place] = []
    for place in _candidates(wanted, places):
        if place in chosen or not _suitable(place, concerns, age, emergency) or not place.open_at(now):
            continue
        chosen.append(place)
        if len(chosen) >= limit:
            break
    return chosen


def opening_later(
    concerns: Sequence[str], *, age: Optional[float] = None, now: Optional[datetime] = None, limit: int = 1
) -> List[Place]:
    """The best topical places that are closed now, to say when they open (never as open)."""
    places = load()
    later: List[Place] = []
    for concern in concerns:
        for place_id in PRIORITY.get(concern, ()):
            place = places.get(place_id)
            if place is None or place in later or not _suitable(place, concerns, age, False) or place.open_at(now):
                continue
            if place.hours_machine:  # only lines with known hours
                later.append(place)
            if len(later) >= limit:
                return later
    return later


def format_lines(places: Sequence[Place]) -> str:
    """Chat text listing places, one per line."""
    return "\n".join(place.line() for place in places)
