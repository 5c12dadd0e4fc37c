"""Every Redis key the service uses, named in one place."""

from __future__ import annotations

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

    def token(self, token_digest: str) -> str:
        """String → conversation id; temporary (session TTL)."""
        return f"{self.prefix}token:{token_digest}"

    @property
    def queue(self) -> str:
        """Sorted set of waiting conversations, most urgent first."""
        return f"{self.prefix}queue"

    @property
    def events(self) -> str:
        """Pub/sub channel for live events."""
        return f"{self.prefix}events"
