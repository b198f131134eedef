#!/usr/bin/env bash
# Create .venv (if needed) and install a requirements file into it.
# Usage: scripts/install.sh requirements.txt
set -euo pipefail
cd "$(dirname "$0")/.."
req="${1:-requirements.txt}"
py="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
stamp=".venv/.installed-$(basename "$req")"
# Re-install only when a requirements file changed since the last install.
if [ ! -f "$stamp" ] || [ requirements.txt -nt "$stamp" ] || [ requirements-nodeps.txt -nt "$stamp" ] || [ "$req" -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  # torch is pinned in requirements.txt to the CPU build; see README "GPU".
  .venv/bin/python -m pip install --quiet -r "$req"
  .venv/bin/python -m pip install --quiet --no-deps -r requirements-nodeps.txt
  # Compile librosa's numba kernels once, here, rather than in the first enrollment (identity/librosa_safe.py).
  .venv/bin/python -m identity.librosa_safe
  touch "$stamp"
fi
