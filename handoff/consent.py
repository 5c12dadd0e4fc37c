"""Consent before anything about her is shared (plan item 57).

A counselor asks; she answers in her own words; the answer is recorded with who asked, to whom and why.
Nothing is shared by this service itself: the record is what a counselor checks before passing anything on.
Records are encrypted at rest (they name people and places) and kept for the retention period only.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any, Dict, List, Optional

from redis.asyncio import Redis

from bot import yesno
from handoff.crypto import Box
from handoff.keys import Keys
from handoff.timeutil import now_ms

ASK_AGAIN = ("ごめんね、うまく受け取れなかったみたい。伝えてもいいなら「はい」、いやなら「いいえ」とだけ送ってね。"
             "どちらでも大丈夫だよ。")


class Answer(Enum):
    """What her message did to the open consent question."""

    NONE_PENDING = "none_pending"
    YES = "yes"
    NO = "no"
    UNCLEAR = "unclear"  # nothing recorded; she is asked again in plain words (once per question)
    STILL_UNCLEAR = "still_unclear"  # asked again already: nothing recorded, nothing said; the counselor sees it


def read_answer(text: str) -> Optional[bool]:
    """True for a clear yes, False for a no, None when unclear (then nothing is recorded).

    The one yes/no reader (:mod:`bot.yesno`): a negation anywhere is a no, only a short,
    whole yes is a yes, and 「大丈夫です」「いいです」 ("no thanks") are never a yes.
    """
    return yesno.read(text)


def question(to: str, purpose: str) -> str:
    return (f"相談員から確認です。あなたのことを「{to}」に伝えてもいいですか？（目的：{purpose}）"
            "いやなら断って大丈夫。「はい」か「いいえ」で答えてね。")


class Consents:
    def __init__(self, redis: Redis, keys: Keys, box: Box, retention_seconds: int) -> None:
        self.redis, self.keys, self.box, self.retention = redis, keys, box, retention_seconds

    async def ask(self, conversation_id: str, counselor: str, to: str, purpose: str) -> None:
        record = {"asked_by": counselor, "to": to, "purpose": purpose, "asked_at": now_ms(), "answer": None}
        key = self.keys.consents(conversation_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            await pipe.rpush(key, self._seal(record)).expire(key, self.retention).execute()

    async def all(self, conversation_id: str) -> List[Dict[str, Any]]:
        return [self._open(raw) for raw in await self.redis.lrange(self.keys.consents(conversation_id), 0, -1)]

    async def answer_pending(self, conversation_id: str, text: str) -> Answer:
        """Record her answer to the latest open question if the message is a clear yes or no."""
        records = await self.all(conversation_id)
        if not records or records[-1].get("answer") is not None:
            return Answer.NONE_PENDING
        latest, answer = records[-1], read_answer(text)
        if answer is None:
            if latest.get("asked_again"):
                return Answer.STILL_UNCLEAR
            latest["asked_again"] = now_ms()
        else:
            latest.update(answer=answer, answered_at=now_ms())
        await self.redis.lset(self.keys.consents(conversation_id), len(records) - 1, self._seal(latest))
        return Answer.UNCLEAR if answer is None else (Answer.YES if answer else Answer.NO)

    def _seal(self, record: Dict[str, Any]) -> str:
        return self.box.seal(json.dumps(record, ensure_ascii=False))

    def _open(self, raw: bytes) -> Dict[str, Any]:
        text = self.box.read(raw.decode() if isinstance(raw, bytes) else raw)
        try:
            return json.loads(text)
        except json.JSONDecodeError:  # sealed with another key: keep the slot, show that it is unreadable
            return {"unreadable": True, "answer": "unreadable"}
