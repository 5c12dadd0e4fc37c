"""Which counselors are on duty: seen (any console request) in the last few minutes."""

from __future__ import annotations

from redis.asyncio import Redis

from handoff.keys import Keys
from handoff.timeutil import now_ms

ON_DUTY_WINDOW_MS = 5 * 60 * 1000
MINUTES_PER_CONVERSATION = 10  # a rough planning figure for the waiting-time estimate


async def seen(redis: Redis, keys: Keys, counselor: str) -> None:
    await redis.zadd(keys.presence, {counselor: now_ms()})


async def on_duty(redis: Redis, keys: Keys) -> int:
    cutoff = now_ms() - ON_DUTY_WINDOW_MS
    await redis.zremrangebyscore(keys.presence, 0, cutoff)
    return int(await redis.zcard(keys.presence))


def estimate_minutes(position: int, counselors: int) -> int:
    """Rough wait: conversations ahead of her, shared among the counselors on duty."""
    return max(5, round((position + 1) * MINUTES_PER_CONVERSATION / max(1, counselors)))


def waiting_notice(position: int, counselors: int) -> str:
    """What she is told when she enters the queue: honest, short, kind."""
    if counselors == 0:
        return ("いまは相談員がいない時間なの。ごめんね。書いてくれたことは残しておいて、相談員が来たら読むよ。"
                "すぐに誰かと話したいときは、24時間つながる窓口に電話してね。")
    minutes = estimate_minutes(position, counselors)
    return (f"相談員さんを呼んだよ。いま{counselors}人の相談員が順番にお話ししていて、"
            f"つながるまでの目安は{minutes}分くらい。待っている間も、ここに書いてくれたら届くよ。")
