"""``python -m handoff``: run the service (settings read once, here)."""

from __future__ import annotations

import logging

from aiohttp import web

from handoff.app import create_app
from handoff.settings import Settings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env()
    web.run_app(create_app(settings), host=settings.host, port=settings.port, access_log=None)


if __name__ == "__main__":
    main()
