#!/usr/bin/env bash
# Lay out a Hugging Face Space repository from this commit.
#
#   bash scripts/make-space.sh OUT_DIR            # Gradio SDK Space (CPU, or a dedicated GPU such as A10G/L4/A100)
#   bash scripts/make-space.sh OUT_DIR --zerogpu  # Gradio SDK Space on ZeroGPU
#   bash scripts/make-space.sh OUT_DIR --docker   # Docker Space on a dedicated GPU (builds the GPU image)
#
# A Gradio SDK Space installs its requirements.txt with plain pip (no --no-deps), so Chatterbox and
# insightface are left out there (espeak voices, dlib faces). ZeroGPU needs the Gradio SDK, a torch on its
# documented list (requirements-zerogpu.txt pins 2.11.0) and a Python it runs (3.12).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: make-space.sh OUT_DIR [--zerogpu|--docker]}"
kind="${2:-}"
mkdir -p "$out"
git archive --format=tar HEAD | tar -x -C "$out"
case "$kind" in
  --zerogpu)
    cp requirements-zerogpu.txt "$out/requirements.txt"
    sed -i 's/^python_version: .*/python_version: "3.12"/; s/^suggested_hardware: .*/suggested_hardware: zero-a10g/' "$out/README.md"
    # The video model is fetched and placed before the app launches: give the first start time for it.
    sed -i '/^short_description:/a startup_duration_timeout: 1h' "$out/README.md"
    ;;
  --docker)
    sed -i 's/^sdk: gradio$/sdk: docker/; /^sdk_version: /d; /^python_version: /d; /^app_file: /d' "$out/README.md"
    sed -i 's/^ARG GPU=false$/ARG GPU=true/' "$out/Dockerfile"
    sed -i '/^short_description:/a app_port: 7860' "$out/README.md"
    sed -i 's/^suggested_hardware: .*/suggested_hardware: l40sx1/' "$out/README.md"
    ;;
  "") ;;
  *) echo "unknown kind $kind: expected --zerogpu or --docker" >&2; exit 2 ;;
esac
echo "Space files in $out ($([ -n "$kind" ] && echo "${kind#--}" || echo gradio))" >&2
