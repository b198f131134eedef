"""A studio's settings for tests of jobs, workers and storage: one place builds them, for the test process
(which plays the web process) and for the worker processes it starts (as environment variables)."""
from __future__ import annotations

import base64
import os
from pathlib import Path

from settings import load_settings

FAST_REAPER = {"CAMEO_JOB_HEARTBEAT_S": "0.5", "CAMEO_JOB_STALE_S": "6"}


def studio_env(home: Path, database_url: str, queue_url: str, media_url: str, **extra: str) -> dict[str, str]:
    """Environment variables for a web or worker process of one test studio (preview backend, dlib)."""
    key_file = home / "key.b64"
    if not key_file.exists():
        home.mkdir(parents=True, exist_ok=True)
        key_file.write_text(base64.urlsafe_b64encode(os.urandom(32)).decode())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CAMEO_", "SPACE_", "OAUTH_"))}
    env.update(CAMEO_DATA_DIR=str(home / "data"), DATABASE_URL=database_url, CAMEO_QUEUE_URL=queue_url,
               CAMEO_MEDIA_URL=media_url, CAMEO_SECRET_KEY=key_file.read_text(), CAMEO_GENERATION_BACKEND="preview",
               CAMEO_FACE_BACKEND="dlib", CAMEO_VOICE_SYNTH="espeak", CAMEO_ALLOW_UPLOAD="1",
               GRADIO_ANALYTICS_ENABLED="False", **FAST_REAPER)
    env.update(extra)
    return env


def settings_from(env: dict[str, str]):
    """The Settings a process with this environment reads."""
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        return load_settings()
    finally:
        os.environ.clear()
        os.environ.update(saved)
