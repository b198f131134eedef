# Cameo Studio as a Docker Space (or any container host): port 7860, non-root uid 1000.
# Not built here: this machine has no Docker engine (see README "What is not verified").
FROM python:3.11-slim

# PyAV, dlib-bin, opencv-headless and soundfile wheels bundle their native libraries;
# libgomp is the OpenMP runtime torch's CPU kernels load.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 user
USER user
ENV HOME=/home/user PATH=/home/user/.local/bin:$PATH PYTHONUNBUFFERED=1 \
    CAMEO_DATA_DIR=/home/user/data GRADIO_SERVER_NAME=0.0.0.0 GRADIO_SERVER_PORT=7860
WORKDIR /home/user/app

COPY --chown=user requirements.txt .
RUN pip install --no-cache-dir --user -r requirements.txt
COPY --chown=user . .

EXPOSE 7860
CMD ["python", "app.py"]
