"""A ctypes binding to the libespeak-ng that ships inside the espeakng-loader wheel.

No system package is needed: the wheel carries both the shared library and its
espeak-ng-data folder. espeak-ng keeps one global synthesizer per process (voice,
rate and pitch are process-wide settings), so every call here holds one module
lock from the first parameter it sets to the last sample it collects, and the
library is initialised once.
"""
from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass

import numpy as np

from identity.errors import ModelUnavailableError

# speak_lib.h
_AUDIO_OUTPUT_SYNCHRONOUS = 2  # espeak_Synth returns when done; audio goes to the callback
_INITIALIZE_DONT_EXIT = 0x8000  # report a bad data path instead of exiting the process
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EE_OK = 0
_PARAM = {"rate": 1, "volume": 2, "pitch": 3, "range": 4, "wordgap": 7}

RATE_NORMAL_WPM = 175
RATE_MIN_WPM, RATE_MAX_WPM = 80, 450

_SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


@dataclass(frozen=True)
class EspeakVoice:
    """What espeak should say it with: a voice name such as "en-us+m3" and its prosody settings."""

    name: str = "en-us"
    rate_wpm: int = RATE_NORMAL_WPM
    pitch: int = 50  # 0-100, relative to the voice's own base pitch
    pitch_range: int = 50  # 0-100: 0 is a monotone


class _Engine:
    """The loaded library, its sample rate and the buffer its callback fills."""

    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError as exc:  # pragma: no cover - in requirements.txt
            raise ModelUnavailableError(
                "espeak_missing", "dialogue speech needs the espeakng-loader package (pip install -r requirements.txt)"
            ) from exc
        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_SetSynthCallback.argtypes = [_SYNTH_CALLBACK]
        self.lib.espeak_SetSynthCallback.restype = None
        self.lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
            ctypes.c_void_p, ctypes.c_void_p,
        ]
        data = espeakng_loader.get_data_path().encode()
        rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 500, data, _INITIALIZE_DONT_EXIT)
        if rate <= 0:
            raise ModelUnavailableError(
                "espeak_init_failed", f"espeak-ng could not start with its data at {data.decode()}; reinstall espeakng-loader"
            )
        self.sample_rate = int(rate)
        self.chunks: list[np.ndarray] = []
        self._callback = _SYNTH_CALLBACK(self._collect)  # kept on self: ctypes must not free it
        self.lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav, n: int, _events) -> int:
        if n > 0 and wav:
            self.chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        return 0  # 0: go on synthesizing


_lock = threading.Lock()
_engine: _Engine | None = None


def _get_engine() -> _Engine:
    global _engine
    if _engine is None:
        _engine = _Engine()
    return _engine


def sample_rate() -> int:
    with _lock:
        return _get_engine().sample_rate


def synthesize(text: str, voice: EspeakVoice = EspeakVoice()) -> tuple[np.ndarray, int]:
    """Speak `text`: float32 mono samples in [-1, 1] and their rate (22050 Hz for the bundled voices)."""
    with _lock:
        eng = _get_engine()
        if eng.lib.espeak_SetVoiceByName(voice.name.encode()) != _EE_OK:
            raise ModelUnavailableError("espeak_voice_missing", f"espeak-ng has no voice {voice.name!r}")
        settings = {
            "rate": int(np.clip(voice.rate_wpm, RATE_MIN_WPM, RATE_MAX_WPM)),
            "pitch": int(np.clip(voice.pitch, 0, 100)),
            "range": int(np.clip(voice.pitch_range, 0, 100)),
            "volume": 100,
        }
        for key, value in settings.items():
            eng.lib.espeak_SetParameter(_PARAM[key], value, 0)
        data = text.encode("utf-8") + b"\0"
        eng.chunks = []
        err = eng.lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        chunks, eng.chunks = eng.chunks, []
        rate = eng.sample_rate
    if err != _EE_OK:
        raise ModelUnavailableError("espeak_synth_failed", f"espeak-ng failed to speak the line (error {err})")
    audio = np.concatenate(chunks).astype(np.float32) / 32768.0 if chunks else np.zeros(0, np.float32)
    return audio, rate
