"""Every Redis key the service uses, named in one place."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    """Key names under one prefix (tests use their own prefix)."""

    prefix: str

    def conversation(self, conversation_id: str) -> str:
        """Hash: state, channel, urgency, concerns… (kept for the retention period)."""
        return f"{self.prefix}conv:{conversation_id}"

    def messages(self, conversation_id: str) -> str:
        """Stream: the transcript, bodies encrypted (kept for the retention period)."""
        return f"{self.prefix}conv:{conversation_id}:messages"

    def live(self, conversation_id: str) -> str:
        """Stream of ephemeral signals to her (a counselor is typing); capped, temporary."""
        return f"{self.prefix}conv:{conversation_id}:live"

    def triage_history(self, conversation_id: str) -> str:
        """List: each message's triage (urgency, concerns, factors; no text), capped."""
        return f"{self.prefix}conv:{conversation_id}:triage"

    def consents(self, conversation_id: str) -> str:
        """List: consent questions asked of her and her answers."""
        return f"{self.prefix}conv:{conversation_id}:consents"

    def notes(self, conversation_id: str) -> str:
        """List: counselors' private notes (encrypted), kept for the retention period."""
        return f"{self.prefix}conv:{conversation_id}:notes"

    def token(self, token_digest: str) -> str:
        """String → conversation id; temporary (session TTL)."""
        return f"{self.prefix}token:{token_digest}"

    def user(self, username: str) -> str:
        """Hash: role and password hash of a counselor or supervisor."""
        return f"{self.prefix}user:{username}"

    def session(self, session_digest: str) -> str:
        """String (JSON): a logged-in counselor's session; temporary (session TTL)."""
        return f"{self.prefix}session:{session_digest}"

    def holdings(self, username: str) -> str:
        """Set of conversations a counselor holds."""
        return f"{self.prefix}holding:{username}"

    def line_user(self, user_id: str) -> str:
        """String: LINE user → her open conversation id (session TTL). The user id is hashed, so a
        Redis dump does not link LINE accounts to conversations."""
        return f"{self.prefix}line-user:{hashlib.sha256(user_id.encode()).hexdigest()}"

    def line_event(self, webhook_event_id: str) -> str:
        """Set NX once per LINE webhook event (TTL), so a replayed or redelivered event runs once."""
        return f"{self.prefix}line-event:{webhook_event_id}"

    @property
    def line_inbox(self) -> str:
        """Stream: verified LINE events (bodies encrypted) waiting for a worker (consumer group); an entry is
        deleted once handled."""
        return f"{self.prefix}line-inbox"

    @property
    def index(self) -> str:
        """Sorted set: conversation id → created at (ms), for statistics."""
        return f"{self.prefix}conversations"

    @property
    def presence(self) -> str:
        """Sorted set: counselor → last seen (ms); on duty = seen in the last few minutes."""
        return f"{self.prefix}presence"

    @property
    def queue(self) -> str:
        """Sorted set of waiting conversations, most urgent first."""
        return f"{self.prefix}queue"

    @property
    def events(self) -> str:
        """Stream of live events for consoles (capped); its ids number the frames."""
        return f"{self.prefix}events"

    def throttle(self, limit: str, who: str) -> str:
        """Counter of one client's uses in the current window; temporary (the window)."""
        return f"{self.prefix}throttle:{limit}:{hashlib.sha256(who.encode()).hexdigest()[:32]}"

    def stream_ticket(self, ticket_digest: str) -> str:
        """String → conversation id: a short-lived, single-use ticket to open her stream; temporary."""
        return f"{self.prefix}stream-ticket:{ticket_digest}"

    @property
    def doorbell(self) -> str:
        """Pub/sub channel: "something new" for a conversation id, or ``events`` (see handoff.fanout)."""
        return f"{self.prefix}doorbell"

    @property
    def audit(self) -> str:
        """List: who read which transcript, when (no text), capped."""
        return f"{self.prefix}audit"

    def alerted(self, conversation_id: str, urgency: str) -> str:
        """Marker that an overdue alert was raised; temporary."""
        return f"{self.prefix}alerted:{conversation_id}:{urgency}"
