"""The support directory: only verified numbers, each with its source, open-now in Tokyo time."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from bot.support import build
from bot.support.directory import load, open_now
from bot.support.hours import TOKYO, is_open

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "resources-tokyo.yml"
PHONE_LIKE = re.compile(r"#\d{4}|0\d{1,4}-\d{1,4}-\d{3,4}|(?<![\d-])1[18][09](?![\d-])|(?<![\d-])189(?![\d-])")


def tokyo(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=TOKYO)


@pytest.fixture(scope="module")
def shared_entries():
    if not SHARED.exists():
        pytest.skip("shared/resources-tokyo.yml is not beside this checkout")
    return yaml.safe_load(SHARED.read_text(encoding="utf-8"))


def test_committed_directory_is_what_the_build_makes(shared_entries, tmp_path):
    out = tmp_path / "directory.yml"
    build.main([str(SHARED), "--out", str(out)])
    assert yaml.safe_load(out.read_text()) == yaml.safe_load(build.DIRECTORY_PATH.read_text())


def test_no_low_entry_and_no_unverified_number_is_ever_shown(shared_entries):
    low_ids = {e["id"] for e in shared_entries if e["confidence"] == "low"}
    unverified = {p["number"] for e in shared_entries for p in e.get("unverified_phones") or []}
    verified = {p["number"] for e in shared_entries if e["confidence"] != "low" for p in e.get("phones") or []}
    places = load()
    assert not low_ids & set(places)
    shown = {p.phone for p in places.values()}
    assert not (unverified - verified) & shown
    directory_text = build.DIRECTORY_PATH.read_text()
    for number in unverified - verified:
        assert number not in directory_text


def test_every_entry_keeps_its_source():
    for entry in yaml.safe_load(build.DIRECTORY_PATH.read_text()):
        assert entry["source_url"].startswith("http")
        assert entry["confidence"] in ("high", "medium")


def test_no_number_in_replies_or_code_that_is_not_in_the_directory():
    known = {p.phone for p in load().values() if p.phone}
    known |= {ph["number"] for e in yaml.safe_load(build.DIRECTORY_PATH.read_text()) for ph in e["phones"]}
    sources = [ROOT / "domain.yml", *sorted((ROOT / "bot").rglob("*.py"))]
    for path in sources:
        for number in PHONE_LIKE.findall(path.read_text(encoding="utf-8")):
            assert number in known, f"{number} in {path.name} is not in the directory"


def test_24h_lines_are_always_open():
    assert is_open("24h", tokyo(2026, 1, 1, 3))


def test_unknown_hours_count_as_closed():
    assert not is_open(None, tokyo(2026, 11, 26, 12))


def test_a_window_past_midnight_belongs_to_the_day_it_opened():
    hours = [{"days": ["mon"], "open": "12:00", "close": "05:30"}]
    assert is_open(hours, tokyo(2026, 11, 30, 23))  # Monday night
    assert is_open(hours, tokyo(2026, 12, 1, 4))  # early Tuesday, still Monday's window
    assert not is_open(hours, tokyo(2026, 12, 1, 6))
    assert not is_open(hours, tokyo(2026, 11, 30, 4))  # early Monday belongs to Sunday


def test_a_public_holiday_is_closed_unless_the_entry_opens_on_holidays():
    weekdays = [{"days": ["mon", "tue", "wed", "thu", "fri"], "open": "09:00", "close": "20:00"}]
    # 2026-11-23 (Mon) is 勤労感謝の日.
    assert not is_open(weekdays, tokyo(2026, 11, 23, 12))
    assert is_open(weekdays, tokyo(2026, 11, 24, 12))
    assert is_open(weekdays + [{"days": ["holiday"], "open": "09:00", "close": "17:00"}], tokyo(2026, 11, 23, 12))


def test_year_end_closure_from_the_hours_text():
    every_day = [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday"], "open": "09:00", "close": "21:00"}]
    closures = build.closures_from_text("毎日 9:00〜21:00（年末年始を除く）")
    assert not is_open(every_day, tokyo(2026, 12, 30, 12), closures)
    assert is_open(every_day, tokyo(2026, 12, 27, 12), closures)


def test_time_must_be_aware():
    with pytest.raises(ValueError):
        is_open([{"days": ["mon"], "open": "09:00", "close": "10:00"}], datetime(2026, 11, 30, 9, 30))


def test_at_2am_only_open_lines_are_offered_and_never_none():
    night = tokyo(2026, 11, 26, 2)
    for concerns in (["pregnancy"], ["money"], ["host_club"], ["domestic_violence"], ["suicide_risk"], []):
        places = open_now(concerns, now=night)
        assert places, concerns
        assert all(place.open_at(night) for place in places)


def test_daytime_pregnancy_worry_gets_the_pregnancy_hotline():
    places = open_now(["pregnancy"], now=tokyo(2026, 11, 26, 14))
    assert places[0].id == "ninshin-hotline-tokyo"


def test_overdose_gets_the_ambulance_first_and_violence_gets_the_police_first():
    assert open_now(["suicide_risk"], emergency=True)[0].phone == "119"
    assert open_now(["domestic_violence"], emergency=True)[0].phone == "110"


def test_child_lines_are_not_offered_to_a_known_adult():
    afternoon = tokyo(2026, 11, 26, 14)
    assert "tokyo-jido-sodan-center" in {p.id for p in open_now(["toyoko", "minor"], age=15, now=afternoon)}
    assert "tokyo-jido-sodan-center" not in {p.id for p in open_now(["toyoko"], age=25, now=afternoon)}
