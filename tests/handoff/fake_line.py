"""A local stand-in for LINE's Messaging API: records reply and push calls, checks them as LINE would.

Bodies are checked with LINE's own SDK models (at most 5 messages, the
required fields), plus the 5000-character text limit and single-use reply
tokens; it can be told to refuse reply calls, as LINE does with a stale token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set

from aiohttp import web
from linebot.v3.messaging import PushMessageRequest, ReplyMessageRequest

REPLY, PUSH = "/v2/bot/message/reply", "/v2/bot/message/push"
MAX_TEXT_CHARS = 5000


@dataclass
class Call:
    """One accepted API call."""

    path: str
    body: Dict[str, Any]

    @property
    def texts(self) -> List[str]:
        return [m["text"] for m in self.body["messages"]]


@dataclass
class FakeLine:
    """Start with ``await fake.start()``; point ``LINE_API_BASE`` at ``fake.base_url``."""

    access_token: str
    fail_replies: bool = False
    calls: List[Call] = field(default_factory=list)
    refused: List[str] = field(default_factory=list)
    _used_tokens: Set[str] = field(default_factory=set)
    _runner: Optional[web.AppRunner] = None
    base_url: str = ""

    def sent(self, path: Optional[str] = None) -> List[Call]:
        return [c for c in self.calls if path is None or c.path == path]

    async def start(self) -> FakeLine:
        app = web.Application()
        app.router.add_post(REPLY, self._reply)
        app.router.add_post(PUSH, self._push)
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

    async def _checked(self, request: web.Request, model: Any) -> tuple[Dict[str, Any], Optional[web.Response]]:
        """LINE's checks: the bearer token, then the body against the SDK's request model."""
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            self.refused.append("token")
            return {}, web.json_response({"message": "Authentication failed"}, status=401)
        body = await request.json()
        try:
            model.from_dict(body)
            if any(len(m.get("text", "")) > MAX_TEXT_CHARS for m in body["messages"]):
                raise ValueError("text too long")
        except (ValueError, TypeError, KeyError) as error:
            self.refused.append(f"body: {error}")
            return {}, web.json_response({"message": "The request body has 1 error(s)"}, status=400)
        return body, None

    def _accept(self, path: str, body: Dict[str, Any], token: Optional[str] = None) -> web.Response:
        if token is not None:
            self._used_tokens.add(token)
        self.calls.append(Call(path, body))
        return web.json_response({"sentMessages": [{"id": str(i)} for i, _ in enumerate(body["messages"])]})
