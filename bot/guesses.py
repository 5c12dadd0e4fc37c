"""When the words name a danger, a topic only the classifier guessed does not choose her lines.

The lines she is shown follow the triage concerns. On real words the classifier is
often confidently wrong about the topic, and its guess used to add that topic's lines
beside the danger the words named: a woman followed home was shown the pregnancy
hotline (docs/transcripts 27). Only topics whose lines would read as a mistake are
dropped; violence or a night without a roof stay, because their lines are never out of
place in danger. A wish to die only the classifier read stays too, unless the words
name an emergency of another kind: then its words would take the reply over (a woman
drugged in a hotel was told 「もし薬を飲んだり…」, transcript 29). The urgency is decided
before this and is not touched.
"""

from __future__ import annotations

from typing import Optional, Sequence

from bot.levels import EMERGENCY, HIGH, rank
from bot.lexicon_records import Hit
from bot.triage_result import Triage

OFF_TOPIC_WHEN_IN_DANGER = ("pregnancy", "host_club", "money", "toyoko")


def drop_unbacked(result: Triage, hits: Sequence[Hit], kept_topic: Optional[str] = None) -> None:
    """Remove classifier-only topics when a present danger of another kind is in the words."""
    named = {hit.signal.concern for hit in hits if hit.counts}
    if not any(hit.counts and rank(hit.signal.urgency) >= rank(HIGH) for hit in hits):
        return
    other_emergency = any(hit.counts and hit.signal.urgency == EMERGENCY and hit.signal.concern not in (None, "suicide_risk")
                          for hit in hits)
    guesses = OFF_TOPIC_WHEN_IN_DANGER + (("suicide_risk",) if other_emergency else ())
    for concern in guesses:
        if concern in result.concerns and concern not in named and concern != kept_topic:
            result.concerns.remove(concern)
