"""The preview backend's version of each style (pipeline.styles): a visible grade of its frames.

Each look is prepared once per clip (lookup tables, a vignette, grain) and applied per frame with
vectorised OpenCV and numpy operations; the animated look's edge-preserving smoothing (done at half size)
is the costliest. They were not benchmarked on a quiet machine (see README, Preview generation). The looks
are deliberately plain and recognisable: cinematic is a teal-and-orange grade in 2.39:1 letterbox bars,
animated is flat posterised colour with ink outlines, documentary is neutral, slightly desaturated
handheld footage, vintage film is faded warm colour with grain, flicker and a vignette; realistic
leaves the frames as they are.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.styles import get_style

CINEMA_ASPECT = 2.39


def _curve(values: np.ndarray) -> np.ndarray:
    return np.clip(np.round(values), 0, 255).astype(np.uint8)


@dataclass
class Look:
    name: str
    lut: np.ndarray | None = None  # (256, 1, 3) uint8 per-channel table, for cv2.LUT
    saturation: float = 1.0
    bars: int = 0  # letterbox rows at top and bottom
    vignette: np.ndarray | None = None  # (H, W, 1) float32 gain
    grain: np.ndarray | None = None  # (K, H, W, 1) int16 noise frames, cycled
    flicker: np.ndarray | None = None  # per-frame gain
    shake: np.ndarray | None = None  # (n, 2) px offsets
    posterize: int = 0  # colour levels per channel
    outlines: bool = False

    def apply(self, frame: np.ndarray, i: int) -> None:
        """Grade one (H, W, 3) uint8 RGB frame in place."""
        if self.name == "realistic":
            return
        if self.shake is not None:
            dx, dy = self.shake[i % len(self.shake)]
            m = np.float32([[1.03, 0, dx - 0.015 * frame.shape[1]], [0, 1.03, dy - 0.015 * frame.shape[0]]])
            frame[:] = cv2.warpAffine(frame, m, (frame.shape[1], frame.shape[0]), borderMode=cv2.BORDER_REFLECT)
        if self.posterize:  # flat colour: smoothed at half size (fast), then fewer levels per channel
            h, w = frame.shape[:2]
            small = cv2.resize(frame, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
            small = cv2.bilateralFilter(small, 5, 50, 5)
            smooth = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
            cv2.LUT(smooth, self._levels(), dst=frame)
        if self.saturation != 1.0:
            grey = cv2.cvtColor(cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
            cv2.addWeighted(frame, self.saturation, grey, 1.0 - self.saturation, 0.0, dst=frame)
        if self.lut is not None:
            cv2.LUT(frame, self.lut, dst=frame)
        if self.outlines:  # ink lines on the strong edges only, so faces keep their features
            grey = cv2.GaussianBlur(cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY), (0, 0), 1.5)
            frame[cv2.Canny(grey, 90, 180) > 0] = (25, 22, 30)
        if self.vignette is not None or self.grain is not None or self.flicker is not None:
            f = frame.astype(np.float32)
            if self.vignette is not None:
                f *= self.vignette
            if self.flicker is not None:
                f *= self.flicker[i % len(self.flicker)]
            if self.grain is not None:
                f += self.grain[i % len(self.grain)]
            np.clip(f, 0, 255, out=f)
            frame[:] = f.astype(np.uint8)
        if self.bars:
            frame[: self.bars] = 0
            frame[-self.bars:] = 0

    def _levels(self) -> np.ndarray:
        step = 256 / self.posterize
        return _curve((np.floor(np.arange(256) / step) + 0.5) * step)


def prepare_look(style: str, width: int, height: int, n_frames: int, seed: int) -> Look:
    """The look for a style name (checked: an unknown style is an error), ready for `apply`."""
    name = get_style(style).name
    x = np.arange(256, dtype=np.float32)
    rng = np.random.default_rng(seed + 101)
    if name == "cinematic":
        # Shadows towards teal, highlights towards orange, a gentle S-curve for contrast.
        s = 255 * (0.5 - 0.5 * np.cos(np.pi * x / 255))
        base = 0.6 * x + 0.4 * s
        lut = np.stack([_curve(base * 1.06 + 4), _curve(base * 0.99 + 2), _curve(base * 0.88 + 14)], axis=-1)
        bars = max(0, int(round((height - width / CINEMA_ASPECT) / 2))) if width > height else int(0.06 * height)
        return Look(name, lut=lut[:, None, :], saturation=1.12, bars=bars)
    if name == "animated":
        return Look(name, saturation=1.25, posterize=8, outlines=True)
    if name == "documentary":
        t = np.arange(max(n_frames, 1), dtype=np.float32)
        shake = np.stack([2.5 * np.sin(2 * np.pi * t / 37 + rng.uniform(0, 6)) + 1.2 * np.sin(2 * np.pi * t / 11),
                          2.0 * np.sin(2 * np.pi * t / 29 + rng.uniform(0, 6)) + 1.0 * np.sin(2 * np.pi * t / 7)], axis=1)
        lut = _curve(12 + 0.92 * x)[:, None, None].repeat(3, axis=2)
        return Look(name, lut=lut, saturation=0.72, shake=shake)
    if name == "vintage_film":
        lut = np.stack([_curve(28 + 0.86 * x), _curve(18 + 0.80 * x), _curve(10 + 0.66 * x)], axis=-1)[:, None, :]
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        r = np.hypot((xx - width / 2) / (width / 2), (yy - height / 2) / (height / 2))
        vignette = np.clip(1.0 - 0.35 * r ** 2, 0.45, 1.0)[..., None]
        grain = rng.normal(0, 9, (6, height, width, 1)).astype(np.float32)
        flicker = (1.0 + rng.normal(0, 0.025, max(n_frames, 1))).astype(np.float32)
        return Look(name, lut=lut, saturation=0.55, vignette=vignette, grain=grain, flicker=flicker)
    return Look(name)
