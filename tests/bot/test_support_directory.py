"""The support directory: only verified numbers, each with its source, open-now in Tokyo time."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from bot.support import build
from bot.support.directory import format_lines, load, open_in_language, open_now, opening_later
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
    pages = [p for p in sorted((ROOT / "handoff" / "static").rglob("*")) if p.suffix in (".js", ".html")]
    sources = [ROOT / "domain.yml", *sorted((ROOT / "bot").rglob("*.py")), *sorted((ROOT / "bot").rglob("*.yml")),
               *sorted((ROOT / "handoff").rglob("*.py")), *pages]
    sources = [p for p in sources if p.name != "directory.yml" and "/bot/data/" not in str(p)]  # her words, not ours
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


# Languages, low-confidence hours, night lines. Fixed Tokyo times: 2026-11-26 is a Thursday.

THURSDAY_2AM = tokyo(2026, 11, 26, 2)
THURSDAY_2PM = tokyo(2026, 11, 26, 14)
NEW_YEAR_2AM = tokyo(2027, 1, 1, 2)
CONCERNS = ("pregnancy", "domestic_violence", "sexual_violence", "host_club", "toyoko", "no_place_to_stay",
            "suicide_risk", "mental_distress", "money", "minor")
# Every 3 hours over a week, and around the new year.
GRID = [tokyo(2026, 11, 23 + day, hour) for day in range(7) for hour in range(1, 24, 3)]
GRID += [tokyo(*day, hour) for day in ((2026, 12, 29), (2026, 12, 31), (2027, 1, 1), (2027, 1, 3)) for hour in (2, 14, 20)]


def low_hours_ids(shared_entries):
    return {e["id"] for e in shared_entries if e.get("hours_confidence") == "low"}


def test_every_entry_answers_in_the_languages_the_shared_list_gives_and_japanese_by_default(shared_entries):
    shared = {e["id"]: e for e in shared_entries}
    places = load()
    for entry in yaml.safe_load(build.DIRECTORY_PATH.read_text()):
        source = shared[entry.get("after_hours_of") or entry["id"]]
        assert entry["languages"] == (source.get("languages") or ["ja"]), entry["id"]
        assert places[entry["id"]].languages == tuple(entry["languages"])
    assert "vi" in places["yorisoi-hotline-foreign-language"].languages
    assert places["ninshin-hotline-tokyo"].languages == ("ja",)


def test_every_place_keeps_its_source_url_and_date(shared_entries):
    shared = {e["id"]: e for e in shared_entries}
    for place in load().values():
        source = shared[place.after_hours_of or place.id]
        assert (place.source_url, place.source_date) == (source["source_url"], str(source["source_date"]))


def test_low_confidence_hours_are_shown_as_to_be_checked(shared_entries):
    places = load()
    unsure = low_hours_ids(shared_entries) & set(places)
    assert {"tokyo-challenge-net", "tokyo-josei-sodan-shien-center"} <= unsure
    for place_id in unsure:
        assert places[place_id].hours == "時間は要確認"
        assert places[place_id].line().endswith("（時間は要確認）")


def test_every_line_shown_as_open_24_hours_is_24_hours_in_its_machine_hours():
    for place in load().values():
        if place.hours.startswith("24時間") or place.hours.startswith("電話24時間"):
            assert place.hours_machine == "24h", place.id


def test_a_line_of_low_confidence_hours_is_never_called_open(shared_entries):
    challenge = load()["tokyo-challenge-net"]
    assert challenge.recorded_open(THURSDAY_2PM)  # the recorded (narrowest) hours say open ...
    assert not challenge.open_at(THURSDAY_2PM)  # ... but we do not know it is
    unsure = low_hours_ids(shared_entries)
    for now in GRID:
        for concern in CONCERNS:
            assert not unsure & {p.id for p in open_now([concern], now=now, limit=10)}, (concern, now)


def test_a_low_confidence_line_is_offered_for_later_with_hours_to_check_when_its_hours_say_closed():
    later = opening_later(["no_place_to_stay"], age=25, now=THURSDAY_2AM, limit=3)
    assert "tokyo-challenge-net" in {p.id for p in later}
    assert "時間は要確認" in format_lines(later)
    assert "tokyo-challenge-net" not in {p.id for p in opening_later(["no_place_to_stay"], now=THURSDAY_2PM, limit=3)}


def test_a_counselor_can_ask_for_lines_whose_hours_need_checking_after_the_known_open_ones():
    places = open_now(["no_place_to_stay"], now=THURSDAY_2PM, limit=5, unsure=True)
    ids = [p.id for p in places]
    assert "tokyo-challenge-net" in ids
    known = [p.hours_known for p in places]
    assert known == sorted(known, reverse=True)
    assert "tokyo-challenge-net" not in {p.id for p in open_now(["no_place_to_stay"], now=THURSDAY_2AM, limit=5, unsure=True)}


def test_at_any_hour_the_list_is_never_empty_never_closed_and_never_repeats_a_number():
    for now in GRID:
        for concerns in [[c] for c in CONCERNS] + [[], ["host_club", "minor"], ["money", "no_place_to_stay"]]:
            for age in (None, 16, 25):
                places = open_now(concerns, age=age, now=now)
                assert places, (concerns, age, now)
                assert all(p.open_at(now) for p in places)
                phones = [p.phone for p in places if p.phone]
                assert len(phones) == len(set(phones)), (concerns, age, now)


def test_the_fallback_is_a_24_hour_line_of_high_confidence_hours():
    fallback = open_now([], now=NEW_YEAR_2AM)
    assert any(p.hours_machine == "24h" and p.hours_confidence == "high" for p in fallback)


@pytest.mark.parametrize("night", [THURSDAY_2AM, NEW_YEAR_2AM], ids=["weekday", "new-year"])
def test_an_adult_with_host_club_trouble_at_night_gets_the_police_host_club_night_line(night):
    places = open_now(["host_club"], age=25, now=night)
    assert places[0].id == "keishicho-host-club-higai-madoguchi-night"
    assert places[0].phone == load()["keishicho-young-telephone"].phone  # the number that answers at night
    assert "keishicho-young-telephone" not in {p.id for p in places}  # the youth line itself stays for the young
    assert all(p.open_at(night) for p in places) and len(places) >= 2
    later = {p.id for p in opening_later(["host_club"], age=25, now=night, limit=3)}
    assert {"shohisha-hotline-188", "houterasu-support-dial"} <= later


def test_by_day_host_club_trouble_gets_the_host_club_window_188_and_houterasu():
    ids = [p.id for p in open_now(["host_club"], age=25, now=THURSDAY_2PM)]
    assert ids == ["keishicho-host-club-higai-madoguchi", "shohisha-hotline-188", "houterasu-support-dial"]


def test_the_night_line_is_not_offered_while_the_day_window_is_open():
    assert "keishicho-host-club-higai-madoguchi-night" not in {
        p.id for p in open_now(["host_club"], age=25, now=THURSDAY_2PM, limit=10)}


def test_a_minor_with_host_club_trouble_gets_the_police_night_number_once():
    places = open_now(["host_club", "minor"], age=16, now=THURSDAY_2AM, limit=5)
    night_number = load()["keishicho-young-telephone"].phone
    assert [p.phone for p in places].count(night_number) == 1


def test_an_adult_with_money_trouble_at_night_gets_open_lines_and_188_and_houterasu_for_later():
    places = open_now(["money"], age=25, now=THURSDAY_2AM)
    assert "yorisoi-hotline" in {p.id for p in places}
    later = {p.id for p in opening_later(["money"], age=25, now=THURSDAY_2AM, limit=3)}
    assert {"houterasu-support-dial", "shohisha-hotline-188"} <= later


def test_188_is_open_only_in_the_hours_every_reading_agrees_on():
    hotline = load()["shohisha-hotline-188"]
    assert hotline.open_at(tokyo(2026, 11, 28, 11))  # Saturday
    assert not hotline.open_at(tokyo(2026, 11, 26, 9, 30))  # 9:00 only on some weekdays' desks
    assert not hotline.open_at(tokyo(2026, 12, 30, 11))  # 年末年始
    assert not hotline.open_at(NEW_YEAR_2AM)


def test_lines_in_her_language_answer_in_it_and_are_open():
    for now in GRID:
        for language in ("en", "zh", "ko", "vi", "tl", "pt", "es", "ne"):
            for concerns, emergency in ((["domestic_violence"], False), (["suicide_risk"], True), ([], False)):
                places = open_in_language(language, concerns, emergency=emergency, now=now)
                assert all(language in p.languages and p.open_at(now) and p.hours_known for p in places)
                assert not {"police-110", "emergency-119"} & {p.id for p in places} or emergency


def test_a_vietnamese_woman_with_dv_by_day_gets_the_foreign_language_dv_chat_first():
    places = open_in_language("vi", ["domestic_violence"], now=THURSDAY_2PM)
    assert places[0].id == "dv-sodan-plus-foreign-language"
    assert places[0].phone is None and places[0].url in places[0].line()  # the chat, not the Japanese phone line


def test_an_english_overdose_at_night_gets_the_ambulance_first_and_no_visitor_information():
    places = open_in_language("en", ["suicide_risk"], emergency=True, now=THURSDAY_2AM)
    assert [p.id for p in places][:2] == ["emergency-119", "police-110"]
    assert "jnto-japan-visitor-hotline" not in {p.id for p in places}


def test_information_lines_are_offered_only_when_no_concern_is_known_or_they_fit_it():
    assert "immigration-info-center" not in {p.id for p in open_in_language("vi", ["suicide_risk"], now=THURSDAY_2PM)}
    assert "immigration-info-center" in {p.id for p in open_in_language("vi", [], now=THURSDAY_2PM, limit=10)}


def test_japanese_is_the_ordinary_lookup():
    assert open_in_language("ja", ["pregnancy"], now=THURSDAY_2PM) == open_now(["pregnancy"], now=THURSDAY_2PM)


def test_a_night_line_needs_its_number_verified_in_both_entries():
    parent = {"id": "a", "name": "A", "phones": [{"number": "number-a", "label": "夜間"}], "hours": "",
              "hours_confidence": "high", "source_url": "https://a.example", "confidence": "high"}
    service = dict(parent, id="b", phones=[{"number": "number-b", "label": "24時間"}], hours_machine="24h")
    spec = {"line_of": "a", "hours_of": "b", "phone": "number-a"}
    with pytest.raises(ValueError):
        build.build([parent, service], {"a-night": spec})
    service["phones"] = parent["phones"]
    [_, _, night] = build.build([parent, service], {"a-night": spec})
    assert (night["after_hours_of"], night["hours_machine"], night["source_url"]) == ("a", "24h", "https://a.example")


def test_a_low_confidence_entry_never_comes_back_as_a_night_line():
    parent = {"id": "a", "name": "A", "phones": [{"number": "number-a", "label": "夜間"}], "hours": "",
              "hours_confidence": "high", "source_url": "https://a.example", "confidence": "high"}
    service = dict(parent, id="b", confidence="low", hours_machine="24h")
    with pytest.raises(KeyError):
        build.build([parent, service], {"a-night": {"line_of": "a", "hours_of": "b", "phone": "number-a"}})
