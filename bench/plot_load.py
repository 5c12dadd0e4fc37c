"""Chart of a bench/load_full.py run: reply latency through the whole stack against Rasa's REST webhook alone.

    .venv/bin/python bench/plot_load.py docs/bench/load.json docs/bench/load.png

Runs in the bot's environment (matplotlib). Left: latency of each answered message against when it was sent.
Right: the distribution (share of messages answered within a time), with the alarm-to-console latencies.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, List

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def cdf(values: List[float]) -> tuple[List[float], List[float]]:
    ordered = sorted(v / 1000 for v in values)
    return ordered, [(i + 1) / len(ordered) for i in range(len(ordered))]


def plot(report: Dict[str, Any], out: Path) -> None:
    cfg = report["config"]
    phases = {"whole stack (handoff)": report["full_stack"], "Rasa REST alone": report["rasa_floor"]}
    figure, (over_time, spread) = plt.subplots(1, 2, figsize=(12, 4.5))
    for (name, phase), colour in zip(phases.items(), ("tab:blue", "tab:orange"), strict=False):
        over_time.scatter(phase["sent_at_s"], [v / 1000 for v in phase["latencies_ms"]], s=6, alpha=0.5,
                          color=colour, label=f"{name}: {phase['messages_per_second']:.1f} msg/s")
        if phase["latencies_ms"]:
            spread.plot(*cdf(phase["latencies_ms"]), color=colour,
                        label=f"{name}: p50 {phase['p50_ms'] / 1000:.1f} s, p95 {phase['p95_ms'] / 1000:.1f} s")
    if report["alarm"]["latencies_ms"]:
        spread.plot(*cdf(report["alarm"]["latencies_ms"]), color="tab:red", linestyle="--",
                    label=f"alarm to console: p50 {report['alarm']['p50_ms'] / 1000:.1f} s")
    over_time.set(xlabel="sent at (s after the phase began)", ylabel="reply latency (s)",
                  title="Reply latency over the run")
    spread.set(xlabel="seconds", ylabel="share of messages", title="Latency distribution", ylim=(0, 1.02))
    for axis in (over_time, spread):
        axis.grid(alpha=0.3)
        axis.legend(fontsize=8, loc="best")
    figure.suptitle(f"{cfg['users']} web-chat users with open streams x {cfg['messages']} messages, "
                    f"{cfg['cores']} cores, {cfg['date']}")
    figure.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=110)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    plot(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")), Path(sys.argv[2]))


if __name__ == "__main__":
    main()
