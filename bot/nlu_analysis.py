"""A Rasa NLU component that keeps GiNZA's analysis of each message in the parse data (issue #6).

SpacyNLP has already tokenised the message with GiNZA (SudachiPy); this component adds the dependency
parse to that same doc and stores the tokens under ``akari_analysis``, which reaches the action server in
the tracker's ``latest_message``. Triage then reads it with :func:`bot.analysis.from_parse`: one GiNZA pass
per message, at the door. Nothing is trained.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.analysis import PARSE_KEY, wire


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False, model_from="SpacyNLP"
)
class MessageAnalyser(GraphComponent):
    """Adds ``akari_analysis`` (tokens, normalized forms, dependencies) to every parsed message."""

    @classmethod
    def create(
        cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageAnalyser:
        return cls()

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {}

    def process_training_data(self, training_data: TrainingData, model: Optional[SpacyModel] = None) -> TrainingData:
        """Training needs no parse: the classifier does not read it."""
        return training_data

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is not None:
                message.set(PARSE_KEY, wire(model.model, doc), add_to_output=True)
        return messages
