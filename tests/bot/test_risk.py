"""The calibrated risk score (bot/risk.py): what it adds to triage and what it may never take away."""

from __future__ import annotations

import json

import pytest

from bot import risk
from bot.triage import Context, triage


def ranking(intent, confidence=0.9, second=None):
    items = [{"name": intent, "confidence": confidence}]
    if second:
        items.append({"name": second[0], "confidence": second[1]})
    return items


def fixed_model(margin: float) -> risk.Model:
    """A model that gives every message the same score: sigmoid(margin)."""
    return risk.Model(coef=(0.0,) * len(risk.FEATURES), intercept=margin, platt=(1.0, 0.0), threshold=0.5)


@pytest.fixture
def always(monkeypatch):
    """Swap the fitted model for one that scores everything ``margin`` (large negative = calm)."""
    def use(margin: float) -> None:
        monkeypatch.setattr(risk, "load_model", lambda path=risk.MODEL_PATH: fixed_model(margin))
    return use


def test_every_triage_carries_a_probability():
    for text, intent in [("こんばんは", "greet"), ("しにたい", "suicidal_ideation"), ("売掛が払えない", "host_club_trouble")]:
        result = triage(text, ranking(intent))
        assert 0.0 <= result.risk <= 1.0
        assert result.as_payload()["risk"] == result.risk


def test_a_crisis_scores_above_calm_messages():
    crisis = triage("薬ぜんぶ飲んだ、いまから飛び降りる", ranking("suicidal_ideation", 0.95))
    ideation = triage("消えたい。毎日そればっかり考えてる", ranking("suicidal_ideation", 0.8))
    calm = triage("こんばんは、はじめまして", ranking("greet", 0.95))
    money = triage("家賃が払えなくて困ってます", ranking("money_trouble", 0.9))
    threshold = risk.load_model().threshold
    # risk is P(high or emergency): a plain emergency and a plain wish to die are both likely (the calibration is
    # fitted on 25 % of the written examples and shrinks the ends)
    assert min(crisis.risk, ideation.risk) > threshold > max(calm.risk, money.risk)
    assert min(crisis.risk, ideation.risk) > 0.75 and max(calm.risk, money.risk) < 0.3


def test_the_lexicon_is_a_floor_the_score_cannot_lower(always):
    always(-50.0)  # the score says "calm" for everything
    assert triage("しにたい", ranking("suicidal_ideation")).urgency == "high"
    assert triage("薬ぜんぶ飲んだ", ranking("suicidal_ideation")).urgency == "emergency"
    assert triage("彼氏に殴られてる", ranking("domestic_violence")).urgency in ("high", "emergency")


def test_a_high_score_raises_real_trouble_but_not_a_greeting_or_a_joke(always):
    always(50.0)  # the score says "risky" for everything
    assert triage("売掛が80万あって払えない", ranking("host_club_trouble")).urgency == "high"
    assert triage("こんばんは", ranking("greet")).urgency == "low"
    assert triage("推しが尊すぎて死ぬ", ranking("out_of_scope")).urgency == "low"


def test_a_raised_message_goes_to_a_person(always):
    always(50.0)
    result = triage("売掛が80万あって払えない", ranking("host_club_trouble"))
    assert result.handoff


def test_below_the_threshold_the_rules_decide(always):
    always(-50.0)
    assert triage("売掛が80万あって払えない", ranking("host_club_trouble")).urgency == "medium"


@pytest.mark.parametrize("rule, floor, score, expected", [
    ("emergency", "low", 0.0, "emergency"),
    ("high", "high", 0.0, "high"),
    ("high", "low", 0.0, "high"),
    ("medium", "low", 0.9, "high"),
    ("medium", "low", 0.1, "medium"),
    ("low", "low", 0.99, "low"),
])
def test_decide(rule, floor, score, expected):
    assert risk.decide(rule, floor, score, threshold=0.5) == expected


def test_context_counts_means_named_earlier():
    """The same short reply scores higher after a turn that named means than in a calm conversation."""
    after = Context(max_urgency="high", concerns=("suicide_risk",), previous_concerns=("suicide_risk",),
                    recent_signals=("means_named",))
    assert triage("うん", ranking("affirm"), after).risk > triage("うん", ranking("affirm")).risk


def test_features_line_up_with_the_fitted_weights():
    result = triage("昨日ゴム破れた、16歳", ranking("pregnancy_worry"), score_risk=False)
    vector = risk.features(ranking("pregnancy_worry"), result, Context(), "high")
    assert len(vector) == len(risk.FEATURES) == len(risk.load_model().coef)
    assert vector[risk.FEATURES.index("age_under_18")] == 1.0
    assert vector[risk.FEATURES.index("signal:ec_window")] == 1.0


def test_a_model_fitted_on_other_features_is_refused(tmp_path):
    data = json.loads(risk.MODEL_PATH.read_text())
    data["features"] = data["features"][:-1]
    stale = tmp_path / "model.json"
    stale.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="other features"):
        risk.load_model.__wrapped__(stale)


def test_the_committed_model_records_how_its_threshold_was_chosen():
    data = json.loads(risk.MODEL_PATH.read_text())
    assert 0.0 < data["threshold"] < 1.0
    assert "tests/cases/real/dev.yml" in " ".join(data["threshold_chosen_on"])
    # only lockboxes already run and retired (tests/cases/real/README.md) may choose it; never a sealed one
    retired = {"tests/cases/real/lockbox.yml", "tests/cases/real/lockbox2.yml"}
    assert all(path in retired for path in data["threshold_chosen_on"] if "lockbox" in path)
