"""A local stand-in for LINE's Messaging API: records reply and push calls, checks them as LINE would.

Bodies are checked with LINE's own SDK models (at most 5 messages, the
required fields), plus the 5000-character text limit and single-use reply
tokens; it can be told to refuse reply calls, as LINE does with a stale token.
The loading animation (``/v2/bot/chat/loading/start``) is checked the same way
and can be held at a gate, so a test can catch a worker in the middle of an
event. Tests wait on what the fake has received with :meth:`FakeLine.wait_for`
(an ``asyncio.Event`` set on every request, with a timeout), never by sleeping.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Set

from aiohttp import web
from linebot.v3.messaging import PushMessageRequest, ReplyMessageRequest, ShowLoadingAnimationRequest

REPLY, PUSH, LOADING = "/v2/bot/message/reply", "/v2/bot/message/push", "/v2/bot/chat/loading/start"
MAX_TEXT_CHARS = 5000


@dataclass
class Call:
    """One accepted API call."""

    path: str
    body: Dict[str, Any]

    @property
    def texts(self) -> List[str]:
        return [m["text"] for m in self.body.get("messages", [])]

    @property
    def user(self) -> Optional[str]:
        """Whose chat it reached: push's ``to``, loading's ``chatId`` (a reply names no user)."""
        return self.body.get("to") or self.body.get("chatId")


@dataclass
class FakeLine:
    """Start with ``await fake.start()``; point ``LINE_API_BASE`` at ``fake.base_url``."""

    access_token: str
    fail_replies: bool = False
    calls: List[Call] = field(default_factory=list)
    refused: List[str] = field(default_factory=list)
    loading_arrived: List[str] = field(default_factory=list)  # chatIds, as loading requests arrive (before the gate)
    loading_gate: asyncio.Event = field(default_factory=asyncio.Event)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _used_tokens: Set[str] = field(default_factory=set)
    _runner: Optional[web.AppRunner] = None
    base_url: str = ""

    def sent(self, path: Optional[str] = None) -> List[Call]:
        return [c for c in self.calls if path is None or c.path == path]

    def messages(self) -> List[Call]:
        """Replies and pushes: what she sees (loading calls left out)."""
        return [c for c in self.calls if c.path in (REPLY, PUSH)]

    async def wait_for(self, condition: Callable[[FakeLine], bool], timeout: float = 10.0) -> None:
        """Until ``condition(self)`` holds, woken by each request; fails the test after ``timeout``."""
        async def _until() -> None:
            while not condition(self):
                self._changed.clear()
                await self._changed.wait()
        await asyncio.wait_for(_until(), timeout)

    def _touch(self) -> None:
        self._changed.set()

    async def start(self) -> FakeLine:
        app = web.Application()
        app.router.add_post(REPLY, self._reply)
        app.router.add_post(PUSH, self._push)
        app.router.add_post(LOADING, self._loading)
        self.loading_gate.set()  # open unless a test closes it
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _reply(self, request: web.Request) -> web.Response:
        body, error = await self._checked(request, ReplyMessageRequest)
        if error is None and (self.fail_replies or body["replyToken"] in self._used_tokens):
            error = web.json_response({"message": "Invalid reply token"}, status=400)
        return error or self._accept(REPLY, body, token=body["replyToken"])

    async def _push(self, request: web.Request) -> web.Response:
        body, error = await self._checked(request, PushMessageRequest)
        return error or self._accept(PUSH, body)

    async def _loading(self, request: web.Request) -> web.Response:
        """LINE's loading animation: a user chat id, 5–60 seconds in steps of 5; answers 202."""
        body, error = await self._checked(request, ShowLoadingAnimationRequest)
        if error is None and (body.get("loadingSeconds", 20) % 5 or not 5 <= body.get("loadingSeconds", 20) <= 60):
            self.refused.append("body: loadingSeconds")
            error = web.json_response({"message": "The request body has 1 error(s)"}, status=400)
        if error is not None:
            return error
        self.loading_arrived.append(body["chatId"])
        self._touch()
        await self.loading_gate.wait()
        self._accept(LOADING, body)
        return web.json_response({}, status=202)

    async def _checked(self, request: web.Request, model: Any) -> tuple[Dict[str, Any], Optional[web.Response]]:
        """LINE's checks: the bearer token, then the body against the SDK's request model."""
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            self.refused.append("token")
            self._touch()
            return {}, web.json_response({"message": "Authentication failed"}, status=401)
        body = await request.json()
        try:
            if model.from_dict(body) is None:
                raise ValueError("not an object")
            if any(len(m.get("text", "")) > MAX_TEXT_CHARS for m in body.get("messages", [])):
                raise ValueError("text too long")
        except (ValueError, TypeError, KeyError) as error:
            self.refused.append(f"body: {error}")
            self._touch()
            return {}, web.json_response({"message": "The request body has 1 error(s)"}, status=400)
        return body, None

    def _accept(self, path: str, body: Dict[str, Any], token: Optional[str] = None) -> web.Response:
        if token is not None:
            self._used_tokens.add(token)
        self.calls.append(Call(path, body))
        self._touch()
        return web.json_response({"sentMessages": [{"id": str(i)} for i, _ in enumerate(body.get("messages", []))]})
