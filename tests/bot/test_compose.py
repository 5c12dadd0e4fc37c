"""The composer: what she sees in one turn, on any channel (SPEC §3)."""

import re

import pytest

from bot.compose import INTRO, LINES, MAX_MESSAGES, NOTICE, QUESTION, SAY, Line, Part, compose, fill, lines_text

PLACES = {
    "a": Line("0120-000-001", "・窓口A：0120-000-001（24時間）"),
    "b": Line("03-0000-0002", "・窓口B：03-0000-0002（毎日10〜22時）"),
    "b-copy": Line("03-0000-0002", "・窓口Bの別名：03-0000-0002（24時間）"),
    "ambulance": Line("119", "・救急：119（24時間）"),
}


def lookup(place_id):
    return PLACES.get(place_id)


def turn(parts, **kwargs):
    return compose(parts, lookup=lookup, **kwargs)


def long(n, mark="あ"):
    return mark * n


def test_the_introduction_comes_first_once_even_if_planned_later():
    messages = turn([Part(SAY, long(120, "い")), Part(INTRO, long(100, "は")), Part(INTRO, long(100, "は"))])
    assert messages[0].startswith("は") and "".join(messages).count("は" * 100) == 1


def test_the_question_is_what_she_reads_last():
    messages = turn([Part(QUESTION, "いま、安全なところにいる？"), Part(SAY, long(150)), Part(LINES, places=("a",))])
    assert messages[-1].endswith("いま、安全なところにいる？")


def test_all_lines_parts_become_one_list_with_no_number_twice():
    messages = turn([Part(SAY, long(150)), Part(LINES, places=("a", "b")), Part(SAY, long(150, "う")),
                     Part(LINES, places=("b-copy", "a"))])
    listing = [m for m in messages if "窓口" in m]
    assert len(listing) == 1
    assert listing[0].count("03-0000-0002") == 1 and listing[0].count("0120-000-001") == 1


def test_a_number_the_words_already_give_is_not_listed_again():
    messages = turn([Part(SAY, "いますぐ119番に電話して救急車を呼んでね。" + long(100)),
                     Part(LINES, places=("ambulance", "a"))])
    assert "".join(messages).count("119") == 1
    assert "0120-000-001" in "".join(messages)


def test_lines_closed_now_are_listed_apart_never_as_open():
    text = lines_text([Part(LINES, places=("a",), later=("b",))], lookup)
    now, later = text.split("時間になったら")
    assert "0120-000-001" in now and "03-0000-0002" in later


@pytest.mark.parametrize("count", [6, 9, 14])
def test_never_more_than_five_messages_and_nothing_dropped(count):
    parts = [Part(INTRO, "はじめまして、ボットです。")] + [Part(SAY, f"第{i}の話。" + long(60)) for i in range(count)]
    parts += [Part(LINES, places=("a", "b")), Part(NOTICE, "いまは相談員さんがいない時間なの。"), Part(QUESTION, "どこにいる？")]
    messages = turn(parts)
    assert len(messages) <= MAX_MESSAGES
    joined = "".join(messages)
    assert all(f"第{i}の話。" in joined for i in range(count))
    assert "0120-000-001" in joined and "いまは相談員さんがいない時間なの。" in joined
    assert messages[0].startswith("はじめまして") and messages[-1].endswith("どこにいる？")


def test_a_line_reply_limit_can_be_smaller():
    parts = [Part(SAY, long(50, c)) for c in "あいうえお"]
    assert len(turn(parts, limit=2)) == 2


def test_short_parts_are_joined_so_a_turn_is_not_a_stream_of_bubbles():
    messages = turn([Part(SAY, "わかったよ。"), Part(SAY, "ありがとう。"), Part(QUESTION, "どうしたの？")])
    assert messages == ["わかったよ。\nありがとう。\nどうしたの？"]


def test_long_parts_stay_separate_when_they_fit():
    parts = [Part(SAY, long(120, "あ")), Part(SAY, long(120, "い")), Part(QUESTION, long(60, "う") + "？")]
    assert len(turn(parts)) == 3


def test_no_message_has_a_blank_line_the_rest_channel_would_split_on():
    parts = [Part(SAY, "一段落目。\n\n二段落目。"), Part(SAY, long(150)), Part(LINES, places=("a", "b")),
             Part(QUESTION, "質問？\n \n")]
    messages = turn(parts)
    assert not any(re.search(r"\n\s*\n", m) for m in messages)
    assert sum(len(m.strip().split("\n\n")) for m in messages) == len(messages)


def test_an_empty_turn_is_empty_and_unknown_places_are_skipped():
    assert turn([]) == []
    assert turn([Part(LINES, places=("nowhere",))]) == []


def test_fill_uses_known_values_and_leaves_unknown_fields():
    assert fill("{police}番と{other}", {"police": "110"}) == "110番と{other}"
