"""Print Rasa's endpoints for `make run`: actions on loopback; tracker and lock stores in the given Redis (db 1).

Usage: python scripts/rasa_endpoints.py REDIS_URL ACTION_PORT
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit


def endpoints(redis_url: str, action_port: int) -> str:
    parts = urlsplit(redis_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 6379
    password = f"\n  password: {parts.password}" if parts.password else ""
    store = f"  url: {host}\n  port: {port}\n  db: 1{password}"
    return (f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
            f"tracker_store:\n  type: redis\n{store}\n  key_prefix: akari\n  record_exp: 7776000\n"
            f"lock_store:\n  type: redis\n{store}\n  key_prefix: akari\n")


if __name__ == "__main__":
    print(endpoints(sys.argv[1], int(sys.argv[2])), end="")
