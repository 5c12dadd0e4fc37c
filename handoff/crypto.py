"""Message bodies are encrypted at rest (Fernet: AES-128-CBC + HMAC)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

UNREADABLE = "（このメッセージは読めません：保存したときと鍵が違います）"


class Box:
    """Encrypts and decrypts text with the service's data key."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def seal(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, token: str) -> str:
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")

    def read(self, token: str) -> str:
        """For display: a message sealed with another key shows as unreadable instead of failing the view."""
        try:
            return self.open(token)
        except (InvalidToken, ValueError):
            return UNREADABLE
