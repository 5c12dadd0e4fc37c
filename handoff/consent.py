"""Consent before anything about her is shared (plan item 57).

A counselor asks; she answers in her own words; the answer is recorded with
who asked, to whom and why. Nothing is shared by this service itself: the
record is what a counselor checks before passing anything on.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from redis.asyncio import Redis

from bot import yesno
from handoff.keys import Keys
from handoff.store import now_ms


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
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.redis, self.keys = redis, keys

    async def ask(self, conversation_id: str, counselor: str, to: str, purpose: str) -> None:
        record = {"asked_by": counselor, "to": to, "purpose": purpose, "asked_at": now_ms(), "answer": None}
        await self.redis.rpush(self.keys.consents(conversation_id), json.dumps(record, ensure_ascii=False))

    async def all(self, conversation_id: str) -> List[Dict[str, Any]]:
        return [json.loads(r) for r in await self.redis.lrange(self.keys.consents(conversation_id), 0, -1)]

    async def answer_pending(self, conversation_id: str, text: str) -> Optional[bool]:
        """Record her answer to the latest open question, if the message is a clear yes or no."""
        records = await self.all(conversation_id)
        if not records or records[-1]["answer"] is not None:
            return None
        answer = read_answer(text)
        if answer is None:
            return None
        records[-1].update(answer=answer, answered_at=now_ms())
        await self.redis.lset(self.keys.consents(conversation_id), len(records) - 1,
                              json.dumps(records[-1], ensure_ascii=False))
        return answer
