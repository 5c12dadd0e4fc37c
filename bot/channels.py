"""Rasa's REST channel, unchanged on the wire (``/webhooks/rest/webhook``), that also removes a measured cost.

The load benchmark (bench/README.md) found 47 of a turn's 77 ms spent in Rasa re-checking its own JSON schema
for every custom-action response: ``jsonschema.validate`` validates the *schema* against the meta-schema on each
call before validating the response. :func:`install_fast_action_validation` builds that validator once, when the
server creates its channels (not at import), so every response is still validated against the same schema.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from rasa.core.channels.rest import RestInput

_DOCS = ("Failed to validate Action server response from API, make sure your response from the Action endpoint is "
         "valid. For more information about the format visit https://rasa.com/docs/rasa/custom-actions")


def install_fast_action_validation() -> None:
    """Validate custom-action responses with a validator built once (same schema, same errors raised)."""
    from jsonschema import ValidationError, validators
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction._validate_action_result, "akari_fast", False):
        return
    spec = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(spec)
    validator_class.check_schema(spec)
    validator = validator_class(spec)

    def validate_once_built(self: Any, result: Dict[str, Any]) -> bool:
        try:
            validator.validate(result)
            return True
        except ValidationError as error:
            error.message += f". {_DOCS}"
            raise

    validate_once_built.akari_fast = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = validate_once_built  # type: ignore[method-assign]


class AkariRestInput(RestInput):
    """The REST channel; the handoff service and `curl` use it exactly as Rasa's own."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> AkariRestInput:
        install_fast_action_validation()
        return cls()
