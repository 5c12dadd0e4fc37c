"""Who answers (SPEC §3, corrected) as pure functions."""

from handoff.routing import after_triage, asks_bot, reopens
from handoff.store import merged_concerns


def test_a_handoff_moves_the_conversation_from_the_bot_to_the_queue_and_the_bot_still_answers():
    outcome = after_triage("bot", {"urgency": "high", "handoff": True})
    assert (outcome.state, outcome.enqueue, outcome.forward_bot_texts) == ("waiting", True, True)


def test_while_waiting_the_bot_keeps_the_conversation_going_and_her_place_can_rise():
    for urgency in ("low", "medium", "emergency"):
        outcome = after_triage("waiting", {"urgency": urgency, "handoff": urgency == "emergency"})
        assert outcome.forward_bot_texts and outcome.enqueue and outcome.state == "waiting"


def test_while_a_human_holds_it_the_bot_never_speaks():
    outcome = after_triage("human", {"urgency": "emergency", "handoff": True})
    assert outcome.state == "human" and not outcome.forward_bot_texts and not outcome.enqueue
    assert not asks_bot("human")


def test_writing_after_a_close_reopens_with_the_bot():
    assert reopens("closed") and asks_bot("closed") and not reopens("waiting")


def test_concerns_accumulate_in_order():
    assert merged_concerns(["pregnancy"], ["minor", "pregnancy"]) == ["pregnancy", "minor"]
