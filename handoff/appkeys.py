"""Typed application keys shared by handlers; every client is built once per app in ``app._clients``."""

from __future__ import annotations

import asyncio
import weakref

import aiohttp
from aiohttp import web
from redis.asyncio import Redis

from handoff.consent import Consents
from handoff.fanout import Doorbell
from handoff.keys import Keys
from handoff.messaging import Messaging
from handoff.queue import Queue
from handoff.settings import Settings
from handoff.states import StateMachine
from handoff.store import Store

SETTINGS = web.AppKey("settings", Settings)
KEYS = web.AppKey("keys", Keys)
REDIS = web.AppKey("redis", Redis)
HTTP = web.AppKey("http", aiohttp.ClientSession)
STORE = web.AppKey("store", Store)
STATES = web.AppKey("states", StateMachine)
QUEUE = web.AppKey("queue", Queue)
CONSENTS = web.AppKey("consents", Consents)
MESSAGING = web.AppKey("messaging", Messaging)
DOORBELL = web.AppKey("doorbell", Doorbell)
# Long-lived handlers (SSE streams, console WebSockets), cancelled on shutdown so it is prompt.
LIVE_TASKS = web.AppKey("live_tasks", weakref.WeakSet[asyncio.Task])
