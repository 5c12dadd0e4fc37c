"""Counselor and supervisor accounts: argon2 password hashes in Redis."""

from __future__ import annotations

import re
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
# Verifying against this when the user does not exist keeps the timing the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


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
        await self.redis.hset(self.keys.user(name), mapping={"role": role, "password": _hasher.hash(password)})
        return User(name, role)

    async def verify(self, name: str, password: str) -> Optional[User]:
        """The user if the password is right, else None (same cost either way)."""
        raw = await self.redis.hgetall(self.keys.user(name)) if NAME.match(name or "") else {}
        stored = raw.get(b"password", _DUMMY_HASH.encode()).decode()
        try:
            _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        return User(name, raw[b"role"].decode()) if raw else None
