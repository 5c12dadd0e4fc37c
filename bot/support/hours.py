"""Is a line open right now? Evaluated in Asia/Tokyo, holidays and all.

The rule is to never offer a closed line as open: unknown hours count as
closed, a Japanese public holiday counts as closed unless the entry says it
opens on holidays, and a window like 12:00–05:30 belongs to the day it opened.

Closures (年末年始, 元日) belong to one window, the line whose hours text
names them: a window may carry ``closed: [year_end]`` or ``closed: [new_year_day]``.
Closures passed to :func:`is_open` apply to every window on top of that.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Iterable, Mapping, Optional
from zoneinfo import ZoneInfo

import holidays

TOKYO = ZoneInfo("Asia/Tokyo")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CLOSURES = ("year_end", "new_year_day")


@lru_cache(maxsize=8)
def _japan_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("JP", years=[year])


def is_holiday(day: date) -> bool:
    """A Japanese public holiday (祝日・振替休日)."""
    return day in _japan_holidays(day.year)


def is_year_end(day: date) -> bool:
    """年末年始 (29 Dec – 3 Jan), when many offices close."""
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def is_new_year_day(day: date) -> bool:
    """元日 (1 January) only."""
    return (day.month, day.day) == (1, 1)


def tokyo_now(now: Optional[datetime] = None) -> datetime:
    """``now`` (or the current time) as an aware Asia/Tokyo datetime."""
    if now is None:
        return datetime.now(TOKYO)
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime")
    return now.astimezone(TOKYO)


def _parse(hhmm: str) -> time:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return time(hours % 24, minutes)


def _closed_on(day: date, closures: Mapping[str, bool]) -> bool:
    return bool(closures.get("year_end") and is_year_end(day)) or bool(
        closures.get("new_year_day") and is_new_year_day(day)
    )


def _day_matches(days: Iterable[str], day: date, closures: Mapping[str, bool]) -> bool:
    days = set(days)
    if _closed_on(day, closures):
        return False
    if is_holiday(day):
        return "holiday" in days
    return DAY_NAMES[day.weekday()] in days


def _window_closures(window: Mapping[str, Any], closures: Mapping[str, bool]) -> Mapping[str, bool]:
    """The entry-wide closures plus the ones this window's own line names."""
    own = window.get("closed") or ()
    return {name: bool(closures.get(name)) or name in own for name in CLOSURES}


def _window_open(window: Mapping[str, Any], local: datetime, closures: Mapping[str, bool]) -> bool:
    opens, closes = _parse(window["open"]), _parse(window["close"])
    days = window.get("days") or ()
    closures = _window_closures(window, closures)
    clock = local.time()
    if opens < closes:
        return _day_matches(days, local.date(), closures) and opens <= clock < closes
    # Overnight window: open from `opens` today, or until `closes` on the day after it opened.
    if clock >= opens:
        return _day_matches(days, local.date(), closures)
    return clock < closes and _day_matches(days, local.date() - timedelta(days=1), closures)


def is_open(hours_machine: Any, now: Optional[datetime] = None, closures: Mapping[str, bool] = {}) -> bool:
    """Whether an entry with these machine-readable hours is open at ``now``."""
    if hours_machine == "24h":
        return True
    if not hours_machine:
        return False
    local = tokyo_now(now)
    return any(_window_open(window, local, closures) for window in hours_machine)
