#!/usr/bin/env bash
# Print a Python 3.11 or newer for the handoff service: PATH first, then pyenv.
set -euo pipefail
for candidate in python3 python3.13 python3.12 python3.11 $(ls -d "$HOME"/.pyenv/versions/3.1[1-9].*/bin/python 2>/dev/null); do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
    command -v "$candidate"
    exit 0
  fi
done
echo "The handoff service needs Python 3.11 or newer (found none on PATH or in pyenv)." >&2
exit 1
