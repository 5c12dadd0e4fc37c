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
    "変な夢見た\nさっき薬全部飲んだ",  # a dream told, then a line break: the guard must not reach across it
    "悪い夢を見た気がする 今から飛び降りる",
    "夢も希望もないから睡眠薬たくさん飲んだ",
    "新曲聴きながら「薬全部飲んだ」って彼にLINEした",  # her own words in quotes beside a song
    "「今から飛び降りる」って歌詞みたいなLINE彼に送った",
    "電車に飛び込む場面を何度も想像してしまう",  # an intrusive image, not a film
    "飛び降りる 夢",  # a space between: not one phrase
])
def test_what_a_review_found_the_first_guards_hid_is_still_an_emergency(text):
    """A review of this session's guards: a dream in the sentence before, quotes near 曲/歌, 場面 hid these."""
    assert triage(text, CALM, score_risk=False).urgency == "emergency"


@pytest.mark.parametrize("text", ["もう死にたい 夢も希望もない", "死にたい夢ばかり見る", "ドラマで『死にたい』ってセリフがあって、私も死にたいって思った"])
def test_a_wish_beside_the_word_dream_or_a_quote_is_still_high(text):
    assert triage(text, CALM, score_risk=False).urgency in ("high", "emergency")


def test_her_own_shout_in_quotes_is_not_a_work_because_a_drama_is_named_elsewhere():
    """Real dev D2-097: 「ドラマのワンシーン…いやいや現実」 then her quoted call for an ambulance."""
    text = "完璧ドラマのワンシーンなのだが、いやいや現実! 友達に「救急車、救急車、呼べ!」と、大声で訴えた。"
    assert triage(text, CALM, score_risk=False).urgency == "emergency"
