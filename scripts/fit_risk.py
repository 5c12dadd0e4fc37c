"""Fit the calibrated risk score (bot/risk.py) and choose its threshold.

    PYTHONPATH=. .venv/bin/python scripts/fit_risk.py cache FILE.yml... --out CACHE.json
    PYTHONPATH=. .venv/bin/python scripts/fit_risk.py fit
    PYTHONPATH=. .venv/bin/python scripts/fit_risk.py threshold tests/cases/real/dev.yml tests/cases/dev.yml

``cache`` runs the trained Rasa model once over case-format files and keeps each text's
intent ranking (keyed by a hash of the text) so fitting never needs Rasa. ``fit`` trains a
logistic regression on the examples in bot/data/risk/ (written for this purpose, never
copied from a case file), calibrates it (Platt) on a held part of them and writes
bot/risk_model.json. ``threshold`` picks the lowest-false-alarm threshold that keeps
high-risk recall at the target on the dev case files. Texts are never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import math
import os
import sys
from functools import cache
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TRAIN_DIR = ROOT / "bot" / "data" / "risk"
TRAIN_CACHE = TRAIN_DIR / "rankings.json"
CASE_CACHE = ROOT / "results" / "risk_case_rankings.json"
MODEL_PATH = ROOT / "bot" / "risk_model.json"
SEED = 20261130


def text_key(text: str) -> str:
    """A stable key for a text's cached ranking (the cache never needs the text itself)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def load_examples(paths: Sequence[Path]) -> List[dict]:
    """Examples in case format (``cases`` list with text and urgency; optional ``context``)."""
    examples: List[dict] = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        examples += data["cases"]
    return examples


async def parse_rankings(texts: Sequence[str]) -> List[list]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    from bot.evaluate import latest_model

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(latest_model(ROOT / "bot" / "models")))
    rankings = []
    for text in texts:
        parsed = await agent.parse_message(text)
        rankings.append(parsed.get("intent_ranking") or [parsed.get("intent") or {}])
    return rankings


def _slim(ranking: list) -> list:
    return [{"name": r.get("name"), "confidence": round(float(r.get("confidence") or 0.0), 5)} for r in ranking]


def cache_rankings(paths: Sequence[Path], out: Path) -> None:
    """Parse every text (and every earlier turn) once with the trained model; merge into ``out``."""
    cache: Dict[str, list] = json.loads(out.read_text()) if out.exists() else {}
    texts = []
    for example in load_examples(paths):
        for text in [t.get("text", "") for t in example.get("turns") or []] + [example["text"]]:
            if text and text_key(text) not in cache and text not in texts:
                texts.append(text)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.getLogger().setLevel(logging.ERROR)
    for text, ranking in zip(texts, asyncio.run(parse_rankings(texts)), strict=True):
        cache[text_key(text)] = _slim(ranking)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(cache, ensure_ascii=False, sort_keys=True, indent=0), "utf-8")
    print(f"cached {len(texts)} new rankings, {len(cache)} in {out}")





LEVELS = ("low", "medium", "high", "emergency")
_TARGET_MIX = (("emergency", 0.22), ("high", 0.36), ("medium", 0.28), ("low", 0.14))


def _pools(fragments: dict) -> Dict[str, List[Tuple[str, str, Tuple[str, ...]]]]:
    """(text, level, tags) per level; short forms and tagged pieces join their level's pool."""
    pools: Dict[str, List[Tuple[str, str, Tuple[str, ...]]]] = {level: [] for level in LEVELS}
    for key, texts in fragments.items():
        if key in ("version", "follow_up"):
            continue
        level, _, tag = key.partition("_")
        tags = (tag,) if tag in ("minor", "street") else ()
        pools[level] += [(t, level, tags) for t in texts]
    return pools


def _label(pieces: Sequence[Tuple[str, str, Tuple[str, ...]]]) -> str:
    """The most urgent piece (guide §2); a minor on the street is at least high (guide §4)."""
    level = max((p[1] for p in pieces), key=LEVELS.index)
    tags = {t for p in pieces for t in p[2]}
    if {"minor", "street"} <= tags and LEVELS.index(level) < LEVELS.index("high"):
        level = "high"
    return level


def _narrative(rng, pools) -> Tuple[str, str]:
    import random  # noqa: F401  (rng is a random.Random)

    target = rng.choices([t for t, _ in _TARGET_MIX], [w for _, w in _TARGET_MIX])[0]
    pieces = [rng.choice(pools[target])]
    below = [p for level in LEVELS[: LEVELS.index(target) + 1] for p in pools[level]]
    pieces += rng.sample(below, rng.randint(1, 3))
    if rng.random() < 0.2:
        pieces.append(rng.choice([p for p in pools["low"] if "minor" in p[2]]))
    rng.shuffle(pieces)
    return "".join(p[0] if p[0].endswith(("。", "？", "!", "！")) else p[0] + "。" for p in pieces), _label(pieces)


def build_examples(count: int = 320) -> None:
    """Write bot/data/risk/examples.yml: every piece alone, narratives of 2–4 pieces, follow-ups in context."""
    import random

    fragments = yaml.safe_load((TRAIN_DIR / "fragments.yml").read_text(encoding="utf-8"))
    pools = _pools(fragments)
    rng = random.Random(SEED)
    cases = [{"text": t, "urgency": level} for level in LEVELS for t, _, _ in pools[level]]
    seen = {c["text"] for c in cases}
    target = len(cases) + count
    while len(cases) < target:
        text, level = _narrative(rng, pools)
        if text not in seen:
            seen.add(text)
            cases.append({"text": text, "urgency": level})
    for answer in fragments["follow_up"]:
        for level in LEVELS:
            prior, _, _ = rng.choice(pools[level])
            cases.append({"turns": [{"text": prior}], "text": answer,
                          "urgency": "high" if level in ("high", "emergency") else "low"})
    header = f"# Generated by `scripts/fit_risk.py build` from fragments.yml (seed {SEED}); do not edit by hand.\n"
    body = yaml.safe_dump({"version": 1, "cases": cases}, allow_unicode=True, sort_keys=False, width=200)
    (TRAIN_DIR / "examples.yml").write_text(header + body, encoding="utf-8")
    print(f"wrote {len(cases)} examples")


@cache
def analysed(text: str):
    """Each text analysed once (GiNZA, as Rasa's pipeline does at the door), however often it is triaged."""
    from bot.analysis import of

    return of(text)


def _context_after(turns: Sequence[dict], cache: Dict[str, list]):
    """The Context the bot would hold after the earlier turns (their triage, as the action server keeps it)."""
    from bot.levels import higher
    from bot.triage import Context, triage

    context = Context()
    for turn in turns:
        result = triage(analysed(turn["text"]), cache[text_key(turn["text"])], context, score_risk=False)
        answering = ("suicide_means" if "suicide_risk" in result.concerns
                     else "dv_nearby" if "domestic_violence" in result.concerns else None)
        context = Context(age=result.age or context.age, max_urgency=higher(result.urgency, context.max_urgency),
                          concerns=tuple(sorted(set(context.concerns) | set(result.concerns))), answering=answering,
                          previous_concerns=tuple(result.concerns), recent_signals=tuple(result.signals))
    return context


def feature_rows(examples: Sequence[dict], cache: Dict[str, list]) -> Tuple[List[List[float]], List[int]]:
    """Features exactly as triage computes them (rules first, the classifier-free floor, then the score)."""
    from bot import risk
    from bot.triage import triage

    xs, ys = [], []
    for example in examples:
        context = _context_after(example.get("turns") or [], cache)
        ranking = cache[text_key(example["text"])]
        result = triage(analysed(example["text"]), ranking, context, score_risk=False)
        floor = triage(analysed(example["text"]), (), context, score_risk=False).urgency
        xs.append(risk.features(ranking, result, context, floor))
        ys.append(int(example["urgency"] in ("high", "emergency")))
    return xs, ys


def fit(c: float = 0.2, held: float = 0.25) -> None:
    """Logistic regression on 75 % of the examples, Platt scaling on the held 25 %; keeps the threshold."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    from bot import risk

    examples = load_examples([TRAIN_DIR / "examples.yml"])
    xs, ys = feature_rows(examples, json.loads(TRAIN_CACHE.read_text()))
    x, y = np.array(xs), np.array(ys)
    x_fit, x_cal, y_fit, y_cal = train_test_split(x, y, test_size=held, random_state=SEED, stratify=y)
    lr = LogisticRegression(C=c, max_iter=2000).fit(x_fit, y_fit)
    margins = lr.decision_function(x_cal).reshape(-1, 1)
    platt = LogisticRegression(C=1e4, max_iter=2000).fit(margins, y_cal)
    old = json.loads(MODEL_PATH.read_text()) if MODEL_PATH.exists() else {}
    model = {
        "features": list(risk.FEATURES), "coef": [round(float(w), 6) for w in lr.coef_[0]],
        "intercept": round(float(lr.intercept_[0]), 6),
        "platt": [round(float(platt.coef_[0][0]), 6), round(float(platt.intercept_[0]), 6)],
        "threshold": old.get("threshold", 0.5), "threshold_chosen_on": old.get("threshold_chosen_on", []),
        "examples": len(ys), "positives": int(y.sum()), "C": c, "seed": SEED,
        "held_auc": round(float(roc_auc_score(y_cal, lr.decision_function(x_cal))), 4),
    }
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", "utf-8")
    risk.load_model.cache_clear()
    print(f"fitted on {len(y_fit)}, calibrated on {len(y_cal)}; held-out AUC {model['held_auc']}")


def _case_scores(files: Sequence[Path]) -> Tuple[List[float], List[int], List[str], List[str]]:
    """Per case: the risk, whether truth is high+, the rules' level and the classifier-free floor."""
    from bot import risk
    from bot.triage import NO_CONTEXT, triage

    cache = json.loads(CASE_CACHE.read_text())
    scores, truth, rules, floors = [], [], [], []
    for case in load_examples(files):
        ranking = cache[text_key(case["text"])]
        result = triage(analysed(case["text"]), ranking, NO_CONTEXT, score_risk=False)
        floor = triage(analysed(case["text"]), (), NO_CONTEXT, score_risk=False).urgency
        scores.append(risk.score(ranking, result, NO_CONTEXT, floor))
        truth.append(int(case["urgency"] in ("high", "emergency")))
        rules.append(result.urgency)
        floors.append(floor)
    return scores, truth, rules, floors


def _rates(threshold: float, scores, truth, rules, floors) -> Tuple[float, float]:
    from bot.risk import decide

    flagged = [decide(r, f, s, threshold) in ("high", "emergency") for s, r, f in zip(scores, rules, floors, strict=True)]
    pos = [f for f, t in zip(flagged, truth, strict=True) if t]
    neg = [f for f, t in zip(flagged, truth, strict=True) if not t]
    return sum(pos) / max(len(pos), 1), sum(neg) / max(len(neg), 1)


def choose_threshold(files: Sequence[Path], recall: float, max_false_alarms: float = 0.25) -> Tuple[float, float]:
    """The highest threshold (fewest false alarms) whose high-risk recall on ``files`` reaches ``recall``.

    When reaching ``recall`` costs more than ``max_false_alarms`` (a queue where more than one calm message in
    four is raised cannot be worked), the best recall that stays within ``max_false_alarms`` is the aim (a missed
    crisis costs more than a counselor's glance); of the thresholds whose recall is within one standard error
    of it, the highest is kept, so the choice does not sit on a cliff where one case buys many false alarms.
    Both are written to the model file and printed so docs/risk.md can report what the target would have cost.
    """
    from sklearn.metrics import roc_auc_score

    data = _case_scores(files)
    alone = _rates(2.0, *data)
    print(f"score below every threshold: recall {alone[0]:.3f}  false alarms {alone[1]:.3f}; "
          f"risk AUC {roc_auc_score(data[1], data[0]):.4f}")
    grid = [(step / 1000, *_rates(step / 1000, *data)) for step in range(5, 1000, 5)]
    for threshold, hit, false in grid[::4]:
        print(f"threshold {threshold:.3f}  recall {hit:.3f}  false alarms {false:.3f}")
    at_target = max((g for g in grid if g[1] >= recall), key=lambda g: g[0], default=grid[0])
    workable = [g for g in grid if g[2] <= max_false_alarms] or grid[-1:]
    best_recall = max(g[1] for g in workable)
    positives = sum(data[1])
    one_se = math.sqrt(best_recall * (1 - best_recall) / max(positives, 1))  # the one-standard-error rule
    within = max((g for g in workable if g[1] >= best_recall - one_se), key=lambda g: g[0])
    chosen = at_target if at_target[2] <= max_false_alarms else within
    print(f"recall target {recall}: threshold {at_target[0]:.3f} costs false alarms {at_target[2]:.3f}")
    model = json.loads(MODEL_PATH.read_text())
    model.update({"threshold": chosen[0], "threshold_chosen_on": [str(f) for f in files],
                  "threshold_dev_recall": round(chosen[1], 4), "threshold_dev_false_alarms": round(chosen[2], 4),
                  "recall_target": recall, "recall_target_threshold": at_target[0],
                  "recall_target_false_alarms": round(at_target[2], 4), "max_false_alarms": max_false_alarms})
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", "utf-8")
    print(f"chosen {chosen[0]:.3f}: recall {chosen[1]:.3f}, false alarms {chosen[2]:.3f}")
    return chosen[1], chosen[2]


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cache = sub.add_parser("cache")
    cache.add_argument("files", nargs="+", type=Path)
    cache.add_argument("--out", type=Path, default=TRAIN_CACHE)
    sub.add_parser("build")
    sub.add_parser("fit")
    thr = sub.add_parser("threshold")
    thr.add_argument("files", nargs="+", type=Path)
    thr.add_argument("--recall", type=float, default=0.97)
    thr.add_argument("--max-false-alarms", type=float, default=0.25)
    args = parser.parse_args(argv)
    if args.command == "cache":
        cache_rankings(args.files, args.out)
    elif args.command == "build":
        build_examples()
    elif args.command == "fit":
        fit()
    else:
        choose_threshold(args.files, args.recall, args.max_false_alarms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
