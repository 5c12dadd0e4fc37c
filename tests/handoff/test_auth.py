"""Console login as a counselor meets it: the production cookie, idle and absolute limits, throttles that slow an
attacker's address but never lock a counselor out from her own, and the supervisors' alert."""

from __future__ import annotations

import json
from contextlib import asynccontextmanager
from dataclasses import replace
from http.cookies import SimpleCookie

import aiohttp
import pytest

from handoff import auth, events, throttle
from handoff.app import create_app
from handoff.keys import Keys
from handoff.timeutil import digest
from tests.handoff.helpers import PASSWORD, add_counselor

WRONG = "not her password"


@asynccontextmanager
async def browser(server, address: str = "127.0.0.1"):
    """A client from ``address`` (any 127.x.y.z reaches the test server) whose cookie jar, like a browser's,
    treats http://127.0.0.1 as a secure origin; so it keeps and sends Secure ``__Host-`` cookies."""
    origin = server.make_url("/")
    jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=origin)
    connector = aiohttp.TCPConnector(local_addr=(address, 0))
    async with aiohttp.ClientSession(base_url=origin, cookie_jar=jar, connector=connector) as session:
        yield session


async def log_in(session, name: str = "aoi", password: str = PASSWORD):
    return await session.post("/api/auth/login", json={"username": name, "password": password})


@pytest.fixture
async def server(aiohttp_server, base_settings, redis):
    """The service with production settings (Secure ``__Host-`` cookie)."""
    assert base_settings.cookie_secure
    return await aiohttp_server(create_app(base_settings))


async def test_the_session_cookie_has_the_production_attributes(server, redis, base_settings):
    await add_counselor(redis, base_settings)
    async with browser(server) as console:
        response = await log_in(console)
        assert response.status == 200
        [header] = response.headers.getall("Set-Cookie")
        morsel = SimpleCookie(header)[auth.SECURE_COOKIE]
        assert morsel["secure"] and morsel["httponly"] and morsel["samesite"] == "Strict"
        assert morsel["path"] == "/" and not morsel["domain"]  # what a browser requires of a __Host- cookie
        assert int(morsel["max-age"]) == base_settings.console_session_seconds
        assert (await console.get("/api/queue")).status == 200  # and the browser sends it back
        out = await console.post("/api/auth/logout", headers={"X-CSRF-Token": (await response.json())["csrf_token"]})
        assert out.status == 200 and (await console.get("/api/queue")).status == 401
        assert SimpleCookie(out.headers["Set-Cookie"])[auth.SECURE_COOKIE]["secure"]  # the browser accepts the removal


async def test_plain_http_development_uses_an_ordinary_cookie(aiohttp_client, redis, base_settings):
    client = await aiohttp_client(create_app(replace(base_settings, cookie_secure=False)))
    await add_counselor(redis, base_settings)
    response = await client.post("/api/auth/login", json={"username": "aoi", "password": PASSWORD})
    morsel = SimpleCookie(response.headers["Set-Cookie"])[auth.COOKIE]
    assert not morsel["secure"] and morsel["httponly"] and morsel["samesite"] == "Strict"
    assert (await client.get("/api/queue")).status == 200


async def session_key(redis, base_settings) -> str:
    [key] = [k.decode() async for k in redis.scan_iter(match=Keys(base_settings.key_prefix).session("*"))]
    return key


async def test_each_request_restarts_the_idle_timeout(server, redis, base_settings):
    await add_counselor(redis, base_settings)
    async with browser(server) as console:
        await log_in(console)
        key = await session_key(redis, base_settings)
        assert 0 < await redis.ttl(key) <= base_settings.console_idle_seconds  # unused, it ends after 30 min
        await redis.expire(key, 5)  # as if she had left the console alone for nearly 30 minutes
        assert (await console.get("/api/queue")).status == 200
        assert await redis.ttl(key) > base_settings.console_idle_seconds - 5  # a request gives her 30 more
        await redis.delete(key)  # what the idle timeout does
        assert (await console.get("/api/queue")).status == 401


async def test_a_session_ends_after_twelve_hours_however_busy(server, redis, base_settings):
    await add_counselor(redis, base_settings)
    async with browser(server) as console:
        await log_in(console)
        key = await session_key(redis, base_settings)
        session = json.loads(await redis.get(key))
        session["started"] -= base_settings.console_session_seconds * 1000  # logged in 12 hours ago
        await redis.set(key, json.dumps(session), ex=60)
        assert (await console.get("/api/queue")).status == 401
        assert not await redis.exists(key)


async def test_a_role_is_read_again_on_every_request(server, redis, base_settings):
    await add_counselor(redis, base_settings, "boss", role="supervisor")
    async with browser(server) as console:
        await log_in(console, "boss")
        assert (await console.get("/api/audit")).status == 200
        await redis.hset(Keys(base_settings.key_prefix).user("boss"), "role", "counselor")  # changed elsewhere
        assert (await console.get("/api/audit")).status == 403
        assert (await console.get("/api/queue")).status == 200


async def test_wrong_passwords_slow_the_sending_address_not_the_counselor(server, redis, base_settings):
    await add_counselor(redis, base_settings)
    async with browser(server, "127.0.0.2") as attacker, browser(server, "127.0.0.3") as counselor:
        statuses = [(await log_in(attacker, password=WRONG)).status for _ in range(auth.FREE_FAILURES + 1)]
        assert statuses == [401] * (auth.FREE_FAILURES + 1)
        waiting = await log_in(attacker)  # even the right password waits out the back-off from that address
        assert waiting.status == 429 and (await waiting.json())["code"] == "login_backoff"
        assert 0 < int(waiting.headers["Retry-After"]) <= auth.BACKOFF_FIRST_SECONDS
        assert (await log_in(counselor)).status == 200  # she, elsewhere, is not kept out
        assert (await counselor.get("/api/queue")).status == 200


async def test_a_right_password_clears_her_own_mistakes(server, redis, base_settings):
    await add_counselor(redis, base_settings)
    async with browser(server) as console:
        for _ in range(2):
            for _ in range(auth.FREE_FAILURES):
                assert (await log_in(console, password=WRONG)).status == 401
            assert (await log_in(console)).status == 200


def test_the_back_off_doubles_and_is_capped():
    free = [auth.backoff_seconds(n) for n in range(1, auth.FREE_FAILURES + 1)]
    assert free == [0] * auth.FREE_FAILURES
    first = auth.FREE_FAILURES + 1
    assert [auth.backoff_seconds(n) for n in (first, first + 1, first + 2)] == [30, 60, 120]
    assert auth.backoff_seconds(first + 50) == auth.BACKOFF_MAX_SECONDS


async def test_an_address_trying_too_often_is_refused_before_any_hashing(server, redis, base_settings, monkeypatch):
    monkeypatch.setattr(throttle, "LOGINS_PER_IP", throttle.Limit("login-ip", 3, 600))
    await add_counselor(redis, base_settings)
    async with browser(server, "127.0.0.4") as flood, browser(server, "127.0.0.5") as counselor:
        statuses = [(await log_in(flood, f"name{i}", WRONG)).status for i in range(4)]
        refused = await log_in(flood)
        assert statuses == [401, 401, 401, 429] and refused.status == 429
        assert (await refused.json())["code"] == "too_many_logins" and int(refused.headers["Retry-After"]) > 0
        assert (await log_in(counselor)).status == 200


async def login_alerts(redis, base_settings) -> list[dict]:
    found = await events.read_now(redis, Keys(base_settings.key_prefix), "0")
    return [event for _, event in found if event["type"] == auth.LOGIN_ALERT]


async def test_supervisors_are_alerted_once_when_an_account_is_attacked(server, redis, base_settings, monkeypatch):
    monkeypatch.setattr(auth, "ALERT_AT", 3)
    await add_counselor(redis, base_settings)
    for address in ("127.0.0.6", "127.0.0.7", "127.0.0.8", "127.0.0.9"):  # spread out, as a botnet would be
        async with browser(server, address) as attacker:
            assert (await log_in(attacker, password=WRONG)).status == 401
    [alert] = await login_alerts(redis, base_settings)
    assert alert["scope"] == "account" and alert["username"] == "aoi" and alert["failures"] == 3
    assert WRONG not in json.dumps(alert)


async def test_supervisors_are_alerted_when_one_address_tries_many_names(server, redis, base_settings, monkeypatch):
    monkeypatch.setattr(auth, "ALERT_AT", 3)
    async with browser(server, "127.0.0.10") as attacker:
        for name in ("aoi", "ren", "mika", "yui"):
            assert (await log_in(attacker, name, WRONG)).status == 401
    [alert] = await login_alerts(redis, base_settings)
    assert alert == {"type": auth.LOGIN_ALERT, "scope": "address", "address": "127.0.0.10", "failures": 3,
                     "window_seconds": auth.ALERT_WINDOW_SECONDS}


async def test_the_store_keeps_only_a_digest_of_the_session_token(server, redis, base_settings):
    await add_counselor(redis, base_settings)
    async with browser(server) as console:
        response = await log_in(console)
        token = SimpleCookie(response.headers["Set-Cookie"])[auth.SECURE_COOKIE].value
        key = await session_key(redis, base_settings)
        assert key.endswith(digest(token)) and token.encode() not in await redis.get(key)
