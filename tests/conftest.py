"""Shared fixtures: the real action server and Rasa server with the trained model."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"  # the bot's environment, whichever one runs the tests
MODELS = ROOT / "bot" / "models"
START_TIMEOUT = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A child process whose log is watched for its "ready" line (no sleeping)."""

    def __init__(self, args: List[str], ready_marker: str, env: dict, log_path: Path) -> None:
        self.ready = threading.Event()
        self.log_path = log_path
        self._log = log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        self._thread = threading.Thread(target=self._watch, args=(ready_marker,), daemon=True)
        self._thread.start()

    def _watch(self, marker: str) -> None:
        for line in self.process.stdout:
            self._log.write(line)
            self._log.flush()
            if marker in line:
                self.ready.set()
        self.ready.set()  # process ended: wake the waiter, which then sees it died

    def wait_ready(self, probe_url: str | None = None) -> None:
        """Wait for the ready line, then (Rasa logs it just before binding) for the port to answer."""
        if not self.ready.wait(START_TIMEOUT) or self.process.poll() is not None:
            raise RuntimeError(f"server did not start; see {self.log_path}")
        if probe_url is None:
            return
        pause = threading.Event()
        for _ in range(300):
            try:
                with urllib.request.urlopen(probe_url, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError):
                pass
            if self.process.poll() is not None:
                break
            pause.wait(0.1)
        raise RuntimeError(f"{probe_url} never answered; see {self.log_path}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._thread.join(timeout=10)
        self._log.close()


@dataclass(frozen=True)
class BotServers:
    rasa_url: str
    action_url: str
    log_dir: Path

    def logs(self) -> str:
        """Everything both servers have logged so far."""
        return "".join(path.read_text(encoding="utf-8") for path in sorted(self.log_dir.glob("*.log")))

    def say(self, sender: str, text: str) -> list:
        """Send one message over Rasa's REST channel; returns the bot's messages."""
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(
            f"{self.rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())


def pytest_collection_modifyitems(items) -> None:
    """Every test that needs the real Rasa and action servers is marked ``servers`` (``make test-fast`` skips them)."""
    for item in items:
        if "bot_servers" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.servers)


@pytest.fixture(scope="session")
def bot_servers(tmp_path_factory) -> Iterator[BotServers]:
    if not list(MODELS.glob("*.tar.gz")):
        pytest.fail("no trained model in bot/models: run `make test` (it trains first)")
    logs = tmp_path_factory.mktemp("server-logs")
    rasa_port, action_port = free_port(), free_port()
    endpoints = logs / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n')
    env = dict(os.environ, PYTHONPATH=str(ROOT), SANIC_HOST="127.0.0.1", TF_CPP_MIN_LOG_LEVEL="3",
               SQLALCHEMY_SILENCE_UBER_WARNING="1", RASA_TELEMETRY_ENABLED="false")
    actions = Server(
        [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "bot.actions", "--port", str(action_port)],
        "Action endpoint is up and running", env, logs / "actions.log",
    )
    rasa = Server(
        [str(VENV_BIN / "rasa"), "run", "--model", str(MODELS), "--enable-api", "--interface", "127.0.0.1",
         "--port", str(rasa_port), "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml")],
        "Rasa server is up and running", env, logs / "rasa.log",
    )
    try:
        actions.wait_ready(f"http://127.0.0.1:{action_port}/health")
        rasa.wait_ready(f"http://127.0.0.1:{rasa_port}/status")
        yield BotServers(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}", logs)
    finally:
        rasa.stop()
        actions.stop()


@pytest.fixture
def sender() -> str:
    """A fresh conversation id."""
    return f"test-{uuid.uuid4().hex}"
