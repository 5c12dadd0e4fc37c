"""``python -m handoff users …``: every change to an account takes effect at once on her open console."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from handoff.__main__ import main
from handoff.settings import Settings
from tests.conftest import free_port
from tests.handoff.helpers import PASSWORD, add_counselor, claimed_conversation, login

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "a brand new passphrase"


def cli_env(base_settings, tmp_path) -> dict:
    return {"REDIS_URL": base_settings.redis_url, "AKARI_KEY_PREFIX": base_settings.key_prefix,
            "AKARI_DATA_KEY": Fernet.generate_key().decode(), "AKARI_DATA_DIR": str(tmp_path)}


@pytest.fixture
def users(base_settings, tmp_path, monkeypatch, capsys):
    """Runs ``python -m handoff users ARGS`` (in a thread, as the real entry point) → (exit code, stdout, stderr)."""
    for name, value in cli_env(base_settings, tmp_path).items():
        monkeypatch.setenv(name, value)

    async def run(*args: str, password: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
        code = await asyncio.to_thread(main, ["users", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_the_command_line_manages_accounts_end_to_end(base_settings, tmp_path):
    env = {**os.environ, **cli_env(base_settings, tmp_path), "PYTHONPATH": str(ROOT)}

    def run(*args: str, password: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "handoff", "users", *args], input=password + "\n",
                              capture_output=True, text=True, env=env, timeout=60)

    assert run("add", "aoi", "--role", "counselor", password=PASSWORD).returncode == 0
    assert run("passwd", "aoi", password=NEW_PASSWORD).returncode == 0
    assert run("disable", "aoi").returncode == 0
    listed = run("list")
    assert listed.returncode == 0 and listed.stdout.split() == ["aoi", "counselor", "disabled"]


async def test_a_new_password_ends_her_sessions(offline_client, redis, base_settings, users):
    await add_counselor(redis, base_settings)
    await login(offline_client)
    code, out, _ = await users("passwd", "aoi", password=NEW_PASSWORD)
    assert code == 0 and "sessions ended" in out
    assert (await offline_client.get("/api/queue")).status == 401
    assert (await login(offline_client))[0].status == 401  # the old password no longer works
    assert (await login(offline_client, password=NEW_PASSWORD))[0].status == 200
    assert (await offline_client.get("/api/queue")).status == 200


async def test_a_short_password_or_an_unknown_name_is_refused(offline_client, redis, base_settings, users):
    await add_counselor(redis, base_settings)
    code, _, err = await users("passwd", "aoi", password="short")
    assert code == 2 and "at least" in err
    assert (await login(offline_client))[0].status == 200  # nothing changed
    for action in ("passwd", "disable", "enable", "remove"):
        code, _, err = await users(action, "nobody", password=NEW_PASSWORD)
        assert code == 2 and "nobody" in err
    code, _, _ = await users("list")
    assert code == 0 and not await redis.exists(f"{base_settings.key_prefix}user:nobody")


async def test_a_disabled_counselor_is_logged_out_at_once_and_kept_out(offline_client, redis, base_settings, users):
    await add_counselor(redis, base_settings)
    await login(offline_client)
    assert (await users("disable", "aoi"))[0] == 0
    assert (await offline_client.get("/api/queue")).status == 401
    assert (await login(offline_client))[0].status == 401  # the right password, refused like a wrong one
    assert (await users("enable", "aoi"))[0] == 0
    assert (await login(offline_client))[0].status == 200


async def test_a_disabled_counselor_no_longer_counts_as_on_duty(offline_client, redis, base_settings, users):
    await add_counselor(redis, base_settings)
    await login(offline_client)
    await users("disable", "aoi")
    session = await (await offline_client.post("/api/webchat/sessions")).json()
    reply = await offline_client.post("/api/webchat/messages", json={"text": "さっき薬全部飲んだ"},
                                      headers={"Authorization": f"Bearer {session['token']}"})
    texts = "\n".join(m["text"] for m in (await reply.json())["messages"])
    assert "相談員がいない時間" in texts  # she is not promised a counselor who cannot log in


async def test_a_removed_counselor_is_logged_out_and_gone(offline_client, redis, base_settings, users):
    await add_counselor(redis, base_settings, "aoi")
    await add_counselor(redis, base_settings, "ren")
    await login(offline_client, "aoi")
    code, out, _ = await users("remove", "aoi")
    assert code == 0 and "removed" in out
    assert (await offline_client.get("/api/queue")).status == 401
    assert (await login(offline_client, "aoi"))[0].status == 401
    _, listed, _ = await users("list")
    assert listed.split() == ["ren", "counselor", "active"]


async def test_a_demoted_supervisor_loses_supervisor_rights_at_once(offline_client, redis, base_settings, users):
    await add_counselor(redis, base_settings, "boss", role="supervisor")
    await login(offline_client, "boss")
    assert (await offline_client.get("/api/audit")).status == 200
    code, out, _ = await users("role", "boss", "--role", "counselor")
    assert code == 0 and "now counselor" in out
    assert (await offline_client.get("/api/audit")).status == 401
    await login(offline_client, "boss")
    assert (await offline_client.get("/api/audit")).status == 403
    assert (await offline_client.get("/api/queue")).status == 200


async def test_adding_an_existing_name_resets_it_and_ends_its_sessions(offline_client, redis, base_settings, users):
    await add_counselor(redis, base_settings)
    await login(offline_client)
    assert (await users("add", "aoi", "--role", "counselor", password=NEW_PASSWORD))[0] == 0
    assert (await offline_client.get("/api/queue")).status == 401
    assert (await login(offline_client, password=NEW_PASSWORD))[0].status == 200


async def test_an_unreachable_redis_is_said_plainly(users, monkeypatch):
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    code, _, err = await users("list")
    assert code == 1 and "cannot reach Redis" in err


async def test_disabling_a_counselor_who_holds_a_conversation_says_so(offline_client, redis, base_settings, users):
    await claimed_conversation(offline_client, redis, base_settings, "aoi")
    code, out, _ = await users("disable", "aoi")
    assert code == 0 and "still holds 1 conversation" in out  # she must not be left without an answer


def test_the_cookie_is_secure_unless_turned_off_for_plain_http(tmp_path):
    key = Fernet.generate_key().decode()
    base = {"AKARI_DATA_KEY": key, "AKARI_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(base).cookie_secure
    assert Settings.from_env({**base, "AKARI_COOKIE_SECURE": "yes"}).cookie_secure
    assert not Settings.from_env({**base, "AKARI_COOKIE_SECURE": "0"}).cookie_secure
    assert not Settings.from_env({**base, "AKARI_COOKIE_SECURE": "false"}).cookie_secure
