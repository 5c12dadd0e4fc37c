#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter: PATH first, then pyenv.
set -euo pipefail
for candidate in python3.10 "$HOME/.pyenv/versions/3.10.13/bin/python" $(ls -d "$HOME"/.pyenv/versions/3.10.*/bin/python 2>/dev/null); do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    command -v "$candidate"
    exit 0
  fi
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for dir in "$root"/versions/3.10.*; do
    [ -x "$dir/bin/python" ] && { echo "$dir/bin/python"; exit 0; }
  done
fi
echo "Akari needs Python 3.10 for Rasa 3.6 (found none on PATH or in pyenv)." >&2
echo "Install it (e.g. 'pyenv install 3.10.13') and run make again." >&2
exit 1
