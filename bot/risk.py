"""The calibrated risk score (SPEC §2 ``risk``): P(this message, in its conversation, is high or emergency).

A small logistic regression, Platt-calibrated, over what triage already knows: the
classifier's intent ranking, the signal codes, the concerns, the rule-based level, the
lexicon floor and the conversation context. Its weights live in ``bot/risk_model.json``
(fitted by ``scripts/fit_risk.py`` on examples in ``bot/data/risk/``; see docs/risk.md).

Urgency then follows from the score at the threshold chosen on the dev case files: the score
can only raise a ``medium`` message to ``high``; it never lowers what the rules found (the
lexicon is a floor) and never lifts a message the rules read as ``low``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Sequence, Tuple

from bot import signals as sig
from bot.levels import EMERGENCY, HIGH, LOW, MEDIUM, rank

if TYPE_CHECKING:  # triage imports this module; only the types are needed here
    from bot.triage import Context, Triage

MODEL_PATH = Path(__file__).resolve().parent / "risk_model.json"

INTENTS: Tuple[str, ...] = (
    "greet", "goodbye", "affirm", "deny", "thank", "request_human", "pregnancy_worry", "domestic_violence",
    "sexual_violence", "host_club_trouble", "toyoko_youth", "no_place_to_stay", "suicidal_ideation",
    "mental_distress", "money_trouble", "out_of_scope",
)
CONCERNS: Tuple[str, ...] = (
    "pregnancy", "domestic_violence", "sexual_violence", "host_club", "toyoko",
    "no_place_to_stay", "suicide_risk", "mental_distress", "money", "minor",
)
_RISKY_SIGNALS = frozenset({
    sig.MEANS_NAMED, sig.OVERDOSE_TAKEN, sig.DANGER_NOW, sig.FOLLOWED, sig.DANGEROUS_PLACE, sig.ASSAULT_RECENT,
    sig.BODY_EMERGENCY, sig.SUICIDE_PLAN, sig.COERCION, sig.THIRD_PARTY, sig.NO_PLACE_TONIGHT, sig.DRUGGED,
})

FEATURES: Tuple[str, ...] = (
    tuple(f"intent:{name}" for name in INTENTS)
    + ("top_confidence", "margin")
    + tuple(f"signal:{code}" for code in sig.ALL)
    + tuple(f"concern:{name}" for name in CONCERNS)
    + ("rule:medium", "rule:high", "rule:emergency", "floor:high", "n_concerns")
    + ("ctx:max_urgency", "ctx:risky_recent", "ctx:previous_concerns")
    + ("age_under_18", "hours_known")
)


def features(ranking: Sequence[dict], result: Triage, context: Context, floor: str) -> List[float]:
    """The feature vector, in the order of :data:`FEATURES`; ``floor`` is the classifier-free level."""
    confidences: Dict[str, float] = {}
    for item in ranking:
        name = item.get("name")
        if name in INTENTS and name not in confidences:
            confidences[name] = float(item.get("confidence") or 0.0)
    ordered = sorted(confidences.values(), reverse=True) + [0.0, 0.0]
    age = result.age if result.age is not None else context.age
    return (
        [confidences.get(name, 0.0) for name in INTENTS]
        + [ordered[0], ordered[0] - ordered[1]]
        + [float(code in result.signals) for code in sig.ALL]
        + [float(name in result.concerns) for name in CONCERNS]
        + [float(result.urgency == level) for level in (MEDIUM, HIGH, EMERGENCY)]
        + [float(rank(floor) >= rank(HIGH)), min(len(result.concerns), 4) / 4]
        + [rank(context.max_urgency) / 3, float(bool(_RISKY_SIGNALS & set(context.recent_signals))),
           float(bool(context.previous_concerns))]
        + [float(age is not None and age < 18), float(result.hours_since_event is not None)]
    )


@dataclass(frozen=True)
class Model:
    """Weights of the logistic regression, the Platt calibration and the chosen threshold."""

    coef: Tuple[float, ...]
    intercept: float
    platt: Tuple[float, float]  # calibrated = sigmoid(a * margin + b)
    threshold: float

    def probability(self, vector: Sequence[float]) -> float:
        margin = self.intercept + sum(w * x for w, x in zip(self.coef, vector, strict=True))
        a, b = self.platt
        return _sigmoid(a * margin + b)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> Model:
    """Read the fitted weights once; a model fitted on other features is refused loudly."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path} was fitted on other features: run scripts/fit_risk.py fit")
    return Model(tuple(data["coef"]), float(data["intercept"]), tuple(data["platt"]), float(data["threshold"]))


def decide(rule_level: str, floor: str, risk: float, threshold: float, settled: bool = False) -> str:
    """Urgency from the score: at or above the threshold a ``medium`` message becomes ``high``.

    The score only adds: on the real dev messages, letting it lower a ``high`` lost more recall than it saved
    false alarms (docs/risk.md). An emergency, whatever the rules reach (``floor``, the lexicon among them) and
    a ``low`` the rules read as a greeting, an information question or figurative speech stay as they are.
    When the rules read something she said about her safety (``settled``: a safe place tonight, housing trouble
    that is not tonight, a risk denied or told as history) the score does not overrule her words.
    """
    level = HIGH if rule_level == MEDIUM and risk >= threshold and not settled else rule_level
    return level if rank(level) >= rank(floor) else floor


def score(ranking: Sequence[dict], result: Triage, context: Context, floor: str) -> float:
    """The calibrated probability that the message is high or emergency."""
    return load_model().probability(features(ranking, result, context, floor))


__all__ = ["FEATURES", "LOW", "Model", "decide", "features", "load_model", "score"]
