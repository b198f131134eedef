"""Is the face in the recording another face laid over the person's head? A consistency cue, reported.

A face swap renders a face (from a photo or another person's video) onto the
recording's head frame by frame. The geometric liveness cues pass it when the
swapped face is warped to follow the real head, and the identity checks see one
consistent (swapped-in) face. What a swap made from a still photo cannot do is
*change* like a face: brought back to one canonical shape (every frame's face
warped onto the same 68-landmark layout), a real face keeps changing as it
speaks, blinks, looks around and turns in the light, while a photo's texture
comes back the same in every frame, whatever the head does around it.

The cue, `texture_change`: the face's skin and features (inside the landmark
hull, brows to chin) warped to a canonical 64 x 64 layout, normalised for
brightness and contrast, compared with the recording's median face; the 80th
percentile over frames of the mean absolute difference, in units of the face's
own contrast. `ring_change` is the same for the band around the face (hair, ears,
neck, background): a face that changes far less than its surroundings is a mask.

Measured (bench/bench_face_spoof.py, README "Anti-spoofing"): against the same
person's own recording, a swap from a photo always changed less (0.12-0.27 against
0.15-0.48), but across people the ranges overlap: the calmest real faces change
no more than a swapped photo on a lively head. So it is **reported, not
enforced**: `flagged` (the face changing under 0.4 of its surroundings; no bona
fide recording with a turn was below 0.51, 2 of 9 photo swaps were) is a figure
for review. What it cannot catch at all: a swap whose face itself changes,
because it comes from another person's video or from a model that animates it
(reenactment, real-time deepfakes); those leave seams and colour steps that need
a trained detector.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

CANON = 64
# Flagged for review (not refused) when the face changes less than this share of its surroundings.
REVIEW_RATIO = 0.4
MIN_FRAMES = 8
MAX_FRAMES = 30  # spread over the recording; each costs ~10 ms to warp

_HULL = list(range(0, 17)) + [26, 25, 24, 23, 22, 21, 20, 19, 18, 17]


@dataclass(frozen=True)
class SwapReport:
    texture_change: float  # the face's change over time (its own contrast units)
    ring_change: float  # the same for the band around the face
    flagged: bool  # for review, not a refusal


@lru_cache(maxsize=1)
def _canonical() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A mean 68-point face in a CANON x CANON square, its triangles and the hull mask."""
    from scipy.spatial import Delaunay

    # dlib's mean face (the 68-point template of face_recognition's alignment), scaled into the square.
    pts = _TEMPLATE * np.array([CANON * 0.84, CANON * 0.86]) + np.array([CANON * 0.08, CANON * 0.02])
    tri = Delaunay(pts).simplices
    mask = np.zeros((CANON, CANON), np.uint8)
    cv2.fillConvexPoly(mask, np.round(cv2.convexHull(pts[_HULL].astype(np.float32))).astype(np.int32).reshape(-1, 2), 1)
    mask = cv2.erode(mask, np.ones((3, 3), np.uint8))
    return pts, tri, mask.astype(bool)


def warp_triangles(src: np.ndarray, src_pts: np.ndarray, dst_pts: np.ndarray, size: tuple[int, int],
                   tri: np.ndarray, interpolation: int = cv2.INTER_LINEAR) -> np.ndarray:
    """Piecewise-affine warp of `src` (float32, grey or colour) so that src_pts land on dst_pts, triangle by
    triangle of `tri`, on a canvas of `size` (w, h)."""
    w, h = size
    out = np.zeros((h, w) + src.shape[2:], np.float32)
    for simplex in tri:
        s, d = src_pts[simplex].astype(np.float32), dst_pts[simplex].astype(np.float32)
        x, y, bw, bh = cv2.boundingRect(d)
        x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + bw, w), min(y + bh, h)
        if x1 <= x0 or y1 <= y0:
            continue
        m = cv2.getAffineTransform(s, (d - [x0, y0]).astype(np.float32))
        patch = cv2.warpAffine(src, m, (x1 - x0, y1 - y0), flags=interpolation, borderMode=cv2.BORDER_REFLECT)
        tmask = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.fillConvexPoly(tmask, np.round(d - [x0, y0]).astype(np.int32), 1)
        region = out[y0:y1, x0:x1]
        region[tmask > 0] = patch[tmask > 0]
    return out


def canonical_face(grey: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """The face warped triangle by triangle onto the canonical layout (float32, CANON x CANON)."""
    pts, tri, _ = _canonical()
    return warp_triangles(grey.astype(np.float32), landmarks, pts, (CANON, CANON), tri, cv2.INTER_AREA)


def _ring(grey: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """The band around the face (hair, ears, neck, background), in the face's own frame, 64 x 64."""
    lm = landmarks.astype(np.float32)
    left, right = lm[36:42].mean(0), lm[42:48].mean(0)
    center = (left + right) / 2 + 0.5 * (lm[57] - (left + right) / 2)
    iod = float(np.linalg.norm(right - left)) or 1.0
    angle = float(np.degrees(np.arctan2(*(right - left)[::-1])))
    m = cv2.getRotationMatrix2D(tuple(map(float, center)), angle, CANON / (4.5 * iod))
    m[:, 2] += CANON / 2 - center
    box = cv2.warpAffine(grey.astype(np.float32), m, (CANON, CANON), flags=cv2.INTER_AREA,
                         borderMode=cv2.BORDER_REPLICATE)
    hull = cv2.transform(lm[_HULL][None], m)[0]
    mask = np.ones((CANON, CANON), np.uint8)
    cv2.fillConvexPoly(mask, np.round(cv2.convexHull(hull)).astype(np.int32).reshape(-1, 2), 0)
    mask = cv2.erode(mask, np.ones((5, 5), np.uint8))
    return np.where(mask > 0, box, np.nan)


def _change(stack: np.ndarray, mask: np.ndarray) -> float:
    """80th percentile over frames of the mean absolute difference from the median frame, over the pixels
    inside `mask` that every frame has, each frame normalised to zero mean and unit contrast there."""
    valid = mask & np.all(~np.isnan(stack), axis=0)
    if valid.sum() < 16:
        return 0.0
    pixels = stack[:, valid]
    normed = (pixels - pixels.mean(axis=1, keepdims=True)) / (pixels.std(axis=1, keepdims=True) + 1e-3)
    diffs = np.abs(normed - np.median(normed, axis=0)).mean(axis=1)
    return float(np.percentile(diffs, 80))


def assess_face_swap(frames: list[tuple[np.ndarray, np.ndarray]]) -> SwapReport:
    """The cue from frames with one face, (RGB, 68 landmarks), in time order."""
    if len(frames) < MIN_FRAMES:
        return SwapReport(0.0, 0.0, False)
    frames = [frames[i] for i in np.linspace(0, len(frames) - 1, min(MAX_FRAMES, len(frames))).astype(int)]
    greys = [cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) for rgb, _ in frames]
    _, _, mask = _canonical()
    faces = np.stack([canonical_face(g, lm) for g, (_, lm) in zip(greys, frames)])
    rings = np.stack([_ring(g, lm) for g, (_, lm) in zip(greys, frames)])
    texture = _change(faces, mask)
    ring = _change(rings, np.ones((CANON, CANON), bool))
    return SwapReport(round(texture, 4), round(ring, 4), bool(texture < REVIEW_RATIO * ring))


# The 68-point mean face, normalised to [0, 1] (the template of dlib's face alignment, as in openface).
_TEMPLATE = np.array([
    (0.0792, 0.3396), (0.0829, 0.4567), (0.0967, 0.5725), (0.1221, 0.6853), (0.1683, 0.7902), (0.2399, 0.8787),
    (0.3285, 0.9480), (0.4266, 0.9983), (0.5352, 1.0000), (0.6424, 0.9865), (0.7382, 0.9335), (0.8237, 0.8615),
    (0.8884, 0.7706), (0.9297, 0.6649), (0.9521, 0.5516), (0.9626, 0.4342), (0.9674, 0.3160), (0.1590, 0.2006),
    (0.2150, 0.1441), (0.2932, 0.1215), (0.3757, 0.1270), (0.4532, 0.1520), (0.5939, 0.1482), (0.6725, 0.1199),
    (0.7544, 0.1096), (0.8336, 0.1286), (0.8910, 0.1827), (0.5236, 0.2443), (0.5247, 0.3215), (0.5253, 0.3978),
    (0.5262, 0.4764), (0.4385, 0.5319), (0.4822, 0.5467), (0.5294, 0.5595), (0.5764, 0.5445), (0.6192, 0.5287),
    (0.2529, 0.2561), (0.3010, 0.2281), (0.3603, 0.2271), (0.4132, 0.2616), (0.3590, 0.2744), (0.3000, 0.2756),
    (0.6390, 0.2566), (0.6913, 0.2197), (0.7506, 0.2190), (0.7993, 0.2453), (0.7522, 0.2652), (0.6934, 0.2665),
    (0.3366, 0.7138), (0.4020, 0.6822), (0.4669, 0.6669), (0.5254, 0.6792), (0.5859, 0.6651), (0.6536, 0.6789),
    (0.7190, 0.7083), (0.6559, 0.7718), (0.5906, 0.8003), (0.5272, 0.8069), (0.4638, 0.8016), (0.4016, 0.7747),
    (0.3633, 0.7163), (0.4653, 0.7077), (0.5260, 0.7143), (0.5872, 0.7066), (0.6893, 0.7149), (0.5884, 0.7334),
    (0.5263, 0.7409), (0.4647, 0.7349),
])
