"""The actions in process, as rasa-sdk's own tests do: a Tracker, a CollectingDispatcher, the domain.

What is asserted is what she would see in the turn: how many messages, what
they say about a person coming, the advice, and that no number comes twice.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import signals as sig
from bot.actions import slots
from bot.actions.pregnancy_form import ActionPregnancyFormEnd, AskLastPeriod, ValidatePregnancyForm
from bot.actions.support_reply import ActionSupportReply
from bot.actions.turn import standing_values
from bot.compose import MAX_MESSAGES, fill
from bot.triage import Triage

DOMAIN: Dict[str, Any] = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text("utf-8"))
PHONE = re.compile(r"#\d{4}|(?<![\d-])0\d{1,4}-\d{1,4}-\d{3,4}(?![\d-])|(?<![\d\-#])1[18][089](?![\d-])")
NOBODY = {"state": "bot", "counselors_on_duty": 0, "queue_ahead": 0, "channel": "line", "language": "ja"}
TIMESTAMP = 1700000000.0


def tracker(text: str, intent: str = "out_of_scope", *, slot_values: Optional[Dict[str, Any]] = None,
            akari: Optional[Dict[str, Any]] = None, triaged: Optional[Triage] = None) -> Tracker:
    """A tracker whose latest message is ``text``; ``triaged`` marks it as already triaged this turn."""
    values = {name: None for name in DOMAIN["slots"]}
    values.update(slot_values or {})
    if triaged is not None:
        values[slots.LAST_TRIAGE] = triaged.as_payload()
        values[slots.TRIAGED_MESSAGE] = f"{TIMESTAMP}"
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9},
               "intent_ranking": [{"name": intent, "confidence": 0.9}], "entities": [],
               "metadata": {"akari": akari} if akari is not None else {}}
    events = [{"event": "user", "timestamp": TIMESTAMP, "text": text}]
    requested = values.get(slots.REQUESTED_SLOT)
    if requested and values.get(requested) is not None:  # what action_extract_slots set from her answer
        events.append({"event": "slot", "timestamp": TIMESTAMP, "name": requested, "value": values[requested]})
    active = {"name": slots.PREGNANCY_FORM} if requested else {}
    return Tracker("her", values, message, events, False, None, active, "action_listen")


def run(action, tr: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tr, DOMAIN))
    return [m["text"] for m in dispatcher.messages if m.get("text")], events


def slot_events(events) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def assert_fits_a_phone(messages: List[str]) -> None:
    assert 0 < len(messages) <= MAX_MESSAGES
    assert not any("\n\n" in m for m in messages)
    numbers = Counter(PHONE.findall("\n".join(messages)))
    assert all(count == 1 for count in numbers.values()), numbers


def crisis(**kwargs) -> Triage:
    values = dict(intent="suicidal_ideation", confidence=0.9, urgency="emergency", concerns=["suicide_risk"],
                  handoff=True)
    values.update(kwargs)
    return Triage(**values)


def test_a_first_crisis_message_with_nobody_on_duty_is_one_short_honest_turn():
    messages, events = run(ActionSupportReply(), tracker("ブロン全部のんだ", "suicidal_ideation", akari=NOBODY,
                                                         triaged=crisis()))
    assert_fits_a_phone(messages)
    words = "\n".join(messages)
    assert "自動応答ボット" in messages[0]
    assert "119" in words and "相談員さんがいない" in words
    assert "待っていて" not in words
    assert messages[-1].rstrip().endswith(("？", "?", "ね。", "よ。"))
    assert slot_events(events)[slots.HANDOFF_NOTICE] == "no_counselor"


def test_the_no_counselor_notice_is_given_once_per_conversation():
    tr = tracker("まだつらい", "suicidal_ideation", akari=NOBODY, triaged=crisis(urgency="high"),
                 slot_values={slots.INTRODUCED: True, slots.HANDOFF_NOTICE: "no_counselor"})
    messages, _ = run(ActionSupportReply(), tr)
    assert "相談員さんがいない" not in "\n".join(messages)
    assert messages  # the bot stays with her


def test_with_counselors_on_duty_she_hears_a_rough_wait():
    akari = {"state": "bot", "counselors_on_duty": 2, "queue_ahead": 3}
    messages, _ = run(ActionSupportReply(), tracker("しにたい", "suicidal_ideation", akari=akari,
                                                   triaged=crisis(urgency="high")))
    assert "目安は20分くらい" in "\n".join(messages)


def test_without_metadata_a_person_will_read_it_with_no_wait_figure():
    messages, _ = run(ActionSupportReply(), tracker("しにたい", "suicidal_ideation", triaged=crisis(urgency="high")))
    words = "\n".join(messages)
    assert "相談員さんにも届く" in words and "分くらい" not in words


def test_while_waiting_the_bot_keeps_going_without_repeating_the_notice():
    akari = {"state": "waiting", "counselors_on_duty": 1, "queue_ahead": 0}
    tr = tracker("しにたい", "suicidal_ideation", akari=akari, triaged=crisis(urgency="high"),
                 slot_values={slots.INTRODUCED: True})
    messages, _ = run(ActionSupportReply(), tr)
    words = "\n".join(messages)
    assert "相談員さん" not in words
    assert messages[-1].endswith("？")


def test_a_friends_overdose_is_answered_about_the_friend():
    friend = crisis(signals=[sig.THIRD_PARTY])
    messages, _ = run(ActionSupportReply(), tracker("友達がさっきブロン大量に飲んだって", "suicidal_ideation",
                                                   akari=NOBODY, triaged=friend))
    assert_fits_a_phone(messages)
    words = "\n".join(messages)
    assert "119" in words and "いつ飲んだか" in words and "そばに" in words
    assert "あなたの命がとても心配" not in words
    assert "いま、あなたはどこにいる" not in words


def test_danger_without_a_topic_gets_police_and_ambulance_now():
    danger = Triage(intent="out_of_scope", confidence=0.3, urgency="emergency", handoff=True)
    messages, _ = run(ActionSupportReply(), tracker("たすけて", triaged=danger))
    words = "\n".join(messages)
    assert "110" in words and "119" in words
    assert "うまく読み取れなかった" not in words


def test_host_club_debt_names_the_2025_law_and_who_to_ask_before_paying():
    host = Triage(intent="host_club_trouble", confidence=0.9, urgency="medium", concerns=["host_club"])
    messages, _ = run(ActionSupportReply(), tracker("売掛が払えない", "host_club_trouble", triaged=host))
    assert_fits_a_phone(messages)
    words = "\n".join(messages)
    assert "色恋営業" in words and "法テラス" in words and standing_values()["consumer"] in words


def form_tracker(text: str, requested: str, **slot_values: Any) -> Tracker:
    values = {slots.REQUESTED_SLOT: requested, slots.PREGNANCY_INTRO_GIVEN: True, slots.INTRODUCED: True}
    values.update(slot_values)
    return tracker(text, "pregnancy_worry", slot_values=values)


def test_the_time_answer_gets_the_pharmacy_advice_in_the_same_turn_as_the_next_question():
    tr = form_tracker("40時間くらい前", slots.LAST_PERIOD, pregnancy_hours=40.0,
                      last_triage=Triage("pregnancy_worry", 0.9, "high", ["pregnancy"], True).as_payload())
    messages, events = run(AskLastPeriod(), tr)
    assert_fits_a_phone(messages)
    words = "\n".join(messages)
    assert "薬局" in words and "処方箋なし" in words and "親の同意" in words and "7,480円" in words
    assert "生理" in messages[-1]
    assert slot_events(events)[slots.PREGNANCY_ADVISED] is True
    again, _ = run(AskLastPeriod(), form_tracker("先月", slots.TEST_DONE, pregnancy_hours=40.0,
                                                  pregnancy_advised=True))
    assert "処方箋なし" not in "\n".join(again)


def test_three_days_ago_is_not_told_today_or_tomorrow():
    validate = ValidatePregnancyForm()
    tr = form_tracker("3日前", slots.PREGNANCY_WHEN, pregnancy_when="3日前")
    _, events = run(validate, tr)
    hours = slot_events(events)[slots.PREGNANCY_HOURS]
    assert hours == pytest.approx(72.0)
    messages, _ = run(AskLastPeriod(), form_tracker("3日前", slots.LAST_PERIOD, pregnancy_hours=hours))
    words = "\n".join(messages)
    assert "今日か明日" not in words
    assert "今日のうちに" in words and "120時間" in words


def test_the_check_of_a_16_year_old_ends_with_the_pharmacy_and_the_teen_line():
    tr = tracker("16", "pregnancy_worry", slot_values={
        slots.INTRODUCED: True, slots.PREGNANCY_HOURS: 40.0, slots.PREGNANCY_ADVISED: True,
        slots.TEST_DONE: "not_yet", slots.LAST_PERIOD: "20d", slots.AGE: 16.0,
        slots.LAST_TRIAGE: Triage("pregnancy_worry", 0.9, "high", ["pregnancy", "minor"], True, age=16).as_payload()})
    messages, events = run(ActionPregnancyFormEnd(), tr)
    assert_fits_a_phone(messages)
    words = "\n".join(messages)
    assert "薬局" in words and "わかさぽ" in words and "親の同意はいらない" in words
    assert slot_events(events)[slots.PREGNANCY_ADVISED] is False  # reset for a next check


def test_leaving_the_check_still_gets_the_advice_for_a_known_time():
    tr = tracker("やめる", "deny", slot_values={
        slots.INTRODUCED: True, slots.PREGNANCY_HOURS: 100.0, slots.FORM_EXIT: "stop",
        slots.LAST_TRIAGE: Triage("deny", 0.9, "high", ["pregnancy"], True).as_payload()})
    messages, _ = run(ActionPregnancyFormEnd(), tr)
    words = "\n".join(messages)
    assert "やめるね" in words and "IUD" in words


@pytest.mark.parametrize("name", sorted(DOMAIN["responses"]))
def test_every_response_fills_and_has_no_blank_line(name):
    for variant in DOMAIN["responses"][name]:
        text = fill(variant["text"], {**standing_values(), "minutes": 10, "days": 3})
        assert "{" not in text and "\n\n" not in text


@pytest.mark.parametrize("text, says", [
    ("誰にも言えないまま臨月になってしまって", "ひとりで抱えてきた"),
    ("陣痛きたかも、一人で産まれそう", "生まれそうです"),
    ("妊娠してて出血が止まらない", "からだがとても危ない"),
])
def test_a_pregnancy_at_term_or_in_labour_is_not_asked_when_it_happened(text, says):
    _, events = run(ValidatePregnancyForm(), tracker(text, "pregnancy_worry"))
    assert slot_events(events)[slots.FORM_EXIT] == "crisis"  # the check's questions would be cruel here
    last = slot_events(events)[slots.LAST_TRIAGE]
    assert last["handoff"] is True
    tr = tracker(text, "pregnancy_worry", slot_values={slots.FORM_EXIT: "crisis", slots.LAST_TRIAGE: last})
    messages, _ = run(ActionPregnancyFormEnd(), tr)
    assert_fits_a_phone(messages)
    words = "\n".join(messages)
    assert says in words and "119" in words
    assert "いつだったか" not in words and "72時間" not in words
