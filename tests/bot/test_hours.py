"""Opening hours in Asia/Tokyo: closures belong to one line, not to the whole entry.

Every time here is a fixed Tokyo datetime, never the real clock.
Around the new year: 2026-12-29 is a Tuesday, 2027-01-01 (元日, a public holiday) a Friday,
2027-01-02/03 a Saturday and Sunday (not public holidays), 2027-01-04 a Monday.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.support import build
from bot.support.directory import load, open_now
from bot.support.hours import TOKYO, is_open

EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday"]
NEW_YEAR_DAYS = [(2026, 12, 29), (2026, 12, 30), (2026, 12, 31), (2027, 1, 1), (2027, 1, 2), (2027, 1, 3)]


def tokyo(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=TOKYO)


def window(closed=(), days=EVERY_DAY, opens="10:00", closes="22:00"):
    return {"days": list(days), "open": opens, "close": closes, "closed": list(closed)}


@pytest.mark.parametrize("day", NEW_YEAR_DAYS)
def test_a_line_closed_only_on_new_years_day_is_open_the_other_year_end_days(day):
    hours = [window(closed=["new_year_day"])]
    assert is_open(hours, tokyo(*day, 14)) is (day != (2027, 1, 1))


@pytest.mark.parametrize("day", NEW_YEAR_DAYS)
def test_a_line_closed_over_the_year_end_is_closed_29_december_to_3_january(day):
    assert not is_open([window(closed=["year_end"])], tokyo(*day, 14))


def test_a_year_end_closure_ends_on_4_january_and_starts_on_29_december():
    hours = [window(closed=["year_end"])]
    assert is_open(hours, tokyo(2026, 12, 28, 14))
    assert is_open(hours, tokyo(2027, 1, 4, 14))


def test_one_windows_closure_does_not_close_the_entrys_other_window():
    hours = [window(closed=["year_end"], opens="09:00", closes="17:00"), window(opens="17:00", closes="22:00")]
    assert not is_open(hours, tokyo(2026, 12, 30, 12))
    assert is_open(hours, tokyo(2026, 12, 30, 19))


def test_an_overnight_window_belongs_to_the_day_it_opened_even_at_new_year():
    hours = [window(closed=["new_year_day"], opens="12:00", closes="05:30")]
    assert is_open(hours, tokyo(2027, 1, 1, 3))  # still New Year's Eve's window
    assert not is_open(hours, tokyo(2027, 1, 1, 23))
    assert not is_open(hours, tokyo(2027, 1, 2, 3))  # would have opened on 元日
    assert is_open(hours, tokyo(2027, 1, 2, 13))


def test_closures_given_for_the_entry_still_close_every_window():
    hours = [window(), window(opens="22:00", closes="23:00")]
    assert not is_open(hours, tokyo(2026, 12, 30, 22, 30), {"year_end": True})
    assert is_open(hours, tokyo(2026, 12, 30, 22, 30))


def test_each_window_takes_the_closures_of_the_sentence_that_describes_it():
    text = "電話：毎日 10:00〜22:00（元日を除く）。緊急避妊薬の医療機関同行支援：月〜金 9:00〜17:00（祝日・年末年始除く）"
    [phone] = build.windows_with_closures(text, [{"days": EVERY_DAY, "open": "10:00", "close": "22:00"}])
    assert phone["closed"] == ["new_year_day"]
    assert is_open([phone], tokyo(2026, 12, 30, 14))
    assert not is_open([phone], tokyo(2027, 1, 1, 14))


def test_the_first_sentence_naming_a_windows_times_is_its_line():
    text = "電話：火・水・金 15:00〜20:00、日 9:00〜14:00（元日を除く）。対面：月・木 15:00〜20:00（年末年始を除く）"
    windows = build.windows_with_closures(text, [
        {"days": ["tue", "wed", "fri"], "open": "15:00", "close": "20:00"},
        {"days": ["sun"], "open": "09:00", "close": "14:00"},
    ])
    assert [w["closed"] for w in windows] == [["new_year_day"], ["new_year_day"]]


def test_a_window_no_sentence_names_takes_the_closures_of_the_unattributed_sentences():
    text = "月曜日から金曜日 午前9時から午後5時（祝日・年末年始を除く）"
    [only] = build.windows_with_closures(text, [{"days": ["mon"], "open": "09:00", "close": "17:00"}])
    assert only["closed"] == ["year_end"]


def test_year_end_closure_with_dates_in_brackets_is_read():
    assert build.closures_from_text("年末年始（12/29〜1/3）を除き原則毎日")["year_end"]
    assert not build.closures_from_text("土日祝・年末年始 9:00〜17:00")["year_end"]
    assert build.closures_from_text("毎日 10:00〜22:00（元日を除く）") == {"year_end": False, "new_year_day": True}


def test_times_that_yaml_read_as_numbers_become_clock_times_again():
    assert build.clock(720) == "12:00"
    assert build.clock("9:00") == "09:00"
    with pytest.raises(ValueError):
        build.clock("noon")


# The real directory, built from the shared list.

@pytest.mark.parametrize("day", [d for d in NEW_YEAR_DAYS if d != (2027, 1, 1)])
def test_the_pregnancy_hotline_is_offered_over_the_year_end_but_not_on_new_years_day(day):
    hotline = load()["ninshin-hotline-tokyo"]
    assert hotline.open_at(tokyo(*day, 14))
    assert open_now(["pregnancy"], now=tokyo(*day, 14))[0].id == "ninshin-hotline-tokyo"
    assert not hotline.open_at(tokyo(2027, 1, 1, 14))
    assert "ninshin-hotline-tokyo" not in {p.id for p in open_now(["pregnancy"], now=tokyo(2027, 1, 1, 14))}


def test_the_teen_line_keeps_its_sunday_hours_on_3_january():
    assert load()["wakasapo"].open_at(tokyo(2027, 1, 3, 10))
    assert not load()["wakasapo"].open_at(tokyo(2027, 1, 3, 15))


def test_a_line_whose_own_text_says_year_end_is_closed_then():
    plaza = load()["tokyo-womens-plaza-dv"]
    assert plaza.open_at(tokyo(2026, 12, 28, 12))
    assert not plaza.open_at(tokyo(2026, 12, 30, 12))
