"""Validate a Compose file against the Compose specification's JSON schema; print each error, exit 1 on any.

Usage: python scripts/validate_compose.py SCHEMA.json docker-compose.yml
Needs jsonschema (in the bot's environment; tests/handoff/test_compose.py runs it with whichever has it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List

import yaml
from jsonschema import Draft201909Validator


def errors(schema: dict, document: dict) -> List[str]:
    """Every way the document breaks the schema, as 'path: message' lines (empty when it is valid)."""
    validator = Draft201909Validator(schema)
    found = sorted(validator.iter_errors(document), key=lambda error: list(map(str, error.absolute_path)))
    return [f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}" for error in found]


def main(schema_path: str, compose_path: str) -> int:
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    document = yaml.safe_load(Path(compose_path).read_text(encoding="utf-8"))
    problems = errors(schema, document)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
