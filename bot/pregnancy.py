"""The 「妊娠したかも？」 check: reading answers and choosing advice.

The advice follows the facts, not the mood: emergency contraception is meant
within 72 hours and works best as early as possible; a copper IUD fitted by a
doctor is possible up to about 120 hours; a pregnancy test is reliable about
three weeks after the sex.
"""

from __future__ import annotations

import re
from typing import List, Optional

from bot.extract import parse_hours_ago
from bot.textnorm import normalize

EC_PILL_HOURS = 72.0
EC_IUD_HOURS = 120.0
TEST_RELIABLE_HOURS = 21 * 24.0

UNKNOWN = "unknown"
SKIPPED = "skipped"

_SKIP = re.compile(normalize("答えない|答えたくない|こたえない|言いたくない|いいたくない|パス|スキップ|ひみつ|秘密|内緒|ないしょ"))
_DONT_KNOW = re.compile(normalize("わからない|分からない|わかんない|覚えてない|おぼえてない|不明|忘れた|わすれた"))
_STOP = re.compile(normalize("やめる|やめたい|やめます|もういい|いいや|ストップ|終わりにして|おわりにして|キャンセル|抜けたい|やっぱいい|やっぱりいい"))
_POSITIVE = re.compile(normalize("陽性|ようせい|線が出|線出|線でた|線が2本|2本|プラス|うっすら"))
_NEGATIVE = re.compile(normalize("陰性|いんせい|出なかった|でなかった|マイナス|1本|一本"))
_NOT_YET = re.compile(normalize("まだ|してない|してません|使ってない|つかってない|やってない|やってません|買ってない|持ってない|いいえ|ううん|ない"))
_DONE = re.compile(normalize("した|使った|やった|つかった|はい|うん"))
_STOP_MAX_CHARS = 14


def wants_to_stop(text: str) -> bool:
    """A short message that says "stop the questions" (not 「やめてって言ったのに」)."""
    norm = normalize(text)
    return len(norm) <= _STOP_MAX_CHARS and bool(_STOP.search(norm)) and "言った" not in norm


def skips_question(text: str) -> bool:
    """「答えたくない」: skip this question, keep going."""
    return bool(_SKIP.search(normalize(text)))


def read_when(text: str) -> tuple[str, Optional[float]]:
    """Answer to "when did it happen" → (slot value, hours or None)."""
    hours = parse_hours_ago(text)
    if hours is not None:
        return f"{hours:g}h", hours
    return (SKIPPED if skips_question(text) else UNKNOWN), None


def read_last_period(text: str) -> str:
    """Answer to "when was your last period" → a coarse value, not her words."""
    if skips_question(text):
        return SKIPPED
    hours = parse_hours_ago(text)
    if hours is not None:
        return f"{round(hours / 24):d}d"
    if "遅れ" in text or "こない" in normalize(text) or "来ない" in text:
        return "late"
    return UNKNOWN


def read_test(text: str) -> str:
    """Answer to "did you take a test" → positive / negative / not_yet / done / unknown / skipped."""
    norm = normalize(text)
    if skips_question(text):
        return SKIPPED
    if _POSITIVE.search(norm):
        return "positive"
    if _NEGATIVE.search(norm):
        return "negative"
    if _NOT_YET.search(norm):
        return "not_yet"
    if _DONE.search(norm) and not _DONT_KNOW.search(norm):
        return "done"
    return UNKNOWN


def advice(hours: Optional[float], test: Optional[str], age: Optional[float]) -> List[str]:
    """Response names for the end of the check, in order."""
    replies: List[str] = []
    if test == "positive":
        replies.append("utter_pregnancy_positive")
    elif hours is None:
        replies.append("utter_pregnancy_unknown_time")
    elif hours <= EC_PILL_HOURS:
        replies.append("utter_pregnancy_ec_72")
    elif hours <= EC_IUD_HOURS:
        replies.append("utter_pregnancy_ec_120")
    elif hours < TEST_RELIABLE_HOURS:
        replies.append("utter_pregnancy_wait_test")
    else:
        replies.append("utter_pregnancy_test_now")
    if age is not None and age < 20:
        replies.append("utter_pregnancy_minor")
    return replies
