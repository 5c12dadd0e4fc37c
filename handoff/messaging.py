"""One user message, from any channel: store it, triage it through Rasa, route it (SPEC §3).

State changes go through :class:`handoff.states.StateMachine`; what the bot says is composed by the bot
(it knows, from the metadata sent with her message, whether a counselor is on duty and how long the
queue is), so the web chat and LINE show the same turn.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import aiohttp
from redis.asyncio import Redis

from bot import multilingual  # issue 9 (languages): messages in other languages
from handoff import events, fallback, presence, rasa_client, replicas  # replicas: issue 9
from handoff.consent import ASK_AGAIN, Answer, Consents
from handoff.queue import Queue
from handoff.routing import after_triage, asks_bot, reopens
from handoff.settings import Settings
from handoff.states import BOT, HUMAN, STATES, WAITING, StateMachine
from handoff.store import Store

log = logging.getLogger(__name__)


@dataclass
class Reply:
    """What the user sees now, and the conversation's state afterwards."""

    state: str
    messages: List[Dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Routed:
    """Where one triaged message left the conversation."""

    state: str
    entered_queue: bool = False


class Messaging:
    """Routes user messages between Rasa, the queue and counselors."""

    def __init__(self, settings: Settings, redis: Redis, http: aiohttp.ClientSession, store: Store,
                 states: StateMachine, consents: Consents) -> None:
        self.settings, self.redis, self.http, self.store, self.states = settings, redis, http, store, states
        self.keys, self.consents = store.keys, consents
        self.queue = Queue(redis, self.keys)

    async def handle(self, conversation_id: str, text: str) -> Reply:
        conversation = await self.store.get(conversation_id)
        state = conversation.get("state") or BOT
        await self.store.add_message(conversation_id, "user", text)
        if reopens(state):
            await self.states.reopen(conversation_id)
            state = BOT
        if not asks_bot(state):
            return Reply(state, await self._to_counselor(conversation_id, text))
        metadata = await self._metadata(conversation_id, conversation, state)
        language = multilingual.language_of(text, conversation.get("language") or "ja")  # issue 9 (languages)
        if language != "ja":
            return await self._in_her_language(conversation_id, state, text, language, conversation, metadata)
        early = await self._alarm_early(conversation_id, text)
        turn, degraded = await self._ask_bot(conversation_id, text, metadata)
        routed = await self._route(conversation_id, WAITING if early else state, turn.triage)
        routed = Routed(routed.state, entered_queue=early or routed.entered_queue)
        return Reply(routed.state, await self._kept(conversation_id, self._shown(turn, degraded, routed, metadata)))

    async def _in_her_language(self, conversation_id: str, state: str, text: str, language: str,
                               conversation: Dict[str, Any], metadata: Dict[str, Any]) -> Reply:
        """Issue 9 (languages): the bot reads Japanese only, so a message in another language is triaged from
        crisis words in her language (bot.multilingual), queued like any other, and answered in her language
        (the bot introduced once per language, who will read it told once, on entering the queue); Rasa is not
        asked."""
        payload = multilingual.triage(text, language)
        routed = await self._route(conversation_id, state, multilingual.safe_for_queue(payload))
        texts = multilingual.reply(payload, metadata["akari"]["counselors_on_duty"],
                                   introduce=conversation.get("language") != language,
                                   entered_queue=routed.entered_queue)
        shown = [] if routed.state == HUMAN else [{"text": t, "from": "bot"} for t in texts]
        return Reply(routed.state, await self._kept(conversation_id, shown))

    async def _kept(self, conversation_id: str, shown: List[Dict[str, str]]) -> List[Dict[str, str]]:
        """What she is shown goes into the transcript the counselor reads, in order."""
        for message in shown:
            await self.store.add_message(conversation_id, message["from"], message["text"])
        return shown

    async def _to_counselor(self, conversation_id: str, text: str) -> List[Dict[str, str]]:
        """A counselor holds it: the bot is silent; her answer to a consent question is recorded, and an
        unclear answer is met (once) with the question again in plain words."""
        answer = await self.consents.answer_pending(conversation_id, text)
        shown: List[Dict[str, str]] = []
        if answer in (Answer.YES, Answer.NO):
            await events.publish(self.redis, self.keys, events.CONSENT_ANSWERED, conversation_id=conversation_id)
        elif answer is Answer.UNCLEAR:
            shown = await self._kept(conversation_id, [{"text": ASK_AGAIN, "from": "system"}])
        await events.publish(self.redis, self.keys, events.USER_MESSAGE, conversation_id=conversation_id)
        return shown

    async def _metadata(self, conversation_id: str, conversation: Dict[str, Any], state: str) -> Dict[str, Any]:
        """What the bot needs to tell her honestly about people: who is on duty, how many are ahead."""
        counselors = await presence.on_duty(self.redis, self.keys)
        ahead = await (self.queue.position(conversation_id) if state == WAITING else self.queue.length())
        return {"akari": {"state": state, "counselors_on_duty": counselors, "queue_ahead": ahead,
                          "channel": conversation.get("channel") or "webchat", "language": "ja"}}

    async def _ask_bot(self, conversation_id: str, text: str,
                       metadata: Dict[str, Any]) -> tuple[rasa_client.BotTurn, bool]:
        try:
            # issue 9 (replicas): her conversation's own Rasa replica, failing over when it is down
            turn = await replicas.send(self.http, self.settings.rasa_urls, conversation_id, text,
                                       self.settings.rasa_timeout, metadata)
            return turn, False
        except rasa_client.RasaUnavailable as error:
            log.warning("bot unavailable, using the fallback: %s", error)
            payload = fallback.local_triage(text)
            return rasa_client.BotTurn(fallback.kind_reply(payload), payload), True

    async def _alarm_early(self, conversation_id: str, text: str) -> bool:
        """An emergency the lexicon reads on its own goes to the queue now, not after Rasa's reply: under load her
        message would otherwise wait behind every other at Rasa. True if she entered the queue."""
        payload = fallback.early_alarm(text)
        if payload is None:
            return False
        update = await self.store.apply_triage(conversation_id, payload, history=False)  # one entry per message
        return (await self.states.enqueue(conversation_id, update["max_urgency"])).reason == "entered"

    async def _route(self, conversation_id: str, state: str, triage: Optional[Dict[str, Any]]) -> Routed:
        """Record the triage; enter the queue or move up in it when the triage says so."""
        outcome = after_triage(state, triage)
        if not triage:
            return Routed(outcome.state)
        update = await self.store.apply_triage(conversation_id, triage)
        if not outcome.enqueue:
            return Routed(outcome.state)
        result = await self.states.enqueue(conversation_id, update["max_urgency"])
        now = result.reason if result.reason in STATES else WAITING  # a claim may have won the race
        return Routed(now, entered_queue=result.reason == "entered")

    def _shown(self, turn: rasa_client.BotTurn, degraded: bool, routed: Routed,
               metadata: Dict[str, Any]) -> List[Dict[str, str]]:
        """The bot's texts while no counselor holds it; without the bot, the kind fallback (and the honest
        notice on entering the queue, which the bot would otherwise have given)."""
        if routed.state == HUMAN:
            return []
        if not degraded:
            return [{"text": t, "from": "bot"} for t in turn.texts]
        texts = list(turn.texts)
        if routed.entered_queue:
            info = metadata["akari"]
            texts.insert(1, presence.waiting_notice(info["queue_ahead"], info["counselors_on_duty"]))
        return [{"text": t, "from": "system"} for t in texts]
