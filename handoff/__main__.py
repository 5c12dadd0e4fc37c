"""``python -m handoff`` runs the service; ``python -m handoff users add NAME --role ROLE`` adds an account.

The password is read from standard input (typed without echo on a terminal).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys

from aiohttp import web
from redis.asyncio import Redis

from handoff.app import create_app
from handoff.keys import Keys
from handoff.settings import Settings
from handoff.users import ROLES, UserError, Users


def _read_password() -> str:
    if sys.stdin.isatty():
        first, second = getpass.getpass("password: "), getpass.getpass("again: ")
        if first != second:
            raise UserError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


async def _add_user(settings: Settings, name: str, role: str, password: str) -> None:
    redis = Redis.from_url(settings.redis_url)
    try:
        await Users(redis, Keys(settings.key_prefix)).add(name, role, password)
    finally:
        await redis.aclose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handoff", description="Akari handoff service")
    commands = parser.add_subparsers(dest="command")
    users = commands.add_parser("users", help="manage counselor accounts").add_subparsers(dest="action", required=True)
    add = users.add_parser("add", help="add or reset an account; password on standard input")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env()
    if args.command == "users":
        try:
            asyncio.run(_add_user(settings, args.name, args.role, _read_password()))
        except UserError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"{args.role} {args.name} saved")
        return 0
    web.run_app(create_app(settings), host=settings.host, port=settings.port, access_log=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
