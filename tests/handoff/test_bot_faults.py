"""Faults behind the chat, with real processes (issue #8): Rasa restarted in the middle of the pregnancy check, and
the action server down. Her conversation continues where it was; she always gets a kind reply with numbers."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

import pytest

from handoff.app import create_app
from tests.conftest import MODELS, ROOT, VENV_BIN, Server, free_port
from tests.handoff.helpers import ALARM, RedisProcess, open_session, say

pytestmark = pytest.mark.servers
ENV = dict(os.environ, PYTHONPATH=str(ROOT), SANIC_HOST="127.0.0.1", TF_CPP_MIN_LOG_LEVEL="3",
           SQLALCHEMY_SILENCE_UBER_WARNING="1", RASA_TELEMETRY_ENABLED="false")


@dataclass
class Stack:
    """A Rasa and an action server of this module's own (so they may be killed), on a Redis tracker store."""

    logs: Path
    endpoints: Path
    rasa_port: int
    action_port: int
    actions: Server
    rasa: Server

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def start_rasa(self) -> None:
        self.rasa = Server(
            [str(VENV_BIN / "rasa"), "run", "--model", str(MODELS), "--enable-api", "--interface", "127.0.0.1",
             "--port", str(self.rasa_port), "--endpoints", str(self.endpoints), "--credentials",
             str(ROOT / "credentials.yml")], "Rasa server is up and running", ENV, self.logs / "rasa-again.log")
        self.rasa.wait_ready(f"{self.rasa_url}/status")


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    logs = tmp_path_factory.mktemp("bot-faults")
    redis = RedisProcess(free_port(), logs, "--appendonly", "yes", "--appendfsync", "always")
    rasa_port, action_port = free_port(), free_port()
    endpoints = logs / "endpoints.yml"
    endpoints.write_text(subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rasa_endpoints.py"), redis.url, str(action_port)],
        check=True, capture_output=True, text=True).stdout)
    actions = Server([str(VENV_BIN / "rasa"), "run", "actions", "--actions", "bot.actions", "--port", str(action_port)],
                     "Action endpoint is up and running", ENV, logs / "actions.log")
    actions.wait_ready(f"http://127.0.0.1:{action_port}/health")
    stack = Stack(logs, endpoints, rasa_port, action_port, actions, None)  # type: ignore[arg-type]
    stack.start_rasa()
    try:
        yield stack
    finally:
        stack.rasa.stop()
        stack.actions.stop()
        redis.stop()


async def test_rasa_restarted_mid_check_goes_on_where_it_was(aiohttp_client, base_settings, redis, stack):
    client = await aiohttp_client(create_app(replace(base_settings, rasa_url=stack.rasa_url,
                                                     action_server_url=f"http://127.0.0.1:{stack.action_port}")))
    session = await open_session(client)
    first = await (await say(client, session["token"], "ゴム破れたかも…どうしよう")).json()
    assert any("いつ" in m["text"] for m in first["messages"])  # the check asks when it happened
    stack.rasa.stop()
    stack.start_rasa()  # Rasa restarts; the conversation's context is in Redis
    answer = await (await say(client, session["token"], "昨日の夜")).json()
    words = "\n".join(m["text"] for m in answer["messages"])
    assert "自動応答ボット" not in words  # not a new conversation: no second introduction
    assert "アフターピル" in words and "生理" in words  # the advice for ~18 h, then the next question


async def test_with_the_action_server_down_she_still_gets_a_kind_reply_and_is_queued(aiohttp_client, base_settings,
                                                                                     redis, stack):
    client = await aiohttp_client(create_app(replace(base_settings, rasa_url=stack.rasa_url,
                                                     action_server_url=f"http://127.0.0.1:{stack.action_port}")))
    stack.actions.stop()
    session = await open_session(client)
    body = await (await say(client, session["token"], ALARM)).json()
    words = "\n".join(m["text"] for m in body["messages"])
    assert body["state"] == "waiting" and "119" in words and "ごめんね" in words
    health = await (await client.get("/healthz")).json()
    assert health["action_server"] is False and health["ok"] is False
