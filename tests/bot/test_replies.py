"""Which responses the bot chooses for a triage, and what it says about a person coming."""

from pathlib import Path

import yaml

from bot import signals as sig
from bot.actions.handoff_notice import Handoff, wait_minutes
from bot.compose import INTRO, LINES, NOTICE, QUESTION
from bot.replies import plan
from bot.triage import Triage, triage

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text("utf-8"))

NOBODY = Handoff(state="bot", counselors=0, queue_ahead=0)
TWO_ON_DUTY = Handoff(state="bot", counselors=2, queue_ahead=3)


def make(intent="greet", urgency="low", concerns=(), handoff=False, confidence=0.95, signals=(), hours=None):
    return Triage(intent=intent, confidence=confidence, urgency=urgency, concerns=list(concerns),
                  handoff=handoff, signals=list(signals), hours_since_event=hours)


def kinds(chosen):
    return [step.kind for step in chosen.steps]


def test_first_turn_introduces_the_bot_before_anything_else_even_in_a_crisis():
    chosen = plan(make("suicidal_ideation", "emergency", ["suicide_risk"], True), introduced=False, offered_human=False)
    assert chosen.steps[0].kind == INTRO
    assert chosen.responses[1] == "utter_suicide_emergency"
    assert chosen.steps[-1].kind == QUESTION and chosen.responses[-1] == "utter_ask_safety_emergency"
    assert kinds(chosen).count(LINES) == 1


def test_the_intro_is_not_repeated():
    assert INTRO not in kinds(plan(make(), introduced=True, offered_human=False))


def test_high_risk_acknowledges_lists_lines_gives_the_notice_and_asks_one_question():
    chosen = plan(make("domestic_violence", "high", ["domestic_violence"], True), introduced=True, offered_human=False)
    assert chosen.responses == ["utter_dv_high", "utter_notice_person_will_read", "utter_ask_dv_safety"]
    assert kinds(chosen) == ["say", LINES, NOTICE, QUESTION]


def test_with_counselors_on_duty_the_notice_gives_a_rough_wait():
    chosen = plan(make("domestic_violence", "high", ["domestic_violence"], True), introduced=True,
                  offered_human=False, handoff=TWO_ON_DUTY)
    [notice] = [s for s in chosen.steps if s.kind == NOTICE]
    assert notice.response == "utter_notice_called" and dict(notice.values)["minutes"] == 20


def test_the_wait_is_never_under_five_minutes():
    assert wait_minutes(0, 4) == 5
    assert wait_minutes(5, 1) == 60


def test_with_nobody_on_duty_she_is_told_once_with_lines_and_never_told_to_wait():
    first = plan(make("suicidal_ideation", "high", ["suicide_risk"], True), introduced=True, offered_human=False,
                 handoff=NOBODY)
    assert "utter_notice_no_counselor" in first.responses and first.notice == "no_counselor"
    assert kinds(first).count(LINES) == 1
    again = plan(make("suicidal_ideation", "high", ["suicide_risk"], True), introduced=True, offered_human=False,
                 handoff=Handoff(state="bot", counselors=0, noticed=first.notice))
    assert not [s for s in again.steps if s.kind == NOTICE]


def test_nobody_on_duty_means_no_offer_of_a_person():
    chosen = plan(make("money_trouble", "medium", ["money"]), introduced=True, offered_human=False, handoff=NOBODY)
    assert "utter_offer_human" not in chosen.responses and not chosen.offered_human


def test_while_waiting_the_notice_is_not_repeated_but_the_conversation_goes_on():
    waiting = Handoff(state="waiting", counselors=1, queue_ahead=0)
    chosen = plan(make("suicidal_ideation", "high", ["suicide_risk"], True), introduced=True, offered_human=False,
                  handoff=waiting)
    assert not [s for s in chosen.steps if s.kind == NOTICE]
    assert chosen.responses[-1] == "utter_ask_safety"


def test_asking_for_a_person_when_nobody_is_on_duty_gets_the_plain_answer_again():
    chosen = plan(make("request_human", signals=[sig.WANTS_HUMAN], handoff=True), introduced=True,
                  offered_human=False, handoff=Handoff(state="bot", counselors=0, noticed="no_counselor"))
    assert chosen.responses == ["utter_notice_no_counselor"] and LINES in kinds(chosen)


def test_medium_risk_offers_a_human_instead_of_a_handoff():
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


def test_a_friend_who_overdosed_gets_a_reply_about_the_friend():
    chosen = plan(make("suicidal_ideation", "emergency", ["suicide_risk"], True, signals=[sig.THIRD_PARTY]),
                  introduced=True, offered_human=False)
    assert chosen.responses[:2] == ["utter_third_party_ambulance", "utter_third_party_tell"]
    assert "utter_suicide_emergency" not in chosen.responses
    assert "utter_ask_safety_emergency" not in chosen.responses
    assert chosen.responses[-1] == "utter_ask_third_party"


def test_a_friend_being_hurt_now_gets_the_police_for_the_friend():
    chosen = plan(make("domestic_violence", "emergency", ["domestic_violence"], True, signals=[sig.THIRD_PARTY]),
                  introduced=True, offered_human=False)
    assert chosen.responses[0] == "utter_third_party_police"
    assert "utter_ask_dv_safety" not in chosen.responses


def test_being_followed_now_is_told_to_stay_among_people_not_to_go_outside():
    """The DV words say 「鍵のかかる部屋や外へ」; when a man is waiting outside the shop, outside is where he is."""
    chosen = plan(make("pregnancy_worry", "emergency", ["domestic_violence", "pregnancy"], True, signals=[sig.FOLLOWED]),
                  introduced=True, offered_human=False)
    assert chosen.responses[0] == "utter_followed"
    assert "utter_dv_emergency" not in chosen.responses
    assert chosen.responses[-1] == "utter_ask_safe_now"
    text = DOMAIN["responses"]["utter_followed"][0]["text"]
    assert "{police}" in text and "外には出ないで" in text
    wish = plan(make("suicidal_ideation", "emergency", ["suicide_risk", "domestic_violence"], True, signals=[sig.FOLLOWED]),
                introduced=True, offered_human=False)
    assert wish.responses[0] == "utter_suicide_emergency"  # a wish to die is answered first


def test_danger_with_no_topic_gets_police_and_ambulance_not_a_request_to_rephrase():
    chosen = plan(make("out_of_scope", "emergency", [], True, confidence=0.3), introduced=True, offered_human=False)
    assert chosen.responses[0] == "utter_danger_now"
    assert "utter_default" not in chosen.responses
    [lines] = [s for s in chosen.steps if s.kind == LINES]
    assert lines.emergency


def test_an_assault_within_120_hours_gets_the_one_stop_centre_first():
    chosen = plan(make("sexual_violence", "high", ["sexual_violence"], True, hours=48), introduced=True,
                  offered_human=False)
    assert "utter_sv_recent" in chosen.responses
    [lines] = [s for s in chosen.steps if s.kind == LINES]
    assert lines.extra[0] == "onestop-8891"
    older = plan(make("sexual_violence", "high", ["sexual_violence"], True, hours=24 * 30), introduced=True,
                 offered_human=False)
    assert "utter_sv_recent" not in older.responses


def test_host_club_debt_gets_the_law_and_who_to_ask_before_paying():
    chosen = plan(make("host_club_trouble", "medium", ["host_club"]), introduced=True, offered_human=False)
    assert "utter_host_law" in chosen.responses


def test_a_minor_who_cannot_go_home_gets_the_child_lines_and_the_school_nurse():
    chosen = plan(make("toyoko_youth", "high", ["toyoko", "minor"], True), introduced=True, offered_human=False)
    assert "utter_minor_home" in chosen.responses
    [lines] = [s for s in chosen.steps if s.kind == LINES]
    assert "jido-gyakutai-189" in lines.extra


def test_unsure_small_talk_gets_a_gentle_please_say_more():
    chosen = plan(make("greet", confidence=0.2), introduced=True, offered_human=False)
    assert chosen.responses == ["utter_default"]


def test_goodbye_leaves_24_hour_lines():
    chosen = plan(make("goodbye"), introduced=True, offered_human=False)
    assert chosen.responses == ["utter_goodbye"] and chosen.shows_lines


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
    assert not same.shows_lines
    new = plan(make("deny", "high", ["toyoko", "no_place_to_stay"], True), introduced=True, offered_human=False,
               answering="safe_place", previous_concerns=["toyoko"])
    assert new.shows_lines


def test_metadata_from_the_handoff_service_is_read():
    handoff = Handoff.from_metadata({"state": "waiting", "counselors_on_duty": 3, "queue_ahead": 2}, "called")
    assert (handoff.state, handoff.counselors, handoff.queue_ahead, handoff.noticed) == ("waiting", 3, 2, "called")
    assert Handoff.from_metadata({}).counselors is None


def test_her_answer_about_the_friend_keeps_the_reply_on_the_friend():
    asked = plan(make("suicidal_ideation", "emergency", ["suicide_risk"], True, signals=[sig.THIRD_PARTY]),
                 introduced=True, offered_human=False)
    answer = plan(make("affirm", "emergency", ["suicide_risk"], True), introduced=True, offered_human=False,
                  answering=asked.asked)
    assert answer.responses[0] == "utter_third_party_stay"
    assert "utter_suicide_emergency" not in answer.responses


def test_a_recent_assault_is_not_told_however_long_ago():
    chosen = plan(make("sexual_violence", "high", ["sexual_violence"], True, signals=[sig.ASSAULT_RECENT]),
                  introduced=True, offered_human=False)
    assert chosen.responses[0] == "utter_sv_recent_ack"


def test_in_the_middle_of_her_trouble_an_unclear_message_is_listened_to_not_turned_away():
    cold = Triage(intent="out_of_scope", confidence=0.8)
    assert plan(cold, introduced=True, offered_human=False, ongoing=True).responses == ["utter_listening"]
    assert plan(cold, introduced=True, offered_human=False).responses == ["utter_out_of_scope"]


def test_asked_to_call_the_police_the_bot_says_it_cannot_and_who_can():
    chosen = plan(make("suicidal_ideation", "emergency", ["suicide_risk"], True, signals=[sig.RESCUE_CALL]),
                  introduced=True, offered_human=False)
    assert chosen.responses[0] == "utter_rescue_call"
    assert "utter_suicide_emergency" not in chosen.responses
    assert chosen.responses[-1] == "utter_ask_safe_now"


def test_late_pregnancy_and_labour_speak_of_her_body_before_any_question():
    late = plan(make("pregnancy_worry", "high", ["pregnancy"], True, signals=[sig.LATE_PREGNANCY]),
                introduced=True, offered_human=False)
    labour = plan(make("pregnancy_worry", "emergency", ["pregnancy"], True, signals=[sig.LATE_PREGNANCY]),
                  introduced=True, offered_human=False)
    assert late.responses[0] == "utter_pregnancy_late" and labour.responses[0] == "utter_pregnancy_labour"
    assert LINES in kinds(labour) and QUESTION not in kinds(labour)  # she should be calling 119, not answering
    assert late.responses[-1] == "utter_ask_safe_now"


def test_labour_lists_the_ambulance_and_another_crisis_at_term_is_answered_as_that_crisis():
    labour = plan(make("pregnancy_worry", "emergency", ["pregnancy"], True, signals=[sig.LATE_PREGNANCY]),
                  introduced=True, offered_human=False)
    lines = next(step for step in labour.steps if step.kind == LINES)
    assert "emergency-119" in lines.extra
    overdose = plan(make("suicidal_ideation", "emergency", ["pregnancy", "suicide_risk"], True,
                         signals=[sig.LATE_PREGNANCY, sig.OVERDOSE_TAKEN]), introduced=True, offered_human=False)
    assert "utter_pregnancy_labour" not in overdose.responses
    assert overdose.responses[0] == "utter_suicide_emergency"


def test_a_body_emergency_that_is_not_self_harm_gets_the_ambulance_and_no_question():
    chosen = plan(make("pregnancy_worry", "emergency", ["pregnancy"], True, signals=[sig.BODY_EMERGENCY]),
                  introduced=True, offered_human=False)
    assert chosen.responses[0] == "utter_body_emergency" and QUESTION not in kinds(chosen)
    lines = next(step for step in chosen.steps if step.kind == LINES)
    assert "emergency-119" in lines.extra


def test_waking_somewhere_unknown_is_answered_as_an_assault_not_as_low_mood():
    """The classifier reads 「目が覚めたら知らないホテル…何も覚えてない」 as low mood; she needs the one-stop centre."""
    result = triage("さっき目が覚めたら知らないホテルで、服がぐちゃぐちゃで何も覚えてない",
                    [{"name": "mental_distress", "confidence": 1.0}])
    chosen = plan(result, introduced=True, offered_human=False)
    assert chosen.responses[0] == "utter_sv_emergency" and "utter_sv_recent" in chosen.responses
    assert "utter_distress_medium" not in chosen.responses
    [lines] = [s for s in chosen.steps if s.kind == LINES]
    assert lines.emergency and lines.extra[:2] == ("onestop-8891", "sarc-tokyo")


def test_a_drink_spiked_now_is_told_to_call_the_police_and_ask_people_nearby():
    chosen = plan(make("sexual_violence", "emergency", ["sexual_violence"], True, signals=[sig.DRUGGED]),
                  introduced=True, offered_human=False)
    assert chosen.responses[0] == "utter_drugged"
    assert "utter_sv_recent" in chosen.responses  # the one-stop centre: evidence and care
    assert chosen.responses[-1] == "utter_ask_safe_now"
    text = DOMAIN["responses"]["utter_drugged"][0]["text"]
    assert "{police}" in text and "{ambulance}" in text and "何も悪くない" in text
