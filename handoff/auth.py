"""Counselor login: session cookies (HttpOnly, SameSite=Strict), CSRF tokens, lock-out.

Only logged-in counselors see conversations; every state-changing request
after login must carry the session's CSRF token in ``X-CSRF-Token``.
"""

from __future__ import annotations

import functools
import hmac
import json
import secrets
from typing import Awaitable, Callable, Optional

from aiohttp import web

from handoff import presence
from handoff.appkeys import KEYS, REDIS
from handoff.errors import problem
from handoff.keys import Keys
from handoff.requests_json import json_object
from handoff.timeutil import digest
from handoff.users import User, Users

COOKIE = "akari_session"
SESSION_TTL = 12 * 3600
MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

USER = web.RequestKey("user", User)  # the logged-in counselor, set by counselor_only

routes = web.RouteTableDef()
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _keys(request: web.Request) -> Keys:
    return request.app[KEYS]


async def _credentials(request: web.Request) -> tuple[str, str]:
    body = await json_object(request)
    if not all(isinstance(body.get(k), str) for k in ("username", "password")):
        raise problem(400, "bad_field", "'username' and 'password' are required")
    return body["username"], body["password"]


@routes.post("/api/auth/login")
async def login(request: web.Request) -> web.Response:
    username, password = await _credentials(request)
    redis, keys = request.app[REDIS], _keys(request)
    failures_key = keys.login_failures(username[:64])
    if int(await redis.get(failures_key) or 0) >= MAX_FAILURES:
        raise problem(429, "locked_out", "too many failed logins; try again later")
    user = await Users(redis, keys).verify(username, password)
    if user is None:
        async with redis.pipeline(transaction=True) as pipe:
            await pipe.incr(failures_key).expire(failures_key, LOCK_SECONDS).execute()
        raise problem(401, "wrong_credentials", "wrong username or password")
    await redis.delete(failures_key)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    session = {"user": user.name, "role": user.role, "csrf": csrf}
    await redis.set(keys.session(digest(token)), json.dumps(session), ex=SESSION_TTL)
    await presence.seen(redis, keys, user.name)
    response = web.json_response({"user": user.name, "role": user.role, "csrf_token": csrf})
    response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", secure=request.secure, max_age=SESSION_TTL,
                        path="/")
    return response


async def current_session(request: web.Request) -> Optional[dict]:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    raw = await request.app[REDIS].get(_keys(request).session(digest(token)))
    return json.loads(raw) if raw else None


def counselor_only(handler: Handler) -> Handler:
    """Require a logged-in counselor or supervisor, and the CSRF token on state changes."""

    @functools.wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        session = await current_session(request)
        if session is None:
            raise problem(401, "login_required", "login required")
        if request.method not in SAFE_METHODS:
            sent = request.headers.get("X-CSRF-Token", "").encode("utf-8", "replace")
            if not hmac.compare_digest(sent, session["csrf"].encode()):
                raise problem(403, "csrf", "missing or wrong CSRF token")
        request[USER] = User(session["user"], session["role"])
        await presence.seen(request.app[REDIS], _keys(request), session["user"])
        return await handler(request)

    return wrapper


@routes.post("/api/auth/logout")
@counselor_only
async def logout(request: web.Request) -> web.Response:
    await request.app[REDIS].delete(_keys(request).session(digest(request.cookies[COOKIE])))
    response = web.json_response({"ok": True})
    response.del_cookie(COOKIE, path="/")
    return response
