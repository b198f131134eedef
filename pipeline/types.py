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
MAX_INGREDIENTS = 2


@dataclass(frozen=True)
class CameoRef:
    """One cameo as a backend may use it: aligned face crops (RGB uint8, 256x256) and voice facts."""

    cameo_id: str
    handle: str
    crops_rgb: tuple[np.ndarray, ...]
    voice_pitch_hz: float | None
    instructions: str = ""
    switches: tuple[str, ...] = ()
    # Head-and-shoulders references on white, made at enrollment (identity.references); empty for
    # cameos enrolled before they existed, and then the face crop stands in.
    references_rgb: tuple[np.ndarray, ...] = ()


@dataclass(frozen=True)
class IngredientRef:
    """An image reference ("ingredient") a creator added to a clip: an object, product, place or outfit.

    Checked by the job before any rendering (pipeline.ingredients, safety.ingredients); only its hash
    reaches the clip's Content Credentials."""

    kind: str  # "object", "product", "place" or "outfit"
    label: str  # what the creator calls it ("my red car"); may be empty
    rgb: np.ndarray  # (H, W, 3) uint8
    sha256: str  # of the uploaded file's bytes


@dataclass(frozen=True)
class ClipLimits:
    """What a backend can render, checked by the job before any work (durations in seconds)."""

    min_seconds: float
    max_seconds: float
    sizes: dict[str, tuple[int, int]]  # aspect ratio -> (width, height)
    why: str = ""  # said when a request is refused: why this backend has these limits

    def problem(self, duration_s: float, aspect: str) -> tuple[str, str, dict] | None:
        """(code, message, params) when a request is outside these limits, else None."""
        note = f" ({self.why})" if self.why else ""
        if not self.min_seconds <= duration_s <= self.max_seconds:
            return ("bad_duration", f"this studio's {'video model' if self.why else 'renderer'} makes clips of "
                    f"{self.min_seconds:g} to {self.max_seconds:g} seconds{note}; pick a length in that range",
                    {"least": f"{self.min_seconds:g}", "most": f"{self.max_seconds:g}"})
        if aspect not in self.sizes:
            return ("bad_aspect", f"this studio makes {', '.join(self.sizes)} clips, not {aspect}{note}",
                    {"choices": ", ".join(self.sizes), "aspect": aspect})
        return None


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
    style: str = "realistic"  # a key of pipeline.styles.STYLES
    ingredients: tuple[IngredientRef, ...] = ()


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
    limits: ClipLimits

    def render(self, spec: RenderSpec, on_progress: ProgressFn) -> RenderedVideo: ...
