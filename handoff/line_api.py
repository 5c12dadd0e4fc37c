"""LINE's Messaging API: reply, push and the loading animation, with timeouts; statuses logged, never bodies."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List

import aiohttp
from aiohttp import web

from handoff.appkeys import HTTP, SETTINGS, STORE
from handoff.line_messages import bubbles, loading_seconds, reply_usable
from handoff.timeutil import now_ms

log = logging.getLogger(__name__)

API_TIMEOUT = aiohttp.ClientTimeout(total=10, connect=3)  # LINE waits on us: never hang on it
REPLY, PUSH, LOADING = "/v2/bot/message/reply", "/v2/bot/message/push", "/v2/bot/chat/loading/start"

async def start_loading(app: web.Application, user_id: str) -> bool:
    """LINE's 'typing' dots in her chat while the bot thinks; they stop when our answer arrives."""
    seconds = loading_seconds(app[SETTINGS].rasa_timeout)
    return await call_api(app, LOADING, {"chatId": user_id, "loadingSeconds": seconds})


async def send(app: web.Application, reply_token: Any, user_id: str, texts: List[str], event_ms: int) -> None:
    """Reply while the token is fresh (free, single-use); push when it is too old or the reply fails."""
    messages = bubbles(texts)
    if reply_usable(reply_token, event_ms, now_ms()):
        if await call_api(app, REPLY, {"replyToken": reply_token, "messages": messages}):
            return
    if not await call_api(app, PUSH, {"to": user_id, "messages": messages}):
        log.error("LINE reply and push both failed: her answer was not delivered")


async def push_to(app: web.Application, sealed_user_id: str, texts: List[str]) -> bool:
    """Push a counselor's message to her on LINE (her user id is stored encrypted)."""
    user_id = app[STORE].box.open(sealed_user_id)
    return await call_api(app, PUSH, {"to": user_id, "messages": bubbles(texts)})


async def call_api(app: web.Application, path: str, body: Dict[str, Any]) -> bool:
    """POST to LINE's Messaging API; True on 2xx. Logs the status only (bodies hold her conversation)."""
    settings = app[SETTINGS]
    if not settings.line_channel_access_token:
        log.error("LINE_CHANNEL_ACCESS_TOKEN is not set: cannot answer on LINE")
        return False
    headers = {"Authorization": f"Bearer {settings.line_channel_access_token}"}
    try:
        async with app[HTTP].post(settings.line_api_base + path, json=body, headers=headers,
                                  timeout=API_TIMEOUT) as response:
            if response.status < 300:
                return True
            log.warning("LINE %s answered %s", path, response.status)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        log.warning("LINE %s unreachable: %s", path, type(error).__name__)
    return False
