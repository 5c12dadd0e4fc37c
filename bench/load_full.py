"""Benchmark: N web-chat users with open streams through the whole stack, Rasa's REST webhook alone as the floor.

    PYTHONPATH=. .venv-handoff/bin/python bench/load_full.py [--users 300] [--messages 3] [--json F] [--png F]

Starts everything itself on 127.0.0.1, on free ports: its own redis-server, the action server and Rasa (the model
in bot/models, from the bot's environment .venv), and the handoff service as its own process. Then:

1. every user opens a session, takes a stream ticket and keeps her SSE stream open for the whole run;
2. a counselor logs in and keeps the console WebSocket open (alarm-to-console latency: from an emergency's send to
   its ``queue_changed`` frame);
3. each user sends ``--messages`` messages, one at a time, with think time; her messages come from a varied list,
   with an emergency for one user in five;
4. the floor: the same users, messages and pacing straight to Rasa's REST webhook;
5. a short sequential profile of Rasa's per-message cost (NLU parse alone, a whole turn, one policy prediction,
   and the CPU each process spends per message).

Each user connects from her own loopback address (127.0.0.2 … 127.0.0.250, reused past 249 users), as real users
each have their own, so the per-address throttles apply as they would in real life. Prints figures, writes JSON
and a PNG (bench/plot_load.py, run with the bot's environment). Logs of every process are kept in a temporary
folder (printed); no message text is printed or written. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import aiohttp
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
BOT_BIN = ROOT / ".venv" / "bin"
HANDOFF_PYTHON = ROOT / ".venv-handoff" / "bin" / "python"
START_SECONDS = 300
REPLY_TIMEOUT = 120.0  # a reply slower than this counts as an error (the service's own Rasa timeout is 20 s)
FIRST_ADDRESS, LAST_ADDRESS = 2, 250
PASSWORD = "bench password, long enough"
TEXTS = [
    "こんばんは", "眠れない", "ホストの売掛が払えない", "昨日ゴム破れたかも…まだ16なんだけど", "今夜泊まるところがない",
    "彼氏に殴られた", "しにたい", "お金がない", "ありがとう", "トー横にいて帰れない", "推しが尊すぎて死ぬ",
    "生理がこない", "誰にも言えない", "人と話したい",
]
EMERGENCIES = ["さっき薬全部飲んだ", "友達がODして意識がない", "今 彼が家の前にいて怖い"]
EMERGENCY_EVERY = 5  # one user in five writes an emergency as her second message


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: List[float], q: float) -> Optional[float]:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def address(user: int) -> str:
    return f"127.0.0.{FIRST_ADDRESS + user % (LAST_ADDRESS - FIRST_ADDRESS + 1)}"


def script(user: int, messages: int) -> List[str]:
    """Her messages: the varied list from her own starting point, an emergency second for one user in five."""
    texts = [TEXTS[(user * 3 + k) % len(TEXTS)] for k in range(messages)]
    if user % EMERGENCY_EVERY == 0:
        texts[min(1, messages - 1)] = EMERGENCIES[(user // EMERGENCY_EVERY) % len(EMERGENCIES)]
    return texts


# --- processes ---------------------------------------------------------------------------------------------------


class Child:
    """A child process whose output goes to a log file; ``ready`` is set when its ready line appears."""

    def __init__(self, name: str, args: List[str], marker: str, env: Dict[str, str], logs: Path,
                 cwd: Path = ROOT) -> None:
        self.name, self.ready, self.log_path = name, threading.Event(), logs / f"{name}.log"
        self._log = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, bufsize=1)
        self._thread = threading.Thread(target=self._watch, args=(marker,), daemon=True)
        self._thread.start()

    def _watch(self, marker: str) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._log.write(line)
            self._log.flush()
            if marker in line:
                self.ready.set()
        self.ready.set()

    async def wait_ready(self) -> None:
        ready = await asyncio.get_running_loop().run_in_executor(None, self.ready.wait, START_SECONDS)
        if not ready or self.process.poll() is not None:
            raise RuntimeError(f"{self.name} did not start; see {self.log_path}")

    def peak_memory_mib(self) -> Optional[float]:
        """VmHWM (peak resident set) of the process, from /proc."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def cpu_seconds(self) -> float:
        """User + system CPU time so far, from /proc/<pid>/stat."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._thread.join(timeout=10)
        self._log.close()

    def log_count(self, needle: str) -> int:
        return self.log_path.read_text(encoding="utf-8", errors="replace").count(needle)

    def log_kinds(self) -> Dict[str, int]:
        """The service's log lines (it logs no message text), digits masked, counted by kind."""
        lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        kinds = Counter(re.sub(r"\d+", "#", line.strip())[:120] for line in lines if line.strip())
        return {kind: count for kind, count in kinds.most_common(20)}


@dataclass
class Stack:
    logs: Path
    code: Path  # the tree whose handoff/ and bot/ run (a snapshot of HEAD by default)
    redis_url: str = ""
    rasa_url: str = ""  # the first replica (the profile runs against it)
    rasa_urls: List[str] = field(default_factory=list)
    handoff_url: str = ""
    env: Dict[str, str] = field(default_factory=dict)
    children: Dict[str, Child] = field(default_factory=dict)

    def stop(self) -> None:
        rasas = sorted(name for name in self.children if name.startswith("rasa"))
        for name in ("handoff", *rasas, "actions", "redis"):
            if name in self.children:
                self.children[name].stop()


async def http_ok(url: str) -> bool:
    try:
        async with aiohttp.ClientSession() as http, http.get(url, timeout=aiohttp.ClientTimeout(total=5)) as r:
            return r.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False


async def wait_http(url: str, child: Child) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not await http_ok(url):
        if child.process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} never answered; see {child.log_path}")
        await asyncio.sleep(0.2)


def bot_endpoints(stack: Stack, action_port: int, replicas: int) -> Path:
    """One replica: the action endpoint only (as the tests run Rasa). Several: tracker and lock store in the bench's
    Redis, as `make run` and docker-compose do (scripts/rasa_endpoints.py), so every replica shares the context."""
    endpoints = stack.logs / "endpoints.yml"
    if replicas == 1:
        endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n')
    else:
        endpoints.write_text(subprocess.run(
            [sys.executable, str(stack.code / "scripts" / "rasa_endpoints.py"), stack.redis_url, str(action_port)],
            check=True, capture_output=True, text=True).stdout)
    return endpoints


async def start_bot(stack: Stack, replicas: int = 1) -> None:
    """The action server and ``replicas`` Rasa servers with the trained model, as tests/conftest.py starts them."""
    action_port = free_port()
    endpoints = bot_endpoints(stack, action_port, replicas)
    env = dict(os.environ, PYTHONPATH=str(stack.code), SANIC_HOST="127.0.0.1", TF_CPP_MIN_LOG_LEVEL="3",
               SQLALCHEMY_SILENCE_UBER_WARNING="1", RASA_TELEMETRY_ENABLED="false")
    stack.children["actions"] = Child(
        "actions", [str(BOT_BIN / "rasa"), "run", "actions", "--actions", "bot.actions", "--port", str(action_port)],
        "Action endpoint is up and running", env, stack.logs, stack.code)
    for number in range(1, replicas + 1):
        name, rasa_port = ("rasa" if number == 1 else f"rasa-{number}"), free_port()
        stack.children[name] = Child(
            name, [str(BOT_BIN / "rasa"), "run", "--model", str(ROOT / "bot" / "models"), "--enable-api",
                   "--interface", "127.0.0.1", "--port", str(rasa_port), "--endpoints", str(endpoints),
                   "--credentials", str(stack.code / "credentials.yml")],
            "Rasa server is up and running", env, stack.logs, stack.code)
        stack.rasa_urls.append(f"http://127.0.0.1:{rasa_port}")
    stack.rasa_url = stack.rasa_urls[0]
    await stack.children["actions"].wait_ready()
    await wait_http(f"http://127.0.0.1:{action_port}/health", stack.children["actions"])
    for name, url in zip(sorted(n for n in stack.children if n.startswith("rasa")), stack.rasa_urls, strict=True):
        await stack.children[name].wait_ready()
        await wait_http(f"{url}/status", stack.children[name])
    stack.env["ACTION_SERVER_URL"] = f"http://127.0.0.1:{action_port}"


async def start_stack(stack: Stack, replicas: int = 1) -> None:
    """Redis, the bot, the handoff service and a counselor account; the caller stops them, even on failure."""
    logs, code = stack.logs, stack.code
    port = free_port()
    binary = ROOT / ".venv-handoff" / "bin" / "redis-server"
    stack.children["redis"] = Child(
        "redis", [str(binary), "--bind", "127.0.0.1", "--port", str(port), "--dir", str(logs), "--save", "",
                  "--appendonly", "no", "--maxclients", "10000"], "Ready to accept connections", dict(os.environ), logs)
    await stack.children["redis"].wait_ready()
    stack.redis_url = f"redis://127.0.0.1:{port}/0"
    await start_bot(stack, replicas)
    web_port = free_port()
    stack.env.update(PYTHONPATH=str(code), REDIS_URL=stack.redis_url, RASA_URL=",".join(stack.rasa_urls),
                     AKARI_PORT=str(web_port), AKARI_DATA_KEY=Fernet.generate_key().decode(),
                     AKARI_KEY_PREFIX=f"akari-bench:{uuid.uuid4().hex[:8]}:", AKARI_COOKIE_SECURE="0",
                     AKARI_DATA_DIR=str(logs / "data"))
    env = {**os.environ, **stack.env}
    stack.children["handoff"] = Child("handoff", [str(HANDOFF_PYTHON), "-m", "handoff"], "", env, logs, code)
    stack.handoff_url = f"http://127.0.0.1:{web_port}"
    await wait_http(f"{stack.handoff_url}/healthz", stack.children["handoff"])
    add = subprocess.run([str(HANDOFF_PYTHON), "-m", "handoff", "users", "add", "bench", "--role", "counselor"],
                         input=PASSWORD + "\n", text=True, env=env, cwd=code, capture_output=True)
    if add.returncode != 0:
        raise RuntimeError(f"users add failed: {add.stderr.strip()}")


# --- the console -------------------------------------------------------------------------------------------------


class Console:
    """A logged-in counselor's event socket: when each conversation's ``queue_changed`` frames arrived."""

    def __init__(self) -> None:
        self.arrivals: Dict[str, List[float]] = {}
        self.frames: Counter = Counter()
        self.http: Optional[aiohttp.ClientSession] = None
        self.task: Optional[asyncio.Task] = None

    async def open(self, base: str) -> None:
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))  # cookies for an IP host
        async with self.http.post(f"{base}/api/auth/login", json={"username": "bench", "password": PASSWORD}) as r:
            if r.status != 200:
                raise RuntimeError(f"console login answered {r.status}")
        socket_ = await self.http.ws_connect(f"{base.replace('http', 'ws', 1)}/api/console/events", heartbeat=30)
        hello = await socket_.receive_json()
        if hello.get("type") != "hello":
            raise RuntimeError("console socket did not say hello")
        self.task = asyncio.create_task(self._read(socket_))

    async def _read(self, socket_: aiohttp.ClientWebSocketResponse) -> None:
        async for message in socket_:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            frame = json.loads(message.data)
            self.frames[frame.get("type", "?")] += 1
            if frame.get("type") == "queue_changed":
                self.arrivals.setdefault(frame.get("conversation_id", ""), []).append(time.perf_counter())

    def latency_ms(self, conversation_id: str, sent: float, until: float) -> Optional[float]:
        """From ``sent`` to her first ``queue_changed`` frame, if one came before ``until`` (her next message)."""
        after = [t for t in self.arrivals.get(conversation_id, []) if sent <= t < until]
        return (after[0] - sent) * 1000 if after else None

    async def close(self) -> None:
        if self.task:
            self.task.cancel()
        if self.http:
            await self.http.close()


# --- users -------------------------------------------------------------------------------------------------------


@dataclass
class Results:
    latencies: List[float] = field(default_factory=list)  # ms of answered messages (HTTP 200)
    sent_at: List[float] = field(default_factory=list)  # seconds since the phase began, per answered message
    statuses: Counter = field(default_factory=Counter)  # "200", "503", "timeout", "ClientOSError"…
    states: Counter = field(default_factory=Counter)
    alarms: List[list] = field(default_factory=list)  # [conversation id, sent, her next send, fallback?, state before]
    by_bot: List[float] = field(default_factory=list)  # ms of replies Rasa wrote ("from": "bot")
    by_fallback: List[float] = field(default_factory=list)  # ms of replies the service wrote without Rasa
    began: float = 0.0
    ended: float = 0.0
    overflows: int = 0  # the kernel's TcpExt ListenOverflows during the phase (a full accept queue somewhere)

    def answered(self) -> int:
        return self.statuses.get("200", 0)

    def errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status != "200")

    def rate(self) -> float:
        return self.answered() / max(1e-9, self.ended - self.began)


@dataclass
class User:
    index: int
    http: aiohttp.ClientSession
    token: str = ""
    conversation_id: str = ""
    stream_task: Optional[asyncio.Task] = None
    stream_status: str = ""
    stream_frames: int = 0
    stream_ended_early: bool = False


def client(ip: str, limit: int = 4) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(local_addr=(ip, 0), limit=limit)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=REPLY_TIMEOUT))


async def open_user(base: str, index: int, stopping: asyncio.Event) -> User:
    """Session, ticket, and her stream, kept open in a task until ``stopping``."""
    user = User(index, client(address(index)))
    async with user.http.post(f"{base}/api/webchat/sessions") as r:
        if r.status != 201:
            user.stream_status = f"session {r.status}"
            return user
        body = await r.json()
    user.token, user.conversation_id = body["token"], body["conversation_id"]
    headers = {"Authorization": f"Bearer {user.token}"}
    async with user.http.post(f"{base}/api/webchat/stream-ticket", headers=headers) as r:
        if r.status != 201:
            user.stream_status = f"ticket {r.status}"
            return user
        ticket = (await r.json())["ticket"]
    opened = asyncio.get_running_loop().create_future()
    user.stream_task = asyncio.create_task(keep_stream(user, f"{base}/api/webchat/stream", ticket, opened, stopping))
    await opened
    return user


async def keep_stream(user: User, url: str, ticket: str, opened: asyncio.Future, stopping: asyncio.Event) -> None:
    try:
        timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
        async with user.http.get(url, params={"ticket": ticket}, timeout=timeout) as r:
            user.stream_status = str(r.status)
            opened.set_result(None)
            async for line in r.content:
                if line.startswith(b"data:") or line.startswith(b":"):
                    user.stream_frames += 1
            user.stream_ended_early = not stopping.is_set()
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        user.stream_status = user.stream_status or type(error).__name__
        user.stream_ended_early = not stopping.is_set()
    finally:
        if not opened.done():
            opened.set_result(None)


async def post_timed(http: aiohttp.ClientSession, url: str, body: dict, headers: dict) -> tuple[str, float, dict]:
    """(status, milliseconds, JSON body or {}) of one POST; a failure is named by its exception."""
    started = time.perf_counter()
    try:
        async with http.post(url, json=body, headers=headers) as r:
            payload = await r.json(content_type=None) if r.status == 200 else {}
            return str(r.status), (time.perf_counter() - started) * 1000, payload
    except asyncio.TimeoutError:
        return "timeout", (time.perf_counter() - started) * 1000, {}
    except aiohttp.ClientError as error:
        return type(error).__name__, (time.perf_counter() - started) * 1000, {}


def record(results: Results, status: str, ms: float, sent: float, payload: Any) -> None:
    results.statuses[status] += 1
    if status == "200":
        results.latencies.append(ms)
        results.sent_at.append(sent - results.began)
        if isinstance(payload, dict) and payload.get("state"):
            results.states[payload["state"]] += 1
            (results.by_fallback if fallback_reply(payload) else results.by_bot).append(ms)


def fallback_reply(payload: Dict[str, Any]) -> bool:
    """The service answered without Rasa: its kind fallback speaks as "system", the bot as "bot"."""
    senders = {m.get("from") for m in payload.get("messages", []) if isinstance(m, dict)}
    return "system" in senders and "bot" not in senders


async def converse(user: User, base: str, texts: List[str], pace: Pace, results: Results) -> None:
    """Her messages through the handoff service, one at a time."""
    headers = {"Authorization": f"Bearer {user.token}"}
    await asyncio.sleep(pace.start(user.index))
    alarm: Optional[list] = None
    state = "bot"
    for text in texts:
        sent = time.perf_counter()
        if alarm:
            alarm[2] = sent  # a queue_changed frame after this belongs to her next message
        alarm = [user.conversation_id, sent, float("inf"), False, state] if text in EMERGENCIES else None
        status, ms, payload = await post_timed(user.http, f"{base}/api/webchat/messages", {"text": text}, headers)
        record(results, status, ms, sent, payload)
        state = payload.get("state", state) if isinstance(payload, dict) else state
        if alarm:
            alarm[3] = status != "200" or fallback_reply(payload)
            results.alarms.append(alarm)
        await asyncio.sleep(pace.think(user.index))


async def converse_rasa(http: aiohttp.ClientSession, rasa: str, index: int, texts: List[str], pace: Pace,
                        results: Results, run_id: str) -> None:
    """The same messages straight to Rasa's REST webhook (the floor)."""
    await asyncio.sleep(pace.start(index))
    for text in texts:
        sent = time.perf_counter()
        body = {"sender": f"floor-{run_id}-{index}", "message": text}
        status, ms, _ = await post_timed(http, f"{rasa}/webhooks/rest/webhook", body, {})
        record(results, status, ms, sent, None)
        await asyncio.sleep(pace.think(index))


@dataclass
class Pace:
    """Arrivals spread over ``ramp`` seconds and think time between messages, the same for both phases."""

    ramp: float
    think_min: float
    think_max: float
    seed: int = 20261130

    def start(self, index: int) -> float:
        return random.Random(self.seed * 1000 + index).uniform(0, self.ramp)

    def think(self, index: int) -> float:
        return random.uniform(self.think_min, self.think_max)


# --- phases ------------------------------------------------------------------------------------------------------


async def open_users(base: str, count: int, stopping: asyncio.Event) -> tuple[List[User], float]:
    """Every user's session and stream, a few at a time (as pages open); how long it took."""
    began, gate = time.perf_counter(), asyncio.Semaphore(20)

    async def one(index: int) -> User:
        async with gate:
            return await open_user(base, index, stopping)

    users = await asyncio.gather(*(one(i) for i in range(count)))
    return list(users), time.perf_counter() - began


def listen_overflows() -> int:
    """TcpExt ListenOverflows from /proc/net/netstat: connections dropped because an accept queue was full."""
    rows = [line.split() for line in Path("/proc/net/netstat").read_text().splitlines() if line.startswith("TcpExt:")]
    return int(dict(zip(rows[0], rows[1], strict=True)).get("ListenOverflows", 0)) if len(rows) == 2 else 0


async def full_stack(stack: Stack, users: List[User], messages: int, pace: Pace) -> Results:
    results, before = Results(began=time.perf_counter()), listen_overflows()
    await asyncio.gather(*(converse(u, stack.handoff_url, script(u.index, messages), pace, results)
                           for u in users if u.token))
    results.ended, results.overflows = time.perf_counter(), listen_overflows() - before
    return results


async def rasa_floor(stack: Stack, count: int, messages: int, pace: Pace) -> Results:
    results, run_id, before = Results(began=time.perf_counter()), uuid.uuid4().hex[:8], listen_overflows()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=REPLY_TIMEOUT)) as http:
        urls = stack.rasa_urls or [stack.rasa_url]  # the floor spreads its users over the replicas
        await asyncio.gather(*(converse_rasa(http, urls[i % len(urls)], i, script(i, messages), pace, results, run_id)
                               for i in range(count)))
    results.ended, results.overflows = time.perf_counter(), listen_overflows() - before
    return results


async def close_users(users: List[User], stopping: asyncio.Event) -> None:
    stopping.set()
    for user in users:
        if user.stream_task:
            user.stream_task.cancel()
    await asyncio.gather(*(u.stream_task for u in users if u.stream_task), return_exceptions=True)
    await asyncio.gather(*(u.http.close() for u in users))


# --- profile -----------------------------------------------------------------------------------------------------


async def timed_post(http: aiohttp.ClientSession, url: str, body: dict) -> tuple[float, Any]:
    started = time.perf_counter()
    async with http.post(url, json=body) as r:
        payload = await r.json(content_type=None)
        if r.status != 200:
            raise RuntimeError(f"{url} answered {r.status}")
    return (time.perf_counter() - started) * 1000, payload


async def actions_in_last_turn(http: aiohttp.ClientSession, rasa: str, sender: str) -> int:
    """Actions Rasa ran after her last message (each one predicted by the policies; action_listen included)."""
    async with http.get(f"{rasa}/conversations/{sender}/tracker") as r:
        events = (await r.json())["events"]
    last_user = max(i for i, e in enumerate(events) if e.get("event") == "user")
    return sum(1 for e in events[last_user:] if e.get("event") == "action")


async def profile(stack: Stack, rounds: int) -> Dict[str, Any]:
    """Sequential, one message at a time: wall ms and CPU ms per process for parse, turn and one prediction."""
    rasa, actions = stack.children["rasa"], stack.children["actions"]
    sample: Dict[str, List[float]] = {k: [] for k in ("parse_ms", "parse_cpu_ms", "turn_ms", "turn_rasa_cpu_ms",
                                                      "turn_actions_cpu_ms", "predict_ms", "predict_cpu_ms",
                                                      "actions_per_turn")}
    async with aiohttp.ClientSession() as http:
        for i in range(rounds):
            text, sender = TEXTS[i % len(TEXTS)], f"profile-{uuid.uuid4().hex[:8]}"
            cpu = rasa.cpu_seconds()
            ms, _ = await timed_post(http, f"{stack.rasa_url}/model/parse", {"text": text})
            sample["parse_ms"].append(ms)
            sample["parse_cpu_ms"].append((rasa.cpu_seconds() - cpu) * 1000)
            cpu, acpu = rasa.cpu_seconds(), actions.cpu_seconds()
            ms, _ = await timed_post(http, f"{stack.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text})
            sample["turn_ms"].append(ms)
            sample["turn_rasa_cpu_ms"].append((rasa.cpu_seconds() - cpu) * 1000)
            sample["turn_actions_cpu_ms"].append((actions.cpu_seconds() - acpu) * 1000)
            sample["actions_per_turn"].append(await actions_in_last_turn(http, stack.rasa_url, sender))
            cpu = rasa.cpu_seconds()
            ms, _ = await timed_post(http, f"{stack.rasa_url}/conversations/{sender}/predict", {})
            sample["predict_ms"].append(ms)
            sample["predict_cpu_ms"].append((rasa.cpu_seconds() - cpu) * 1000)
    return {"rounds": rounds, **{k: statistics.mean(v) for k, v in sample.items()},
            "parse_p50_ms": statistics.median(sample["parse_ms"]), "turn_p50_ms": statistics.median(sample["turn_ms"]),
            "predict_p50_ms": statistics.median(sample["predict_ms"])}


# Runs in the bot's environment (rasa), with the model loaded in-process and the stack's action server: each
# component's share of a turn, by wrapping the methods Rasa's graph calls (patched before the model loads, because
# graph nodes look the method up once). Prints one JSON line: milliseconds per call and calls per turn.
COMPONENT_PROFILE = r"""
import asyncio, functools, inspect, json, sys, time, uuid, logging
logging.disable(logging.WARNING)
from rasa.core import processor
from rasa.core.actions import action
from rasa.core.policies import memoization, rule_policy, ted_policy
from rasa.nlu.classifiers import diet_classifier
from rasa.nlu.utils import spacy_utils
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig
TARGETS = {
    "nlu (parse_message)": (processor.MessageProcessor, "parse_message"),
    "  spacy/ginza": (spacy_utils.SpacyNLP, "process"),
    "  diet": (diet_classifier.DIETClassifier, "process"),
    "policies (one prediction)": (processor.MessageProcessor, "_predict_next_with_tracker"),
    "  ted": (ted_policy.TEDPolicy, "predict_action_probabilities"),
    "  rule (incl. its memoization)": (rule_policy.RulePolicy, "predict_action_probabilities"),
    "  memoization": (memoization.MemoizationPolicy, "predict_action_probabilities"),
    "action_extract_slots": (action.ActionExtractSlots, "run"),
    "custom action round trip": (action.RemoteAction, "run"),
    "  payload (tracker + domain)": (action.RemoteAction, "_action_call_format"),
    "    domain.as_dict": (Domain, "as_dict"),
    "  HTTP to the action server": (EndpointConfig, "request"),
    "  response schema check": (action.RemoteAction, "_validate_action_result"),
}
SPENT = {name: [] for name in TARGETS}
def wrap(name, owner, method):
    original = owner.__dict__[method]
    if inspect.iscoroutinefunction(original):
        async def timed(*a, **k):
            t = time.perf_counter()
            try:
                return await original(*a, **k)
            finally:
                SPENT[name].append(time.perf_counter() - t)
    else:
        def timed(*a, **k):
            t = time.perf_counter()
            try:
                return original(*a, **k)
            finally:
                SPENT[name].append(time.perf_counter() - t)
    setattr(owner, method, functools.wraps(original)(timed))
for name, (owner, method) in TARGETS.items():
    wrap(name, owner, method)
from rasa.core.agent import load_agent
from rasa.core.utils import AvailableEndpoints
async def main(model, action_url, texts, warmup):
    agent = await load_agent(model_path=model, endpoints=AvailableEndpoints(action=EndpointConfig(action_url)))
    for text in texts[:warmup]:
        await agent.handle_text(text, sender_id="warm-" + uuid.uuid4().hex)
    for spent in SPENT.values():
        spent.clear()
    turns = []
    for text in texts[warmup:]:
        t = time.perf_counter()
        await agent.handle_text(text, sender_id="prof-" + uuid.uuid4().hex)
        turns.append(time.perf_counter() - t)
    n = len(turns)
    out = {"turns": n, "turn_ms": 1000 * sum(turns) / n,
           "parts": {k: {"ms_per_call": 1000 * sum(v) / max(1, len(v)), "calls_per_turn": len(v) / n,
                         "ms_per_turn": 1000 * sum(v) / n} for k, v in SPENT.items()}}
    print(json.dumps(out))
args = json.loads(sys.argv[1])
asyncio.run(main(args["model"], args["action_url"], args["texts"], args["warmup"]))
"""


async def component_profile(stack: Stack, rounds: int) -> Dict[str, Any]:
    """Each part's milliseconds per turn, from a Rasa agent loaded in-process (see ``COMPONENT_PROFILE``)."""
    texts = [TEXTS[i % len(TEXTS)] for i in range(rounds + 5)]
    spec = json.dumps({"model": str(ROOT / "bot" / "models"), "action_url": f"{stack.env['ACTION_SERVER_URL']}/webhook",
                       "texts": texts, "warmup": 5})
    env = dict(os.environ, PYTHONPATH=str(stack.code), TF_CPP_MIN_LOG_LEVEL="3", RASA_TELEMETRY_ENABLED="false",
               SQLALCHEMY_SILENCE_UBER_WARNING="1")
    process = await asyncio.create_subprocess_exec(str(BOT_BIN / "python"), "-c", COMPONENT_PROFILE, spec, env=env,
                                                   cwd=stack.code, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.DEVNULL)
    out, _ = await process.communicate()
    lines = out.decode().strip().splitlines()
    if process.returncode != 0 or not lines:
        return {"error": f"component profile exited {process.returncode}"}
    return json.loads(lines[-1])


# --- report ------------------------------------------------------------------------------------------------------


def summary(results: Results) -> Dict[str, Any]:
    return {
        "sent": sum(results.statuses.values()), "answered": results.answered(), "errors": results.errors(),
        "statuses": dict(results.statuses), "states": dict(results.states),
        "p50_ms": percentile(results.latencies, 0.50), "p95_ms": percentile(results.latencies, 0.95),
        "p99_ms": percentile(results.latencies, 0.99), "max_ms": max(results.latencies, default=None),
        "messages_per_second": results.rate(), "seconds": results.ended - results.began,
        "latencies_ms": [round(v, 1) for v in results.latencies], "sent_at_s": [round(v, 2) for v in results.sent_at],
        "answered_by_rasa": len(results.by_bot), "answered_by_fallback": len(results.by_fallback),
        "rasa_answered_p50_ms": percentile(results.by_bot, 0.50), "rasa_answered_p95_ms": percentile(results.by_bot, 0.95),
        "fallback_p50_ms": percentile(results.by_fallback, 0.50), "listen_overflows": results.overflows,
    }


def alarm_summary(console: Console, results: Results) -> Dict[str, Any]:
    latencies = [console.latency_ms(cid, sent, until) for cid, sent, until, *_ in results.alarms]
    seen = [v for v in latencies if v is not None]
    by_bot = [v for v, alarm in zip(latencies, results.alarms, strict=True) if v is not None and not alarm[3]]
    return {"emergencies_sent": len(latencies), "frames_seen": len(seen), "missing": len(latencies) - len(seen),
            "answered_by_fallback": sum(1 for alarm in results.alarms if alarm[3]),
            "missing_when_fallback": sum(1 for v, a in zip(latencies, results.alarms, strict=True) if v is None and a[3]),
            "missing_by_state_before": dict(Counter(a[4] for v, a in zip(latencies, results.alarms, strict=True)
                                                    if v is None)),
            "p50_ms_rasa_answered": percentile(by_bot, 0.50), "p95_ms_rasa_answered": percentile(by_bot, 0.95),
            "p50_ms": percentile(seen, 0.50), "p95_ms": percentile(seen, 0.95), "max_ms": max(seen, default=None),
            "console_frames": dict(console.frames), "latencies_ms": [round(v, 1) for v in seen]}


def stream_summary(users: List[User], opening_seconds: float) -> Dict[str, Any]:
    return {"opened": sum(1 for u in users if u.stream_status == "200"), "users": len(users),
            "statuses": dict(Counter(u.stream_status or "none" for u in users)),
            "ended_early": sum(1 for u in users if u.stream_ended_early), "opening_seconds": opening_seconds}


def fmt(value: Optional[float], unit: str = "ms") -> str:
    return "n/a" if value is None else f"{value:,.0f} {unit}"


def print_phase(name: str, s: Dict[str, Any]) -> None:
    print(f"{name:<22} answered {s['answered']}/{s['sent']}  errors {s['errors']} {s['statuses']}")
    print(f"{'':<22} p50 {fmt(s['p50_ms'])}  p95 {fmt(s['p95_ms'])}  p99 {fmt(s['p99_ms'])}  max {fmt(s['max_ms'])}"
          f"  {s['messages_per_second']:.1f} msg/s over {s['seconds']:.0f} s")


def print_report(report: Dict[str, Any]) -> None:
    cfg, streams, alarm, prof = report["config"], report["streams"], report["alarm"], report["profile"]
    print(f"\nusers {cfg['users']} x {cfg['messages']} messages, think {cfg['think_s']} s, arrivals over {cfg['ramp_s']} s;"
          f" load before: {cfg['load_before']}")
    print(f"streams                open {streams['opened']}/{streams['users']} {streams['statuses']}"
          f"  ended early {streams['ended_early']}  (opened in {streams['opening_seconds']:.1f} s)")
    print_phase("full stack (handoff)", report["full_stack"])
    full = report["full_stack"]
    print(f"{'':<22} replies by state {full['states']}; written by Rasa {full['answered_by_rasa']}"
          f" (p50 {fmt(full['rasa_answered_p50_ms'])}, p95 {fmt(full['rasa_answered_p95_ms'])}), by the fallback"
          f" without Rasa {full['answered_by_fallback']} (p50 {fmt(full['fallback_p50_ms'])});"
          f" fallbacks in the handoff log {report['fallbacks']}; listen overflows {full['listen_overflows']}")
    print(f"{'':<22} /healthz during load {report['healthz_during_load']}; handoff tracebacks"
          f" {report['handoff_log_errors']}")
    for kind, count in report["handoff_log"].items():
        print(f"{'':<22} handoff log x{count}: {kind}")
    print_phase("Rasa REST alone", report["rasa_floor"])
    print(f"{'':<22} listen overflows {report['rasa_floor']['listen_overflows']}")
    print(f"alarm-to-console       {alarm['frames_seen']}/{alarm['emergencies_sent']} frames  p50 {fmt(alarm['p50_ms'])}"
          f"  p95 {fmt(alarm['p95_ms'])}  max {fmt(alarm['max_ms'])};  answered by the fallback"
          f" {alarm['answered_by_fallback']} (of them without a frame {alarm['missing_when_fallback']});"
          f" without a frame, by her state before: {alarm['missing_by_state_before']};"
          f"  when Rasa answered p50 {fmt(alarm['p50_ms_rasa_answered'])} p95 {fmt(alarm['p95_ms_rasa_answered'])}")
    print("peak memory (VmHWM)    " + "  ".join(f"{k} {fmt(v, 'MiB')}" for k, v in report["peak_memory_mib"].items()))
    print(f"profile ({prof['rounds']} sequential)  parse p50 {prof['parse_p50_ms']:.0f} ms"
          f" (Rasa CPU {prof['parse_cpu_ms']:.0f} ms);  turn p50 {prof['turn_p50_ms']:.0f} ms"
          f" (Rasa CPU {prof['turn_rasa_cpu_ms']:.0f} ms, actions CPU {prof['turn_actions_cpu_ms']:.0f} ms,"
          f" {prof['actions_per_turn']:.1f} actions);  one prediction p50 {prof['predict_p50_ms']:.0f} ms"
          f" (Rasa CPU {prof['predict_cpu_ms']:.0f} ms)")
    print_components(report["components"])


def print_components(components: Dict[str, Any]) -> None:
    if "error" in components:
        print(f"components             {components['error']}")
        return
    print(f"components (in-process agent, {components['turns']} turns, {components['turn_ms']:.0f} ms per turn):")
    for name, part in components["parts"].items():
        print(f"  {name:<32} {part['ms_per_turn']:6.1f} ms/turn  ({part['calls_per_turn']:.1f} calls x"
              f" {part['ms_per_call']:.1f} ms)")


def health_kind(status: int, body: Dict[str, Any]) -> str:
    """One /healthz answer in short: status, ok, which checks said false, Redis pool use, open streams."""
    failing = sorted(k for k, v in body.items() if v is False and k != "ok")
    pool = body.get("redis_pool") or {}
    return (f"{status} ok={body.get('ok')} false={','.join(failing) or '-'} pool={pool.get('in_use')}/{pool.get('max')}"
            f" streams~{(body.get('open_streams') or 0) // 25 * 25}")


async def watch_health(base: str, stopping: asyncio.Event, seen: Counter) -> None:
    """``/healthz`` every few seconds while the users talk: what it says under load."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
        while not stopping.is_set():
            try:
                async with http.get(f"{base}/healthz") as r:
                    seen[health_kind(r.status, await r.json(content_type=None))] += 1
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                seen[type(error).__name__] += 1
            await asyncio.sleep(5)


async def measure(stack: Stack, args: argparse.Namespace, pace: Pace) -> Dict[str, Any]:
    stopping, console, health = asyncio.Event(), Console(), Counter()
    await console.open(stack.handoff_url)
    users, opening = await open_users(stack.handoff_url, args.users, stopping)
    watcher = asyncio.create_task(watch_health(stack.handoff_url, stopping, health))
    try:
        full = await full_stack(stack, users, args.messages, pace)
    finally:
        await close_users(users, stopping)
        await console.close()
        await watcher
    floor = await rasa_floor(stack, args.users, args.messages, pace)
    return {"streams": stream_summary(users, opening), "full_stack": summary(full), "rasa_floor": summary(floor),
            "healthz_during_load": dict(health), "alarm": alarm_summary(console, full), "profile": await profile(stack, args.profile_rounds),
            "components": await component_profile(stack, args.profile_rounds)}


def snapshot(logs: Path) -> tuple[Path, str]:
    """The committed tree at HEAD, extracted with ``git archive`` (read-only for the checkout): the run measures
    committed code, not someone's half-saved edit; the model still comes from bot/models."""
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    code = logs / "code"
    code.mkdir()
    archive = subprocess.Popen(["git", "archive", "HEAD"], cwd=ROOT, stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(code)], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        raise RuntimeError("git archive failed")
    return code, commit.stdout.strip()


async def run(args: argparse.Namespace) -> Dict[str, Any]:
    logs = Path(tempfile.mkdtemp(prefix="akari-load-"))
    print(f"logs in {logs}", flush=True)
    pace = Pace(args.ramp, args.think_min, args.think_max)
    code, commit = (ROOT, "working tree") if args.working_tree else snapshot(logs)
    stack = Stack(logs, code)
    try:
        await start_stack(stack, args.replicas)
        report = await measure(stack, args, pace)
        report["peak_memory_mib"] = {name: stack.children[name].peak_memory_mib() for name in
                                     ("redis", *sorted(n for n in stack.children if n.startswith("rasa")), "actions",
                                      "handoff")}
        report["fallbacks"] = stack.children["handoff"].log_count("bot unavailable, using the fallback")
        report["handoff_log_errors"] = stack.children["handoff"].log_count("Traceback")
        report["handoff_log"] = stack.children["handoff"].log_kinds()
    finally:
        stack.stop()
    report["config"] = {"users": args.users, "messages": args.messages, "think_s": [args.think_min, args.think_max],
                        "ramp_s": args.ramp, "load_before": args.load_before, "cores": os.cpu_count(),
                        "rasa_replicas": args.replicas,
                        "logs": str(logs), "code": commit, "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--messages", type=int, default=3)
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=6.0)
    parser.add_argument("--ramp", type=float, default=30.0, help="seconds over which users send their first message")
    parser.add_argument("--profile-rounds", type=int, default=30)
    parser.add_argument("--replicas", type=int, default=1, help="Rasa replicas (several share a Redis tracker store)")
    parser.add_argument("--working-tree", action="store_true", help="run the checkout as it is, not HEAD")
    parser.add_argument("--json", type=Path, help="write the figures (and raw latencies) here")
    parser.add_argument("--png", type=Path, help="chart (bench/plot_load.py with the bot's environment); needs --json")
    args = parser.parse_args()
    args.users, args.messages = max(1, min(args.users, 1000)), max(1, min(args.messages, 20))
    args.load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    report = asyncio.run(run(args))
    print_report(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.json and args.png:
        subprocess.run([str(BOT_BIN / "python"), str(ROOT / "bench" / "plot_load.py"), str(args.json), str(args.png)],
                       check=True)


if __name__ == "__main__":
    sys.exit(main())
