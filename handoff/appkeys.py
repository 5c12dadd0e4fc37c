"""Typed application keys shared by handlers."""

from __future__ import annotations

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
