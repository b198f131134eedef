"""Zero-shot voice cloning for GPU deployments: Chatterbox (Resemble AI, MIT licence, code and weights).

Chosen because its licence is permissive for code and weights alike (F5-TTS and
XTTS-v2 weights are non-commercial), it clones from a few seconds of speech, and
it runs in real time on one GPU. The only reference it is ever given is the
cameo's own consent recording, kept encrypted for this purpose when
CAMEO_KEEP_VOICE_REFERENCE is on and deleted on revoke. A line for a cameo
without a kept recording falls back to espeak at the cameo's pitch, with a note.
Chatterbox also embeds Resemble's Perth watermark in what it speaks.

Not run here: this machine has no GPU and cannot download the weights; the
loading path fails with ModelUnavailableError, and the fallback is tested.
"""
from __future__ import annotations

import tempfile
import threading
from pathlib import Path

import numpy as np

from identity.errors import ModelUnavailableError
from identity.librosa_safe import load_librosa
from pipeline.sound import EspeakSynth, VoiceSynth
from pipeline.types import VoiceReference

MODEL_REPO = "ResembleAI/chatterbox"


def chatterbox_available() -> bool:
    try:
        import chatterbox.tts  # noqa: F401
    except ImportError:
        return False
    return True


class ChatterboxSynth:
    """VoiceSynth cloning the cameo's consent recording; espeak for cameos without one."""

    name = "chatterbox"

    def __init__(self, device: str = "cuda", fallback: VoiceSynth | None = None):
        self.device = device
        self.fallback = fallback or EspeakSynth()
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                try:
                    from chatterbox.tts import ChatterboxTTS
                except ImportError as exc:
                    raise ModelUnavailableError(
                        "voice_clone_missing", "the chatterbox-tts package is not installed: pip install "
                        "chatterbox-tts on the GPU host, or set CAMEO_VOICE_SYNTH=espeak") from exc
                try:
                    self._model = ChatterboxTTS.from_pretrained(device=self.device)
                except OSError as exc:
                    raise ModelUnavailableError(
                        "voice_clone_missing", f"the {MODEL_REPO} weights are not available ({exc}); download them "
                        "on a machine with network, or set CAMEO_VOICE_SYNTH=espeak") from exc
            return self._model

    def synth(self, text: str, target_pitch_hz: float | None, reference: VoiceReference | None = None,
              speed: float = 1.0) -> tuple[np.ndarray, int]:
        if reference is None or reference.audio is None or reference.audio.size == 0:
            return self.fallback.synth(text, target_pitch_hz, reference, speed)
        model = self._load()
        import soundfile as sf

        with tempfile.TemporaryDirectory() as tmp:  # the library reads its reference from a file
            ref = Path(tmp) / "reference.wav"
            sf.write(ref, reference.audio, reference.sample_rate)
            wav = model.generate(text, audio_prompt_path=str(ref))
        audio = wav.detach().float().cpu().numpy().reshape(-1)
        if speed != 1.0:
            audio = load_librosa().effects.time_stretch(audio, rate=speed)
        return audio.astype(np.float32), int(model.sr)


def voice_synth(choice: str, cuda: bool) -> VoiceSynth:
    """The synth a setting asks for: "auto" clones on a GPU host that has Chatterbox installed."""
    if choice == "chatterbox" or (choice == "auto" and cuda and chatterbox_available()):
        return ChatterboxSynth()
    return EspeakSynth()
