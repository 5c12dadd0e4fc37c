"""Rasa over HTTP: send a user message, get the bot's texts and its triage payload."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import aiohttp


class RasaUnavailable(Exception):
    """Rasa did not answer in time or answered nonsense; the caller falls back."""


class RasaDown(RasaUnavailable):
    """This Rasa could not be reached or stopped answering (connection refused or lost, timeout).

    ``delivered`` is False when the message surely never reached it (refused, no connection in time): another
    replica may then be asked. When it may have arrived (lost mid-answer, answer too slow), asking another
    replica could process her message twice, so the caller falls back instead.
    """

    def __init__(self, reason: str, delivered: bool) -> None:
        super().__init__(reason)
        self.delivered = delivered


CONNECT_TIMEOUT = 5.0  # a replica that does not even accept the connection by then is treated as down


@dataclass(frozen=True)
class BotTurn:
    texts: List[str] = field(default_factory=list)
    triage: Optional[Dict[str, Any]] = None


def split_turn(payload: Any) -> BotTurn:
    """Separate the ``{"triage": ...}`` custom payload from what the user may see."""
    if not isinstance(payload, list):
        raise RasaUnavailable("unexpected reply shape from Rasa")
    texts: List[str] = []
    triage: Optional[Dict[str, Any]] = None
    for message in payload:
        if not isinstance(message, dict):
            continue
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("triage"), dict):
            triage = triage or custom["triage"]
        elif isinstance(message.get("text"), str) and message["text"].strip():
            texts.append(message["text"])
    return BotTurn(texts, triage)


async def send(session: aiohttp.ClientSession, rasa_url: str, sender: str, text: str, timeout: float,
               metadata: Optional[Dict[str, Any]] = None) -> BotTurn:
    """POST to Rasa's REST webhook; any failure becomes :class:`RasaUnavailable`.

    ``metadata`` reaches the actions as ``tracker.latest_message["metadata"]`` (Rasa's RestInput passes it on).
    """
    try:
        async with session.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text, "metadata": metadata or {}},
            timeout=aiohttp.ClientTimeout(total=timeout, sock_connect=min(timeout, CONNECT_TIMEOUT)),
        ) as response:
            if response.status != 200:
                raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
            turn = split_turn(await response.json(content_type=None))
    except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as error:
        raise RasaDown(type(error).__name__, delivered=False) from error
    except (aiohttp.ClientConnectionError, asyncio.TimeoutError) as error:
        raise RasaDown(type(error).__name__, delivered=True) from error
    except (aiohttp.ClientError, ValueError) as error:
        raise RasaUnavailable(type(error).__name__) from error
    if turn.triage is None and not turn.texts:
        raise RasaUnavailable("Rasa sent nothing (is the action server down?)")
    return turn
