"""The one yes/no reader: a wrong yes shares her details or misses a danger, so a no wins and only a whole yes counts."""

import pytest

from bot.yesno import read, safety

YES = [
    "はい", "はい！", "はーい", "はぃ", "うん", "うんうん", "うん、いいよ", "いいよ", "いいよー", "いいですよ", "まあいいよ",
    "ええよ", "かまへん", "構いません", "問題ないです", "OK", "ｵｹ", "オッケー", "おk", "Yes", "👍", "うん😊",
    "お願いします", "おねがい🙏", "はい、お願いします", "同意します", "はい、ありがとう", "えっと、はい", "おねがいやで",
]
NO = [
    "いいえ", "いや", "やだ", "嫌です", "無理", "むりむり", "だめ", "ダメです", "ううん", "うぅん", "同意しません",
    "同意しないです", "やめて", "お願いだからやめて", "やめてほしい", "親には言わないで", "学校には伝えないでください",
    "知られたくない", "伝えてほしくない", "大丈夫です", "大丈夫", "いいです", "結構です", "いえ、結構です", "それはいや",
    "いいよ、でも親には言わないで", "はい…いや、やっぱりやめて", "いらないです", "no", "🙅‍♀️", "嫌じゃないけど、怖い",
]
UNCLEAR = [
    "はい？どういうこと？", "どういうこと？", "ちょっと待って", "考えさせて", "うーん", "う〜ん、いいよ", "わかった",
    "誰に？", "いいけど", "別にいい", "はい、大丈夫です", "大丈夫だよ", "相談員さんに任せる", "", "   ", "それって何を言うの",
]


@pytest.mark.parametrize("text", YES)
def test_a_short_whole_yes_is_yes(text):
    assert read(text) is True


@pytest.mark.parametrize("text", NO)
def test_a_no_anywhere_or_a_polite_no_thanks_is_no(text):
    assert read(text) is False


@pytest.mark.parametrize("text", UNCLEAR)
def test_anything_else_is_unclear(text):
    assert read(text) is None


@pytest.mark.parametrize("text, answer", [("ある", True), ("あるよ", True), ("いる", True), ("ない", False),
                                          ("もういない", False), ("ううん、ない", False), ("わからない", None)])
def test_echoing_the_verb_answers_an_is_there_question(text, answer):
    assert read(text, echo=True) is answer


def test_lenient_reading_counts_a_yes_first_but_never_overrides_a_no():
    assert read("うん、隣の部屋にいる", lenient=True) is True
    assert read("うん、隣の部屋にいる") is None
    assert read("うん、でも言わないで", lenient=True) is False
    assert read("うーん、どうだろ", lenient=True) is None


def test_echo_words_are_not_consent():
    assert read("ある") is None
    assert read("ない") is None


@pytest.mark.parametrize("text, safe", [("大丈夫", True), ("平気だよ", True), ("いまは安全なとこにいる", True),
                                        ("大丈夫じゃない", False), ("こわい", False), ("助けて", False), ("うん", None)])
def test_safety_reads_im_safe_and_im_not(text, safe):
    assert safety(text) is safe
