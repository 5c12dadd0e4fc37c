"""Evaluate the NLU model and the triage on a case file (SPEC §2).

    python -m bot.evaluate CASES.yml [--model bot/models] [--json FILE] [--plot FILE]

``--plot F`` writes the intent confusion matrix to F and the risk score's ROC and
precision-recall curves (against high/emergency truth) beside it, to F-roc.png.
Each case goes through the same trained model and the same :func:`bot.triage.triage`
the running bot uses. Case texts are never printed, only ids and labels.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

from bot.analysis import from_parse
from bot.levels import URGENCY_ORDER
from bot.triage import triage

HIGH_OR_ABOVE = {"high", "emergency"}
DEFAULT_MODEL_DIR = Path("bot/models")


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    intent: str
    urgency: str
    concerns: tuple
    handoff: bool


def load_cases(path: Path) -> List[Case]:
    """Read a case file; a malformed file is a clear error, not a crash deep inside."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise ValueError(f"{path}: expected a mapping with a 'cases' list")
    cases = []
    for raw in data["cases"]:
        missing = {"id", "text", "intent", "urgency"} - set(raw)
        if missing:
            raise ValueError(f"{path}: case {raw.get('id', '?')} lacks {sorted(missing)}")
        if raw["urgency"] not in URGENCY_ORDER:
            raise ValueError(f"{path}: case {raw['id']} has unknown urgency {raw['urgency']!r}")
        cases.append(Case(str(raw["id"]), str(raw["text"]), raw["intent"], raw["urgency"],
                          tuple(raw.get("concerns") or ()), bool(raw.get("handoff", raw["urgency"] in HIGH_OR_ABOVE))))
    return cases


def latest_model(model_dir: Path) -> Path:
    models = sorted(model_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise FileNotFoundError(f"no trained model in {model_dir}: run `make train`")
    return models[-1]


async def _parse_all(model: Path, texts: Sequence[str]) -> List[Dict[str, Any]]:
    from rasa.core.agent import Agent  # heavy imports: only when evaluating
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's debug lines would print message texts
    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def predict(cases: Sequence[Case], parses: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Per-case predictions: the triage of each parsed message."""
    rows = []
    for case, parse in zip(cases, parses, strict=False):
        ranking = parse.get("intent_ranking") or [parse.get("intent") or {}]
        result = triage(from_parse({**parse, "text": case.text}), ranking)  # the parse Rasa made at the door
        rows.append({
            "id": case.id, "intent": result.intent, "confidence": round(result.confidence, 4),
            "urgency": result.urgency, "concerns": result.concerns, "handoff": result.handoff,
            "factors": result.factors, "signals": result.signals, "risk": result.risk,
        })
    return rows


def _ratio(numerator: int, denominator: int) -> Optional[float]:
    return round(numerator / denominator, 4) if denominator else None


def summarize(cases: Sequence[Case], rows: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    """The SPEC §2 figures."""
    from sklearn.metrics import f1_score

    gold = [c.intent for c in cases]
    pred = [r["intent"] for r in rows]
    labels = sorted(set(gold))
    risky = [(c, r) for c, r in zip(cases, rows, strict=False) if c.urgency in HIGH_OR_ABOVE]
    emergencies = [(c, r) for c, r in zip(cases, rows, strict=False) if c.urgency == "emergency"]
    calm = [(c, r) for c, r in zip(cases, rows, strict=False) if c.urgency not in HIGH_OR_ABOVE]
    handoffs = [(c, r) for c, r in zip(cases, rows, strict=False) if c.handoff]
    concern_pairs = [(concern, r) for c, r in zip(cases, rows, strict=False) for concern in c.concerns]
    return {
        "cases": len(cases),
        "intent_accuracy": _ratio(sum(g == p for g, p in zip(gold, pred, strict=False)), len(cases)),
        "intent_macro_f1": round(float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)), 4),
        "urgency_accuracy": _ratio(sum(c.urgency == r["urgency"] for c, r in zip(cases, rows, strict=False)), len(cases)),
        "high_risk_recall": _ratio(sum(r["urgency"] in HIGH_OR_ABOVE for _, r in risky), len(risky)),
        "emergency_recall": _ratio(sum(r["urgency"] == "emergency" for _, r in emergencies), len(emergencies)),
        "false_alarm_rate": _ratio(sum(r["urgency"] in HIGH_OR_ABOVE for _, r in calm), len(calm)),
        "handoff_recall": _ratio(sum(r["handoff"] for _, r in handoffs), len(handoffs)),
        "concern_recall": _ratio(sum(concern in r["concerns"] for concern, r in concern_pairs), len(concern_pairs)),
        "risk_auc": risk_auc(cases, rows),
    }


def risk_auc(cases: Sequence[Case], rows: Sequence[Dict[str, Any]]) -> Optional[float]:
    """ROC AUC of ``risk`` against high/emergency truth; None when the file holds only one class."""
    from sklearn.metrics import roc_auc_score

    truth = [c.urgency in HIGH_OR_ABOVE for c in cases]
    if len(set(truth)) < 2:
        return None
    return round(float(roc_auc_score(truth, [r["risk"] for r in rows])), 4)


def roc_path(plot: Path) -> Path:
    """Where the ROC/PR figure goes: beside the confusion matrix (cm.png → cm-roc.png)."""
    return plot.with_name(f"{plot.stem}-roc.png")


def plot_risk_curves(cases: Sequence[Case], rows: Sequence[Dict[str, Any]], path: Path) -> None:
    """ROC and precision-recall curves of the risk score, with the operating threshold marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import PrecisionRecallDisplay, RocCurveDisplay

    from bot.risk import load_model

    truth = [c.urgency in HIGH_OR_ABOVE for c in cases]
    scores = [r["risk"] for r in rows]
    fig, (roc_ax, pr_ax) = plt.subplots(1, 2, figsize=(11, 5))
    if len(set(truth)) == 2:
        RocCurveDisplay.from_predictions(truth, scores, ax=roc_ax, name="risk")
        PrecisionRecallDisplay.from_predictions(truth, scores, ax=pr_ax, name="risk")
        flagged = [s >= load_model().threshold for s in scores]
        tpr = sum(f and t for f, t in zip(flagged, truth, strict=True)) / max(sum(truth), 1)
        fpr = sum(f and not t for f, t in zip(flagged, truth, strict=True)) / max(len(truth) - sum(truth), 1)
        roc_ax.plot([fpr], [tpr], "o", color="red", label=f"threshold {load_model().threshold:.3f}")
        roc_ax.legend(loc="lower right")
    roc_ax.set_title("risk: ROC (high/emergency)")
    pr_ax.set_title("risk: precision-recall")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)


def per_intent_table(cases: Sequence[Case], rows: Sequence[Dict[str, Any]]) -> str:
    from sklearn.metrics import precision_recall_fscore_support

    gold = [c.intent for c in cases]
    pred = [r["intent"] for r in rows]
    labels = sorted(set(gold))
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    lines = [f"{'intent':<20} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>4}"]
    lines += [f"{label:<20} {p[i]:6.2f} {r[i]:6.2f} {f[i]:6.2f} {s[i]:4d}" for i, label in enumerate(labels)]
    return "\n".join(lines)


def plot_confusion(cases: Sequence[Case], rows: Sequence[Dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    labels = sorted({c.intent for c in cases} | {r["intent"] for r in rows})
    fig, ax = plt.subplots(figsize=(11, 10))
    ConfusionMatrixDisplay.from_predictions(
        [c.intent for c in cases], [r["intent"] for r in rows], labels=labels, ax=ax,
        xticks_rotation="vertical", colorbar=False,
    )
    ax.set_title("Akari intent confusion matrix")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)


def report(summary: Dict[str, Any], table: str, misses: List[str]) -> str:
    lines = ["Akari evaluation", "================"]
    lines += [f"{key:<18} {value}" for key, value in summary.items()]
    lines += ["", table]
    if misses:
        lines += ["", "high-risk cases predicted below high: " + ", ".join(misses)]
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate intents and triage on a case file (SPEC §2).")
    parser.add_argument("cases", type=Path)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR, help="a model file or the models folder")
    parser.add_argument("--json", type=Path, help="write summary and per-case predictions here")
    parser.add_argument("--plot", type=Path, help="write a confusion-matrix PNG here (and the risk ROC/PR beside it)")
    args = parser.parse_args(argv)
    logging.getLogger().setLevel(logging.ERROR)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        cases = load_cases(args.cases)
        model = args.model if args.model.is_file() else latest_model(args.model)
    except (OSError, ValueError, yaml.YAMLError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    parses = asyncio.run(_parse_all(model, [c.text for c in cases]))
    rows = predict(cases, parses)
    summary = summarize(cases, rows)
    misses = [c.id for c, r in zip(cases, rows, strict=False) if c.urgency in HIGH_OR_ABOVE and r["urgency"] not in HIGH_OR_ABOVE]
    print(report(summary, per_intent_table(cases, rows), misses))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": summary, "cases": rows}, ensure_ascii=False, indent=1), "utf-8")
    if args.plot:
        plot_confusion(cases, rows, args.plot)
        plot_risk_curves(cases, rows, roc_path(args.plot))
    return 0


if __name__ == "__main__":
    sys.exit(main())
