# Cameo Studio as a Docker Space (or any container host): port 7860, non-root uid 1000.
# Not built here: this machine has no Docker engine (see README "What is not verified").
FROM python:3.11-slim

# PyAV (FFmpeg), dlib-bin, opencv-headless, soundfile, onnxruntime, c2pa-python and espeakng-loader
# wheels bundle their native libraries, so no ffmpeg or espeak-ng package is needed; libgomp is
# the OpenMP runtime torch's CPU kernels load (also listed in packages.txt for a Gradio Space).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 user
USER user
# Data: /data/cameo-studio on a Space with persistent storage, else ./data (settings.py); CAMEO_DATA_DIR overrides.
ENV HOME=/home/user PATH=/home/user/.local/bin:$PATH PYTHONUNBUFFERED=1 \
    CAMEO_HOST=0.0.0.0 CAMEO_PORT=7860
WORKDIR /home/user/app

# requirements.txt for the CPU preview; build with --build-arg REQUIREMENTS=requirements-gpu.txt on a GPU host.
ARG REQUIREMENTS=requirements.txt
COPY --chown=user requirements*.txt ./
RUN pip install --no-cache-dir --user -r "$REQUIREMENTS" \
    && pip install --no-cache-dir --user --no-deps -r requirements-nodeps.txt
COPY --chown=user . .
# Compile librosa's numba kernels once into the image (identity/librosa_safe.py), not in the first request.
RUN python -m identity.librosa_safe

EXPOSE 7860
CMD ["python", "app.py"]
