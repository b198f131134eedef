"""Mono 16-bit WAV bytes: how a voice sample made by a worker travels to the page through the media store."""
from __future__ import annotations

import io

import numpy as np
import soundfile as sf


def to_wav(audio: np.ndarray, rate: int) -> bytes:
    """Float samples in [-1, 1] (or int16), mono."""
    buf = io.BytesIO()
    sf.write(buf, np.asarray(audio).reshape(-1), int(rate), format="WAV", subtype="PCM_16")
    return buf.getvalue()


def from_wav(data: bytes) -> tuple[int, np.ndarray]:
    """(rate, int16 samples): what gr.Audio plays."""
    samples, rate = sf.read(io.BytesIO(data), dtype="int16")
    if samples.ndim != 1:
        raise ValueError("expected mono WAV")
    return rate, samples
