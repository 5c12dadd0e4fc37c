"""The 「妊娠したかも？」 check: reading answers and choosing advice.

The advice follows the facts (bot/facts.yml), not the mood: since 2026-02-02 the
emergency pill is sold without a prescription in pharmacies and works best as
early as possible within 72 hours; a copper IUD fitted by a doctor is possible
up to about 120 hours; a pregnancy test is reliable about three weeks after the
sex. The hour limits are the triage's own (bot/limits.py, one definition).
"""

from __future__ import annotations

import math
import re
from typing import List, Optional

from bot.compose import Step, say
from bot.extract import parse_hours_ago
from bot.limits import EC_IUD_HOURS, EC_PILL_HOURS, TEST_RELIABLE_HOURS
from bot.textnorm import normalize

EDGE_HOURS = 60.0  # close to the 72-hour mark: say so, and what is still possible after it
LATE_PERIOD_DAYS = 35  # a period more than five weeks ago is late for most cycles
TEEN_AGE = 20  # teen lines (わかさぽ) are for under-20s

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


def period_late(last_period: Optional[str]) -> bool:
    """The last-period answer says it is late (「遅れてる」, or more than five weeks ago)."""
    if last_period == "late":
        return True
    if last_period and last_period.endswith("d") and last_period[:-1].isdigit():
        return int(last_period[:-1]) >= LATE_PERIOD_DAYS
    return False


def days_until_test(hours: float) -> int:
    """Whole days until a test after this event is reliable (at least 1)."""
    return max(1, math.ceil((TEST_RELIABLE_HOURS - hours) / 24))


def time_advice(hours: Optional[float], ec_taken: bool = False) -> List[Step]:
    """What to do now, from the time since the sex: said as soon as the time is known.

    When she has already taken the pill, buying it is not what she needs: when to test is.
    """
    if hours is None:
        return []
    if ec_taken and hours < TEST_RELIABLE_HOURS:
        return [say("utter_pregnancy_ec_taken")]
    if hours <= EC_PILL_HOURS:
        edge = [say("utter_pregnancy_ec_edge")] if hours >= EDGE_HOURS else []
        return [say("utter_pregnancy_ec_72"), say("utter_pregnancy_ec_how")] + edge
    if hours <= EC_IUD_HOURS:
        return [say("utter_pregnancy_ec_120")]
    if hours < TEST_RELIABLE_HOURS:
        return [say("utter_pregnancy_wait_test", days=days_until_test(hours))]
    return [say("utter_pregnancy_test_now")]


def closing_advice(
    hours: Optional[float], test: Optional[str], last_period: Optional[str], age: Optional[float], advised: bool,
    ec_taken: bool = False,
) -> List[Step]:
    """The end of the check: the test result, a late period, the time advice (or a reminder), teens."""
    steps: List[Step] = []
    if test == "positive":
        steps.append(say("utter_pregnancy_positive"))
    elif period_late(last_period) and test != "negative":
        steps.append(say("utter_pregnancy_period_late"))
    if test == "positive":
        pass  # what to do next is about the pregnancy now, not the window
    elif not advised:
        steps.extend(time_advice(hours, ec_taken) or [say("utter_pregnancy_ec_taken" if ec_taken else "utter_pregnancy_unknown_time")])
    elif hours is not None and hours <= EC_IUD_HOURS and not ec_taken:
        steps.append(say("utter_pregnancy_ec_reminder" if hours <= EC_PILL_HOURS else "utter_pregnancy_iud_reminder"))
    if age is not None and age < TEEN_AGE:
        steps.append(say("utter_pregnancy_minor"))
    return steps


def advice(hours: Optional[float], test: Optional[str], age: Optional[float]) -> List[str]:
    """Response names for a whole check at once (time, test and age only)."""
    return [step.response for step in closing_advice(hours, test, None, age, advised=False)]
