"""Zero-shot voice cloning for GPU deployments: Chatterbox (Resemble AI, MIT licence, code and weights).

Chosen because its licence is permissive for code and weights alike (F5-TTS and XTTS-v2 weights are
non-commercial), it clones from a few seconds of speech, and it runs in real time on one GPU. The only
reference it is ever given is the cameo's own consent recording, kept encrypted for this purpose when
CAMEO_KEEP_VOICE_REFERENCE is on and deleted on revoke. A line for a cameo without a kept recording
falls back to espeak at the cameo's pitch, with a note. Chatterbox also embeds Resemble's Perth
watermark in what it speaks.

Installing it: chatterbox-tts pins torch 2.6.0, torchaudio 2.6.0, diffusers 0.29.0 (no Wan pipelines),
transformers 5.2.0, gradio 6.8.0 and numpy<2, so `pip install chatterbox-tts` would break the video
model. Its code needs none of those exact versions: it imports a few long-stable diffusers modules
(attention, activations, LoRACompatibleLinear) that 0.42 still has, and torchaudio for resampling and
Kaldi filter banks. So GPU deployments install it with --no-deps (requirements-nodeps-gpu.txt) and its
real needs by name (requirements-gpu.txt), on torch 2.11.0 with the matching torchaudio 2.11.0 (the last
torchaudio; its compiled parts load only with the torch it was built for). A scratch environment with
exactly that set built Chatterbox's whole model and spoke with random weights (README, "Sound").

ZeroGPU: synthesis runs inside `_speak`, a module-level function under `spaces.GPU`, with plain
arguments (text, the reference audio as an array, its rate); the model is loaded at start-up into a
module-level registry, as ZeroGPU requires.

Not run here with real weights: this machine has no GPU and cannot download them; the loading path
fails with ModelUnavailableError, and the fallback and the GPU call's wiring are tested.
"""
from __future__ import annotations

import logging
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from identity.errors import ModelUnavailableError
from identity.librosa_safe import load_librosa
from pipeline import gpu
from pipeline.sound import EspeakSynth, VoiceSynth
from pipeline.types import VoiceReference

MODEL_REPO = "ResembleAI/chatterbox"
MODEL_FILES = ("ve.safetensors", "t3_cfg.safetensors", "s3gen.safetensors", "tokenizer.json", "conds.pt")
log = logging.getLogger("cameo.voice")


def chatterbox_available() -> bool:
    try:
        import chatterbox.tts  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class SpeechCall:
    """One line to speak, as plain data: it is pickled into ZeroGPU's worker process."""

    model_key: str
    text: str
    reference_audio: np.ndarray  # float32 mono
    reference_rate: int


_MODELS: dict[str, object] = {}


def _speech_seconds(call: SpeechCall) -> int:
    """ZeroGPU time for one line: Chatterbox speaks faster than real time on a GPU; a line of dialogue is
    a few seconds of speech (about 15 characters a second), plus the reference's conditioning."""
    return int(min(120, 20 + 0.5 * len(call.text)))


@gpu.zerogpu(duration=_speech_seconds)
def _speak(call: SpeechCall) -> tuple[np.ndarray, int]:
    """The one GPU call of voice cloning: (float32 mono audio, its sample rate), on the CPU."""
    import soundfile as sf

    model = _MODELS[call.model_key]
    with tempfile.TemporaryDirectory() as tmp:  # the library reads its reference from a file
        ref = Path(tmp) / "reference.wav"
        sf.write(ref, call.reference_audio, call.reference_rate)
        wav = model.generate(call.text, audio_prompt_path=str(ref))
    return wav.detach().float().cpu().numpy().reshape(-1), int(model.sr)


class ChatterboxSynth:
    """VoiceSynth cloning the cameo's consent recording; espeak for cameos without one."""

    name = "chatterbox"

    def __init__(self, device: str = "cuda", fallback: VoiceSynth | None = None):
        self.device = device
        self.fallback = fallback or EspeakSynth()
        self._key: str | None = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Fetch and load now (at start-up), so the first line spoken does not wait for the download."""
        self._load()

    def _load(self) -> str:
        with self._lock:
            if self._key is None:
                try:
                    from chatterbox.tts import ChatterboxTTS
                except ImportError as exc:
                    raise ModelUnavailableError(
                        "voice_clone_missing", "the chatterbox-tts package is not installed: install the GPU "
                        "requirements (README, 'GPU deployments'), or set CAMEO_VOICE_SYNTH=espeak") from exc
                folder = gpu.fetch_model(MODEL_REPO, files=MODEL_FILES)
                try:
                    model = ChatterboxTTS.from_local(folder, device=self.device)
                except OSError as exc:
                    raise ModelUnavailableError(
                        "voice_clone_missing", f"the {MODEL_REPO} weights could not be read ({exc}); fetch them "
                        "again (`python -m pipeline fetch-models`), or set CAMEO_VOICE_SYNTH=espeak") from exc
                self._key = f"chatterbox-{id(model)}"
                _MODELS[self._key] = model
                log.info("Chatterbox loaded on %s", self.device)
            return self._key

    def synth(self, text: str, target_pitch_hz: float | None, reference: VoiceReference | None = None,
              speed: float = 1.0) -> tuple[np.ndarray, int]:
        if reference is None or reference.audio is None or reference.audio.size == 0:
            return self.fallback.synth(text, target_pitch_hz, reference, speed)
        call = SpeechCall(self._load(), text, np.asarray(reference.audio, np.float32), int(reference.sample_rate))
        audio, rate = _speak(call)
        if speed != 1.0:
            audio = load_librosa().effects.time_stretch(audio, rate=speed)
        return audio.astype(np.float32), rate


def voice_synth(choice: str, cuda: bool, warm_up: bool = False) -> VoiceSynth:
    """The synth a setting asks for: "auto" clones on a GPU host that has Chatterbox installed.

    With warm_up the model is fetched and loaded now, in a background thread; on ZeroGPU at once,
    before the app launches (models must be placed at start-up there)."""
    if choice == "chatterbox" or (choice == "auto" and cuda and chatterbox_available()):
        synth = ChatterboxSynth()
        if warm_up:
            if gpu.on_zerogpu():
                synth.warm_up()
            else:
                threading.Thread(target=_warm_quietly, args=(synth,), name="cameo-voice-loader", daemon=True).start()
        return synth
    return EspeakSynth()


def _warm_quietly(synth: ChatterboxSynth) -> None:
    try:
        synth.warm_up()
    except ModelUnavailableError as exc:  # the first line spoken reports it again, to the person
        log.error("Chatterbox could not be loaded: %s", exc.message)
