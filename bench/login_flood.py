"""Benchmark: web-chat session creation while bad console logins flood the service.

    PYTHONPATH=. .venv-handoff/bin/python bench/login_flood.py [--flooders 20] [--samples 100]

Starts the handoff service as its own process (``python -m handoff``, Rasa absent: sessions and logins never need
it) on a free port, with the Redis at ``REDIS_URL`` or an embedded redis-server of its own, and a key prefix it
deletes at the end. Measures ``POST /api/webchat/sessions`` latency calm, then under two floods of ``--flooders``
concurrent bad logins:

- from one address: the per-address limit answers most of them 429 before any password hashing;
- from as many addresses (127.0.2.x), each cycling through user names: every attempt up to the per-address limit is
  a real argon2 verification, the worst case for the service's CPU.

Each client binds its own loopback address (any 127.x.y.z reaches the service), so per-address limits on sessions
and logins apply as they would to real people. Prints figures and whether flood p50 stays within 3x calm p50.
Talks only to 127.0.0.1; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import AsyncIterator, Dict, List, Optional

import aiohttp
from cryptography.fernet import Fernet
from redis.asyncio import Redis

ROOT = Path(__file__).resolve().parents[1]
SESSIONS_PER_ADDRESS = 25  # under the service's per-address session limit (30 per 10 minutes)
PACE_SECONDS = 0.02
DONE_WHEN = 3.0  # flood p50 within this many times calm p50


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def client(address: str) -> aiohttp.ClientSession:
    """A client whose connections come from ``address``; keep-alive, so latency is the service's, not TCP's."""
    connector = aiohttp.TCPConnector(local_addr=(address, 0), limit=1)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60))


async def redis_answers(url: str) -> bool:
    redis = Redis.from_url(url, socket_connect_timeout=1)
    try:
        return bool(await redis.ping())
    except Exception:  # any failure means "not here"
        return False
    finally:
        await redis.aclose()


@asynccontextmanager
async def redis_url() -> AsyncIterator[str]:
    """``REDIS_URL`` (or the default) if it answers, else an embedded redis-server for the run."""
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    if await redis_answers(url):
        yield url
        return
    binary = ROOT / ".venv-handoff" / "bin" / "redis-server"
    port, folder = free_port(), tempfile.mkdtemp(prefix="akari-bench-redis-")
    server = subprocess.Popen([str(binary) if binary.exists() else "redis-server", "--port", str(port), "--bind",
                               "127.0.0.1", "--dir", folder, "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"redis://127.0.0.1:{port}/0"
        await wait_until(lambda: redis_answers(url))
        yield url
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)


async def wait_until(check, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        if time.monotonic() > deadline:
            raise RuntimeError("gave up waiting")
        await asyncio.sleep(0.1)


async def service_answers(base: str) -> bool:
    try:
        async with aiohttp.ClientSession() as http, http.get(f"{base}/healthz") as response:
            return response.status in (200, 503)
    except aiohttp.ClientError:
        return False


@asynccontextmanager
async def service(redis: str, prefix: str) -> AsyncIterator[str]:
    """``python -m handoff`` on a free port, with a throwaway key prefix and data key; its base URL."""
    port, dead = free_port(), f"http://127.0.0.1:{free_port()}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REDIS_URL": redis, "AKARI_PORT": str(port),
           "AKARI_KEY_PREFIX": prefix, "AKARI_DATA_KEY": Fernet.generate_key().decode(), "RASA_URL": dead,
           "ACTION_SERVER_URL": dead, "AKARI_DATA_DIR": tempfile.mkdtemp(prefix="akari-bench-data-")}
    process = subprocess.Popen([sys.executable, "-m", "handoff"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_until(lambda: service_answers(base))
        yield base
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(env["AKARI_DATA_DIR"], ignore_errors=True)


async def session_latencies(base: str, samples: int, first_address: int, subnet: int) -> List[float]:
    """Milliseconds per ``POST /api/webchat/sessions``, one every ``PACE_SECONDS`` (as people arrive, spread over
    the flood rather than in one burst), ``SESSIONS_PER_ADDRESS`` per address."""
    latencies: List[float] = []
    address = first_address
    while len(latencies) < samples:
        async with client(f"127.0.{subnet}.{address}") as http:
            for _ in range(min(SESSIONS_PER_ADDRESS, samples - len(latencies))):
                started = time.perf_counter()
                async with http.post(f"{base}/api/webchat/sessions") as response:
                    await response.read()
                    if response.status != 201:
                        raise RuntimeError(f"session creation answered {response.status}")
                latencies.append((time.perf_counter() - started) * 1000)
                await asyncio.sleep(PACE_SECONDS)
        address += 1
    return latencies


async def flooder(base: str, address: str, worker: int, stop: asyncio.Event, statuses: Counter) -> None:
    """Bad logins as fast as the service answers, cycling through user names."""
    async with client(address) as http:
        attempt = 0
        while not stop.is_set():
            body = {"username": f"user{worker}-{attempt % 50}", "password": "definitely wrong"}
            async with http.post(f"{base}/api/auth/login", json=body) as response:
                await response.read()
                statuses[response.status] += 1
            attempt += 1


async def _flood(base: str, addresses: List[str], started, stop, results) -> None:
    stop_here, statuses = asyncio.Event(), Counter()
    workers = [asyncio.create_task(flooder(base, address, i, stop_here, statuses)) for i, address in enumerate(addresses)]
    while sum(statuses.values()) < len(addresses):  # every flooder has had an answer: the flood is under way
        await asyncio.sleep(0.05)
    started.set()
    began, before = time.perf_counter(), sum(statuses.values())
    await asyncio.get_running_loop().run_in_executor(None, stop.wait)
    rate = (sum(statuses.values()) - before) / (time.perf_counter() - began)
    stop_here.set()
    await asyncio.gather(*workers)
    results.put((dict(statuses), rate))


def flood_process(base: str, addresses: List[str], started, stop, results) -> None:
    """The flood runs in a process of its own, so its traffic never delays the measuring client's event loop."""
    asyncio.run(_flood(base, addresses, started, stop, results))


async def under_flood(base: str, samples: int, addresses: List[str], subnet: int) -> Dict[str, object]:
    """Session latencies while ``len(addresses)`` clients send bad logins; the flood's answers by status."""
    context = multiprocessing.get_context("spawn")
    started, stop, results = context.Event(), context.Event(), context.Queue()
    process = context.Process(target=flood_process, args=(base, addresses, started, stop, results))
    process.start()
    try:
        await asyncio.get_running_loop().run_in_executor(None, started.wait, 120)
        began = time.perf_counter()
        latencies = await session_latencies(base, samples, 1, subnet)
        seconds = time.perf_counter() - began
    finally:
        stop.set()
    statuses, rate = await asyncio.get_running_loop().run_in_executor(None, results.get, True, 120)
    process.join()
    return {"latencies": latencies, "statuses": statuses, "rate": rate, "seconds": seconds}


def summary(latencies: List[float]) -> str:
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(0.95 * len(ordered)) - 1)]
    return f"p50 {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   max {ordered[-1]:7.1f} ms"


def report(calm: List[float], floods: Dict[str, Dict[str, object]]) -> None:
    calm_p50 = statistics.median(calm)
    print(f"calm                          {summary(calm)}")
    for name, result in floods.items():
        latencies = result["latencies"]
        ratio = statistics.median(latencies) / calm_p50
        print(f"{name:<30}{summary(latencies)}   {ratio:4.1f}x calm "
              f"({'within' if ratio <= DONE_WHEN else 'OVER'} {DONE_WHEN:g}x)")
        print(f"{'':<30}bad logins answered, by status: {result['statuses']}; "
              f"{result['rate']:.0f}/s over the {result['seconds']:.1f} s measured")


async def cleanup(url: str, prefix: str) -> None:
    redis = Redis.from_url(url)
    keys = [key async for key in redis.scan_iter(match=f"{prefix}*", count=1000)]
    for start in range(0, len(keys), 500):
        await redis.delete(*keys[start:start + 500])
    await redis.aclose()


async def run(flooders: int, samples: int) -> None:
    prefix = f"akari-bench:{uuid.uuid4().hex}:"
    async with AsyncExitStack() as stack:
        url = await stack.enter_async_context(redis_url())
        base = await stack.enter_async_context(service(url, prefix))
        try:
            await session_latencies(base, 10, 250, 9)  # warm-up: imports, connections, first Redis scripts
            calm = await session_latencies(base, samples, 1, 1)
            floods = {
                f"{flooders} bad logins, one address": await under_flood(base, samples, ["127.0.0.1"] * flooders, 3),
                f"{flooders} bad logins, {flooders} addr.": await under_flood(
                    base, samples, [f"127.0.2.{i + 1}" for i in range(flooders)], 4),
            }
        finally:
            await cleanup(url, prefix)
    report(calm, floods)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flooders", type=int, default=20, help="concurrent bad-login clients (default 20)")
    parser.add_argument("--samples", type=int, default=100, help="session creations per phase (default 100)")
    args = parser.parse_args(argv)
    asyncio.run(run(max(1, min(args.flooders, 200)), max(10, min(args.samples, 1000))))


if __name__ == "__main__":
    main()
