"""Passive liveness: is this a live, three-dimensional face, or a picture of one?

The active part (random head turns, random digits) is in the challenge. Two
cheap geometric cues catch the common presentation attacks without a model:

* A still photo, or a frozen frame, barely changes shape: after removing the
  face's position and size, its landmarks stay where they were.
* A photo moved or tilted in front of the camera is a plane, so the nose in a
  turned frame sits exactly where the homography that maps the neutral frame's
  brows, eyes and mouth onto the turned frame's puts it. A real nose stands
  2-3 cm out of that plane and, when the head turns, moves off it by a large
  fraction of the distance between the eyes.

A second, model-free form of the planarity cue tracks a few hundred image
points on the face (optical flow) from just before each turn to its peak: a
plane's points all follow one homography, a head's do not. It matters because
dlib's landmark model has a 3D face prior that, on a photo tilted 30 deg or
more, can place the nose as if the head had turned; the tracked pixels have no
such prior. Both cues must show depth.

Neither cue stops a replayed video of the real person on a tablet; the random
challenge does (the replay would have to show the requested turns and digits).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

# Landmark motion below this (RMS, in inter-ocular distances, after aligning
# position, scale and rotation) means the face did not change shape at all.
# Measured: real talking heads 0.040-0.095; a photo held still, then rotated
# in front of the camera 0.008-0.010 (median over the clip); a still image ~0.
MIN_SHAPE_MOTION = 0.015
# Median, over the frames of the head turns, of the nose's distance from where a
# plane would put it (RMS over the 9 nose landmarks, in inter-ocular distances).
# Measured on the fixtures: real heads 0.060 (AOC, talking only), 0.079 (d3),
# 0.086 (d9), 0.11-0.12 (the synthesized challenge clips); the printed photo F1
# and the tablet photo F2 rotated 30-35 deg in front of the camera: 0.015-0.022
# (max over frames 0.031). See tests/test_liveness.py.
MIN_NONPLANAR_RESIDUAL = 0.04
# 80th percentile of the tracked points' distance from the best homography
# (LMedS), in face widths, median over the turns. Measured: real turns of the d3
# woman 0.012-0.053 (smallest: a 15 deg glance); the photos F1, F2 and T1 rotated
# flat-to-35 and flat-to-45 deg in yaw or 30 deg in pitch: 0.0026-0.0073
# (tracking noise under perspective). See tests/test_liveness.py.
MIN_FLOW_PARALLAX = 0.0095
_PLANE = list(range(17, 27)) + list(range(36, 68))  # brows, eyes, mouth
_NOSE = list(range(27, 36))


@dataclass(frozen=True)
class LivenessReport:
    live: bool
    shape_motion: float
    nonplanar_residual: float
    flow_parallax: float | None = None
    reasons: list[str] = field(default_factory=list)


def _interocular(lm: np.ndarray) -> float:
    return float(np.linalg.norm(lm[36:42].mean(axis=0) - lm[42:48].mean(axis=0))) or 1.0


def _normalize(lm: np.ndarray) -> np.ndarray:
    """Landmarks centred and scaled by the inter-ocular distance."""
    return (lm - lm.mean(axis=0)) / _interocular(lm)


def shape_motion(landmarks: list[np.ndarray]) -> float:
    """RMS landmark displacement from the mean shape, after a similarity alignment."""
    if len(landmarks) < 2:
        return 0.0
    shapes = [_normalize(lm) for lm in landmarks]
    ref = np.mean(shapes, axis=0)
    dists = []
    for s in shapes:
        m, _ = cv2.estimateAffinePartial2D(s.astype(np.float32), ref.astype(np.float32), method=cv2.LMEDS)
        if m is None:
            continue
        aligned = s @ m[:, :2].T + m[:, 2]
        dists.append(np.sqrt(np.mean(np.sum((aligned - ref) ** 2, axis=1))))
    return float(np.median(dists)) if dists else 0.0


def nose_off_plane(a: np.ndarray, b: np.ndarray) -> float:
    """How far the nose in `b` is from where the face plane (brows, eyes, mouth) of `a` puts it."""
    h, _ = cv2.findHomography(a[_PLANE].astype(np.float64), b[_PLANE].astype(np.float64), 0)
    if h is None:
        return 0.0
    proj = cv2.perspectiveTransform(a[_NOSE].reshape(-1, 1, 2).astype(np.float64), h).reshape(-1, 2)
    return float(np.sqrt(np.mean(np.sum((proj - b[_NOSE]) ** 2, axis=1))) / _interocular(b))


def flow_parallax(frames: list[np.ndarray], bbox: tuple[float, float, float, float]) -> float | None:
    """How far points tracked across `frames` (RGB, in order) stray from one homography.

    Points are found in the face box of the first frame and tracked frame to
    frame (pyramidal Lucas-Kanade, kept only if tracking back lands within 1 px).
    Returns the 80th percentile distance from the LMedS homography, in face
    widths; None when too few points survive to judge.
    """
    grey = [cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in frames]
    x0, y0, x1, y1 = (int(v) for v in bbox)
    width = max(x1 - x0, 1)
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    mask = np.zeros_like(grey[0])
    mask[max(0, cy - int(0.45 * width)) : cy + int(0.45 * width), max(0, cx - int(0.4 * width)) : cx + int(0.4 * width)] = 255
    start = cv2.goodFeaturesToTrack(grey[0], 300, 0.01, 4, mask=mask)
    if start is None:
        return None
    pts, keep = start.copy(), np.ones(len(start), bool)
    # A small window: large ones smear under the perspective change of a tilted photo.
    lk = dict(winSize=(11, 11), maxLevel=4)
    for a, b in zip(grey[:-1], grey[1:]):
        nxt, ok, _ = cv2.calcOpticalFlowPyrLK(a, b, pts, None, **lk)
        back, ok_back, _ = cv2.calcOpticalFlowPyrLK(b, a, nxt, None, **lk)
        drift = np.linalg.norm((back - pts).reshape(-1, 2), axis=1)
        keep &= (ok.ravel() == 1) & (ok_back.ravel() == 1) & (drift < 1.0)
        pts = nxt
    src, dst = start[keep].reshape(-1, 2), pts[keep].reshape(-1, 2)
    if len(src) < 20:
        return None
    h, _ = cv2.findHomography(src, dst, cv2.LMEDS)
    if h is None:
        return None
    proj = cv2.perspectiveTransform(src.reshape(-1, 1, 2), h).reshape(-1, 2)
    return float(np.percentile(np.linalg.norm(proj - dst, axis=1), 80) / width)


def assess_liveness(
    landmarks: list[np.ndarray], turned: list[int], neutral: int, parallax: list[float] | None = None
) -> LivenessReport:
    """Judge from per-frame landmarks, the frames inside the detected head turns, a neutral
    frame, and the optical-flow parallax of each turn."""
    motion = shape_motion(landmarks)
    residuals = [nose_off_plane(landmarks[neutral], landmarks[i]) for i in turned]
    residual = float(np.median(residuals)) if residuals else 0.0
    flow = float(np.median(parallax)) if parallax else None
    reasons = []
    if motion < MIN_SHAPE_MOTION:
        reasons.append("the face never moved or changed expression, as in a photo or a frozen video")
    if not turned:
        reasons.append("we saw no head turn that a flat picture could not make")
    elif residual < MIN_NONPLANAR_RESIDUAL or flow is None or flow < MIN_FLOW_PARALLAX:
        reasons.append("the face turned like a flat picture, not a head; record your real face, not a photo or screen")
    return LivenessReport(not reasons, motion, residual, flow, reasons)
