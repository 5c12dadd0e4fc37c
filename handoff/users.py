"""Counselor and supervisor accounts: argon2 password hashes in Redis.

Each account keeps an ``epoch``, a random value replaced by every change (password, role, disabled, removed and
added again). A console session remembers the epoch it was made in, so any change ends every session of that
account at its next request.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import List, Optional

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
HASHING_NICENESS = 10  # slower logins under load, never a slower web chat


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so the timing is the same; made on first use."""
    return _hasher.hash("not-a-real-password")


def _yield_to_the_loop() -> None:
    """Each hashing thread (and the threads libargon2 starts from it) runs at a lower priority: on a busy machine
    the event loop answering her web chat gets the CPU first (Linux keeps a niceness per thread)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)
    except (AttributeError, OSError):  # not Linux: the pool's size alone bounds the cost
        pass


@functools.cache
def _hashing_pool() -> ThreadPoolExecutor:
    """A small pool of its own: the queue of waiting hashes never grows into the default executor."""
    return ThreadPoolExecutor(max_workers=HASHING_AT_ONCE, thread_name_prefix="argon2", initializer=_yield_to_the_loop)


async def _off_loop(function, *args):
    return await asyncio.get_running_loop().run_in_executor(_hashing_pool(), function, *args)


# Change fields of an existing account and give it a new epoch, atomically; 0 when there is no such account.
_UPDATE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
"""
_GLOB = re.compile(r"([*?\[\]\\])")


@dataclass(frozen=True)
class User:
    name: str
    role: str


@dataclass(frozen=True)
class Account:
    """An account as a session checks it on every request."""

    name: str
    role: str
    epoch: str
    disabled: bool


class UserError(ValueError):
    """A clear reason why an account cannot be created or changed."""


def _new_epoch() -> str:
    return secrets.token_hex(8)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password must be at least {MIN_PASSWORD} characters")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")


class Users:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.redis, self.keys = redis, keys

    async def add(self, name: str, role: str, password: str) -> User:
        """Create the account, or reset an existing one (enabled again; its sessions end)."""
        if not NAME.match(name):
            raise UserError("name: 2–40 letters, digits, '.', '_' or '-'")
        _check_role(role)
        _check_password(password)
        hashed = await _off_loop(_hasher.hash, password)
        fields = {"role": role, "password": hashed, "disabled": "0", "epoch": _new_epoch()}
        await self.redis.hset(self.keys.user(name), mapping=fields)
        return User(name, role)

    async def set_password(self, name: str, password: str) -> None:
        _check_password(password)
        await self._update(name, password=await _off_loop(_hasher.hash, password))

    async def set_role(self, name: str, role: str) -> None:
        _check_role(role)
        await self._update(name, role=role)

    async def disable(self, name: str) -> None:
        """She can no longer log in, her sessions end, and she no longer counts as on duty."""
        await self._update(name, disabled="1")
        await self.redis.zrem(self.keys.presence, name)

    async def enable(self, name: str) -> None:
        await self._update(name, disabled="0")

    async def remove(self, name: str) -> None:
        if not await self.redis.delete(self.keys.user(name)):
            raise UserError(f"no account named {name!r}")
        await self.redis.zrem(self.keys.presence, name)

    async def _update(self, name: str, **fields: str) -> None:
        """Change an existing account; a new epoch ends its sessions."""
        args = [item for pair in {**fields, "epoch": _new_epoch()}.items() for item in pair]
        if not await self.redis.eval(_UPDATE, 1, self.keys.user(name), *args):
            raise UserError(f"no account named {name!r}")

    async def holding(self, name: str) -> int:
        """How many conversations she holds (a disabled or removed counselor's must be taken over)."""
        return int(await self.redis.scard(self.keys.holdings(name)))

    async def account(self, name: str) -> Optional[Account]:
        """The account as it is now (role, epoch, disabled), or None once removed."""
        role, epoch, disabled = await self.redis.hmget(self.keys.user(name), "role", "epoch", "disabled")
        if role is None:
            return None
        return Account(name, role.decode(), (epoch or b"").decode(), disabled == b"1")

    async def all(self) -> List[Account]:
        """Every account, by name (for the CLI; scans the key space)."""
        stem = self.keys.user("")
        pattern = _GLOB.sub(r"\\\1", stem) + "*"  # the prefix taken literally
        names = sorted({key.decode()[len(stem):] async for key in self.redis.scan_iter(match=pattern, count=500)})
        found = [await self.account(name) for name in names if NAME.match(name)]
        return [account for account in found if account is not None]

    async def verify(self, name: str, password: str) -> Optional[User]:
        """The user if the password is right and the account enabled, else None (same cost either way)."""
        raw = await self.redis.hgetall(self.keys.user(name)) if NAME.match(name or "") else {}
        stored = raw.get(b"password", b"").decode()
        try:
            await _off_loop(_hasher.verify, stored or await _off_loop(_dummy_hash), password)
        except (VerificationError, InvalidHashError):
            return None
        if not stored or raw.get(b"disabled") == b"1":
            return None
        return User(name, raw[b"role"].decode())
