"""When Rasa does not answer: a kind reply, lines open now, and a local safety triage.

The lexicon triage (``bot.triage`` with no classifier ranking) is pure Python,
so a 「薬全部飲んだ」 still reaches the queue when the bot is down.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional

from bot.support.directory import format_lines, open_now
from bot.triage import Context, triage

SORRY = (
    "ごめんね、いまシステムの調子が悪くて、うまくお返事できないみたい。"
    "書いてくれたことは届いているよ。すぐに誰かと話したいときは、いまつながる窓口に連絡してね。"
)


def local_triage(text: str) -> Dict[str, Any]:
    """Lexicon-only triage (no classifier): a safety net, not a replacement."""
    result = triage(text, [], Context())
    payload = result.as_payload()
    payload["factors"] = payload["factors"] + ["ボット停止中の簡易判定"]
    return payload


EARLY_FACTOR = "辞書で緊急と判定（ボットの返事より先に通知）"


def early_alarm(text: str) -> Optional[Dict[str, Any]]:
    """The lexicon alone reads an emergency (「さっき薬全部飲んだ」): a triage to queue her at once, before Rasa —
    which under load takes seconds — has answered. None for anything less."""
    result = triage(text, [], Context(), score_risk=False)
    if result.urgency != "emergency":
        return None
    payload = result.as_payload()
    payload["factors"] = payload["factors"] + [EARLY_FACTOR]
    return payload


def kind_reply(triage_payload: Optional[Dict[str, Any]], now: Optional[datetime] = None) -> List[str]:
    """The fallback texts: an apology and 24-hour lines that fit what she wrote."""
    concerns = list((triage_payload or {}).get("concerns") or [])
    emergency = (triage_payload or {}).get("urgency") == "emergency"
    places = open_now(concerns, emergency=emergency, now=now)
    return [SORRY, format_lines(places)]
