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
