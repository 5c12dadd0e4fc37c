"""`python -m bot.evaluate` with the trained model: the report, the JSON and the figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.evaluate import load_cases

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "cases" / "heldout.yml"
SUMMARY_KEYS = {
    "intent_accuracy", "intent_macro_f1", "urgency_accuracy", "high_risk_recall", "emergency_recall",
    "false_alarm_rate", "handoff_recall", "concern_recall",
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


def test_json_has_the_spec_summary_and_one_row_per_case(heldout_run):
    _, result, _ = heldout_run
    assert SUMMARY_KEYS <= set(result["summary"])
    assert len(result["cases"]) == len(load_cases(HELDOUT))
    row = result["cases"][0]
    assert {"id", "intent", "confidence", "urgency", "concerns", "handoff", "factors"} <= set(row)


def test_report_and_confusion_matrix(heldout_run):
    report, _, png = heldout_run
    assert "intent_macro_f1" in report and "high_risk_recall" in report
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


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


def test_a_malformed_case_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("cases:\n  - id: x\n    text: hi\n")
    completed = subprocess.run([sys.executable, "-m", "bot.evaluate", str(bad)], cwd=ROOT, capture_output=True,
                               text=True, timeout=120)
    assert completed.returncode == 2
    assert "lacks" in completed.stderr
