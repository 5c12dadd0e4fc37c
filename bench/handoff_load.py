"""Benchmark: web chat messages through the handoff service on loopback (Rasa absent: the fallback path).

    PYTHONPATH=. .venv-handoff/bin/python bench/handoff_load.py [--users 50] [--messages 10]

Measures the service's own cost (Redis writes, encryption, queue, fallback triage), not Rasa's.
Bounded in count; talks only to 127.0.0.1; cleans its Redis keys. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid

import aiohttp
from aiohttp import web
from cryptography.fernet import Fernet
from redis.asyncio import Redis

from handoff.app import create_app
from handoff.settings import Settings

TEXTS = ["こんばんは", "眠れない", "彼氏に殴られた", "お金がない", "さっき薬全部飲んだ"]


async def one_user(http: aiohttp.ClientSession, base: str, messages: int, latencies: list[float]) -> None:
    session = await (await http.post(f"{base}/api/webchat/sessions")).json()
    headers = {"Authorization": f"Bearer {session['token']}"}
    for i in range(messages):
        started = time.perf_counter()
        async with http.post(f"{base}/api/webchat/messages", json={"text": TEXTS[i % len(TEXTS)]}, headers=headers) as r:
            await r.read()
        latencies.append((time.perf_counter() - started) * 1000)


async def run(users: int, messages: int) -> None:
    prefix = f"akari-bench:{uuid.uuid4().hex}:"
    settings = Settings(rasa_url="http://127.0.0.1:9", action_server_url="http://127.0.0.1:9", data_key=Fernet.generate_key(),
                        key_prefix=prefix, rasa_timeout=1.0)
    runner = web.AppRunner(create_app(settings))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    latencies: list[float] = []
    started = time.perf_counter()
    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(one_user(http, f"http://127.0.0.1:{port}", messages, latencies) for _ in range(users)))
    elapsed = time.perf_counter() - started
    await runner.cleanup()
    redis = Redis.from_url(settings.redis_url)
    keys = [k async for k in redis.scan_iter(match=f"{prefix}*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()
    ordered = sorted(latencies)
    print(f"messages          {len(latencies)} ({users} users x {messages})")
    print(f"throughput        {len(latencies) / elapsed:.0f} messages/s")
    print(f"latency p50/p95   {statistics.median(ordered):.1f} / {ordered[int(0.95 * len(ordered)) - 1]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(run(min(args.users, 500), min(args.messages, 100)))


if __name__ == "__main__":
    main()
