"""One analysis at the door (bot/analysis.py, bot/nlu_analysis.py): normalised once, parsed once, read by every rule."""

from __future__ import annotations

import json
import urllib.request

import pytest

from bot import analysis, extract, lexicon, safety_answers, textnorm
from bot import triage as triage_module
from bot.analysis import PARSE_KEY, Analysis, from_parse
from bot.triage import triage


def lemmas(text: str) -> str:
    return analysis.of(text).lemma_text


@pytest.mark.parametrize("text", ["薬全部飲んだ", "くすりぜんぶのんだ", "薬を全部飲みました", "お薬ぜんぶ飲んじゃった"])
def test_every_spelling_and_conjugation_reaches_one_dictionary_form(text):
    assert "/飲む/" in lemmas(text)


def test_rasa_s_tokens_are_used_and_ginza_is_not_run_again(monkeypatch):
    monkeypatch.setattr(analysis, "_nlp", lambda: pytest.fail("GiNZA ran a second time"))
    rows = [["薬", "薬", "NOUN", "obl", 2], ["全部", "全部", "ADV", "advmod", 2], ["のん", "飲む", "VERB", "ROOT", 2],
            ["だ", "た", "AUX", "aux", 2]]
    parse = {"text": "薬全部のんだ", PARSE_KEY: {"v": 1, "tokens": rows}}
    result = triage(from_parse(parse), [{"name": "out_of_scope", "confidence": 0.9}])
    assert result.urgency == "emergency"


@pytest.mark.parametrize("wire", [None, {"v": 99, "tokens": []}, {"v": 1, "tokens": [["only", "two"]]}, "junk"])
def test_a_missing_or_malformed_analysis_never_loses_the_message(wire):
    parse = {"text": "薬全部のんだ"} | ({PARSE_KEY: wire} if wire is not None else {})
    result = triage(from_parse(parse), [])
    assert result.urgency == "emergency"


def test_the_message_is_normalised_once_however_many_rules_read_it(monkeypatch):
    text = "友達が薬を全部飲んだって。わたしも死にたい。今夜泊まるところもない"
    message = analysis.of(text)
    calls = []
    real = textnorm.normalize

    def counting(value):
        if value == text:
            calls.append(value)
        return real(value)

    for module in (analysis, extract, lexicon, triage_module, safety_answers, textnorm):
        if hasattr(module, "normalize"):
            monkeypatch.setattr(module, "normalize", counting)
    triage(message, [{"name": "suicidal_ideation", "confidence": 0.9}])
    assert len(calls) <= 1


def test_the_handoff_side_reads_surface_forms_without_spacy():
    surface = analysis.surface("ﾀﾋにたい")
    assert surface.tokens == () and surface.lemma_text == ""
    assert [h.signal.name for h in lexicon.find_signals("ﾀﾋにたい")] == ["suicidal_ideation"]


def test_an_analysis_is_what_triage_reads_whether_given_text_or_analysis():
    ranking = [{"name": "mental_distress", "confidence": 0.7}]
    text = "もう死にたいとは思ってないけど、眠れない"
    assert triage(text, ranking).as_payload() == triage(analysis.of(text), ranking).as_payload()
    assert isinstance(analysis.coerce(text), Analysis)


def test_rasa_puts_the_parse_in_what_the_action_server_reads(bot_servers, sender):
    body = json.dumps({"text": "友達が薬を全部飲んで起きない"}).encode()
    request = urllib.request.Request(f"{bot_servers.rasa_url}/model/parse", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        tokens = json.loads(response.read())[PARSE_KEY]["tokens"]
    norms = [row[1] for row in tokens]
    drink = norms.index("飲む")
    assert any(row[0] == "薬" and row[3] == "obj" and row[4] == drink for row in tokens)  # a real dependency parse
    assert any(row[0] == "友達" and row[3] == "nsubj" for row in tokens)

    bot_servers.say(sender, "友達が薬を全部飲んで起きない")
    with urllib.request.urlopen(f"{bot_servers.rasa_url}/conversations/{sender}/tracker", timeout=30) as response:
        latest = json.loads(response.read())["latest_message"]
    assert latest[PARSE_KEY]["tokens"] == tokens  # the action server triages this very analysis
