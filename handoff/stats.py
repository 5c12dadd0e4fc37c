"""Statistics of consultations (plan items 1, 85, 86): counts and times only, never text."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import datetime, timedelta
from typing import Any, Dict, Iterable, List, Mapping, Optional
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")


def _local(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, TOKYO)


def _percentile(values: List[float], q: float) -> Optional[float]:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def _seconds_between(conversation: Mapping[str, Any], start: str, end: str) -> Optional[float]:
    if not conversation.get(start) or not conversation.get(end):
        return None
    return (int(conversation[end]) - int(conversation[start])) / 1000


def summarize(conversations: Iterable[Mapping[str, Any]]) -> Dict[str, Any]:
    """Per day and hour, by concern, urgency and outcome; handoff rate; waiting times."""
    rows = list(conversations)
    handed = [c for c in rows if c.get("waiting_since")]
    waits = [w for c in handed if (w := _seconds_between(c, "waiting_since", "claimed_at")) is not None]
    first = {}
    for level in ("emergency", "high", "medium", "low"):
        times = [t for c in handed if c.get("max_urgency") == level
                 and (t := _seconds_between(c, "waiting_since", "first_reply_at")) is not None]
        first[level] = {"n": len(times), "median_s": _percentile(times, 0.5), "p95_s": _percentile(times, 0.95)}
    return {
        "conversations": len(rows),
        "per_day": dict(sorted(Counter(_local(int(c["created_at"])).strftime("%Y-%m-%d") for c in rows).items())),
        "per_hour": {h: n for h, n in sorted(Counter(_local(int(c["created_at"])).hour for c in rows).items())},
        "by_concern": dict(Counter(concern for c in rows for concern in c.get("concerns", [])).most_common()),
        "by_urgency": dict(Counter(c.get("max_urgency", "low") for c in rows).most_common()),
        "outcomes": dict(Counter(c["outcome"] for c in rows if c.get("outcome")).most_common()),
        "handoff_rate": round(len(handed) / len(rows), 4) if rows else None,
        "wait_to_claim": {"median_s": _percentile(waits, 0.5), "p95_s": _percentile(waits, 0.95), "n": len(waits)},
        "first_human_reply": first,
    }


def to_csv(conversations: Iterable[Mapping[str, Any]]) -> str:
    """One row per conversation: when, channel, urgency, concerns, outcome, times. No text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["created_at", "channel", "max_urgency", "concerns", "handed_off", "outcome",
                     "wait_to_claim_s", "wait_to_first_reply_s"])
    for c in conversations:
        writer.writerow([
            _local(int(c["created_at"])).isoformat(timespec="minutes"), c.get("channel", ""),
            c.get("max_urgency", ""), ";".join(c.get("concerns", [])), bool(c.get("waiting_since")),
            c.get("outcome", ""), _seconds_between(c, "waiting_since", "claimed_at") or "",
            _seconds_between(c, "waiting_since", "first_reply_at") or "",
        ])
    return out.getvalue()


def day_range(start: Optional[str], end: Optional[str], today: datetime) -> tuple[int, int]:
    """[start, end] as local dates (default: the last 30 days) → millisecond bounds."""
    last = datetime.strptime(end, "%Y-%m-%d").replace(tzinfo=TOKYO) if end else today.replace(
        hour=0, minute=0, second=0, microsecond=0)
    first = datetime.strptime(start, "%Y-%m-%d").replace(tzinfo=TOKYO) if start else last - timedelta(days=29)
    return int(first.timestamp() * 1000), int((last + timedelta(days=1)).timestamp() * 1000)
