"""Benchmark: NLU parse and triage latency per message, and the model's memory.

    PYTHONPATH=. .venv/bin/python bench/bot_latency.py [CASES.yml] [--rounds N]

Prints figures; asserts nothing. Case texts are not printed.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import time
from pathlib import Path

from bot.evaluate import latest_model, load_cases
from bot.triage import triage


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(cases_path: Path, rounds: int) -> None:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(40)
    texts = [case.text for case in load_cases(cases_path)]
    started = time.perf_counter()
    agent = Agent.load(str(latest_model(Path("bot/models"))))
    load_seconds = time.perf_counter() - started
    parse_ms, triage_ms = [], []
    for _ in range(rounds):
        for text in texts:
            t0 = time.perf_counter()
            parsed = await agent.parse_message(text)
            t1 = time.perf_counter()
            triage(text, parsed["intent_ranking"])
            t2 = time.perf_counter()
            parse_ms.append((t1 - t0) * 1000)
            triage_ms.append((t2 - t1) * 1000)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"messages           {len(parse_ms)}")
    print(f"model load         {load_seconds:.1f} s")
    print(f"NLU parse  p50/p95 {statistics.median(parse_ms):.1f} / {percentile(parse_ms, 0.95):.1f} ms")
    print(f"triage     p50/p95 {statistics.median(triage_ms):.2f} / {percentile(triage_ms, 0.95):.2f} ms")
    print(f"peak RSS           {rss_mib:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="?", type=Path, default=Path("tests/cases/heldout.yml"))
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(run(args.cases, args.rounds))


if __name__ == "__main__":
    main()
