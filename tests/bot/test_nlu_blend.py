"""The n-gram intent reader blended with DIET (bot/nlu_blend.py): the same numbers scikit-learn gives, stored
without pickle, and a blend in which neither reader alone decides a close call."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.nlu_blend import NgramIntentBlender, NgramModel, blend
from bot.textnorm import normalize

EXAMPLES = [
    ("生理こない、妊娠してたらどうしよう", "pregnancy_worry"), ("ゴムやぶれた…", "pregnancy_worry"),
    ("検査薬って いつ使えばいいの", "pregnancy_worry"), ("彼氏に殴られた", "domestic_violence"),
    ("旦那が怒鳴って物なげる", "domestic_violence"), ("彼がこわい、スマホ全部見られる", "domestic_violence"),
    ("こんばんは", "greet"), ("はじめまして", "greet"), ("やっほー", "greet"),
]
TEXTS = ["妊娠したかも", "殴られて  こわい\n\nたすけて", "ＡＢＣ", "", "🥺", "こんばんは。生理が遅れてて"]


@pytest.fixture(scope="module")
def model() -> NgramModel:
    return NgramModel.fit([t for t, _ in EXAMPLES], [i for _, i in EXAMPLES], c=30.0, max_n=4, min_df=1)


def test_probabilities_are_scikit_learns(model):
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 4), sublinear_tf=True, min_df=1)
    x = vectorizer.fit_transform([normalize(t) for t, _ in EXAMPLES])
    lr = LogisticRegression(C=30.0, max_iter=3000, class_weight="balanced").fit(x, [i for _, i in EXAMPLES])
    for text in TEXTS:
        expected = dict(zip(lr.classes_, lr.predict_proba(vectorizer.transform([normalize(text)]))[0], strict=True))
        got = model.probabilities(text)
        assert got.keys() == expected.keys()
        assert max(abs(got[k] - expected[k]) for k in got) < 1e-9, text


def test_it_reads_the_topic_of_words_it_was_taught(model):
    assert max(model.probabilities("彼氏に殴られた").items(), key=lambda kv: kv[1])[0] == "domestic_violence"
    assert abs(sum(model.probabilities("").values()) - 1.0) < 1e-9  # no known n-gram: the priors, still a ranking


def test_blend_weights_both_readings_and_counts_an_intent_diet_left_out_as_zero():
    diet = [{"name": "mental_distress", "confidence": 0.9}, {"name": "greet", "confidence": 0.1}]
    ngram = {"suicidal_ideation": 0.6, "mental_distress": 0.3, "greet": 0.1}
    ranking = blend(diet, ngram, diet_weight=0.3)
    assert [r["name"] for r in ranking] == ["mental_distress", "suicidal_ideation", "greet"]
    assert ranking[0]["confidence"] == pytest.approx(0.3 * 0.9 + 0.7 * 0.3)
    assert ranking[1]["confidence"] == pytest.approx(0.7 * 0.6)  # not in DIET's list: DIET's share is 0
    assert blend(diet, ngram, diet_weight=1.0)[0]["confidence"] == pytest.approx(0.9)


def _component(tmp_path, config=None) -> tuple:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("ngram_blend")
    context = ExecutionContext(GraphSchema({}), node_name="ngram_blend")
    return storage, resource, context, NgramIntentBlender.create(config or {"min_df": 1}, storage, resource, context)


def test_trained_component_is_stored_without_pickle_and_loads_to_the_same_ranking(tmp_path):
    storage, resource, context, component = _component(tmp_path)
    component.train(TrainingData([Message(data={"text": t, "intent": i}) for t, i in EXAMPLES]))
    with storage.read_from(resource) as folder:
        with np.load(folder / "ngram_model.npz", allow_pickle=False) as arrays:  # would raise on pickled objects
            assert set(arrays.files) == {"idf", "coef", "intercept"}
    loaded = NgramIntentBlender.load({"min_df": 1}, storage, resource, context)
    diet = [{"name": "greet", "confidence": 0.55}, {"name": "pregnancy_worry", "confidence": 0.45}]
    message = Message(data={"text": "生理こないし妊娠してるかも", "intent": diet[0], "intent_ranking": diet})
    loaded.process([message])
    assert message.get("intent")["name"] == "pregnancy_worry"  # DIET's close call, settled by the n-grams
    assert message.get("intent_ranking")[0] == message.get("intent")
    assert message.get("intent_ranking") == blend(diet, component.model.probabilities(message.get("text")), 0.3)


def test_a_model_without_the_ngram_part_still_answers_with_diets_ranking(tmp_path):
    storage, resource, context, _ = _component(tmp_path)
    loaded = NgramIntentBlender.load({}, storage, resource, context)  # nothing was ever trained here
    diet = [{"name": "greet", "confidence": 0.8}]
    message = Message(data={"text": "こんばんは", "intent": diet[0], "intent_ranking": diet})
    loaded.process([message])
    assert message.get("intent_ranking") == diet
