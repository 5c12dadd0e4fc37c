"""A danger told as a dream or a film scene is no risk of hers; her own wish said beside a drama still is."""

import pytest

from bot.triage import triage

CALM = [{"name": "out_of_scope", "confidence": 0.6}]


@pytest.mark.parametrize("text", [
    "首絞められる夢みて起きた、こわ",
    "彼氏に首絞められる夢ばっかり見る",
    "屋上から飛び降りるシーンで泣いた",
    "薬全部飲んだ夢を見た",
    "電車に飛び込む夢",
])
def test_a_dream_or_a_scene_is_not_an_emergency(text):
    """Found by the session-16 probe: each was an emergency with the 24-hour lines."""
    assert triage(text, CALM, score_risk=False).urgency in ("low", "medium")


@pytest.mark.parametrize("text", [
    "ドラマの主人公みたいに飛び降りたい",  # her wish, in a drama's words
    "屋上から飛び降りる。夢も希望もない",  # a dream is named, but in another sentence
    "ビルから飛び降りる前に夢の話させて",  # 夢 after 前に: not what the jump modifies
    "屋上から飛び降りてしんでやる",  # しんで is 死んで here, not シーン
    "薬全部飲んだ。夢の中にいるみたい",
    "今から飛び降りる。最後に夢を見させてくれてありがとう",
])
def test_her_own_danger_beside_a_dream_or_a_drama_is_still_an_emergency(text):
    assert triage(text, CALM, score_risk=False).urgency == "emergency"


@pytest.mark.parametrize("text", [
    "夢であってほしい。彼に首絞められた",
    "殴られた夢みたいな夜だった",  # 「like a dream」: it happened
    "彼に殴られる夢を見るくらい毎日殴られてる",
])
def test_violence_that_happened_is_still_read_beside_the_word_dream(text):
    assert triage(text, CALM, score_risk=False).urgency in ("high", "emergency")


@pytest.mark.parametrize("text", [
    "推しの新曲のサビ『消えたい夜に君を呼ぶ』ってとこエモすぎて無限リピしてる🎧",  # a lyric
    "ドラマで『死にたい』ってセリフがあって泣いた",
    "変な夢みた…知らん人に追いかけられてビルから落ちるやつ。起きたら汗びっしょりで、もう3時なのに寝れん",
])
def test_a_lyric_a_line_or_a_dream_told_is_not_her_danger(text):
    """Session-17 probe: a lyric was high, a dream told after 「夢みた…」 an emergency."""
    assert triage(text, CALM, score_risk=False).urgency in ("low", "medium")


@pytest.mark.parametrize("text", [
    "彼に『死ね』って言われた",  # a quote, but no work named: his words to her
    "ドラマで『死にたい』ってセリフがあって、私も死にたいって思った",  # said again, plainly
    "私も「消えたい」って曲みたいな気持ち",  # the song's words are hers
    "変な夢みた。いま知らない人に追いかけられてる",  # the dream ended with the sentence
])
def test_a_quote_or_a_dream_beside_her_own_danger_still_counts(text):
    assert triage(text, CALM, score_risk=False).urgency in ("high", "emergency")


def test_her_own_shout_in_quotes_is_not_a_work_because_a_drama_is_named_elsewhere():
    """Real dev D2-097 fell from emergency to low: 「ドラマのワンシーン…いやいや現実」 then her quoted call for an ambulance."""
    text = "完璧ドラマのワンシーンなのだが、いやいや現実! 友達に「救急車、救急車、呼べ!」と、大声で訴えた。"
    assert triage(text, CALM, score_risk=False).urgency == "emergency"
