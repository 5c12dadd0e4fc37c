"""Stopped and started again, nothing is lost (issue #8): the embedded Redis as `make run` starts it, the data
key made once and found again, the CLI finding the same Redis."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from dataclasses import replace

import pytest
from redis.asyncio import Redis

from handoff.app import create_app
from handoff.settings import Settings
from tests.conftest import free_port
from tests.handoff.helpers import (
    ALARM,
    PASSWORD,
    ROOT,
    RedisProcess,
    add_counselor,
    login,
    open_session,
    say,
)

MAKE_RUN_REDIS = ("--appendonly", "yes", "--appendfsync", "always")  # as scripts/run.sh starts it


@pytest.fixture
def data_dir(tmp_path):
    """A data folder as `make run` leaves it: a key file only its owner reads, and where Redis is."""
    (tmp_path / "redis").mkdir()
    key = subprocess.run([sys.executable, "-c", "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"],
                         capture_output=True, text=True, check=True).stdout
    (tmp_path / "akari.key").write_text(key)
    os.chmod(tmp_path / "akari.key", 0o600)
    return tmp_path


def test_settings_find_the_key_and_redis_that_make_run_left(data_dir):
    (data_dir / "redis.url").write_text("redis://127.0.0.1:6390/0\n")
    settings = Settings.from_env({"AKARI_DATA_DIR": str(data_dir)})
    assert settings.redis_url == "redis://127.0.0.1:6390/0"
    assert settings.data_key == (data_dir / "akari.key").read_text().strip().encode()
    assert stat.S_IMODE(os.stat(data_dir / "akari.key").st_mode) == 0o600


async def test_a_restart_keeps_her_session_her_place_the_transcript_and_the_counselor(aiohttp_client, data_dir,
                                                                                      base_settings):
    server = RedisProcess(free_port(), data_dir / "redis", *MAKE_RUN_REDIS)
    try:
        (data_dir / "redis.url").write_text(server.url)
        settings = replace(Settings.from_env({"AKARI_DATA_DIR": str(data_dir)}), key_prefix=base_settings.key_prefix,
                           rasa_url=base_settings.rasa_url, action_server_url=base_settings.rasa_url)
        client = await aiohttp_client(create_app(settings))
        session = await open_session(client)
        assert (await (await say(client, session["token"], ALARM)).json())["state"] == "waiting"
        redis = Redis.from_url(server.url)
        await add_counselor(redis, settings)
        await redis.aclose()
        server.stop()  # as Ctrl-C on `make run` stops it
        server.process = server._start()
        again = await aiohttp_client(create_app(replace(Settings.from_env({"AKARI_DATA_DIR": str(data_dir)}),
                                                        key_prefix=settings.key_prefix, rasa_url=settings.rasa_url,
                                                        action_server_url=settings.rasa_url)))
        assert (await say(again, session["token"], "まだいるよ")).status == 200  # her session still opens
        _, me = await login(again)
        assert me.get("csrf_token")  # the counselor's account survived
        queue = await (await again.get("/api/queue")).json()
        assert [e["conversation_id"] for e in queue["queue"]] == [session["conversation_id"]]
        detail = await (await again.get(f"/api/conversations/{session['conversation_id']}")).json()
        assert [m["text"] for m in detail["messages"] if m["role"] == "user"] == [ALARM, "まだいるよ"]
    finally:
        server.stop()


def test_the_cli_finds_the_same_redis_by_itself(data_dir):
    server = RedisProcess(free_port(), data_dir / "redis", *MAKE_RUN_REDIS)
    try:
        (data_dir / "redis.url").write_text(server.url)
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "AKARI_DATA_KEY")}
        env.update(AKARI_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
        done = subprocess.run([sys.executable, "-m", "handoff", "users", "add", "aoi", "--role", "counselor"],
                              input=PASSWORD + "\n", capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
        assert done.returncode == 0, done.stderr
        import redis as sync_redis
        assert sync_redis.Redis.from_url(server.url).exists("akari:user:aoi")
    finally:
        server.stop()
