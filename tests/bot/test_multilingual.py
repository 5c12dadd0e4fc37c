"""Crisis words and replies in other languages (bot.multilingual): a crisis in eight languages reaches
high or emergency with her language; negation counts; she is answered in her language, with 110/119 and
lines open now taken from the directory, never typed."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.multilingual import CATEGORIES, LANGUAGES, language_of, lexicons, reply, safe_for_queue, triage
from bot.support.directory import load
from bot.triage import Triage

TOKYO = ZoneInfo("Asia/Tokyo")
AFTERNOON = datetime(2026, 12, 2, 15, 0, tzinfo=TOKYO)  # a Wednesday
NIGHT = datetime(2026, 12, 2, 2, 0, tzinfo=TOKYO)

# (language, message, category): several ways of saying each thing, informal ones too.
CRISES = [
    ("en", "i wanna die", "suicide"), ("en", "I don't want to live anymore", "suicide"),
    ("en", "thinking about killing myself tonight", "suicide"), ("en", "i cut myself again", "self_harm"),
    ("en", "I took all my sleeping pills", "overdose"), ("en", "my bf hits me when he's drunk", "hit"),
    ("en", "he locked me in and wont let me leave", "locked_in"), ("en", "I was raped last night", "sexual_violence"),
    ("en", "the condom broke and I think I'm pregnant", "pregnancy"), ("en", "I got kicked out, nowhere to sleep", "no_place"),
    ("zh", "真的好想死", "suicide"), ("zh", "我吃了一整瓶安眠药", "overdose"), ("zh", "老公又打我了", "hit"),
    ("zh", "他把我关在家里不让我出去", "locked_in"), ("zh", "我好像怀孕了怎么办", "pregnancy"),
    ("zh", "今晚没地方住", "no_place"), ("zh", "我割腕了", "self_harm"),
    ("ko", "죽고싶다 진짜", "suicide"), ("ko", "남친이 또 때렸어요", "hit"), ("ko", "수면제를 많이 먹었어요", "overdose"),
    ("ko", "방에 갇혀 있어요", "locked_in"), ("ko", "생리를 안 해요 임신일까요", "pregnancy"),
    ("ko", "오늘 잘 곳이 없어요", "no_place"),
    ("vi", "toi muon chet", "suicide"), ("vi", "không muốn sống nữa", "suicide"), ("vi", "chồng đánh em", "hit"),
    ("vi", "em uống hết thuốc ngủ rồi", "overdose"), ("vi", "bị nhốt trong phòng", "locked_in"),
    ("vi", "em trễ kinh 2 tuần, sợ có thai", "pregnancy"),
    ("tl", "gusto ko nang mamatay", "suicide"), ("tl", "binugbog ako ng boyfriend ko", "hit"),
    ("tl", "nakakulong ako sa kwarto", "locked_in"), ("tl", "baka buntis ako", "pregnancy"),
    ("tl", "wala akong matulugan ngayong gabi", "no_place"),
    ("pt", "quero morrer", "suicide"), ("pt", "to com vontade de morrer", "suicide"), ("pt", "ele me bateu de novo", "hit"),
    ("pt", "tomei todos os remédios", "overdose"), ("pt", "ele não me deixa sair de casa", "locked_in"),
    ("pt", "minha menstruação atrasou", "pregnancy"),
    ("es", "me quiero morir", "suicide"), ("es", "mi novio me pega", "hit"), ("es", "me tomé todas las pastillas", "overdose"),
    ("es", "estoy encerrada, no me deja salir", "locked_in"), ("es", "creo que estoy embarazada", "pregnancy"),
    ("es", "me echaron de casa", "no_place"),
    ("ne", "म मर्न चाहन्छु", "suicide"), ("ne", "बाँच्न मन छैन", "suicide"), ("ne", "श्रीमानले कुट्छन्", "hit"),
    ("ne", "मैले सबै औषधि खाएँ", "overdose"), ("ne", "मलाई कोठामा थुनेको छ", "locked_in"),
    ("ne", "महिनावारी ढिलो भयो", "pregnancy"), ("ne", "आज राति सुत्ने ठाउँ छैन", "no_place"),
]
# A second set of wordings, written after the phrases (its first run found 10 of 82 gaps, since filled).
SECOND_WORDINGS = {
 "en": ["honestly i just want to end it all", "i keep thinking about suicide", "my husband beat me up last night", "im so scared hes going to kill me",
        "i swallowed a bunch of painkillers", "i'm stuck in his apartment and he took my keys", "i got raped at a party", "i missed my period and im freaking out",
        "i have no place to stay tonight", "life isnt worth living", "i dont wanna be alive anymore", "he chokes me when he's angry"],
 "zh": ["活着好累，不想活了", "我男朋友天天打我", "我刚吞了一瓶安眠药", "我被锁在房间里出不去", "我被强奸了", "套子破了，我怕怀孕",
        "我被赶出来了，今晚没地方去", "我想自杀", "真的撑不下去了想死", "他说要杀了我"],
 "ko": ["진짜 죽고 싶다", "자살하고 싶어요", "남편이 때려요", "약 한 통 다 먹었어", "집에 갇혀서 못 나가요", "성폭행 당했어요",
        "임신했을까봐 무서워요", "집에서 쫓겨났어요", "살고 싶지 않아", "손목 그었어"],
 "vi": ["em chán sống lắm rồi", "em muốn tự tử", "bạn trai đánh em", "em vừa uống cả vỉ thuốc ngủ", "họ nhốt em trong nhà", "em bị hiếp",
        "em bị trễ kinh một tuần", "em bị đuổi ra khỏi nhà", "khong muon song nua", "ban trai danh em"],
 "tl": ["ayoko na mabuhay", "gusto ko na lang mamatay", "sinuntok ako ng asawa ko", "uminom ako ng maraming gamot", "ikinulong niya ako sa bahay",
        "ginahasa ako", "buntis yata ako", "pinalayas ako sa bahay", "magpapakamatay ako", "sinasaktan ako ng bf ko"],
 "pt": ["não aguento mais viver", "queria morrer", "meu marido me espancou", "engoli uma cartela de comprimidos", "ele me trancou no quarto",
        "fui estuprada", "acho que engravidei", "fui expulsa de casa e não tenho onde dormir", "penso em me matar", "meu namorado me bate"],
 "es": ["ya no quiero seguir viviendo", "quiero suicidarme", "mi esposo me golpea", "me tragué un bote de pastillas", "me tiene encerrada en su casa",
        "me violaron", "la regla no me baja y tengo miedo", "me corrieron de la casa", "pienso en matarme", "mi pareja me maltrata"],
 "ne": ["मलाई मर्न मन लाग्छ", "आत्महत्या गर्न मन छ", "लोग्नेले मलाई कुट्छ", "मैले धेरै औषधि खाएँ", "मलाई घरमा थुनेको छ", "मलाई बलात्कार गर्यो",
        "म गर्भवती भएँ जस्तो छ", "घरबाट निकालिदियो", "बाँच्न चाहन्न", "उसले मलाई कुट्यो"],
}


NOT_CRISES = [
    ("en", "I don't want to die, I just feel lonely"), ("en", "im not going to kill myself"), ("en", "hello, anyone there?"),
    ("en", "I am not pregnant, just asking"), ("zh", "我不想死"), ("zh", "你好"), ("ko", "죽고 싶지 않아요"),
    ("ko", "안녕하세요"), ("vi", "tôi không muốn chết"), ("vi", "xin chào"), ("tl", "hindi ko gustong mamatay"),
    ("tl", "salamat po"), ("pt", "não quero morrer"), ("pt", "obrigada pela ajuda"), ("es", "no quiero morir"),
    ("es", "hola, buenas noches"), ("ne", "नमस्ते"), ("ko", "임신 아니에요"), ("tl", "hindi ako buntis"),
    ("vi", "em không có thai"), ("pt", "não aguento esse calor"), ("ko", "약 먹었어"), ("en", "I took my medicine"),
    ("en", "this homework will kill me"), ("en", "my mom is gonna kill me lol"),
]


@pytest.mark.parametrize("language, text, category", CRISES)
def test_a_crisis_in_her_language_reaches_a_human(language, text, category):
    assert language_of(text) == language
    payload = triage(text, language)
    expected = CATEGORIES[category]
    assert payload["urgency"] in ("high", "emergency") and payload["handoff"] is True
    assert category in payload["categories"] and expected.concern in payload["concerns"]
    assert payload["language"] == language
    assert f"{lexicons()[language].name_ja}：{expected.factor}" in payload["factors"]


@pytest.mark.parametrize("language, text", [(lang, t) for lang, texts in SECOND_WORDINGS.items() for t in texts])
def test_other_wordings_of_a_crisis_reach_a_human(language, text):
    assert language_of(text) == language
    assert triage(text, language)["urgency"] in ("high", "emergency")


@pytest.mark.parametrize("language, text", NOT_CRISES)
def test_calm_and_negated_messages_are_not_crises(language, text):
    assert language_of(text) == language
    payload = triage(text, language)
    assert payload["urgency"] == "low" and payload["handoff"] is False and payload["concerns"] == []


@pytest.mark.parametrize("language, text", [("en", "I just took a whole bottle of pills"),
                                            ("es", "me tomé todas las pastillas"),
                                            ("en", "he locked me in the room"), ("ko", "방에 갇혀 있어요")])
def test_an_overdose_taken_or_being_locked_in_is_an_emergency(language, text):
    assert triage(text, language)["urgency"] == "emergency"


@pytest.mark.parametrize("language, text", [("zh", "救命"), ("ko", "살려주세요"), ("vi", "cứu em với"), ("tl", "saklolo"),
                                            ("pt", "socorro"), ("es", "auxilio"), ("ne", "मलाई बचाउनुहोस्"),
                                            ("en", "somebody help me")])
def test_a_cry_for_help_reaches_a_human_at_high(language, text):
    payload = triage(text, language_of(text))
    assert payload["language"] == language and payload["urgency"] == "high" and payload["handoff"] is True
    assert "wants_human" in payload["signals"]


@pytest.mark.parametrize("language, text", [("es", "necesito ayuda"), ("en", "can I talk to someone"),
                                            ("ko", "도와주세요"), ("zh", "帮帮我")])
def test_asking_for_help_or_a_person_hands_over_without_a_crisis(language, text):
    payload = triage(text, language_of(text))
    assert payload["language"] == language and payload["urgency"] == "medium" and payload["handoff"] is True
    texts = reply(payload, counselors_on_duty=1, now=AFTERNOON)
    assert lexicons()[language].texts["person"] in texts and lexicons()[language].texts["safety"] not in texts


def test_a_misread_language_still_counts():
    """The package reads 「socorro」 as Somali and 「me pegó」 may come with a wrong guess: every language's
    crisis words are read."""
    assert language_of("socorro") == "pt"
    assert triage("me pegó otra vez", "fr")["urgency"] == "high"


@pytest.mark.parametrize("text", ["DV", "OD", "LINE", "tskt", "shinitai", "ODした", "無理"])
def test_crisis_words_never_pull_a_japanese_message_into_another_language(text):
    assert language_of(text) == "ja"


def test_the_payload_has_the_japanese_triage_keys_and_her_language():
    payload = safe_for_queue(triage("he hits me", "en"))
    assert set(payload) == set(Triage("greet", 1.0).as_payload()) | {"language"}


def _numbers(texts):
    return set(re.findall(r"\d[\d-]{1,}\d", " ".join(texts)))


def _directory_numbers():
    return {p.phone for p in load().values() if p.phone}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reply_is_in_her_language_with_numbers_only_from_the_directory(language):
    payload = triage(CRISES[[c[0] for c in CRISES].index(language)][1], language)
    texts = reply(payload, counselors_on_duty=0, now=AFTERNOON)
    words = lexicons()[language].texts
    assert 3 <= len(texts) <= 5 and not any("\n\n" in t for t in texts)
    assert texts[0] == words["bot"] and words["nobody"] in texts
    assert _numbers(texts) and _numbers(texts) <= _directory_numbers()
    police, ambulance = load()["police-110"].phone, load()["emergency-119"].phone
    assert police in " ".join(texts) and ambulance in " ".join(texts) or "overdose" in payload["categories"]


def test_danger_ends_with_the_safety_question_and_a_worry_does_not():
    texts = reply(triage("i want to die", "en"), counselors_on_duty=1, now=AFTERNOON)
    words = lexicons()["en"].texts
    assert texts[-1] == words["safety"] and words["person"] in texts
    worry = reply(triage("i think im pregnant", "en"), counselors_on_duty=1, now=AFTERNOON)
    assert words["safety"] not in worry


def test_an_overdose_is_told_to_call_the_ambulance_first():
    texts = reply(triage("tomei todos os remédios", "pt"), counselors_on_duty=0, now=NIGHT)
    assert lexicons()["pt"].texts["overdose"].format(police="", ambulance=load()["emergency-119"].phone) in texts


def test_lines_open_now_in_her_language_fit_her_trouble():
    afternoon = "\n".join(reply(triage("i want to die", "en"), 0, now=AFTERNOON))
    tell = load()["tell-lifeline"]
    assert tell.phone in afternoon  # an English line for suicide, open 9-23
    assert load()["houterasu-tagengo"].phone not in afternoon  # a legal information line is not for her now
    night = reply(triage("i want to die", "en"), 0, now=NIGHT)
    assert tell.phone not in "\n".join(night)  # closed at 2 a.m.: never offered as open
    assert load()["police-110"].phone in "\n".join(night)


def test_said_once_the_bot_and_who_will_read_it_are_not_repeated():
    texts = reply(triage("quiero morir", "es"), 0, introduce=False, entered_queue=False, now=NIGHT)
    words = lexicons()["es"].texts
    assert words["bot"] not in texts and words["nobody"] not in texts and texts[-1] == words["safety"]


def test_a_language_without_words_is_answered_in_english():
    payload = triage("bonjour", "fr")
    assert payload["factors"] == ["フランス語のメッセージ（危機の語なし）"]
    assert reply(payload, 0, now=NIGHT)[0] == lexicons()["en"].texts["bot"]


def test_every_language_has_every_reply_and_crisis_words_for_every_category():
    keys = set(lexicons()["en"].texts)
    for code, lexicon in lexicons().items():
        assert set(lexicon.texts) == keys, code
        assert {category for category, _ in lexicon.patterns} == set(CATEGORIES), code


def test_no_number_is_typed_into_the_language_files():
    for path in Path("bot/i18n").glob("*.yml"):
        text = re.sub(r"^\s*[\w-]+:", "", path.read_text(encoding="utf-8"), flags=re.M)  # keys: police-110
        assert not re.search(r"\d{3,}|\d+-\d+", text), path.name  # "24 hours" is not a number to call
