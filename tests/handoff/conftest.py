"""Fixtures for the handoff service: a real Redis (started here when none answers at ``REDIS_URL``; each test
has its own key prefix), the real app, and a Rasa that is real or absent."""

from __future__ import annotations

import os
import uuid
from dataclasses import replace
from typing import Iterator

import pytest
import redis as sync_redis
from cryptography.fernet import Fernet
from redis.asyncio import Redis

from handoff.app import create_app
from handoff.settings import Settings
from tests.conftest import free_port
from tests.handoff.helpers import RedisProcess


def _answers(url: str) -> bool:
    try:
        return bool(sync_redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except (sync_redis.RedisError, OSError):
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """``REDIS_URL`` if a Redis answers there; else an embedded redis-server of the tests' own."""
    configured = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    if _answers(configured):
        yield configured
        return
    server = RedisProcess(free_port(), tmp_path_factory.mktemp("redis"))
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def base_settings(redis_url) -> Settings:
    """Settings with a unique key prefix, and a Rasa that does not answer (a closed port)."""
    dead = f"http://127.0.0.1:{free_port()}"
    return Settings(
        redis_url=redis_url, rasa_url=dead, action_server_url=dead, data_key=Fernet.generate_key(),
        key_prefix=f"akari-test:{uuid.uuid4().hex}:", rasa_timeout=30.0,
    )


@pytest.fixture
async def redis(base_settings):
    client = Redis.from_url(base_settings.redis_url)
    yield client
    keys = [key async for key in client.scan_iter(match=f"{base_settings.key_prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture
async def offline_client(aiohttp_client, base_settings, redis):
    """The app with Rasa down."""
    return await aiohttp_client(create_app(base_settings))


@pytest.fixture
async def client(aiohttp_client, base_settings, redis, bot_servers):
    """The app talking to the real Rasa and action servers."""
    settings = replace(base_settings, rasa_url=bot_servers.rasa_url, action_server_url=bot_servers.action_url)
    return await aiohttp_client(create_app(settings))
