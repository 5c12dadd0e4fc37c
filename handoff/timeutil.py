"""Small utilities shared by storage and auth: the clock in milliseconds, and digests of secrets."""

from __future__ import annotations

import hashlib
import time


def now_ms() -> int:
    return int(time.time() * 1000)


def digest(token: str) -> str:
    """SHA-256 of a session token: Redis keeps only this, so a dump opens nothing."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
