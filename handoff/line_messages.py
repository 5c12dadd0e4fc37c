"""LINE's pure side: what she is told for each kind of message, and the shapes LINE's API wants.

No I/O here, so every rule (5 bubbles, 5000 characters, when a reply token is still good) is unit-tested alone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
from typing import Any, Dict, List, Optional

from handoff.errors import problem

HANDLED_EVENTS = ("message", "follow", "unfollow")
MAX_BUBBLES = 5  # LINE accepts at most 5 messages per reply or push
MAX_BUBBLE_CHARS = 5000  # and at most 5000 characters per text message
REPLY_WINDOW_MS = 50_000  # LINE honours a reply token for about a minute; past this, push instead

ASK_FOR_WORDS = "ごめんね、ここではまだ文字しか読めないの。よかったら、いまの気持ちや困っていることを言葉で書いて送ってね。"
THANKS = {
    "sticker": "スタンプありがとう。",
    "image": "画像を送ってくれてありがとう。",
    "video": "動画を送ってくれてありがとう。",
    "audio": "音声を送ってくれてありがとう。",
    "file": "ファイルを送ってくれてありがとう。",
}
WORDS_PLEASE = THANKS["sticker"] + ASK_FOR_WORDS
LOCATION_NOT_KEPT = "位置情報を送ってくれてありがとう。場所は保存しないでおくね。いまどんな様子か、よかったら言葉で教えてね。"
LOCATION_KEPT = (
    "位置情報を送ってくれてありがとう。危ない状況かもしれないから、この場所は相談の記録に残しておくね。"
    "いまの様子を、言葉で教えてくれる？"
)
LEFT_NOTICE = "LINEの友だち登録が解除されました（ブロック）。LINEではもうメッセージを届けられません。"
FOLLOWED = "友だち追加ありがとう。"
FOLLOWED_AGAIN = "また来てくれてありがとう。"  # she had blocked the account and unblocked it
NOT_WORDS_NOTE = "（{kind}が送られました。内容は保存していません）"
KIND_NAMES = {"sticker": "スタンプ", "image": "画像", "video": "動画", "audio": "音声", "file": "ファイル",
              "location": "位置情報"}

def signature_ok(secret: str, body: bytes, signature: str) -> bool:
    """LINE signs the raw body: base64(HMAC-SHA256(channel secret, body)); compared in constant time."""
    expected = base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, signature.encode("utf-8", "replace"))


def bubbles(texts: List[str]) -> List[Dict[str, str]]:
    """LINE text messages for our texts: at most 5 (the rest merged into the last), each within 5000 chars."""
    texts = [t for t in texts if t and t.strip()]
    if len(texts) > MAX_BUBBLES:
        texts = texts[: MAX_BUBBLES - 1] + ["\n\n".join(texts[MAX_BUBBLES - 1:])]
    return [{"type": "text", "text": _clip(t)} for t in texts]


def _clip(text: str) -> str:
    """LINE refuses the whole call for one over-long text; better to lose a tail than every bubble."""
    return text if len(text) <= MAX_BUBBLE_CHARS else text[: MAX_BUBBLE_CHARS - 1] + "…"


def user_of(event: Dict[str, Any]) -> Optional[str]:
    """Her LINE user id, for one-to-one chats only (groups and rooms are not a place for counseling)."""
    source = event.get("source") or {}
    user_id = source.get("userId") if source.get("type") == "user" else None
    return user_id if isinstance(user_id, str) and user_id else None


def handled(event: Dict[str, Any]) -> bool:
    """Events worth a worker's time: her messages, follow and unfollow in a one-to-one chat."""
    return event.get("type") in HANDLED_EVENTS and user_of(event) is not None


def event_time_ms(event: Dict[str, Any], received_ms: int) -> int:
    """When LINE says the event happened (the reply token's clock), or when we received it."""
    timestamp = event.get("timestamp")
    return timestamp if isinstance(timestamp, int) and 0 < timestamp <= received_ms else received_ms


def reply_usable(reply_token: Any, event_ms: int, now: int) -> bool:
    """A reply token is worth trying only while it is fresh; an old one would fail and delay her answer."""
    return isinstance(reply_token, str) and bool(reply_token) and now - event_ms < REPLY_WINDOW_MS


def loading_seconds(rasa_timeout: float) -> int:
    """LINE's loading animation lasts 5–60 s in steps of 5: long enough to cover the bot's slowest answer."""
    return min(60, max(5, math.ceil(rasa_timeout / 5) * 5))


def words_please(kind: str) -> str:
    """A kind answer to a sticker, picture, sound or file: thanks, and a gentle ask for words."""
    return THANKS.get(kind, "") + ASK_FOR_WORDS


def location_text(message: Dict[str, Any]) -> str:
    """A location as the counselor reads it in the transcript (kept only when she may be in danger)."""
    parts = [str(message.get(k)) for k in ("title", "address") if message.get(k)]
    where = "".join(f"{part} " for part in parts)
    return f"📍位置情報: {where}(緯度 {message.get('latitude')}, 経度 {message.get('longitude')})"


def parse_events(body: bytes) -> List[Dict[str, Any]]:
    """The webhook's events; anything that is not LINE's shape is a 400 (only after the signature held)."""
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise problem(400, "bad_json", "body must be JSON") from error
    events_ = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events_, list):
        raise problem(400, "bad_events", "'events' must be a list")
    return [event for event in events_ if isinstance(event, dict)]
