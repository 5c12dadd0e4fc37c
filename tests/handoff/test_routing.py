"""The state machine of SPEC §3 as pure functions."""

from handoff.routing import after_triage, higher, merged_concerns


def test_a_handoff_moves_the_conversation_from_the_bot_to_the_queue():
    outcome = after_triage("bot", {"urgency": "high", "handoff": True})
    assert (outcome.state, outcome.enqueue, outcome.forward_bot_texts) == ("waiting", True, True)


def test_while_waiting_the_bot_is_quiet_except_for_safety_messages():
    assert not after_triage("waiting", {"urgency": "medium", "handoff": False}).forward_bot_texts
    assert after_triage("waiting", {"urgency": "emergency", "handoff": True}).forward_bot_texts
    assert after_triage("waiting", {"urgency": "low"}).enqueue  # still triaged, place can rise


def test_while_a_human_holds_it_the_bot_never_speaks():
    outcome = after_triage("human", {"urgency": "emergency", "handoff": True})
    assert outcome.state == "human" and not outcome.forward_bot_texts


def test_urgency_never_drops():
    assert higher("emergency", "low") == "emergency"
    assert higher("medium", "high") == "high"


def test_concerns_accumulate_in_order():
    assert merged_concerns(["pregnancy"], ["minor", "pregnancy"]) == ["pregnancy", "minor"]
