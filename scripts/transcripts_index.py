"""Write docs/transcripts/README.md: the gallery's index, one line per scenario (titles from the scenario file).

Usage: python scripts/transcripts_index.py OUT_DIR SCENARIOS_YML
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def index(out: Path, scenarios: list) -> str:
    lines = ["# What she sees: the transcript gallery", "",
             "Each file is one conversation run through the real stack (web chat API → handoff → Rasa → actions) by "
             "`make transcripts`, written exactly as the web chat received it. Tests check on every turn: at most 5 "
             "messages, no number twice, the introduction once and first, a question last, and, with nobody on duty, "
             "that she is told so once and never told to wait.", ""]
    for scenario in scenarios:
        mark = "" if (out / f"{scenario['id']}.md").exists() else " (not run)"
        lines.append(f"- [{scenario['title']}]({scenario['id']}.md){mark}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    out = Path(sys.argv[1])
    scenarios = yaml.safe_load(Path(sys.argv[2]).read_text(encoding="utf-8"))["scenarios"]
    out.mkdir(parents=True, exist_ok=True)
    (out / "README.md").write_text(index(out, scenarios), encoding="utf-8")
