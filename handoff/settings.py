"""Configuration, read once from the environment in ``main()``."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

from cryptography.fernet import Fernet

log = logging.getLogger(__name__)
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def _read(path: Path) -> str:
    """A one-line file ``make run`` wrote, or '' when there is none."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _flag(value: Optional[str], default: bool) -> bool:
    """'0', 'false', 'no' or 'off' turn a flag off; anything else turns it on; unset keeps the default."""
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


def parse_rasa_urls(value: str) -> Tuple[str, ...]:
    """``RASA_URL`` as replicas: comma-separated, blanks and repeats dropped, the default when empty."""
    urls = dict.fromkeys(part.strip().rstrip("/") for part in value.split(","))
    return tuple(url for url in urls if url) or (Settings.rasa_url,)


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to know; frozen so no handler can change it."""

    redis_url: str = "redis://127.0.0.1:6379/0"
    rasa_url: str = "http://127.0.0.1:5005"  # the first replica; code that knows of one Rasa only uses this
    # Every Rasa replica (issue 9): RASA_URL may list several, comma-separated. Always starts with rasa_url:
    # when the two disagree (``replace(settings, rasa_url=...)`` in older code), rasa_url alone is used.
    rasa_urls: Tuple[str, ...] = ()
    action_server_url: str = "http://127.0.0.1:5055"
    host: str = "127.0.0.1"
    port: int = 8080
    data_key: bytes = b""
    key_prefix: str = "akari:"
    rasa_timeout: float = 20.0
    max_message_chars: int = 2000
    session_ttl_seconds: int = 7 * 24 * 3600
    retention_seconds: int = 90 * 24 * 3600
    alert_emergency_seconds: int = 60
    alert_high_seconds: int = 300
    alert_check_seconds: float = 5.0
    line_channel_secret: Optional[str] = None
    line_channel_access_token: Optional[str] = None
    line_api_base: str = "https://api.line.me"
    # Console sessions: the cookie is ``__Host-`` prefixed and Secure unless this is False (plain-http development
    # only: browsers treat http://127.0.0.1 and localhost as secure, aiohttp's cookie jar does not).
    cookie_secure: bool = True
    console_idle_seconds: int = 30 * 60  # a console left alone this long is logged out
    console_session_seconds: int = 12 * 3600  # and every console session ends after this, however busy

    def __post_init__(self) -> None:
        if not self.rasa_urls or self.rasa_urls[0] != self.rasa_url:
            object.__setattr__(self, "rasa_urls", (self.rasa_url,))

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        """Settings from ``AKARI_*``, ``REDIS_URL``, ``RASA_URL``… (SPEC §4).

        Without ``REDIS_URL`` or ``AKARI_DATA_KEY``, the files ``make run`` leaves in its data folder are used, so
        the service and the CLI find the same Redis and the same key with nothing copied by hand.
        """
        data_dir = Path(env.get("AKARI_DATA_DIR") or DEFAULT_DATA_DIR)
        key = (env.get("AKARI_DATA_KEY") or _read(data_dir / "akari.key")).encode()
        if not key:
            log.warning("AKARI_DATA_KEY is not set: using a temporary key, stored messages will not survive a restart")
            key = Fernet.generate_key()
        Fernet(key)  # fail fast on a malformed key
        urls = parse_rasa_urls(env.get("RASA_URL", ""))
        return cls(
            redis_url=env.get("REDIS_URL") or _read(data_dir / "redis.url") or cls.redis_url,
            rasa_url=urls[0],
            rasa_urls=urls,
            action_server_url=env.get("ACTION_SERVER_URL", cls.action_server_url).rstrip("/"),
            host=env.get("AKARI_HOST", cls.host),
            port=int(env.get("AKARI_PORT", cls.port)),
            data_key=key,
            key_prefix=env.get("AKARI_KEY_PREFIX", cls.key_prefix),
            line_channel_secret=env.get("LINE_CHANNEL_SECRET") or None,
            line_channel_access_token=env.get("LINE_CHANNEL_ACCESS_TOKEN") or None,
            line_api_base=env.get("LINE_API_BASE", cls.line_api_base).rstrip("/"),
            cookie_secure=_flag(env.get("AKARI_COOKIE_SECURE"), cls.cookie_secure),
            console_idle_seconds=int(env.get("AKARI_CONSOLE_IDLE_SECONDS", cls.console_idle_seconds)),
        )
