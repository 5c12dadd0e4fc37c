"""The pregnancy check: reading answers and the advice that follows the facts."""

import pytest

from bot import pregnancy


@pytest.mark.parametrize(
    "hours, expected",
    [
        (3, "utter_pregnancy_ec_72"),
        (72, "utter_pregnancy_ec_72"),
        (96, "utter_pregnancy_ec_120"),
        (120, "utter_pregnancy_ec_120"),
        (24 * 10, "utter_pregnancy_wait_test"),
        (24 * 21, "utter_pregnancy_test_now"),
        (None, "utter_pregnancy_unknown_time"),
    ],
)
def test_advice_follows_the_time(hours, expected):
    assert pregnancy.advice(hours, "not_yet", None)[0] == expected


def test_positive_test_comes_first_and_teens_get_the_teen_line():
    assert pregnancy.advice(24 * 40, "positive", 16) == ["utter_pregnancy_positive", "utter_pregnancy_minor"]


@pytest.mark.parametrize(
    "text, value",
    [("陽性だった", "positive"), ("線うっすら出た", "positive"), ("陰性でした", "negative"),
     ("まだ使ってない", "not_yet"), ("答えたくない", "skipped")],
)
def test_reading_the_test_answer(text, value):
    assert pregnancy.read_test(text) == value


def test_reading_when():
    assert pregnancy.read_when("昨日の夜") == ("18h", 18.0)
    assert pregnancy.read_when("わからない") == ("unknown", None)


@pytest.mark.parametrize("text", ["やめる", "もういい", "やっぱりいい", "ストップ"])
def test_leaving_the_check(text):
    assert pregnancy.wants_to_stop(text)


def test_a_report_of_assault_is_not_a_request_to_stop():
    assert not pregnancy.wants_to_stop("やめてって言ったのにやめてくれなかった")


def responses(steps):
    return [step.response for step in steps]


def test_three_days_ago_is_urged_today_and_told_what_is_possible_after_72_hours():
    assert responses(pregnancy.time_advice(72)) == [
        "utter_pregnancy_ec_72", "utter_pregnancy_ec_how", "utter_pregnancy_ec_edge"]
    assert "utter_pregnancy_ec_edge" not in responses(pregnancy.time_advice(20))


def test_after_120_hours_she_learns_when_to_test():
    [step] = pregnancy.time_advice(24 * 10)
    assert step.response == "utter_pregnancy_wait_test" and dict(step.values)["days"] == 11


def test_the_time_advice_is_not_repeated_at_the_end_but_the_pharmacy_is_recalled():
    end = responses(pregnancy.closing_advice(40, "not_yet", "30d", 16, advised=True))
    assert end == ["utter_pregnancy_ec_reminder", "utter_pregnancy_minor"]


def test_a_late_period_means_test_now():
    assert pregnancy.period_late("late") and pregnancy.period_late("40d") and not pregnancy.period_late("20d")
    end = responses(pregnancy.closing_advice(24 * 10, "not_yet", "late", 25, advised=True))
    assert end[0] == "utter_pregnancy_period_late"


def test_a_positive_test_is_about_what_comes_next_not_the_window():
    assert responses(pregnancy.closing_advice(30, "positive", None, 30, advised=False)) == ["utter_pregnancy_positive"]


def test_every_fact_has_its_date_and_a_source_or_is_flagged():
    from bot import facts

    for fact in facts.load().values():
        assert fact.checked and fact.say
        assert fact.sourced or fact.note, f"{fact.id}: no source and no note"
        assert all(url.startswith("https://") for url in fact.source_urls)
    assert set(facts.unsourced()) == {f.id for f in facts.load().values() if not f.source_urls}


def test_the_pill_facts_say_what_changed_in_2026():
    from bot import facts

    said = facts.sayings()
    assert "処方箋なし" in said["ec_otc"] and "親の同意" in said["ec_otc"]
    assert "7,480円" in said["ec_how"] and "8割" in said["ec_effect"]


def test_after_the_pill_was_taken_she_hears_when_to_test_not_where_to_buy_it():
    assert responses(pregnancy.time_advice(20, ec_taken=True)) == ["utter_pregnancy_ec_taken"]
    end = responses(pregnancy.closing_advice(20, "not_yet", "30d", 22, advised=True, ec_taken=True))
    assert "utter_pregnancy_ec_reminder" not in end
    assert responses(pregnancy.time_advice(24 * 30, ec_taken=True)) == ["utter_pregnancy_test_now"]
