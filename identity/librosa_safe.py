"""librosa, loaded so that processes starting at the same time cannot corrupt numba's on-disk cache.

librosa compiles about fifty numba functions with ``cache=True``, most of them when its modules load, the
rest on their first call. Numba's cache is not safe when several processes fill it at once: with a fresh
cache, three enrollment analyses started together left it in a state in which every later process died
with a segmentation fault in ``librosa.yin`` (issue 11), taking the web server with it until someone
deleted the cache by hand. Compiling in every process (a private cache each) would cost about 25 s per
process on two cores, and warming the cache at install alone leaves a fresh NUMBA_CACHE_DIR or container
exposed. So every process of the studio loads librosa through ``load_librosa()``: under one lock for the
machine it loads the modules and calls each cached function the studio reaches, with the dtypes it uses;
the first process compiles and writes, the others wait and then only read a complete cache, and no later
call compiles anything. ``scripts/install.sh`` calls it once, so the wait is at install, not in a request.
"""
from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import numpy as np
from filelock import FileLock

LOCK_TIMEOUT_S = 600  # the first compile takes ~25 s on 2 cores; a stuck holder must not block forever
_holding_lock = False  # read by tests: librosa must be first imported while this is True


def lock_path() -> Path:
    """One lock per user and machine (numba's cache lives on the local disk)."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"cameo-studio-numba-{uid}.lock"


@lru_cache(maxsize=1)
def load_librosa() -> ModuleType:
    """librosa, first imported and warmed under the machine's lock.

    Importing librosa compiles most of its cached kernels, so the lock only helps if nothing imports
    librosa before this runs: Resemblyzer does at import, hence ``load_resemblyzer``.
    """
    global _holding_lock
    with FileLock(str(lock_path()), timeout=LOCK_TIMEOUT_S):
        _holding_lock = True
        try:
            import librosa

            _call_cached_functions(librosa)
        finally:
            _holding_lock = False
    return librosa


def load_resemblyzer() -> ModuleType:
    """Resemblyzer imports librosa when it loads: load librosa under the lock first."""
    load_librosa()
    import resemblyzer

    return resemblyzer


def _call_cached_functions(librosa: ModuleType) -> None:
    """Load (or compile and store) each cached numba function on the studio's paths, in float32 and 64.

    Pitch (yin: parabolic interpolation, local minima), Resemblyzer's mel spectrogram (complex
    magnitude), and the pitch shift and time stretch of generated dialogue (phasor, overlap-add, window
    sum-square); the modules' load compiles the rest.
    """
    tone = np.sin(2 * np.pi * 150.0 * np.arange(8000) / 16000)
    for y in (tone.astype(np.float32), tone):
        librosa.yin(y, fmin=60, fmax=400, sr=16000, frame_length=1024)
        librosa.feature.melspectrogram(y=y, sr=16000, n_fft=400, hop_length=160, n_mels=40)
        librosa.feature.rms(y=y)
        librosa.effects.pitch_shift(y, sr=16000, n_steps=1.0)
        librosa.effects.time_stretch(y, rate=1.25)
        librosa.resample(y, orig_sr=16000, target_sr=24000)


if __name__ == "__main__":  # scripts/install.sh: compile once, at install
    load_librosa()
