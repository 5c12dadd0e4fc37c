"""Which language she wrote in (bot.language): a Japanese message is never read as another language, and
short messages in the eight covered languages are read right."""

from __future__ import annotations

import pytest

from bot.language import detect, is_romaji_japanese, romaji_to_kana
from bot.triage import Context, triage

JAPANESE = [
    # kana, short and long, half-width too
    "しにたい", "むり", "え", "つらい…", "ｼﾆﾀｲ", "もうやだ", "たすけて",
    # kanji alone: Japanese unless it carries Chinese evidence
    "無理", "限界", "自殺", "妊娠", "彼氏", "家出中", "大丈夫", "相談", "死", "暴力", "我慢",
    # no letters at all
    "😢", "🥺🥺🥺", "110", "16", "...", "！！",
    # laughter and full-width letters (a Japanese keyboard)
    "ｗｗ", "www", "ｗｗｗｗ", "ＯＤした",
    # mixed
    "もうmuri", "help 助けて", "I'm 16 で家出中", "ODしちゃった", "彼氏にDVされてる",
    # romaji SNS Japanese
    "shinitai", "tasukete", "mou muri", "kusuri zenbu nonda", "dareka tasukete", "tsurai", "kaeritakunai",
]


@pytest.mark.parametrize("text", JAPANESE)
def test_japanese_is_never_read_as_another_language(text):
    assert detect(text) == "ja"


@pytest.mark.parametrize("text", ["shinitai", "ODしちゃった", "助けて", "ｗｗ"])
def test_japanese_stays_japanese_even_in_a_foreign_conversation(text):
    assert detect(text, previous="en") == "ja"


@pytest.mark.parametrize("text, expected", [
    ("想死", "zh"), ("救命", "zh"), ("我好累", "zh"), ("他打我", "zh"), ("今晚没地方住", "zh"), ("我不想活了", "zh"),
    ("月经推迟了", "zh"), ("無理", "ja"), ("限界", "ja"), ("自殺", "ja"), ("我慢", "ja"),
])
def test_han_only_text_is_chinese_only_with_chinese_evidence(text, expected):
    assert detect(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("I want to die", "en"), ("please help me", "en"), ("my boyfriend hurts me", "en"),
    ("죽고 싶어요", "ko"), ("ㅠㅠ", "ko"),
    ("tôi muốn chết", "vi"), ("em rạch tay", "vi"), ("xin chào", "vi"),
    ("gusto ko nang mamatay", "tl"), ("salamat po", "tl"), ("sinasaktan ako ng asawa ko", "tl"),
    ("quero morrer", "pt"), ("acho que estou grávida", "pt"),
    ("quiero morir", "es"), ("no tengo dónde dormir esta noche", "es"),
    ("म मर्न चाहन्छु", "ne"), ("नमस्ते", "ne"), ("मलाई डर लाग्यो", "ne"),
    ("मुझे डर लग रहा है", "hi"),
])
def test_short_messages_in_other_languages(text, expected):
    assert detect(text) == expected


@pytest.mark.parametrize("text", ["DV", "OD", "LINE", "JK", "tskt", "mjd", "kwsk", "orz"])
def test_acronyms_and_sns_shorthand_keep_the_conversation_language(text):
    assert detect(text) == "ja" and detect(text, previous="en") == "en"


def test_what_cannot_be_told_keeps_the_conversation_language():
    assert detect("ok", previous="en") == "en"
    assert detect("😢", previous="pt") == "pt"
    assert detect("ok") == "ja"  # by default Japanese
    assert detect("   ") == "ja"


def test_a_hint_names_the_language_when_the_package_misreads_a_short_cry():
    def hint(text, guess):
        return "pt" if "socorro" in text else None

    assert detect("socorro", hint=hint) == "pt"
    assert detect("socorro") == "ja"  # read as Somali by the package: not trusted on its own


@pytest.mark.parametrize("text", ["I hate you", "me muero", "ayoko na", "hola amiga", "no se"])
def test_words_that_happen_to_spell_romaji_are_not_japanese(text):
    assert not is_romaji_japanese(text)


def test_romaji_has_a_kana_reading_that_the_japanese_lexicon_understands():
    """Romaji has a kana reading, and the bot's lexicon reads romaji through it (bot.lexicon.find_signals)."""
    assert romaji_to_kana("shinitai") == "しにたい"
    assert romaji_to_kana("kusuri zenbu nonda") == "くすり ぜんぶ のんだ"
    assert romaji_to_kana("I hate you") == "I hate you"
    assert triage("shinitai", [], Context()).urgency in ("high", "emergency")
    assert triage(romaji_to_kana("shinitai"), [], Context()).urgency in ("high", "emergency")


def test_text_the_package_cannot_take_is_still_read():
    """A lone surrogate (a broken emoji from some phones) or a control character never breaks detection."""
    assert detect("\ud800 hello, how are you today?") == "en"
    assert detect("\x00\x01") == "ja"
