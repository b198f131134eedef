#!/usr/bin/env bash
# System tools the test suite uses but the studio does not: Debian's Chromium for the browser test
# (Playwright drives it; never `playwright install`) and ffprobe, the independent check that every
# clip is H.264 + AAC of the requested length. The studio itself encodes and decodes with PyAV.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core
fi
