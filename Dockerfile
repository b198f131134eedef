# Cameo Studio as a Docker Space (or any container host): port 7860, non-root uid 1000.
# Not built here: this machine has no Docker engine (see README "What is not verified").
#
#   docker build -t cameo-studio .                      # CPU: the preview backend, no downloads
#   docker build --build-arg GPU=true -t cameo-gpu .    # CUDA host / Docker Space on a dedicated GPU
#   docker run --gpus all -p 7860:7860 -v cameo-data:/data cameo-gpu
#
# The GPU image installs requirements-gpu.txt (torch 2.11 CUDA build, onnxruntime-gpu) and, with
# --no-deps, NudeNet, insightface and Chatterbox (requirements-nodeps-gpu.txt says why). The video model
# is fetched at start-up into HF_HOME (a volume, so it is fetched once; progress in the log, "model
# loading" in the UI), or into the image with --build-arg FETCH_MODELS=true (tens of GB more).
# ZeroGPU cannot run a Docker Space: use the Gradio SDK there (scripts/make-space.sh --zerogpu).
FROM python:3.11-slim

# PyAV (FFmpeg), dlib-bin, opencv-headless, soundfile, onnxruntime, c2pa-python and espeakng-loader
# wheels bundle their native libraries, so no ffmpeg or espeak-ng package is needed; libgomp is
# the OpenMP runtime torch's CPU kernels load (also listed in packages.txt for a Gradio Space).
# The CUDA runtime comes inside torch's wheels; the driver from the host (NVIDIA container toolkit).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 user
USER user
# Data: /data/cameo-studio on a Space with persistent storage, else ./data (settings.py); CAMEO_DATA_DIR overrides.
ENV HOME=/home/user PATH=/home/user/.local/bin:$PATH PYTHONUNBUFFERED=1 \
    CAMEO_HOST=0.0.0.0 CAMEO_PORT=7860 HF_HOME=/home/user/.cache/huggingface
WORKDIR /home/user/app

ARG GPU=false
COPY --chown=user requirements*.txt ./
RUN if [ "$GPU" = "true" ]; then \
      pip install --no-cache-dir --user -r requirements-gpu.txt \
      && pip install --no-cache-dir --user --no-deps -r requirements-nodeps.txt -r requirements-nodeps-gpu.txt; \
    else \
      pip install --no-cache-dir --user -r requirements.txt \
      && pip install --no-cache-dir --user --no-deps -r requirements-nodeps.txt; \
    fi
COPY --chown=user . .
# Compile librosa's numba kernels once into the image (identity/librosa_safe.py), not in the first request.
RUN python -m identity.librosa_safe
ARG FETCH_MODELS=false
RUN if [ "$FETCH_MODELS" = "true" ]; then python -m pipeline fetch-models; fi

EXPOSE 7860
CMD ["python", "app.py"]
