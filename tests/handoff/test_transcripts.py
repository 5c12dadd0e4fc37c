"""The transcript gallery (issue #7): whole conversations through the real stack, turn by turn, as she sees them.

Every scenario in scenarios/scenarios.yml runs through the web chat API with the real Rasa and action servers.
Rules checked on every turn of every scenario: at most 5 messages; no number twice; the bot's introduction once
and first; a question, if any, is what she reads last; with nobody on duty, she is told so once and never told
to wait. `make transcripts` writes the gallery to docs/transcripts/ (AKARI_TRANSCRIPTS); otherwise a temp folder.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from tests.handoff.helpers import add_counselor, login, open_session, say

HERE = Path(__file__).resolve().parent
SCENARIOS = yaml.safe_load((HERE / "scenarios" / "scenarios.yml").read_text(encoding="utf-8"))["scenarios"]
OUT = Path(os.environ.get("AKARI_TRANSCRIPTS") or tempfile.mkdtemp(prefix="akari-transcripts-"))
MAX_MESSAGES = 5
NUMBER = re.compile(r"#\d{4}|0\d{1,4}-\d{1,4}-\d{3,4}|(?<![\d-])(?:110|119|188|189)(?![\d-])")
INTRO = "自動応答ボット"
NOBODY = "相談員がいない"
URGENCY = ("low", "medium", "high", "emergency")


def numbers_in(text: str) -> List[str]:
    return NUMBER.findall(text)


def turn_problems(messages: List[Dict[str, str]], turn: int, seen: Dict[str, int]) -> List[str]:
    """What breaks the rules in one turn (empty when it is fine)."""
    texts = [m["text"] for m in messages]
    problems = []
    if len(texts) > MAX_MESSAGES:
        problems.append(f"{len(texts)} messages")
    numbers = [n for text in texts for n in numbers_in(text)]
    problems += [f"number {n} twice" for n in sorted({n for n in numbers if numbers.count(n) > 1})]
    intro_at = [i for i, text in enumerate(texts) if INTRO in text]
    seen["intro"] = seen.get("intro", 0) + len(intro_at)
    if intro_at and (turn != 0 or intro_at != [0]):
        problems.append("introduction not first, or not in the first turn")
    seen["nobody"] = seen.get("nobody", 0) + sum(NOBODY in text for text in texts)
    if any("待っていて" in text or "待っててね" in text for text in texts) and seen.get("on_duty", 0) == 0:
        problems.append("told to wait for a person who is not there")
    asks = [i for i, text in enumerate(texts) if text.rstrip().endswith(("？", "?"))]
    if asks and asks[-1] != len(texts) - 1:
        problems.append("a question is not the last thing she reads")
    return problems


async def run(client, redis, settings, scenario: Dict[str, Any]) -> Dict[str, Any]:
    if scenario.get("on_duty"):
        await add_counselor(redis, settings, "aoi")
        await login(client, "aoi")
    session = await open_session(client)
    turns, seen = [], {"on_duty": scenario.get("on_duty", 0)}
    for index, text in enumerate(scenario["turns"]):
        response = await say(client, session["token"], text)
        assert response.status == 200, await response.text()
        body = await response.json()
        turns.append({"she": text, "messages": body["messages"], "state": body["state"],
                      "problems": turn_problems(body["messages"], index, seen)})
    conversation = await redis.hgetall(f"{settings.key_prefix}conv:{session['conversation_id']}")
    return {"turns": turns, "seen": seen, "urgency": conversation.get(b"max_urgency", b"low").decode()}


def render(scenario: Dict[str, Any], result: Dict[str, Any]) -> str:
    lines = [f"# {scenario['title']}", "", f"`{scenario['id']}` — through the web chat API with the real Rasa "
             f"and action servers; counselors on duty: {scenario.get('on_duty', 0)}.", ""]
    for number, turn in enumerate(result["turns"], 1):
        lines += [f"## Turn {number}", "", f"**She:** {turn['she']}", ""]
        for message in turn["messages"]:
            who = {"bot": "Akari (bot)", "system": "System"}.get(message.get("from"), message.get("from"))
            body = message["text"].replace("\n", "  \n> ")
            lines += [f"> **{who}:** {body}", ""]
        lines += [f"*state after this turn: `{turn['state']}`; {len(turn['messages'])} message(s)*", ""]
    lines += [f"Conversation urgency for the queue: `{result['urgency']}`.", ""]
    return "\n".join(lines)


def check(scenario: Dict[str, Any], result: Dict[str, Any]) -> List[str]:
    """The scenario's own expectations, plus the rules that hold for every conversation."""
    expect, turns = scenario.get("expect", {}), result["turns"]
    everything = "\n".join(m["text"] for t in turns for m in t["messages"])
    problems = [f"turn {i + 1}: {p}" for i, t in enumerate(turns) for p in t["problems"]]
    if result["seen"].get("intro", 0) > 1:
        problems.append("introduced itself more than once")
    if result["seen"].get("nobody", 0) > 1:
        problems.append("told more than once that nobody is on duty")
    if expect.get("state") and turns[-1]["state"] != expect["state"]:
        problems.append(f"ends in state {turns[-1]['state']}, expected {expect['state']}")
    if expect.get("urgency") and result["urgency"] != expect["urgency"]:
        problems.append(f"urgency {result['urgency']}, expected {expect['urgency']}")
    if expect.get("urgency_at_most") and URGENCY.index(result["urgency"]) > URGENCY.index(expect["urgency_at_most"]):
        problems.append(f"urgency {result['urgency']} raised above {expect['urgency_at_most']}")
    if expect.get("every_turn_answered") and not all(t["messages"] for t in turns):
        problems.append("a turn got no reply at all")
    problems += [f"never says {w!r}" for w in expect.get("somewhere", []) if w not in everything]
    problems += [f"says {w!r}" for w in expect.get("nowhere", []) if w in everything]
    last = "\n".join(m["text"] for m in turns[-1]["messages"])
    problems += [f"last turn never says {w!r}" for w in expect.get("last_turn_mentions", []) if w not in last]
    return problems


@pytest.mark.servers
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
async def test_scenario(client, redis, base_settings, scenario):
    result = await run(client, redis, base_settings, scenario)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{scenario['id']}.md").write_text(render(scenario, result), encoding="utf-8")
    assert check(scenario, result) == []


def test_the_rules_catch_what_they_should():
    """The checker itself: a turn breaking each rule is reported (so a passing gallery means something)."""
    bad = [{"text": "自動応答ボットです"}, {"text": "119（24時間）"}, {"text": "大丈夫？"}, {"text": "119に電話して"}]
    problems = turn_problems(bad * 2, 1, {})
    assert any("messages" in p for p in problems) and any("119" in p for p in problems)
    assert any("introduction" in p for p in problems) and any("question" in p for p in problems)
    assert turn_problems([{"text": "今夜は相談員がいないけど、ここにいるよ。話せる？"}], 0, {}) == []
