"""Typed application keys shared by handlers."""

from __future__ import annotations

import asyncio
import weakref

import aiohttp
from aiohttp import web
from redis.asyncio import Redis

from handoff.messaging import Messaging
from handoff.settings import Settings
from handoff.store import Store

SETTINGS = web.AppKey("settings", Settings)
REDIS = web.AppKey("redis", Redis)
HTTP = web.AppKey("http", aiohttp.ClientSession)
STORE = web.AppKey("store", Store)
MESSAGING = web.AppKey("messaging", Messaging)
# Long-lived handlers (SSE streams, console WebSockets), cancelled on shutdown so it is prompt.
LIVE_TASKS = web.AppKey("live_tasks", weakref.WeakSet[asyncio.Task])
