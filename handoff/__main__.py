"""``python -m handoff`` runs the service; ``python -m handoff users …`` manages counselor accounts:

    users add NAME --role counselor|supervisor   create, or reset an existing account (password on standard input)
    users passwd NAME                            new password (on standard input)
    users role NAME --role counselor|supervisor  change the role
    users disable NAME / users enable NAME       keep an account but stop (or allow again) its logins
    users remove NAME                            delete the account
    users list                                   name, role and whether it is disabled

Every change ends that account's console sessions at once. A password is typed without echo on a terminal, or read
as the first line of standard input.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys
from typing import Awaitable, Callable, Dict

from aiohttp import web
from redis.asyncio import Redis
from redis.exceptions import RedisError

from handoff.app import create_app
from handoff.keys import Keys
from handoff.settings import Settings
from handoff.users import ROLES, UserError, Users

WITH_PASSWORD = frozenset({"add", "passwd"})


def _read_password() -> str:
    if sys.stdin.isatty():
        first, second = getpass.getpass("password: "), getpass.getpass("again: ")
        if first != second:
            raise UserError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


async def _add(users: Users, args: argparse.Namespace, password: str) -> str:
    await users.add(args.name, args.role, password)
    return f"{args.role} {args.name} saved"


async def _passwd(users: Users, args: argparse.Namespace, password: str) -> str:
    await users.set_password(args.name, password)
    return f"{args.name}: password changed, sessions ended"


async def _role(users: Users, args: argparse.Namespace, password: str) -> str:
    await users.set_role(args.name, args.role)
    return f"{args.name} is now {args.role}, sessions ended"


async def _still_held(users: Users, name: str) -> str:
    """A warning when she still holds conversations: nobody answers them until a supervisor takes them over."""
    held = await users.holding(name)
    if not held:
        return ""
    return (f"\nwarning: {name} still holds {held} conversation(s); nobody answers them until a supervisor "
            "takes them over in the console")


async def _disable(users: Users, args: argparse.Namespace, password: str) -> str:
    await users.disable(args.name)
    return f"{args.name} disabled, sessions ended" + await _still_held(users, args.name)


async def _enable(users: Users, args: argparse.Namespace, password: str) -> str:
    await users.enable(args.name)
    return f"{args.name} enabled"


async def _remove(users: Users, args: argparse.Namespace, password: str) -> str:
    await users.remove(args.name)
    return f"{args.name} removed, sessions ended" + await _still_held(users, args.name)


async def _list(users: Users, args: argparse.Namespace, password: str) -> str:
    accounts = await users.all()
    lines = [f"{a.name}\t{a.role}\t{'disabled' if a.disabled else 'active'}" for a in accounts]
    return "\n".join(lines) if lines else "no accounts"


ACTIONS: Dict[str, Callable[[Users, argparse.Namespace, str], Awaitable[str]]] = {
    "add": _add, "passwd": _passwd, "role": _role, "disable": _disable, "enable": _enable, "remove": _remove,
    "list": _list,
}


async def _users(settings: Settings, args: argparse.Namespace, password: str) -> str:
    redis = Redis.from_url(settings.redis_url, socket_connect_timeout=3)
    try:
        return await ACTIONS[args.action](Users(redis, Keys(settings.key_prefix)), args, password)
    finally:
        await redis.aclose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m handoff", description="Akari handoff service")
    commands = parser.add_subparsers(dest="command")
    users = commands.add_parser("users", help="manage counselor accounts").add_subparsers(dest="action", required=True)
    add = users.add_parser("add", help="add or reset an account; password on standard input")
    role = users.add_parser("role", help="change an account's role; its sessions end")
    for sub in (add, role):
        sub.add_argument("name")
        sub.add_argument("--role", choices=ROLES, required=True)
    for action, text in (("passwd", "new password on standard input; sessions end"),
                         ("disable", "stop an account's logins; sessions end"), ("enable", "allow its logins again"),
                         ("remove", "delete an account; sessions end")):
        users.add_parser(action, help=text).add_argument("name")
    users.add_parser("list", help="every account with its role")
    return parser


def manage_users(settings: Settings, args: argparse.Namespace) -> int:
    """Run one ``users`` command: 0 done, 2 refused (a clear reason on stderr), 1 Redis unreachable."""
    try:
        password = _read_password() if args.action in WITH_PASSWORD else ""
        print(asyncio.run(_users(settings, args, password)))
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (RedisError, OSError) as error:
        print(f"error: cannot reach Redis (REDIS_URL): {type(error).__name__}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env()
    if args.command == "users":
        return manage_users(settings, args)
    web.run_app(create_app(settings), host=settings.host, port=settings.port, access_log=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
