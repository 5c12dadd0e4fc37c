"""Counselor login: ``__Host-`` session cookies (Secure, HttpOnly, SameSite=Strict), CSRF tokens, login throttles.

Only logged-in counselors see conversations; every state-changing request after login must carry the session's
CSRF token in ``X-CSRF-Token``. Each request checks the session against the account as it is now: a new
password, a new role, a disabled or removed account takes effect at once. A session ends after
``console_idle_seconds`` without a request, and ``console_session_seconds`` after login whatever happens.

Wrong passwords slow down the address that sends them (per address, and per account from that address, with a
back-off), never the account itself: nobody elsewhere can keep a counselor out. When one account or one address
collects many failures, consoles get a ``login_alert`` event for the supervisors.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Awaitable, Callable, Optional

from aiohttp import web
from redis.asyncio import Redis

from handoff import events, presence, throttle
from handoff.appkeys import KEYS, REDIS, SETTINGS
from handoff.errors import problem
from handoff.keys import Keys
from handoff.requests_json import json_object
from handoff.settings import Settings
from handoff.timeutil import digest, now_ms
from handoff.users import Account, User, Users
from handoff.webchat import client_ip

COOKIE = "akari_session"  # plain-http development only (``cookie_secure=False``)
SECURE_COOKIE = "__Host-akari_session"  # the browser keeps it only if Secure, Path=/ and no Domain
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Console event type for supervisors (handoff.events has no constant for it): fields ``scope`` ("account" or
# "address"), ``username`` or ``address``, ``failures``, ``window_seconds``. Never a password.
LOGIN_ALERT = "login_alert"
FREE_FAILURES = 4  # wrong passwords for one account from one address before the back-off starts
BACKOFF_FIRST_SECONDS = 30  # then 30 s, 60 s, 2 min… up to BACKOFF_MAX_SECONDS
BACKOFF_MAX_SECONDS = 15 * 60
PAIR_MEMORY_SECONDS = 3600  # how long failures of one account from one address are remembered
ALERT_AT = 10  # failures on one account, or from one address, within the window: alert once
ALERT_WINDOW_SECONDS = 15 * 60
REFUSAL_PAUSE_SECONDS = 0.5  # a refused login is answered this late (costs nothing: the request just waits)

USER = web.RequestKey("user", User)  # the logged-in counselor, set by counselor_only

routes = web.RouteTableDef()
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Failures:
    """Counts after one more wrong password: this account from this address, the account, the address."""

    pair: int
    account: int
    address: int


def backoff_seconds(pair_failures: int) -> int:
    """How long an address waits before trying this account again, after ``pair_failures`` wrong passwords."""
    if pair_failures <= FREE_FAILURES:
        return 0
    return min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** min(pair_failures - FREE_FAILURES - 1, 10))


def alerts_for(failures: Failures) -> list[str]:
    """Which scopes just crossed the alert threshold (exactly at it, so each alerts once per window)."""
    return [scope for scope, count in (("account", failures.account), ("address", failures.address))
            if count == ALERT_AT]


def session_valid(session: dict, account: Optional[Account], now: int, max_seconds: int) -> bool:
    """A session holds while its account exists, is enabled, is unchanged since login, and it is not too old."""
    return (account is not None and not account.disabled and account.epoch == session.get("epoch")
            and now - int(session.get("started", 0)) < max_seconds * 1000)


def cookie_name(settings: Settings) -> str:
    return SECURE_COOKIE if settings.cookie_secure else COOKIE


def _keys(request: web.Request) -> Keys:
    return request.app[KEYS]


def _pair(username: str, address: str) -> str:
    return f"{username}\n{address}"


async def _credentials(request: web.Request) -> tuple[str, str]:
    body = await json_object(request)
    if not all(isinstance(body.get(k), str) for k in ("username", "password")):
        raise problem(400, "bad_field", "'username' and 'password' are required")
    return body["username"][:64], body["password"]


async def _refuse(seconds: int, code: str, message: str) -> None:
    """429 with Retry-After, answered after a short pause: a client hammering from one address gets a few answers
    a second per connection instead of hundreds, so it cannot crowd her web chat out of the event loop."""
    await asyncio.sleep(REFUSAL_PAUSE_SECONDS)
    raise problem(429, code, message, headers={"Retry-After": str(max(1, seconds))})


async def _check_throttles(redis: Redis, keys: Keys, username: str, address: str) -> None:
    """429 before any hashing when this address tries too often, or must still wait for this account."""
    if not await throttle.allow(redis, keys, throttle.LOGINS_PER_IP, address):
        window = await redis.ttl(keys.throttle(throttle.LOGINS_PER_IP.name, address))
        await _refuse(window, "too_many_logins", "too many logins from this address; try again later")
    wait = await redis.ttl(keys.throttle("login-wait", _pair(username, address)))
    if wait > 0:
        await _refuse(wait, "login_backoff", "too many wrong passwords; try again in a little while")


async def _count_failure(redis: Redis, keys: Keys, username: str, address: str) -> Failures:
    pair = keys.throttle("login-fail", _pair(username, address))
    account, by_address = keys.throttle("login-fail-account", username), keys.throttle("login-fail-ip", address)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(pair).expire(pair, PAIR_MEMORY_SECONDS)
        for key in (account, by_address):
            pipe.set(key, 0, ex=ALERT_WINDOW_SECONDS, nx=True).incr(key)
        results = await pipe.execute()
    return Failures(int(results[0]), int(results[3]), int(results[5]))


async def _failed(redis: Redis, keys: Keys, username: str, address: str) -> None:
    """Remember a wrong password: start or lengthen this address's back-off for the account; alert if due."""
    failures = await _count_failure(redis, keys, username, address)
    wait = backoff_seconds(failures.pair)
    if wait:
        await redis.set(keys.throttle("login-wait", _pair(username, address)), 1, ex=wait)
    for scope in alerts_for(failures):
        who = {"username": username} if scope == "account" else {"address": address}
        count = failures.account if scope == "account" else failures.address
        await events.publish(redis, keys, LOGIN_ALERT, scope=scope, failures=count,
                             window_seconds=ALERT_WINDOW_SECONDS, **who)


async def _new_session(request: web.Request, user: User) -> web.Response:
    redis, keys, settings = request.app[REDIS], _keys(request), request.app[SETTINGS]
    account = await Users(redis, keys).account(user.name)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    session = {"user": user.name, "epoch": account.epoch if account else "", "csrf": csrf, "started": now_ms()}
    await redis.set(keys.session(digest(token)), json.dumps(session), ex=settings.console_idle_seconds)
    await presence.seen(redis, keys, user.name)
    response = web.json_response({"user": user.name, "role": user.role, "csrf_token": csrf})
    response.set_cookie(cookie_name(settings), token, httponly=True, samesite="Strict", secure=settings.cookie_secure,
                        max_age=settings.console_session_seconds, path="/")
    return response


@routes.post("/api/auth/login")
async def login(request: web.Request) -> web.Response:
    username, password = await _credentials(request)
    redis, keys, address = request.app[REDIS], _keys(request), client_ip(request)
    await _check_throttles(redis, keys, username, address)
    user = await Users(redis, keys).verify(username, password)
    if user is None:
        await _failed(redis, keys, username, address)
        raise problem(401, "wrong_credentials", "wrong username or password")
    await redis.delete(keys.throttle("login-fail", _pair(username, address)),
                       keys.throttle("login-wait", _pair(username, address)))
    return await _new_session(request, user)


async def current_session(request: web.Request, touch: bool = True) -> Optional[tuple[dict, Account]]:
    """The request's session and its account now, or None. ``touch`` counts the request as activity (it
    restarts the idle timeout); a long-lived socket re-checking its login passes False."""
    token = request.cookies.get(cookie_name(request.app[SETTINGS]))
    if not token:
        return None
    redis, keys, settings = request.app[REDIS], _keys(request), request.app[SETTINGS]
    key = keys.session(digest(token))
    raw = await (redis.getex(key, ex=settings.console_idle_seconds) if touch else redis.get(key))
    if raw is None:
        return None
    session = json.loads(raw)
    account = await Users(redis, keys).account(session.get("user", ""))
    if not session_valid(session, account, now_ms(), settings.console_session_seconds):
        await redis.delete(key)
        return None
    return session, account


async def still_logged_in(request: web.Request) -> bool:
    """For a console socket that stays open: is its login still good (without counting as activity)?"""
    return await current_session(request, touch=False) is not None


def counselor_only(handler: Handler) -> Handler:
    """Require a logged-in counselor or supervisor, and the CSRF token on state changes; the role is re-read."""

    @functools.wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        found = await current_session(request)
        if found is None:
            raise problem(401, "login_required", "login required")
        session, account = found
        if request.method not in SAFE_METHODS:
            sent = request.headers.get("X-CSRF-Token", "").encode("utf-8", "replace")
            if not hmac.compare_digest(sent, session["csrf"].encode()):
                raise problem(403, "csrf", "missing or wrong CSRF token")
        request[USER] = User(account.name, account.role)
        await presence.seen(request.app[REDIS], _keys(request), account.name)
        return await handler(request)

    return wrapper


@routes.post("/api/auth/logout")
@counselor_only
async def logout(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    name = cookie_name(settings)
    await request.app[REDIS].delete(_keys(request).session(digest(request.cookies[name])))
    response = web.json_response({"ok": True})
    response.del_cookie(name, path="/", secure=settings.cookie_secure, httponly=True, samesite="Strict")
    return response
