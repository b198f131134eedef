"""Frame moderation: sampled frames of a finished clip go through NudeNet before anything is saved.

NudeNet's detector (its ONNX model ships in the `nudenet` wheel) finds body parts
with a score each. A clip is discarded when any sampled frame shows an exposed
intimate part above threshold; teen clips (strict) use lower thresholds and also
refuse covered genitalia. The thresholds follow the detector's authors' usage
(0.5 for a confident detection); we could not calibrate them on explicit media,
which this project does not keep, so tests check the wiring on real photos with
the benign labels the detector finds in them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
import cv2
import numpy as np

FRAMES_PER_SECOND = 2.0  # the floor: at least two sampled frames per second

EXPLICIT = ("FEMALE_GENITALIA_EXPOSED", "MALE_GENITALIA_EXPOSED", "FEMALE_BREAST_EXPOSED",
            "BUTTOCKS_EXPOSED", "ANUS_EXPOSED")
THRESHOLDS = {label: 0.5 for label in EXPLICIT}
STRICT_THRESHOLDS = {**{label: 0.3 for label in EXPLICIT}, "FEMALE_GENITALIA_COVERED": 0.5,
                     "MALE_BREAST_EXPOSED": 0.6}


@dataclass(frozen=True)
class FrameFinding:
    time_s: float
    label: str
    score: float


@dataclass(frozen=True)
class ModerationResult:
    allowed: bool
    frames_checked: int
    findings: tuple[FrameFinding, ...] = ()
    max_scores: dict[str, float] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        if self.allowed:
            return ""
        f = self.findings[0]
        return f"the clip shows nudity ({f.label.lower().replace('_', ' ')}, at {f.time_s:.1f} s)"


@lru_cache(maxsize=1)
def _detector():
    from nudenet import NudeDetector

    return NudeDetector()


def sample_indices(n_frames: int, fps: float, per_second: float = FRAMES_PER_SECOND) -> list[int]:
    """Evenly spaced frame indices, at least `per_second` per second of video (and the last frame)."""
    if n_frames <= 0:
        return []
    step = max(1, int(fps / per_second))
    idx = list(range(0, n_frames, step))
    if idx[-1] != n_frames - 1:
        idx.append(n_frames - 1)
    return idx


def detect_frame(rgb: np.ndarray) -> list[dict]:
    # NudeNet converts RGBA to BGR itself; give it BGRA so any 3-channel input works.
    return _detector().detect(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGRA))


def moderate_frames(frames: np.ndarray, fps: float, strict: bool = False,
                    thresholds: dict[str, float] | None = None) -> ModerationResult:
    limits = thresholds or (STRICT_THRESHOLDS if strict else THRESHOLDS)
    findings: list[FrameFinding] = []
    maxima: dict[str, float] = {}
    idx = sample_indices(len(frames), fps)
    for i in idx:
        for det in detect_frame(frames[i]):
            label, score = det["class"], float(det["score"])
            maxima[label] = max(score, maxima.get(label, 0.0))
            if label in limits and score >= limits[label]:
                findings.append(FrameFinding(i / fps, label, score))
    return ModerationResult(not findings, len(idx), tuple(findings), maxima)
