"""Counselor and supervisor accounts: argon2 password hashes in Redis."""

from __future__ import annotations

import asyncio
import functools
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from redis.asyncio import Redis

from handoff.keys import Keys

ROLES = ("counselor", "supervisor")
NAME = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")
MIN_PASSWORD = 10
_hasher = PasswordHasher()
# argon2 takes tens of milliseconds of CPU: run it in threads, a few at a time, never on the event loop
# (a flood of bad logins must not stall her web chat).
HASHING_AT_ONCE = 2


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so the timing is the same; made on first use."""
    return _hasher.hash("not-a-real-password")


@functools.cache
def _hashing_pool() -> ThreadPoolExecutor:
    """A small pool of its own: the queue of waiting hashes never grows into the default executor."""
    return ThreadPoolExecutor(max_workers=HASHING_AT_ONCE, thread_name_prefix="argon2")


async def _off_loop(function, *args):
    return await asyncio.get_running_loop().run_in_executor(_hashing_pool(), function, *args)


@dataclass(frozen=True)
class User:
    name: str
    role: str


class UserError(ValueError):
    """A clear reason why an account cannot be created."""


class Users:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.redis, self.keys = redis, keys

    async def add(self, name: str, role: str, password: str) -> User:
        if not NAME.match(name):
            raise UserError("name: 2–40 letters, digits, '.', '_' or '-'")
        if role not in ROLES:
            raise UserError(f"role must be one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD:
            raise UserError(f"password must be at least {MIN_PASSWORD} characters")
        hashed = await _off_loop(_hasher.hash, password)
        await self.redis.hset(self.keys.user(name), mapping={"role": role, "password": hashed})
        return User(name, role)

    async def verify(self, name: str, password: str) -> Optional[User]:
        """The user if the password is right, else None (same cost either way)."""
        raw = await self.redis.hgetall(self.keys.user(name)) if NAME.match(name or "") else {}
        stored = raw.get(b"password", b"").decode() or await _off_loop(_dummy_hash)
        try:
            await _off_loop(_hasher.verify, stored, password)
        except (VerificationError, InvalidHashError):
            return None
        return User(name, raw[b"role"].decode()) if raw else None
