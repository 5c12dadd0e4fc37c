"""Several Rasa replicas: each conversation pinned to one, with failover (issue 9, more than one Rasa).

Rasa Open Source's Redis lock store reads and then writes, so two replicas working on one conversation at the
same time can interleave or drop its turns. The handoff service therefore sends every message of a conversation
to the same replica, chosen by rendezvous (highest-random-weight) hashing of the conversation id over the
configured URLs: removing a replica moves only the conversations it had, and adding one takes a fair share
without reshuffling the rest. When that replica is down (connection refused, or not connected in time), the next
one in the conversation's own order answers; the shared Redis tracker store keeps her context. A replica found down is
remembered for a short while, so a dead one is not tried again on every message.
"""

from __future__ import annotations

import hashlib
import logging
import time
import weakref
from typing import Any, Callable, Dict, List, Optional, Sequence

import aiohttp

from handoff import rasa_client

log = logging.getLogger(__name__)
DOWN_SECONDS = 30.0  # how long a replica found down is skipped before it is tried again


def weight(conversation_id: str, url: str) -> int:
    """A stable pseudo-random weight of one (conversation, replica) pair: the same in every process and run
    (unlike ``hash()``, which Python salts per process)."""
    digest = hashlib.sha256(f"{url}\n{conversation_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def order(conversation_id: str, urls: Sequence[str]) -> List[str]:
    """The replicas in the order this conversation tries them: its own replica first, then its failovers."""
    return sorted(dict.fromkeys(urls), key=lambda url: (-weight(conversation_id, url), url))


def candidates(conversation_id: str, urls: Sequence[str], down: Sequence[str]) -> List[str]:
    """The order to try now: replicas known to be down go last (still tried when every replica is down, so a
    recovered one is found without waiting for its memory to end)."""
    ranked = order(conversation_id, urls)
    return [url for url in ranked if url not in down] + [url for url in ranked if url in down]


class DownReplicas:
    """A short memory of replicas that did not answer; the clock is injectable for tests."""

    def __init__(self, seconds: float = DOWN_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.clock = seconds, clock
        self._until: Dict[str, float] = {}

    def mark(self, url: str) -> None:
        self._until[url] = self.clock() + self.seconds

    def clear(self, url: str) -> None:
        self._until.pop(url, None)

    def now_down(self) -> List[str]:
        """Replicas still remembered as down; older memories are forgotten."""
        now = self.clock()
        for url in [url for url, until in self._until.items() if until <= now]:
            del self._until[url]
        return list(self._until)


_memories: weakref.WeakKeyDictionary[aiohttp.ClientSession, DownReplicas] = weakref.WeakKeyDictionary()


def memory_for(session: aiohttp.ClientSession) -> DownReplicas:
    """One memory per HTTP session, i.e. per running app (two apps in one test process do not share it)."""
    memory = _memories.get(session)
    if memory is None:
        memory = _memories[session] = DownReplicas()
    return memory


async def send(session: aiohttp.ClientSession, urls: Sequence[str], conversation_id: str, text: str,
               timeout: float, metadata: Optional[Dict[str, Any]] = None,
               memory: Optional[DownReplicas] = None) -> rasa_client.BotTurn:
    """Send her message to her conversation's replica, failing over in her order when one is down.

    Only a replica that never got the message (refused, no connection in time) is skipped for the next one. One
    that may have got it (connection lost mid-answer, too slow) is remembered as down but her message is not sent
    again elsewhere: the bot must not read one answer twice (the caller gives the kind fallback). Any other
    failure (an HTTP error, an empty answer) would be the same on every replica, since they share the action
    server, and is raised at once.
    """
    memory = memory or memory_for(session)
    last: Optional[rasa_client.RasaDown] = None
    for url in candidates(conversation_id, urls, memory.now_down()):
        try:
            turn = await rasa_client.send(session, url, conversation_id, text, timeout, metadata)
        except rasa_client.RasaDown as error:
            log.warning("Rasa replica %s is down (%s)", url, error)
            memory.mark(url)
            if error.delivered:
                raise  # it may have read her message: never twice; her next message goes to the next replica
            last = error
            continue
        except rasa_client.RasaUnavailable:
            memory.clear(url)  # it answered, badly: it is up, and another replica would answer the same
            raise
        memory.clear(url)
        return turn
    raise last or rasa_client.RasaUnavailable("no Rasa replica is configured")
