"""`python -m bot.evaluate` with the trained model: the report, the JSON and the figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.evaluate import Case, load_cases, risk_auc, roc_path

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "cases" / "heldout.yml"
SUMMARY_KEYS = {
    "intent_accuracy", "intent_macro_f1", "urgency_accuracy", "high_risk_recall", "emergency_recall",
    "false_alarm_rate", "handoff_recall", "concern_recall", "risk_auc",
}

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def heldout_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("evaluate")
    completed = subprocess.run(
        [sys.executable, "-m", "bot.evaluate", str(HELDOUT), "--json", str(out / "r.json"), "--plot", str(out / "cm.png")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout, json.loads((out / "r.json").read_text()), out / "cm.png"


def _case(urgency: str) -> Case:
    return Case("x", "text", "greet", urgency, (), urgency in ("high", "emergency"))


def test_json_has_the_spec_summary_and_one_row_per_case(heldout_run):
    _, result, _ = heldout_run
    assert SUMMARY_KEYS <= set(result["summary"])
    assert len(result["cases"]) == len(load_cases(HELDOUT))
    row = result["cases"][0]
    assert {"id", "intent", "confidence", "urgency", "concerns", "handoff", "factors", "risk"} <= set(row)
    assert all(0.0 <= r["risk"] <= 1.0 for r in result["cases"])


def test_report_and_confusion_matrix(heldout_run):
    report, _, png = heldout_run
    assert "intent_macro_f1" in report and "high_risk_recall" in report
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert roc_path(png).name == "cm-roc.png"
    assert roc_path(png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_never_prints_message_texts(heldout_run):
    report, _, _ = heldout_run
    for case in load_cases(HELDOUT)[:50]:
        assert case.text not in report


def test_heldout_meets_the_bar(heldout_run):
    _, result, _ = heldout_run
    summary = result["summary"]
    assert summary["intent_macro_f1"] >= 0.85
    assert summary["high_risk_recall"] >= 0.95
    assert summary["false_alarm_rate"] <= 0.15
    assert 0.0 <= summary["risk_auc"] <= 1.0
    assert summary["risk_auc"] >= 0.9  # heldout is written like the training data: the score must rank it well


def test_risk_auc_counts_how_well_the_score_ranks_risky_cases():
    cases = [_case("low"), _case("medium"), _case("high"), _case("emergency")]
    assert risk_auc(cases, [{"risk": r} for r in (0.1, 0.2, 0.8, 0.9)]) == 1.0
    assert risk_auc(cases, [{"risk": r} for r in (0.9, 0.8, 0.2, 0.1)]) == 0.0
    assert risk_auc(cases[:2], [{"risk": 0.1}, {"risk": 0.2}]) is None  # one class only: no AUC


def test_a_malformed_case_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("cases:\n  - id: x\n    text: hi\n")
    completed = subprocess.run([sys.executable, "-m", "bot.evaluate", str(bad)], cwd=ROOT, capture_output=True,
                               text=True, timeout=120)
    assert completed.returncode == 2
    assert "lacks" in completed.stderr


def test_every_real_case_file_loads_with_unique_ids_and_a_source():
    folder = Path(__file__).resolve().parents[1] / "cases" / "real"
    ids = []
    for path in sorted(folder.glob("*.yml")):
        cases = load_cases(path)
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        assert len(cases) == len(raw) > 0
        assert all(str(item.get("source_url", "")).startswith("http") for item in raw), path.name
        ids += [case.id for case in cases]
    assert len(ids) == len(set(ids))
