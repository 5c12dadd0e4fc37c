"""What the bot says about a person coming, from what the handoff service reports (SPEC §3).

Pure (no rasa-sdk): the handoff service sends Rasa REST metadata ``akari`` with
every message; this module reads it and decides the honest notice on the turn
she is handed off. The handoff service adds nothing of its own, so this is the
only place she hears whether a counselor is coming.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional

from bot.compose import NOTICE, Step

# The handoff notice given this conversation (slot ``handoff_notice``).
NOTICE_NO_COUNSELOR, NOTICE_CALLED, NOTICE_UNKNOWN = "no_counselor", "called", "unknown"
MIN_WAIT_MINUTES = 5
MINUTES_PER_CONVERSATION = 10


@dataclass(frozen=True)
class Handoff:
    """What the handoff service says about the conversation (Rasa REST metadata ``akari``).

    Without metadata (rasa shell, test stories) the state is "bot" and the
    number of counselors unknown: the bot then says a person will read it, with
    no wait figure.
    """

    state: str = "bot"
    counselors: Optional[int] = None
    queue_ahead: int = 0
    noticed: Optional[str] = None  # the notice already given this conversation, if any

    @classmethod
    def from_metadata(cls, akari: Mapping[str, Any], noticed: Optional[str] = None) -> Handoff:
        counselors = akari.get("counselors_on_duty")
        return cls(
            state=str(akari.get("state") or "bot"),
            counselors=int(counselors) if isinstance(counselors, (int, float)) else None,
            queue_ahead=int(akari.get("queue_ahead") or 0),
            noticed=noticed,
        )

    @property
    def nobody_on_duty(self) -> bool:
        return self.counselors is not None and self.counselors <= 0


NO_METADATA = Handoff()


def wait_minutes(queue_ahead: int, counselors: int) -> int:
    """A rough wait: ten minutes per conversation per counselor, never under five."""
    return max(MIN_WAIT_MINUTES, round((queue_ahead + 1) * MINUTES_PER_CONVERSATION / counselors))


def handoff_notice(handoff: Handoff) -> Optional[Step]:
    """The honest notice on the turn she is handed off (only while the bot has the conversation).

    No counselor on duty: said once per conversation, with the lines open now;
    she is never told to wait for a person. While waiting, nothing is repeated.
    """
    if handoff.state != "bot":
        return None
    if handoff.counselors is None:
        return None if handoff.noticed else Step(NOTICE, "utter_notice_person_will_read")
    if handoff.nobody_on_duty:
        return None if handoff.noticed == NOTICE_NO_COUNSELOR else Step(NOTICE, "utter_notice_no_counselor")
    minutes = wait_minutes(handoff.queue_ahead, handoff.counselors)
    return Step(NOTICE, "utter_notice_called", (("minutes", minutes),))


def notice_given(step: Optional[Step]) -> Optional[str]:
    """The slot value recording which notice a step gives."""
    kinds = {
        "utter_notice_no_counselor": NOTICE_NO_COUNSELOR,
        "utter_notice_called": NOTICE_CALLED,
        "utter_notice_person_will_read": NOTICE_UNKNOWN,
    }
    return kinds.get(step.response) if step else None
