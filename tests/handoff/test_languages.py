"""Women who don't write Japanese (issue 9): through the web chat API with Rasa down, since a message in
another language must not need Rasa. A crisis in each of eight languages is queued at high or above with her
language on the conversation and answered in her language with a number to call; a calm English message is
answered in English and not queued; Japanese (short, kana-only, emoji) still goes the Japanese way."""

from __future__ import annotations

import pytest

from bot.language import detect
from bot.multilingual import lexicons
from bot.support.directory import load
from handoff.fallback import SORRY
from tests.handoff.helpers import add_counselor, login, open_session, say

CRISES = {
    "en": "I want to die. I can't do this anymore",
    "zh": "我不想活了，真的好想死",
    "ko": "남자친구가 또 때렸어요. 너무 무서워요",
    "vi": "em bị nhốt trong phòng, anh ấy không cho em ra ngoài",
    "tl": "sinasaktan ako ng asawa ko, hindi ko na alam ang gagawin ko",
    "pt": "tomei todos os remédios da caixa",
    "es": "no tengo dónde dormir esta noche, me echaron de casa",
    "ne": "म मर्न चाहन्छु, अब सक्दिनँ",
}
JAPANESE = ["しにたい", "むり", "無理", "😢", "ｗｗ", "shinitai"]


def _emergency_numbers() -> set:
    places = load()
    return {places["police-110"].phone, places["emergency-119"].phone}


async def _queue(client) -> dict:
    response = await client.get("/api/queue")
    assert response.status == 200
    return {entry["conversation_id"]: entry for entry in (await response.json())["queue"]}


def _well_formed(texts: list) -> None:
    assert 1 <= len(texts) <= 5
    assert not any("\n\n" in text for text in texts)


@pytest.mark.parametrize("language", sorted(CRISES))
async def test_a_crisis_in_her_language_is_queued_and_answered_in_it(offline_client, redis, base_settings, language):
    await add_counselor(redis, base_settings)
    await login(offline_client)  # a counselor on duty: she is told a person will read it
    session = await open_session(offline_client)
    body = await (await say(offline_client, session["token"], CRISES[language])).json()
    texts = [m["text"] for m in body["messages"]]
    assert body["state"] == "waiting"
    _well_formed(texts)
    lexicon = lexicons()[language]
    assert lexicon.texts["person"] in texts and lexicon.texts["bot"] == texts[0]
    assert detect(texts[1]) == language  # the reply itself reads as her language
    assert any(number in text for text in texts for number in _emergency_numbers())
    entry = (await _queue(offline_client))[session["conversation_id"]]
    assert entry["urgency"] in ("high", "emergency") and entry["language"] == language
    assert any(factor.startswith(lexicon.name_ja) for factor in entry["factors"])


async def test_nobody_on_duty_is_said_plainly_in_her_language(offline_client):
    session = await open_session(offline_client)
    body = await (await say(offline_client, session["token"], "he locked me in the room and took my phone")).json()
    texts = [m["text"] for m in body["messages"]]
    assert body["state"] == "waiting"
    assert lexicons()["en"].texts["nobody"] in texts and lexicons()["en"].texts["person"] not in texts


async def test_a_calm_english_message_is_answered_in_english_and_not_queued(offline_client, redis, base_settings):
    await add_counselor(redis, base_settings)
    await login(offline_client)
    session = await open_session(offline_client)
    body = await (await say(offline_client, session["token"], "Hello, is anyone there? I live in Tokyo")).json()
    texts = [m["text"] for m in body["messages"]]
    assert body["state"] == "bot"
    _well_formed(texts)
    assert texts[0] == lexicons()["en"].texts["bot"] and SORRY not in texts
    assert session["conversation_id"] not in await _queue(offline_client)


async def test_an_emoji_in_an_english_conversation_stays_english(offline_client):
    session = await open_session(offline_client)
    await say(offline_client, session["token"], "hi, can I write in English?")
    body = await (await say(offline_client, session["token"], "😢")).json()
    texts = [m["text"] for m in body["messages"]]
    assert lexicons()["en"].texts["calm"] in texts and SORRY not in texts


async def test_the_bot_and_who_will_read_it_are_said_once(offline_client):
    """A second message while she waits: no second introduction, no second notice, still a way to call."""
    session = await open_session(offline_client)
    await say(offline_client, session["token"], "quiero morir")
    body = await (await say(offline_client, session["token"], "mi novio me pega y tengo miedo")).json()
    texts = [m["text"] for m in body["messages"]]
    spanish = lexicons()["es"].texts
    assert body["state"] == "waiting"
    assert spanish["bot"] not in texts and spanish["nobody"] not in texts
    assert any(number in text for text in texts for number in _emergency_numbers())


async def test_a_negated_crisis_in_english_is_not_queued(offline_client):
    session = await open_session(offline_client)
    body = await (await say(offline_client, session["token"], "I don't want to die, I just feel lonely")).json()
    assert body["state"] == "bot"


@pytest.mark.parametrize("text", JAPANESE)
async def test_japanese_still_goes_the_japanese_way(offline_client, redis, base_settings, text):
    """With Rasa down, the Japanese way is the kind Japanese fallback (and the Japanese lexicon's triage)."""
    session = await open_session(offline_client)
    body = await (await say(offline_client, session["token"], text)).json()
    texts = [m["text"] for m in body["messages"]]
    assert texts[0] == SORRY
    assert not any(lexicon.texts["bot"] in texts for lexicon in lexicons().values())


async def test_a_japanese_crisis_is_queued_as_japanese(offline_client, redis, base_settings):
    await add_counselor(redis, base_settings)
    await login(offline_client)
    session = await open_session(offline_client)
    body = await (await say(offline_client, session["token"], "しにたい")).json()
    assert body["state"] == "waiting"
    assert (await _queue(offline_client))[session["conversation_id"]]["language"] == "ja"
