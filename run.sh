#!/usr/bin/env bash
# Install (first time) and start the studio on http://127.0.0.1:7860 with its embedded defaults.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install.sh requirements.txt
exec .venv/bin/python app.py "$@"
