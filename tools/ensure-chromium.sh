#!/usr/bin/env bash
# Browser tests use Debian's Chromium, never a downloaded browser. Install it
# with apt when it is missing and we are allowed to; otherwise say what to do.
set -euo pipefail
CHROMIUM="${LMTT_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "lmtt: installing Debian's chromium for the browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium libvulkan1 >/dev/null
  exit 0
fi
echo "lmtt: the browser tests need Chromium at $CHROMIUM." >&2
echo "      Install it (Debian: sudo apt-get install chromium) or set LMTT_CHROMIUM." >&2
exit 1
