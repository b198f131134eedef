"""Mono 16-bit WAV bytes: how a voice sample made by a worker travels to the page through the media store."""
from __future__ import annotations

import io
import wave

import numpy as np


def to_wav(audio: np.ndarray, rate: int) -> bytes:
    """Float samples in [-1, 1] (or int16), mono."""
    samples = np.asarray(audio)
    if samples.dtype != np.int16:
        samples = (np.clip(samples.astype(np.float32), -1.0, 1.0) * 32767).astype(np.int16)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(rate))
        w.writeframes(samples.reshape(-1).tobytes())
    return out.getvalue()


def from_wav(data: bytes) -> tuple[int, np.ndarray]:
    """(rate, int16 samples): what gr.Audio plays."""
    with wave.open(io.BytesIO(data), "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise ValueError("expected mono 16-bit WAV")
        return w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), np.int16)
