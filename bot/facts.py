"""Facts that change (prices, laws, the pharmacy list), read from ``facts.yml`` with their sources.

Replies name a fact as ``{id}``; the sentence lives in one sourced file with the
date it was checked, as the support directory does for numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

FACTS_PATH = Path(__file__).resolve().parent / "facts.yml"


@dataclass(frozen=True)
class Fact:
    """One checked statement, as the bot says it, and where it was read."""

    id: str
    say: str
    source_urls: Tuple[str, ...]
    checked: str
    note: str = ""

    @property
    def sourced(self) -> bool:
        return bool(self.source_urls)


@lru_cache(maxsize=2)
def load(path: Path = FACTS_PATH) -> Dict[str, Fact]:
    """All facts by id (read once per process)."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {
        e["id"]: Fact(e["id"], e["say"].strip(), tuple(e.get("source_urls") or ()), str(e["checked"]), e.get("note", ""))
        for e in entries
    }


def sayings() -> Dict[str, str]:
    """Fact id → the sentence, for filling ``{id}`` in replies."""
    return {fact_id: fact.say for fact_id, fact in load().items()}


def unsourced() -> List[str]:
    """Ids of facts without a found source (flagged in the file, listed here for review)."""
    return [fact_id for fact_id, fact in load().items() if not fact.sourced]
