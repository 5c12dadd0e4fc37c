"""Averaging the intent rankings of several DIET runs (issue #6: one run's guesses on real words move a lot).

Two DIET classifiers trained on the same data with different seeds agree on the words they were trained on
and disagree on words nobody here wrote: one run reads a calm story as suicidal at 0.99, another as
``mental_distress``. The mean of their rankings is steadier and keeps the doubt in the confidence, so the
risk score (bot/risk.py) sees it. In the pipeline each DIET is followed by :class:`KeepRanking`, which puts
its ranking aside, and the last by :class:`AverageRankings`, which writes the mean as the message's intent.
Nothing is trained here.
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

KEPT = "akari_rankings"  # rankings put aside so far, in pipeline order (not sent out)


def mean_ranking(rankings: Sequence[Sequence[Dict[str, Any]]]) -> List[Dict[str, Any]]:
    """The mean confidence of every intent over the rankings (an intent a run left out counts 0), best first."""
    totals: Dict[str, float] = {}
    for ranking in rankings:
        for item in ranking:
            name = item.get("name")
            if name:
                totals[name] = totals.get(name, 0.0) + float(item.get("confidence") or 0.0)
    runs = max(len(rankings), 1)
    ordered = sorted(totals.items(), key=lambda pair: (-pair[1], pair[0]))
    return [{"name": name, "confidence": total / runs} for name, total in ordered]


class _NoTraining(GraphComponent):
    """Shared plumbing: created from config, passes training data through untouched."""

    @classmethod
    def create(
        cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> _NoTraining:
        return cls()

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {}

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class KeepRanking(_NoTraining):
    """Puts the ranking the classifier before it wrote aside, so the next run cannot overwrite it."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            ranking = message.get(INTENT_RANKING_KEY) or []
            message.set(KEPT, [*(message.get(KEPT) or []), ranking])
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class AverageRankings(_NoTraining):
    """Writes the mean of every kept ranking and the last classifier's as the message's intent and ranking."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            rankings = [*(message.get(KEPT) or []), message.get(INTENT_RANKING_KEY) or []]
            ranking = mean_ranking([r for r in rankings if r])
            if ranking:
                message.set(INTENT, ranking[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


__all__ = ["AverageRankings", "KeepRanking", "mean_ranking"]
