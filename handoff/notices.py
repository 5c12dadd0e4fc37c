"""What she is told before anything else: who answers (a bot) and what happens to her words (privacy).

Kept in one place so every channel (LINE's follow greeting, the web chat) says exactly the same thing; the
retention period comes from ``Settings.retention_seconds``, so the notice can never drift from what is done.
"""

from __future__ import annotations

from typing import List

SECONDS_PER_DAY = 24 * 3600

GREETING = "Akari（あかり）です🌙 つらいこと、困っていること、どんなことでも話してね。"
BOT_DISCLOSURE = (
    "ここでお返事するのは、人ではなく自動応答のボット（プログラム）だよ。"
    "相談員がいる時間なら、人と話したいときや必要なときに、研修を受けた相談員にもつなげるよ。"
)
INVITATION = "話したくなったら、書けるところから書いてみてね。あなたのペースで大丈夫だよ。"


def retention_days(retention_seconds: int) -> int:
    """Whole days, rounded up: she is never told her words go sooner than they do."""
    return max(1, -(-retention_seconds // SECONDS_PER_DAY))


def privacy_notice(retention_seconds: int) -> str:
    """What is kept, for how long, who reads it, and when anything is shared (SPEC: consent first)."""
    days = retention_days(retention_seconds)
    return (
        "ここで話したことの扱いについて：\n"
        "・あなたが書いたメッセージは、暗号化して保存するよ。\n"
        f"・保存するのは{days}日間。そのあとは消えるよ。\n"
        "・読むのは、この相談を運営しているNPOの、研修を受けた相談員だけ。\n"
        "・あなたが「いいよ」と言わないかぎり、ほかの誰にも伝えないよ。"
        "ただ、あなたの命が危ないときだけは、命を守るために伝えることがあるよ。"
    )


def welcome(retention_seconds: int, opening: str = "") -> List[str]:
    """The first messages on a channel: greeting with the bot disclosure, the privacy notice, an invitation.

    ``opening`` is what the channel adds before the greeting (LINE: thanks for adding the account).
    """
    return [f"{opening}{GREETING}\n{BOT_DISCLOSURE}", privacy_notice(retention_seconds), INVITATION]
