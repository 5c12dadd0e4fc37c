"""End to end over Rasa's REST channel, with the real Rasa and action servers."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from bot.support.directory import load

pytestmark = pytest.mark.servers

PHONE = re.compile(r"#\d{4}|\b0\d{1,4}-\d{1,4}-\d{3,4}\b|\b1[18][089]\b|\b189\b")
NOBODY_ON_DUTY = {"state": "bot", "counselors_on_duty": 0, "queue_ahead": 0, "channel": "webchat", "language": "ja"}


def triages(messages):
    return [m["custom"]["triage"] for m in messages if isinstance(m.get("custom"), dict) and "triage" in m["custom"]]


def texts(messages):
    return "\n".join(m.get("text", "") for m in messages)


def say_with(servers, sender, text, akari):
    """One message with the metadata the handoff service sends (SPEC §3)."""
    body = json.dumps({"sender": sender, "message": text, "metadata": {"akari": akari}}).encode()
    request = urllib.request.Request(
        f"{servers.rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def text_messages(messages):
    return [m["text"] for m in messages if m.get("text")]


def tracker(servers, sender):
    with urllib.request.urlopen(f"{servers.rasa_url}/conversations/{sender}/tracker", timeout=30) as response:
        return json.loads(response.read())


def test_every_user_turn_carries_exactly_one_triage(bot_servers, sender):
    conversation = [
        "こんばんは",
        "生理こないし妊娠したかも",
        "昨日の夜ゴム破れてた",
        "先月の10日くらい",
        "まだ使ってない",
        "17歳",
        "ありがとう",
        "しにたい",
    ]
    for text in conversation:
        messages = bot_servers.say(sender, text)
        assert len(triages(messages)) == 1, text
        assert texts(messages).strip(), f"no words for {text!r}"


def test_the_bot_says_it_is_a_bot_at_the_start(bot_servers, sender):
    first = texts(bot_servers.say(sender, "こんばんは"))
    assert "自動応答ボット" in first
    assert "自動応答ボット" not in texts(bot_servers.say(sender, "ちょっと話したくて"))


def test_overdose_gets_emergency_triage_119_and_a_handoff(bot_servers, sender):
    messages = bot_servers.say(sender, "ブロン全部のんだ")
    [result] = triages(messages)
    assert result["urgency"] == "emergency"
    assert result["handoff"] is True
    words = texts(messages)
    assert "119" in words
    assert "相談員" in words


def test_the_whole_pregnancy_check_advises_as_soon_as_the_time_is_known(bot_servers, sender):
    bot_servers.say(sender, "妊娠したかもしれなくて怖い")
    advice = texts(bot_servers.say(sender, "おとといゴム外れてた"))
    assert "72時間" in advice and "薬局" in advice and "処方箋なし" in advice
    assert "生理" in advice  # and the next question in the same turn
    assert "処方箋なし" not in texts(bot_servers.say(sender, "3週間前くらい"))
    bot_servers.say(sender, "してない")
    final = bot_servers.say(sender, "16歳")
    words = texts(final)
    assert "アフターピル" in words and "薬局" in words
    assert "わかさぽ" in words
    [result] = triages(final)
    assert result["urgency"] == "high"  # the window answered earlier still counts
    assert set(result["concerns"]) >= {"pregnancy", "minor"}
    assert not tracker(bot_servers, sender).get("active_loop", {}).get("name")


def test_a_time_in_the_first_message_skips_that_question(bot_servers, sender):
    words = texts(bot_servers.say(sender, "昨日ゴム破れたかも…"))
    assert "生理" in words  # the next question is about the period, not "when"
    assert "いつ頃？（" not in words


def test_a_crisis_in_the_middle_of_the_form_is_answered_as_a_crisis(bot_servers, sender):
    bot_servers.say(sender, "アフターピルってどこでもらえるの")
    messages = bot_servers.say(sender, "さっき薬全部飲んだ")
    [result] = triages(messages)
    assert result["urgency"] == "emergency"
    words = texts(messages)
    assert "119" in words
    assert "生理" not in words
    assert not tracker(bot_servers, sender).get("active_loop", {}).get("name")


def test_she_can_leave_the_form(bot_servers, sender):
    bot_servers.say(sender, "ゴムなしでしちゃって不安")
    words = texts(bot_servers.say(sender, "やめる"))
    assert "やめるね" in words
    assert not tracker(bot_servers, sender).get("active_loop", {}).get("name")


def test_an_age_given_earlier_makes_later_messages_about_a_minor(bot_servers, sender):
    bot_servers.say(sender, "中3です")
    [result] = triages(bot_servers.say(sender, "家に帰りたくなくて今夜どうしよう"))
    assert "minor" in result["concerns"]
    assert result["urgency"] in ("high", "emergency")


def test_every_number_shown_comes_from_the_directory(bot_servers, sender):
    known = {p.phone for p in load().values() if p.phone} | {"110", "119"}
    shown = ""
    for text in ["彼氏に殴られてる", "レイプされた", "売掛が払えない", "トー横にいる", "家がない", "しにたい",
                 "眠れない", "お金ない", "人と話したい"]:
        shown += texts(bot_servers.say(sender, text))
    numbers = set(PHONE.findall(shown))
    assert numbers, "the bot showed no lines at all"
    assert numbers <= known


def test_gibberish_still_gets_a_kind_answer_and_a_triage(bot_servers, sender):
    messages = bot_servers.say(sender, "ｗｗｑｑｚｚ")
    assert len(triages(messages)) == 1
    assert texts(messages).strip()


def test_answers_inside_the_form_are_triaged_as_part_of_the_pregnancy_worry(bot_servers, sender):
    bot_servers.say(sender, "妊娠したかも")
    [result] = triages(bot_servers.say(sender, "昨日の夜"))
    assert result["urgency"] == "high"
    assert result["concerns"] == ["pregnancy"]
    [result] = triages(bot_servers.say(sender, "先月の10日くらい"))
    assert result["concerns"] == ["pregnancy"]


def test_message_text_never_reaches_the_server_logs(bot_servers, sender):
    marker = f"ひみつ{sender[-8:]}"
    bot_servers.say(sender, f"{marker} しにたい")
    bot_servers.say(sender, f"{marker} 妊娠したかも")
    bot_servers.say(sender, f"{marker} 昨日")
    assert marker not in bot_servers.logs()


def test_an_answer_to_the_safety_question_is_read_as_one(bot_servers, sender):
    bot_servers.say(sender, "しにたい")
    messages = bot_servers.say(sender, "うん、カッター持ってる")
    [result] = triages(messages)
    assert result["urgency"] == "emergency"
    assert "suicide_risk" in result["concerns"]
    words = texts(messages)
    assert "119" in words
    assert "無理しなくて大丈夫" not in words


def test_no_turn_has_more_than_five_messages_or_a_number_twice(bot_servers, sender):
    for index, text in enumerate(["ブロン全部のんだ", "彼氏に殴られてる、今も家にいる", "昨日レイプされた", "トー横にいる15歳、帰れない",
                                  "売掛が払えない", "一昨日の夜ゴム破れたかも…まだ16なんだけど"]):
        messages = text_messages(say_with(bot_servers, f"{sender}-{index}", text, NOBODY_ON_DUTY))
        assert 0 < len(messages) <= 5, (text, len(messages))
        numbers = PHONE.findall("\n".join(messages))
        assert len(numbers) == len(set(numbers)), text
        assert "自動応答ボット" in messages[0], text


def test_with_nobody_on_duty_she_is_told_once_and_the_bot_stays(bot_servers, sender):
    first = texts(say_with(bot_servers, sender, "しにたい", NOBODY_ON_DUTY))
    assert "相談員さんがいない" in first and "待っていて" not in first
    waiting = dict(NOBODY_ON_DUTY, state="waiting")
    second = text_messages(say_with(bot_servers, sender, "もう無理、消えたい", waiting))
    assert second and "相談員さんがいない" not in "\n".join(second)


def test_with_counselors_on_duty_she_hears_a_rough_wait(bot_servers, sender):
    akari = dict(NOBODY_ON_DUTY, counselors_on_duty=1, queue_ahead=2)
    assert "目安は30分くらい" in texts(say_with(bot_servers, sender, "しにたい", akari))


def test_a_friends_overdose_is_answered_about_the_friend(bot_servers, sender):
    messages = bot_servers.say(sender, "友達がさっきブロン大量に飲んだって")
    [result] = triages(messages)
    assert "third_party" in result["signals"]
    words = texts(messages)
    assert "119" in words and "そば" in words
    assert "あなたの命がとても心配" not in words and "いま、あなたはどこにいる" not in words
