"""Fixtures for the handoff service: a real Redis (own key prefix), the real app, real or absent Rasa."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from cryptography.fernet import Fernet
from redis.asyncio import Redis

from handoff.app import create_app
from handoff.settings import Settings
from tests.conftest import free_port

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def base_settings() -> Settings:
    """Settings with a unique key prefix, and a Rasa that does not answer (a closed port)."""
    dead = f"http://127.0.0.1:{free_port()}"
    return Settings(
        redis_url=REDIS_URL, rasa_url=dead, action_server_url=dead, data_key=Fernet.generate_key(),
        key_prefix=f"akari-test:{uuid.uuid4().hex}:", rasa_timeout=30.0,
    )


@pytest.fixture
async def redis(base_settings):
    client = Redis.from_url(REDIS_URL)
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


async def open_session(client) -> dict:
    response = await client.post("/api/webchat/sessions")
    assert response.status == 201
    return await response.json()


async def say(client, token: str, text: str):
    return await client.post("/api/webchat/messages", json={"text": text}, headers={"Authorization": f"Bearer {token}"})
