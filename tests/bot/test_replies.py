"""Which responses the bot chooses for a triage."""

from bot.replies import plan
from bot.triage import Triage


def make(intent="greet", urgency="low", concerns=(), handoff=False, confidence=0.95, factors=()):
    return Triage(intent=intent, confidence=confidence, urgency=urgency, concerns=list(concerns),
                  handoff=handoff, factors=list(factors))


def test_first_turn_says_it_is_a_bot_before_anything_else():
    assert plan(make(), introduced=False, offered_human=False).responses[0] == "utter_intro"


def test_in_an_emergency_the_life_saving_line_comes_first():
    chosen = plan(make("suicidal_ideation", "emergency", ["suicide_risk"], True), introduced=False, offered_human=False)
    assert chosen.responses[0] == "utter_suicide_emergency"
    assert "utter_intro" in chosen.responses
    assert "utter_ask_safety_emergency" in chosen.responses
    assert chosen.show_places


def test_high_risk_acknowledges_shows_places_hands_off_and_asks_one_question():
    chosen = plan(make("domestic_violence", "high", ["domestic_violence"], True), introduced=True, offered_human=False)
    assert chosen.responses == ["utter_dv_high", "utter_handoff_started", "utter_ask_dv_safety"]
    assert chosen.show_places and chosen.places_after == 1


def test_medium_risk_offers_a_human_instead_of_starting_a_handoff():
    chosen = plan(make("money_trouble", "medium", ["money"]), introduced=True, offered_human=False)
    assert "utter_offer_human" in chosen.responses
    assert chosen.offered_human


def test_yes_after_an_offer_means_a_human():
    chosen = plan(make("affirm"), introduced=True, offered_human=True)
    assert chosen.responses[0] == "utter_request_human"


def test_the_most_dangerous_concern_leads():
    chosen = plan(make("pregnancy_worry", "emergency", ["pregnancy", "sexual_violence"], True), introduced=True,
                  offered_human=False)
    assert chosen.responses[0] == "utter_sv_emergency"


def test_unsure_small_talk_gets_a_gentle_please_say_more():
    chosen = plan(make("greet", confidence=0.2), introduced=True, offered_human=False)
    assert chosen.responses == ["utter_default"]


def test_goodbye_leaves_24_hour_lines():
    chosen = plan(make("goodbye"), introduced=True, offered_human=False)
    assert chosen.responses == ["utter_goodbye"] and chosen.show_places


def test_the_safety_question_is_remembered_and_an_answer_is_not_small_talk():
    asked = plan(make("suicidal_ideation", "high", ["suicide_risk"], True), introduced=True, offered_human=False)
    assert asked.asked == "suicide_means"
    answer = plan(make("deny", "high", ["suicide_risk"], True), introduced=True, offered_human=False,
                  answering=asked.asked)
    assert answer.responses[0] == "utter_thanks_for_telling"
    assert "utter_deny" not in answer.responses


def test_lines_are_listed_again_only_when_the_answer_reveals_a_new_trouble():
    same = plan(make("deny", "high", ["suicide_risk"], True), introduced=True, offered_human=False,
                answering="suicide_means", previous_concerns=["suicide_risk"])
    assert not same.show_places
    new = plan(make("deny", "high", ["toyoko", "no_place_to_stay"], True), introduced=True, offered_human=False,
               answering="safe_place", previous_concerns=["toyoko"])
    assert new.show_places
