"""The REST channel's speed-up keeps Rasa's validation of custom-action responses exactly as strict."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.channels import AkariRestInput, install_fast_action_validation


def test_the_channel_is_rasas_rest_channel_at_the_same_url():
    channel = AkariRestInput.from_credentials(None)
    assert channel.name() == "rest"


def test_responses_are_still_validated_after_the_speed_up():
    install_fast_action_validation()
    action = RemoteAction("action_triage", None)
    good = {"events": [{"event": "slot", "name": "age", "value": 16}], "responses": [{"text": "こんばんは"}]}
    assert action._validate_action_result(good)
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": [{"event": "no_such_event"}], "responses": "not a list"})
