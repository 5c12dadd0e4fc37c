"""One user message, from any channel: store it, triage it through Rasa, route it (SPEC §3)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import aiohttp
from redis.asyncio import Redis

from bot.support.directory import format_lines, open_now
from handoff import events, fallback, presence, rasa_client
from handoff.consent import Consents
from handoff.keys import Keys
from handoff.queue import Queue
from handoff.routing import WAITING, after_triage, asks_bot
from handoff.settings import Settings
from handoff.store import Store, now_ms

log = logging.getLogger(__name__)


@dataclass
class Reply:
    """What the user sees now, and the conversation's state afterwards."""

    state: str
    messages: List[Dict[str, str]] = field(default_factory=list)


class Messaging:
    """Routes user messages between Rasa, the queue and (later) counselors."""

    def __init__(self, settings: Settings, redis: Redis, http: aiohttp.ClientSession, store: Store) -> None:
        self.settings, self.redis, self.http, self.store = settings, redis, http, store
        self.keys = Keys(settings.key_prefix)
        self.queue = Queue(redis, self.keys)

    async def handle(self, conversation_id: str, text: str) -> Reply:
        conversation = await self.store.get(conversation_id)
        state = conversation.get("state", "bot")
        await self.store.add_message(conversation_id, "user", text)
        if not asks_bot(state):
            if await Consents(self.redis, self.keys).answer_pending(conversation_id, text) is not None:
                await self._publish(conversation_id, "consent_answered")
            await self._publish(conversation_id, "user_message")
            return Reply(state)
        turn, degraded = await self._ask_bot(conversation_id, text)
        outcome = after_triage(state, turn.triage)
        notice = None
        if turn.triage:
            update = await self.store.apply_triage(conversation_id, turn.triage)
            if outcome.enqueue:
                notice = await self._enqueue(conversation_id, conversation, update, outcome.state)
        role = "system" if degraded else "bot"
        shown = [{"text": t, "from": role} for t in (turn.texts if (outcome.forward_bot_texts or degraded) else [])]
        if notice:
            shown.append({"text": notice, "from": "system"})
        for message in shown:
            await self.store.add_message(conversation_id, message["from"], message["text"])
        return Reply(outcome.state, shown)

    async def _ask_bot(self, conversation_id: str, text: str) -> tuple[rasa_client.BotTurn, bool]:
        try:
            turn = await rasa_client.send(
                self.http, self.settings.rasa_url, conversation_id, text, self.settings.rasa_timeout
            )
            return turn, False
        except rasa_client.RasaUnavailable as error:
            log.warning("bot unavailable, using the fallback: %s", error)
            payload = fallback.local_triage(text)
            return rasa_client.BotTurn(fallback.kind_reply(payload), payload), True

    async def _enqueue(
        self, conversation_id: str, conversation: Dict[str, Any], update: Dict[str, str], state: str
    ) -> Optional[str]:
        """Put her in the queue (or move her up); on entering it, the honest notice to show.

        ``update`` is what :meth:`Store.apply_triage` just wrote (max urgency, concerns).
        """
        urgency = update["max_urgency"]
        entering = conversation.get("state") != WAITING
        since = conversation.get("waiting_since") if not entering and conversation.get("waiting_since") else str(now_ms())
        if entering:
            await self.store.set_state(conversation_id, state, waiting_since=since)
        await self.queue.put(conversation_id, urgency, int(since))
        await self._publish(conversation_id, "queue_changed")
        if not entering:
            return None
        counselors = await presence.on_duty(self.redis, self.keys)
        notice = presence.waiting_notice(await self.queue.position(conversation_id), counselors)
        if counselors == 0:  # nobody to come soon: the lines open now, in the same breath
            concerns = json.loads(update["concerns"])
            notice += "\n" + format_lines(open_now(concerns, emergency=urgency == "emergency"))
        return notice

    async def _publish(self, conversation_id: str, kind: str) -> None:
        """Tell every console that something changed; no message text."""
        await events.publish(self.redis, self.keys, kind, conversation_id=conversation_id)
