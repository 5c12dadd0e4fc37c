"""When Redis goes away: a clear 503, and she still gets a kind reply with lines open now."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from handoff.app import create_app
from tests.conftest import free_port
from tests.handoff.helpers import open_session, say

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of our own on a free port, so this test may kill it."""
    binary = ROOT / ".venv-handoff" / "bin" / "redis-server"
    binary = binary if binary.exists() else Path(shutil.which("redis-server") or "redis-server")
    port = free_port()
    process = subprocess.Popen([str(binary), "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly",
                                "no", "--dir", str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in process.stdout:  # wait for its own "ready" line, no sleeping
        if "Ready to accept connections" in line:
            break
    yield process, f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait()
    process.stdout.close()


async def test_a_redis_outage_is_a_503_with_a_kind_reply(aiohttp_client, base_settings, own_redis):
    process, url = own_redis
    client = await aiohttp_client(create_app(replace(base_settings, redis_url=url)))
    session = await open_session(client)
    process.kill()
    process.wait()
    response = await say(client, session["token"], "しにたい")
    assert response.status == 503
    body = await response.json()
    assert body["error"]
    words = "\n".join(m["text"] for m in body["messages"])
    assert "ごめんね" in words and "24時間" in words
    health = await (await client.get("/healthz")).json()
    assert health["redis"] is False
