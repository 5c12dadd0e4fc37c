#!/usr/bin/env bash
# The browser tests need Debian's chromium and CJK fonts; install them when missing (as root with apt-get),
# exactly as a fresh machine needs. Prints the chromium path.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing chromium and CJK fonts (Debian packages)…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
  else
    echo "chromium is missing and cannot be installed here (needs root and apt-get)" >&2
    exit 1
  fi
fi
command -v chromium
