"""Assemble test speech from the synthesized fixtures in tests/fixtures/speech/digits.

The WAVs are espeak-ng output (see make.sh there), so any digit string can be
built offline; each clip's trailing/leading silence is trimmed so gap_s is the
real pause between words.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile as sf

RATE = 16000
DIGITS_DIR = Path(__file__).resolve().parent / "fixtures" / "speech" / "digits"
_SILENCE_LEVEL = 0.01


def _trim(audio: np.ndarray) -> np.ndarray:
    loud = np.nonzero(np.abs(audio) > _SILENCE_LEVEL)[0]
    if loud.size == 0:
        return audio[:0]
    return audio[loud[0] : loud[-1] + 1]


@lru_cache(maxsize=None)
def _load(name: str) -> np.ndarray:
    audio, rate = sf.read(DIGITS_DIR / f"{name}.wav", dtype="float32")
    assert rate == RATE and audio.ndim == 1, f"{name}.wav must be 16 kHz mono"
    return _trim(audio)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(round(seconds * RATE)), dtype=np.float32)


def spoken_digits(digits: str, gap_s: float = 0.35) -> np.ndarray:
    """The digit words of `digits` (e.g. "47291") read one after another with short pauses."""
    parts: list[np.ndarray] = [silence(gap_s)]
    for d in digits:
        parts += [_load(d), silence(gap_s)]
    return np.concatenate(parts).astype(np.float32)


def consent_then_digits(digits: str) -> np.ndarray:
    """The consent sentence, a 0.6 s pause, then the digits: one enrollment clip's speech."""
    sentence = np.concatenate([silence(0.3), _load("sentence"), silence(0.6)])
    return np.concatenate([sentence, spoken_digits(digits, gap_s=0.35)[int(0.35 * RATE) :]]).astype(np.float32)


def consent_sentence() -> np.ndarray:
    return np.concatenate([silence(0.3), _load("sentence"), silence(0.3)]).astype(np.float32)


def with_white_noise(audio: np.ndarray, snr_db: float, seed: int = 0) -> np.ndarray:
    """`audio` plus white noise at `snr_db` relative to its mean power."""
    rng = np.random.default_rng(seed)
    power = float(np.mean(audio.astype(np.float64) ** 2))
    noise = rng.standard_normal(audio.size) * np.sqrt(power / 10 ** (snr_db / 10))
    return np.clip(audio + noise, -1.0, 1.0).astype(np.float32)
