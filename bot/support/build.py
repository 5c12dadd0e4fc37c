"""Build the project's support directory from the compiled shared list.

``python -m bot.support.build ../shared/resources-tokyo.yml`` rewrites
``bot/support/directory.yml``. What users may ever see is decided here, once:
entries of ``confidence: low`` are dropped, ``unverified_phones`` never
enter, and every entry keeps its source URL and date.

Hours are decided here too: each window of ``hours_machine`` gets the
closures (年末年始, 元日) that its own line's hours text names, not those of
another line of the same entry; hours of ``hours_confidence: low`` are shown
as 「時間は要確認」; ``languages`` defaults to Japanese only.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

HERE = Path(__file__).resolve().parent
DIRECTORY_PATH = HERE / "directory.yml"
DISPLAY_PATH = HERE / "display.yml"
SHOWN_CONFIDENCE = ("high", "medium")
HOURS_UNSURE = "時間は要確認"
DEFAULT_LANGUAGES = ("ja",)
_KEPT = (
    "id", "name", "purpose", "phones", "hours", "hours_machine", "hours_confidence", "channels",
    "url", "target", "cost", "languages", "topics", "source_url", "source_date", "confidence",
)
_YEAR_END = re.compile(r"年末年始(（[^）]{0,20}）)?[^。]{0,6}?(除|休)")
_NEW_YEAR_DAY = re.compile(r"(元日|1月1日)(（[^）]{0,20}）)?(を除|は休)")
_SEGMENT = re.compile(r"[^。\n]+")
_CLOCK_IN_TEXT = re.compile(r"(\d{1,2}):(\d{2})")
_CLOCK = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")
_RANK = {"high": 2, "medium": 1, "low": 0}


def closures_from_text(hours_text: str) -> Dict[str, bool]:
    """Closures that the compiled list keeps only in prose (年末年始, 元日)."""
    return {
        "year_end": bool(_YEAR_END.search(hours_text or "")),
        "new_year_day": bool(_NEW_YEAR_DAY.search(hours_text or "")),
    }


def clock(value: Any) -> str:
    """A window's time as "HH:MM"; YAML 1.1 reads an unquoted 12:00 as the integer 720."""
    if isinstance(value, int):
        value = f"{value // 60:02d}:{value % 60:02d}"
    text = str(value)
    if not _CLOCK.match(text):
        raise ValueError(f"not a clock time: {value!r}")
    hours, minutes = text.split(":")
    return f"{int(hours):02d}:{minutes}"


def _times_named(segment: str) -> set:
    return {f"{int(hours)}:{minutes}" for hours, minutes in _CLOCK_IN_TEXT.findall(segment)}


def _owner(segments: List[str], window: Dict[str, Any]) -> Optional[int]:
    """The first sentence of the hours text that names this window's opening and closing times."""
    wanted = {f"{int(clock(window[key])[:2])}:{clock(window[key])[3:]}" for key in ("open", "close")}
    for index, segment in enumerate(segments):
        if wanted <= _times_named(segment):
            return index
    return None


def windows_with_closures(hours_text: str, hours_machine: Any) -> Any:
    """``hours_machine`` with each window's own closures (``closed``), read per line, not per entry.

    A window takes the closures of the sentence that describes it (「電話：毎日 10:00〜22:00（元日を除く）」),
    so 年末年始 in another line's sentence (a walk-in desk, an escort service) does not close it.
    A window no sentence names takes the closures of the sentences that name no window.
    Closures already given on a window (``closed``) are kept as they are.
    """
    if not isinstance(hours_machine, list):
        return hours_machine
    segments = _SEGMENT.findall(hours_text or "")
    owners = [_owner(segments, window) for window in hours_machine]
    loose = "。".join(segment for index, segment in enumerate(segments) if index not in owners)
    windows = []
    for window, owner in zip(hours_machine, owners, strict=True):
        text = segments[owner] if owner is not None else loose
        named = [name for name, closed in closures_from_text(text).items() if closed]
        shaped = {"days": list(window["days"]), "open": clock(window["open"]), "close": clock(window["close"])}
        shaped["closed"] = list(window["closed"]) if "closed" in window else named
        windows.append(shaped)
    return windows


def _display_hours(raw: Dict[str, Any], shown: Dict[str, Any]) -> str:
    """Exact hours only when we trust them; otherwise the chat says they need checking."""
    if raw.get("hours_confidence") not in SHOWN_CONFIDENCE:
        return HOURS_UNSURE
    return shown.get("hours", "")


def build_entry(raw: Dict[str, Any], display: Dict[str, Any]) -> Dict[str, Any]:
    """One directory entry: verified phones only, its source kept, a short name for chat."""
    shown = display.get(raw["id"], {})
    entry = {key: raw.get(key) for key in _KEPT}
    entry["phones"] = [dict(phone) for phone in raw.get("phones") or []]
    entry["languages"] = list(raw.get("languages") or DEFAULT_LANGUAGES)
    entry["hours_machine"] = windows_with_closures(raw.get("hours") or "", shown.get("hours_machine", raw.get("hours_machine")))
    if raw.get("after_hours_of"):
        entry["after_hours_of"] = raw["after_hours_of"]
    entry["display_name"] = shown.get("name", raw["name"])
    entry["display_hours"] = _display_hours(raw, shown)
    numbers = [phone["number"] for phone in entry["phones"]]
    entry["display_phone"] = shown.get("phone", numbers[0] if numbers else None)
    if entry["display_phone"] not in numbers + [None]:
        raise ValueError(f"{raw['id']}: display phone {entry['display_phone']} is not a verified phone")
    return entry


def _weaker(*levels: Optional[str]) -> str:
    return min((level or "low" for level in levels), key=lambda level: _RANK.get(level, 0))


def after_hours_line(line_id: str, spec: Dict[str, Any], raw_by_id: Dict[str, Dict[str, Any]]) -> Dict[str, Any]:
    """A second line of an entry that answers while the entry's main line is closed.

    ``line_of`` names the entry whose source lists the number for nights and holidays;
    ``hours_of`` names the entry of the service that number reaches, whose hours it takes.
    The number must be a verified phone of both, so neither the number nor its hours is invented.
    """
    parent, service = raw_by_id[spec["line_of"]], raw_by_id[spec["hours_of"]]
    phone = next((p for p in parent.get("phones") or [] if p["number"] == spec["phone"]), None)
    if phone is None or spec["phone"] not in {p["number"] for p in service.get("phones") or []}:
        raise ValueError(f"{line_id}: {spec['phone']} is not a verified phone of {parent['id']} and {service['id']}")
    raw = dict(parent)
    raw.update(
        id=line_id, phones=[dict(phone)], hours=f"{phone['label']}。{service.get('hours') or ''}",
        hours_machine=service.get("hours_machine"),
        hours_confidence=_weaker(parent.get("hours_confidence"), service.get("hours_confidence")),
        confidence=_weaker(parent.get("confidence"), service.get("confidence")),
        after_hours_of=parent["id"],
    )
    entry = build_entry(raw, {line_id: spec})
    entry["hours_source_url"], entry["hours_source_date"] = service.get("source_url"), service.get("source_date")
    return entry


def _shown(raw: Dict[str, Any]) -> bool:
    if raw.get("confidence") not in SHOWN_CONFIDENCE or not raw.get("source_url"):
        return False
    return bool(raw.get("phones") or raw.get("url"))


def build(raw_entries: List[Dict[str, Any]], display: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The directory: shown-confidence entries with a cited source and a way to reach them."""
    kept = [build_entry(raw, display) for raw in raw_entries if _shown(raw)]
    shown_by_id = {raw["id"]: raw for raw in raw_entries if _shown(raw)}
    for line_id, spec in display.items():
        if isinstance(spec, dict) and spec.get("line_of"):
            line = after_hours_line(line_id, spec, shown_by_id)
            if line["confidence"] in SHOWN_CONFIDENCE:
                kept.append(line)
    return kept


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the compiled list, e.g. ../shared/resources-tokyo.yml")
    parser.add_argument("--out", type=Path, default=DIRECTORY_PATH)
    args = parser.parse_args(argv)
    raw = yaml.safe_load(args.source.read_text(encoding="utf-8"))
    display = yaml.safe_load(DISPLAY_PATH.read_text(encoding="utf-8")) or {}
    entries = build(raw, display)
    header = (
        "# Generated by `python -m bot.support.build` from the compiled list in shared/resources-tokyo.yml.\n"
        "# Do not edit by hand: edit the source list or display.yml and rebuild.\n"
        "# Only high/medium entries; unverified_phones never copied. Each entry keeps source_url and source_date.\n"
        "# hours_machine windows carry their own line's closures (closed: year_end = 29 Dec-3 Jan, new_year_day = 1 Jan).\n"
    )
    args.out.write_text(header + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"{len(entries)} entries written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
