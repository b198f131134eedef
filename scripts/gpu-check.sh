#!/usr/bin/env bash
# The first run on a CUDA machine: render fixture cameos (2 s and 5 s, one and two cameos) through the
# whole job and print JSON (seconds per step, total, peak VRAM, identity similarity per cameo and to the
# absent cameo, safety chain). See bench/gpu_check.py.
#
#   bash scripts/gpu-check.sh [--install] [--model auto|vace-1.3b|vace-14b|vace-14b-4step] [--steps N] [--out FILE]
#
# --install makes .venv-gpu with requirements-gpu.txt (torch 2.11 CUDA build, onnxruntime-gpu, Chatterbox
# and insightface --no-deps): a few GB of wheels, typically 3-6 minutes on a datacenter network.
# The first run then downloads the video model into the Hub cache (Wan2.1-VACE-1.3B-diffusers is tens of
# GB in its stored precision; `python -m pipeline fetch-models` does only that), with progress in the log.
# With the model cached, the three clips take an estimated 3-4 minutes on one H100/H200 at 50 steps.
set -euo pipefail
cd "$(dirname "$0")/.."
py="${PYTHON:-python3}"
if [ "${1:-}" = "--install" ]; then
  shift
  [ -x .venv-gpu/bin/python ] || "$py" -m venv .venv-gpu
  py=.venv-gpu/bin/python
  start=$(date +%s)
  "$py" -m pip install --quiet --upgrade pip
  "$py" -m pip install --quiet -r requirements-gpu.txt
  "$py" -m pip install --quiet --no-deps -r requirements-nodeps.txt -r requirements-nodeps-gpu.txt
  "$py" -m identity.librosa_safe
  echo "installed the GPU requirements in $(( $(date +%s) - start )) s" >&2
elif [ -x .venv-gpu/bin/python ]; then
  py=.venv-gpu/bin/python
elif [ -x .venv/bin/python ]; then
  py=.venv/bin/python
fi
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader >&2 || true
fi
exec "$py" bench/gpu_check.py "$@"
