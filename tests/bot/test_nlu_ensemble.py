"""The mean of several DIET runs' rankings (bot/nlu_ensemble.py)."""

import pytest

from bot.nlu_ensemble import mean_ranking


def test_two_runs_that_disagree_leave_the_doubt_in_the_confidence():
    calm = [{"name": "mental_distress", "confidence": 0.9}, {"name": "suicidal_ideation", "confidence": 0.1}]
    alarmed = [{"name": "suicidal_ideation", "confidence": 0.99}, {"name": "mental_distress", "confidence": 0.01}]
    ranking = mean_ranking([calm, alarmed])
    assert [r["name"] for r in ranking] == ["suicidal_ideation", "mental_distress"]
    assert ranking[0]["confidence"] == pytest.approx(0.545)


def test_an_intent_a_run_left_out_counts_as_zero():
    ranking = mean_ranking([[{"name": "greet", "confidence": 1.0}], [{"name": "thank", "confidence": 1.0}],
                            [{"name": "greet", "confidence": 1.0}]])
    assert ranking[0] == {"name": "greet", "confidence": pytest.approx(2 / 3)}
    assert ranking[1] == {"name": "thank", "confidence": pytest.approx(1 / 3)}


def test_no_rankings_give_no_intent():
    assert mean_ranking([]) == []
