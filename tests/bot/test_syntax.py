"""Negation scope and whose danger it is, from GiNZA's dependency parse (bot/syntax.py, bot/frames.py)."""

from __future__ import annotations

import pytest

from bot import analysis, frames, lexicon
from bot.triage import Context, triage


def frame_hits(text: str, signal: str):
    return list(frames.find(analysis.of(text), signal))


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("死にたいとは思ってない", True),
        ("死にたくない", True),
        ("死にたいわけじゃない", True),
        ("もう死にたいなんて思ってません", True),
        ("もう死にたいとは思ってないけど、眠れない", True),  # the negation beside it is another clause's
        ("死にたいって思わない日はない", False),  # a double negation: the wish is there every day
        ("生きていたくないです", False),  # the ない is the risk itself
        ("しにたいです", False),
    ],
)
def test_the_parse_decides_what_a_negation_denies(text, denied):
    hits = frame_hits(text, "suicidal_ideation")
    assert hits and all(hit.negated is denied for hit in hits)


def test_a_double_negation_is_read_as_the_wish_it_is():
    result = triage("死にたいって思わない日はない", [{"name": "mental_distress", "confidence": 0.8}])
    assert result.urgency == "high"
    assert "suicide_risk" in result.concerns


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("友達が薬を全部飲んだ", "友達"),
        ("友達が死にたいって言ってる", "友達"),
        ("妹が彼氏に殴られてる", "妹"),
    ],
)
def test_someone_else_s_danger_is_theirs(text, person):
    hits = [h for h in lexicon.find_signals(analysis.of(text)) if h.counts]
    assert any(h.person == person for h in hits)
    assert "third_party" in triage(text, [{"name": "suicidal_ideation", "confidence": 0.6}]).signals


@pytest.mark.parametrize("text", ["彼氏が浮気してて死にたい", "彼氏が殴ってくる", "私が薬を全部飲んだ"])
def test_her_own_danger_stays_hers(text):
    result = triage(text, [{"name": "suicidal_ideation", "confidence": 0.6}])
    assert "third_party" not in result.signals
    assert result.urgency in ("high", "emergency")


@pytest.mark.parametrize("text", ["薬全部飲んだ", "くすりぜんぶのんだ", "睡眠薬をまとめて飲みました", "お薬ぜんぶ飲んじゃった",
                                  "ODしちゃった", "市販薬を一箱飲んでしまいました"])
def test_an_overdose_is_one_entry_in_every_conjugation(text):
    result = triage(text, [{"name": "out_of_scope", "confidence": 0.9}])
    assert result.urgency == "emergency"
    assert "overdose_taken" in result.signals


@pytest.mark.parametrize("text", ["今夜ぜんぶ飲むつもり", "眠剤は飲んでないです"])
def test_an_overdose_not_taken_is_not_read_as_taken(text):
    assert "overdose_taken" not in triage(text, [{"name": "suicidal_ideation", "confidence": 0.8}]).signals


@pytest.mark.parametrize(
    "text",
    [
        "もう死のうかと思って、いま川辺にいる",  # a place, said by someone who speaks of dying
        "死にたい。駅のホームに立ってる",
        "警察呼んで",  # asking for rescue
        "救急車を呼んでほしい",
        "記憶がなくて知らない部屋で目が覚めた",  # a body in trouble
        "一緒に死んでくれる人を探してる",  # looking for someone to die with
        "夫に頭を刺された",
        "後をつけられてる",
        "部屋に閉じ込められてる",
    ],
)
def test_the_kinds_that_were_missed_are_emergencies(text):
    assert triage(text, [{"name": "mental_distress", "confidence": 0.6}]).urgency == "emergency"


@pytest.mark.parametrize("text", ["駅のホームで友達を待ってる", "川辺でピクニックしてきた", "屋上のビアガーデン行きたい"])
def test_a_place_alone_is_not_a_crisis(text):
    assert triage(text, [{"name": "out_of_scope", "confidence": 0.8}]).urgency == "low"


@pytest.mark.parametrize(
    "text",
    ["中2の時に一時期リスカしてました", "学生時代に付き合ってた人から殴られていました。当時はDVだと思わなかった"],
)
def test_a_risk_told_as_history_is_medium(text):
    result = triage(text, [{"name": "mental_distress", "confidence": 0.7}])
    assert result.urgency == "medium"
    assert "negated" in result.signals


@pytest.mark.parametrize("text", ["中2の時から今もずっとリスカしてる", "学生時代に付き合ってた人から殴られていて、今も怖い",
                                  "高校生のときにレイプされました"])
def test_history_that_reaches_now_or_an_assault_stays_high(text):
    assert triage(text, [{"name": "mental_distress", "confidence": 0.7}]).urgency in ("high", "emergency")


def test_a_place_in_one_turn_and_a_wish_to_die_in_the_next_is_an_emergency():
    first = triage("いま川辺にいる", [{"name": "out_of_scope", "confidence": 0.6}])
    assert first.urgency == "low" and "place_named" in first.signals
    context = Context(recent_signals=tuple(first.signals), previous_concerns=tuple(first.concerns))
    later = triage("もう死にたい", [{"name": "suicidal_ideation", "confidence": 0.9}], context)
    assert later.urgency == "emergency"
    assert "dangerous_place" in later.signals
