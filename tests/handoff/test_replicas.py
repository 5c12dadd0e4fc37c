"""More than one Rasa (issue 9): each conversation pinned to one replica, failover when it is down, and two real
replicas sharing a Redis tracker store serving interleaved conversations with no turn lost or reordered."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import urllib.request
from collections import Counter
from dataclasses import dataclass, replace
from typing import Dict, Iterator, List

import aiohttp
import pytest
from aiohttp import web

from handoff import rasa_client, replicas
from handoff.app import create_app
from handoff.settings import Settings, parse_rasa_urls
from tests.conftest import MODELS, ROOT, VENV_BIN, Server, free_port
from tests.handoff.helpers import RedisProcess, open_session, say

URLS = [f"http://rasa-{n}:5005" for n in range(1, 5)]
IDS = [f"conversation-{n}" for n in range(2000)]


# --- the choice of replica: a pure function ---------------------------------------------------------------

def test_a_conversation_always_goes_to_the_same_replica_whatever_the_order_of_the_list():
    for cid in IDS[:50]:
        assert replicas.order(cid, URLS) == replicas.order(cid, list(reversed(URLS)))
        assert sorted(replicas.order(cid, URLS)) == sorted(URLS)


def test_conversations_are_spread_over_the_replicas():
    firsts = Counter(replicas.order(cid, URLS)[0] for cid in IDS)
    assert set(firsts) == set(URLS)
    assert min(firsts.values()) > len(IDS) / len(URLS) * 0.8


def test_removing_a_replica_moves_only_its_own_conversations():
    smaller = [url for url in URLS if url != URLS[2]]
    for cid in IDS:
        before, after = replicas.order(cid, URLS)[0], replicas.order(cid, smaller)[0]
        if before != URLS[2]:
            assert after == before
        else:
            assert after == replicas.order(cid, URLS)[1]  # its failover replica takes it


def test_adding_a_replica_moves_conversations_only_to_the_new_one():
    bigger = URLS + ["http://rasa-5:5005"]
    moved = [cid for cid in IDS if replicas.order(cid, bigger)[0] != replicas.order(cid, URLS)[0]]
    assert all(replicas.order(cid, bigger)[0] == bigger[-1] for cid in moved)
    assert len(IDS) * 0.1 < len(moved) < len(IDS) * 0.3


def test_a_replica_known_to_be_down_is_tried_last_but_still_tried():
    cid = IDS[0]
    first, *rest = replicas.order(cid, URLS)
    assert replicas.candidates(cid, URLS, [first]) == rest + [first]
    assert replicas.candidates(cid, URLS, URLS) == replicas.order(cid, URLS)


def test_the_down_memory_is_short():
    now = [100.0]
    memory = replicas.DownReplicas(seconds=30, clock=lambda: now[0])
    memory.mark(URLS[0])
    assert memory.now_down() == [URLS[0]]
    now[0] += 29
    assert memory.now_down() == [URLS[0]]
    now[0] += 2
    assert memory.now_down() == []


def test_rasa_url_may_list_several_replicas():
    env = {"RASA_URL": " http://rasa-1:5005/, http://rasa-2:5005 ,,http://rasa-1:5005", "AKARI_DATA_KEY": ""}
    settings = Settings.from_env(env)
    assert settings.rasa_urls == ("http://rasa-1:5005", "http://rasa-2:5005")
    assert settings.rasa_url == "http://rasa-1:5005"
    assert parse_rasa_urls("") == (Settings.rasa_url,)
    assert Settings.from_env({"RASA_URL": "http://rasa:5005"}).rasa_urls == ("http://rasa:5005",)


def test_older_code_that_replaces_rasa_url_gets_that_one_rasa():
    settings = Settings(rasa_url=URLS[0], rasa_urls=tuple(URLS))
    assert replace(settings, rasa_url="http://other:5005").rasa_urls == ("http://other:5005",)
    assert replace(settings, data_key=b"x").rasa_urls == tuple(URLS)


# --- failover over HTTP, against a server that answers as Rasa's REST channel does -----------------------

@dataclass
class CountingRasa:
    url: str
    seen: List[str]


@pytest.fixture
async def live_replica(aiohttp_server) -> CountingRasa:
    """An HTTP server shaped like Rasa's REST webhook that records who wrote to it (the failover logic does
    not depend on what Rasa says; the real servers are in the test further down)."""
    seen: List[str] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        seen.append(body["sender"])
        return web.json_response([{"recipient_id": body["sender"], "text": "こんばんは"}])

    async def status(request: web.Request) -> web.Response:
        return web.json_response({"model_file": "akari.tar.gz"})

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_get("/status", status)
    server = await aiohttp_server(app)
    return CountingRasa(str(server.make_url("")).rstrip("/"), seen)


def _dead_url() -> str:
    return f"http://127.0.0.1:{free_port()}"


async def test_a_conversation_whose_replica_is_down_is_answered_by_the_next(live_replica):
    dead = _dead_url()
    urls = [dead, live_replica.url]
    pinned_to_dead = next(cid for cid in IDS if replicas.order(cid, urls)[0] == dead)
    memory = replicas.DownReplicas()
    async with aiohttp.ClientSession() as http:
        turn = await replicas.send(http, urls, pinned_to_dead, "こんばんは", 5, memory=memory)
    assert turn.texts == ["こんばんは"]
    assert live_replica.seen == [pinned_to_dead]
    assert memory.now_down() == [dead]


async def test_a_dead_replica_is_not_asked_again_on_every_message(live_replica, monkeypatch):
    dead = _dead_url()
    urls = [dead, live_replica.url]
    pinned_to_dead = [cid for cid in IDS if replicas.order(cid, urls)[0] == dead][:5]
    attempts: List[str] = []
    real_send = rasa_client.send

    async def counting_send(session, url, *args, **kwargs):
        attempts.append(url)
        return await real_send(session, url, *args, **kwargs)

    monkeypatch.setattr(rasa_client, "send", counting_send)
    memory = replicas.DownReplicas()
    async with aiohttp.ClientSession() as http:
        for cid in pinned_to_dead:
            await replicas.send(http, urls, cid, "こんばんは", 5, memory=memory)
    assert attempts.count(dead) == 1
    assert live_replica.seen == pinned_to_dead


async def test_when_every_replica_is_down_the_caller_falls_back():
    urls = [_dead_url(), _dead_url()]
    memory = replicas.DownReplicas()
    async with aiohttp.ClientSession() as http:
        with pytest.raises(rasa_client.RasaUnavailable):
            await replicas.send(http, urls, IDS[0], "こんばんは", 5, memory=memory)
    assert sorted(memory.now_down()) == sorted(urls)


async def test_a_replica_that_answers_badly_is_not_failed_over(aiohttp_server, live_replica):
    """An HTTP error is not a dead replica: they share one action server, so the next would answer the same,
    and the message must not be processed twice."""
    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=500)

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", broken)
    server = await aiohttp_server(app)
    urls = [str(server.make_url("")).rstrip("/"), live_replica.url]
    cid = next(cid for cid in IDS if replicas.order(cid, urls)[0] == urls[0])
    async with aiohttp.ClientSession() as http:
        with pytest.raises(rasa_client.RasaUnavailable):
            await replicas.send(http, urls, cid, "こんばんは", 5, memory=replicas.DownReplicas())
    assert live_replica.seen == []


async def test_a_message_a_slow_replica_may_have_read_is_never_sent_to_another(aiohttp_server, live_replica):
    """Too slow: it may still process her message, so it is not sent again elsewhere (one answer read twice
    would fill two questions of a form); the replica is remembered as down and her next message goes on."""
    never = asyncio.Event()
    reached: List[str] = []

    async def stuck(request: web.Request) -> web.Response:
        reached.append((await request.json())["sender"])
        await never.wait()
        return web.json_response([])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", stuck)
    server = await aiohttp_server(app)
    urls = [str(server.make_url("")).rstrip("/"), live_replica.url]
    cid = next(cid for cid in IDS if replicas.order(cid, urls)[0] == urls[0])
    memory = replicas.DownReplicas()
    async with aiohttp.ClientSession() as http:
        with pytest.raises(rasa_client.RasaUnavailable):
            await replicas.send(http, urls, cid, "3週間前くらい", 0.5, memory=memory)
        assert reached == [cid] and live_replica.seen == []
        assert memory.now_down() == [urls[0]]
        turn = await replicas.send(http, urls, cid, "してない", 0.5, memory=memory)
    assert turn.texts and live_replica.seen == [cid]
    never.set()


async def test_healthz_reports_each_replica(aiohttp_client, base_settings, redis, live_replica):
    urls = (live_replica.url, _dead_url())
    client = await aiohttp_client(create_app(replace(base_settings, rasa_url=urls[0], rasa_urls=urls)))
    body = await (await client.get("/healthz")).json()
    assert body["rasa_replicas"] == [True, False]
    assert body["rasa"] is True  # the bot still answers: her conversation fails over
    assert body["ok"] is False


# --- two real Rasa replicas sharing a Redis tracker store ---------------------------------------------------

@dataclass
class Replicas:
    urls: tuple
    action_url: str
    servers: Dict[str, Server]


@pytest.fixture(scope="module")
def two_replicas(tmp_path_factory) -> Iterator[Replicas]:
    """Two Rasa servers with the trained model and one action server; tracker and lock stores in a Redis of the
    test's own (the endpoints `make run` writes, from scripts/rasa_endpoints.py). Marked ``servers`` below."""
    if not list(MODELS.glob("*.tar.gz")):
        pytest.fail("no trained model in bot/models: run `make test` (it trains first)")
    logs = tmp_path_factory.mktemp("replicas")
    redis = RedisProcess(free_port(), logs)
    action_port, ports = free_port(), [free_port(), free_port()]
    endpoints = logs / "endpoints.yml"
    endpoints.write_text(subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rasa_endpoints.py"), redis.url, str(action_port)],
        check=True, capture_output=True, text=True).stdout)
    env = dict(os.environ, PYTHONPATH=str(ROOT), SANIC_HOST="127.0.0.1", TF_CPP_MIN_LOG_LEVEL="3",
               SQLALCHEMY_SILENCE_UBER_WARNING="1", RASA_TELEMETRY_ENABLED="false")
    servers = {"actions": Server(
        [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "bot.actions", "--port", str(action_port)],
        "Action endpoint is up and running", env, logs / "actions.log")}
    for port in ports:
        servers[f"http://127.0.0.1:{port}"] = Server(
            [str(VENV_BIN / "rasa"), "run", "--model", str(MODELS), "--enable-api", "--interface", "127.0.0.1",
             "--port", str(port), "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml")],
            "Rasa server is up and running", env, logs / f"rasa-{port}.log")
    try:
        servers["actions"].wait_ready(f"http://127.0.0.1:{action_port}/health")
        urls = tuple(url for url in servers if url != "actions")
        for url in urls:
            servers[url].wait_ready(f"{url}/status")
        yield Replicas(urls, f"http://127.0.0.1:{action_port}", servers)
    finally:
        for server in servers.values():
            server.stop()
        redis.stop()


@dataclass(frozen=True)
class Check:
    """One 「妊娠したかも？」 check: her answers, and the question each reply must ask next."""

    when: str
    hours: float
    period: str
    period_read: str
    test: str
    test_read: str
    age: int

    def turns(self) -> List[tuple]:
        return [("妊娠したかもしれなくて怖い", "いつ頃？（"), (self.when, "最後に生理"), (self.period, "検査薬"),
                (self.test, "年齢"), (f"{self.age}歳", None)]


FORM_SLOTS = ("pregnancy_hours", "last_period", "test_done", "age")
CHECKS = [
    Check("昨日の夜", 18, "3週間前くらい", "21d", "してない", "not_yet", 14),
    Check("おとといゴム外れてた", 48, "先月の10日くらい", "30d", "陰性だった", "negative", 15),
    Check("3日前", 72, "3週間前くらい", "21d", "陰性だった", "negative", 16),
    Check("4日前くらい", 96, "先月の10日くらい", "30d", "してない", "not_yet", 17),
]


async def _sessions_on_each(client, urls, per_replica: int) -> List[dict]:
    """Web chat sessions, ``per_replica`` of them pinned to each replica (ids are random)."""
    chosen: Dict[str, List[dict]] = {url: [] for url in urls}
    for _ in range(200):
        session = await open_session(client)
        mine = chosen[replicas.order(session["conversation_id"], urls)[0]]
        if len(mine) < per_replica:
            mine.append(session)
        if all(len(s) == per_replica for s in chosen.values()):
            return [s for url in urls for s in chosen[url]]
    raise AssertionError("conversation ids never spread over both replicas")


async def _turn(client, session: dict, text: str, asks: str | None) -> None:
    response = await say(client, session["token"], text)
    assert response.status == 200
    words = "".join(m["text"] for m in (await response.json())["messages"])
    if asks:
        assert asks in words, f"after {text!r} the bot should ask {asks!r}, it said: {words}"
    else:
        assert not any(q in words for q in ("いつ頃？（", "最後に生理", "検査薬はもう", "年齢を教えて")), words


async def _converse(client, session: dict, check: Check, turns: slice) -> None:
    for text, asks in check.turns()[turns]:
        await _turn(client, session, text, asks)


def _tracker(url: str, cid: str) -> dict:
    with urllib.request.urlopen(f"{url}/conversations/{cid}/tracker?include_events=ALL", timeout=30) as response:
        return json.loads(response.read())


def _assert_read_in_order(url: str, cid: str, check: Check) -> None:
    """Every message reached the bot once and in order, and each answer filled the slot asked for."""
    events = _tracker(url, cid)["events"]
    assert [e["text"] for e in events if e["event"] == "user"] == [t for t, _ in check.turns()]
    values: Dict[str, set] = {}
    for e in events:
        if e["event"] == "slot" and e["name"] in FORM_SLOTS and e["value"] is not None:
            values.setdefault(e["name"], set()).add(e["value"])
    # Rasa first fills the asked slot with her raw words, then the form's validation with what they mean.
    expected = {"pregnancy_hours": (None, check.hours), "last_period": (check.period, check.period_read),
                "test_done": (check.test, check.test_read), "age": (f"{check.age}歳", float(check.age))}
    for slot, (raw, read) in expected.items():
        assert read in values.get(slot, set()) and values[slot] <= {raw, read}, (slot, values.get(slot))


def _settings(base_settings, two_replicas: Replicas):
    return replace(base_settings, rasa_url=two_replicas.urls[0], rasa_urls=two_replicas.urls,
                   action_server_url=two_replicas.action_url)


@pytest.mark.servers
async def test_two_replicas_serve_interleaved_conversations_with_no_turn_lost_or_reordered(
        aiohttp_client, base_settings, redis, two_replicas):
    client = await aiohttp_client(create_app(_settings(base_settings, two_replicas)))
    sessions = await _sessions_on_each(client, two_replicas.urls, 2)
    await asyncio.gather(*(_converse(client, s, c, slice(None)) for s, c in zip(sessions, CHECKS, strict=True)))
    for session, check in zip(sessions, CHECKS, strict=True):
        cid = session["conversation_id"]
        for url in two_replicas.urls:  # one shared tracker: both replicas see the same conversation
            _assert_read_in_order(url, cid, check)
    health = await (await client.get("/healthz")).json()
    assert health["rasa_replicas"] == [True, True]


@pytest.mark.servers
async def test_when_a_replica_dies_mid_run_its_conversations_go_on_with_the_other(
        aiohttp_client, base_settings, redis, two_replicas):
    """Runs last in this module: it kills one replica for good."""
    client = await aiohttp_client(create_app(_settings(base_settings, two_replicas)))
    sessions = await _sessions_on_each(client, two_replicas.urls, 2)
    await asyncio.gather(*(_converse(client, s, c, slice(0, 2)) for s, c in zip(sessions, CHECKS, strict=True)))
    dead, alive = two_replicas.urls
    two_replicas.servers[dead].process.kill()
    two_replicas.servers[dead].process.wait()
    await asyncio.gather(*(_converse(client, s, c, slice(2, None)) for s, c in zip(sessions, CHECKS, strict=True)))
    for session, check in zip(sessions, CHECKS, strict=True):  # the shared tracker kept what she said on the dead one
        _assert_read_in_order(alive, session["conversation_id"], check)
    health = await (await client.get("/healthz")).json()
    assert health["rasa_replicas"] == [False, True] and health["rasa"] is True
