"""The records that pass between a generation job, its backends and its sound.

A backend sees a cameo only as a `CameoRef`, built from a consent grant
(`identity.consent.Grant`) by the job: it never reads the store itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

import numpy as np

# Sizes per aspect ratio at 480p, multiples of 16 as the diffusion model's VAE and patching need.
ASPECTS: dict[str, tuple[int, int]] = {"16:9": (832, 480), "9:16": (480, 832), "1:1": (480, 480)}
MIN_SECONDS, MAX_SECONDS = 2.0, 10.0
MAX_CAMEOS = 3


@dataclass(frozen=True)
class CameoRef:
    """One cameo as a backend may use it: aligned face crops (RGB uint8, 256x256) and voice facts."""

    cameo_id: str
    handle: str
    crops_rgb: tuple[np.ndarray, ...]
    voice_pitch_hz: float | None
    instructions: str = ""
    switches: tuple[str, ...] = ()


@dataclass(frozen=True)
class VoiceReference:
    """A cameo's voice as the grant gives it: the enrolled embedding, and the consent recording's speech
    (16 kHz mono float32) where the studio keeps it for a voice-cloning TTS; no other reference is used."""

    embedding: object  # identity.voices.VoiceEmbedding
    audio: np.ndarray | None = None
    sample_rate: int = 16000


@dataclass(frozen=True)
class DialogueLine:
    """A quoted line attributed to a cameo in the prompt, e.g. `@alice says "we made it!"`."""

    handle: str
    text: str
    start_s: float = 0.0
    end_s: float = 0.0


@dataclass(frozen=True)
class Progress:
    stage: str  # e.g. "sound", "render", "safety", "encode"
    step: int
    total: int


ProgressFn = Callable[[Progress], None]


@dataclass(frozen=True)
class RenderSpec:
    """Everything a backend needs for one clip; validated by the job before any work."""

    prompt: str
    cameos: tuple[CameoRef, ...]
    duration_s: float
    width: int
    height: int
    seed: int
    negative_prompt: str = ""
    dialogue: tuple[DialogueLine, ...] = ()
    # Mouth openness per cameo handle in [0, 1], one value per output frame (from the dialogue audio).
    mouth: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class RenderedVideo:
    frames: np.ndarray  # (T, H, W, 3) uint8 RGB
    fps: float
    backend: str
    model: str


class GenerationBackend(Protocol):
    """A video generator: the preview renderer (CPU) or the diffusion pipeline (GPU)."""

    name: str
    model: str
    fps: float

    def render(self, spec: RenderSpec, on_progress: ProgressFn) -> RenderedVideo: ...
