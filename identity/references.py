"""Head-and-shoulders references for the video model, made at enrollment from the consent recording.

VACE's guide asks for reference images of the subject on a white background, and identity references
work better larger than a tight 256 px face crop. So for each frame enrollment picked for a crop, this
makes a 512x640 portrait: eyes level, the head in the upper half, shoulders below, everything outside
the person painted white, and nothing from outside the camera frame smeared in (the border is white).

Segmentation: OpenCV's GrabCut, seeded from the face's landmarks: the face itself is certain
foreground, the head around it and a torso below the chin are probable foreground, the top and the
upper sides of the portrait are certain background. It needs no model and no download.
mediapipe 0.10.14 was evaluated first (its selfie segmenter ships in the wheel, Apache-2.0), in a
scratch environment: it fails to import with numpy 2 ("initialization failed"; it was built for numpy 1)
and it requires protobuf<5 (the studio has 7) and opencv-contrib-python (which would overwrite the
headless cv2), so it was not installed.

Every reference is checked with the face backend: its face must still match the cameo's templates
(same model, at the backend's threshold); one that does not is dropped, never stored. They come only
from the recording the person consented with, are encrypted at rest with the crops and deleted with
them on revoke (identity.store).
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from identity.faces import Face, FaceBackend, FaceTemplate, compare_templates, made_by

WIDTH, HEIGHT = 512, 640
EYE_Y = 0.34  # the eyes' height in the portrait
EYE_DIST = 0.17  # of the width: head and shoulders in frame
WHITE = (255, 255, 255)
# Segmentation runs on a small copy (the mask is feathered anyway): 128 px wide and 3 iterations took
# 0.3-0.75 s per reference on this shared 2-core machine, 192 px and 4 iterations 2.5-3 s.
GRABCUT_WIDTH = 128
GRABCUT_ITERATIONS = 3
MAX_REFERENCES = 2  # the video model takes the first; the second stands by (enrollment time is bounded)


@dataclass(frozen=True)
class ReferenceSet:
    images: list[np.ndarray]  # RGB uint8 (HEIGHT, WIDTH, 3), the ones that passed the face check
    similarities: list[float | None]  # per source frame; None: no face found in the reference
    png: list[bytes]


def _portrait_transform(face: Face) -> np.ndarray:
    lm = face.landmarks
    left, right = lm[36:42].mean(axis=0), lm[42:48].mean(axis=0)
    center = (left + right) / 2.0
    dx, dy = right - left
    angle = float(np.degrees(np.arctan2(dy, dx)))
    scale = (EYE_DIST * WIDTH) / max(float(np.hypot(dx, dy)), 1.0)
    m = cv2.getRotationMatrix2D((float(center[0]), float(center[1])), angle, scale)
    m[0, 2] += WIDTH / 2.0 - center[0]
    m[1, 2] += EYE_Y * HEIGHT - center[1]
    return m


def _seed_mask(landmarks: np.ndarray, h: int, w: int) -> np.ndarray:
    """GrabCut's starting labels from the face's landmarks (in portrait pixels)."""
    mask = np.full((h, w), cv2.GC_PR_BGD, np.uint8)
    hull = cv2.convexHull(landmarks.astype(np.float32)).astype(np.int32)
    center = landmarks.mean(axis=0)
    face_w = float(np.ptp(landmarks[:, 0]))
    chin = landmarks[8]
    # Probable foreground: the head (the face hull grown upwards for hair) and the torso below the chin.
    grown = ((hull.reshape(-1, 2) - center) * 1.55 + center - [0, 0.3 * face_w]).astype(np.int32)
    cv2.fillConvexPoly(mask, cv2.convexHull(grown), cv2.GC_PR_FGD)
    neck_top = int(chin[1] - 0.1 * face_w)
    torso = np.array([[center[0] - 0.45 * face_w, neck_top], [center[0] + 0.45 * face_w, neck_top],
                      [center[0] + 1.6 * face_w, h], [center[0] - 1.6 * face_w, h]], np.int32)
    cv2.fillConvexPoly(mask, torso, cv2.GC_PR_FGD)
    # Certain background: the top band and the upper sides (shoulders may reach the lower sides).
    band = max(2, w // 32)
    mask[:band] = cv2.GC_BGD
    mask[: int(0.55 * h), :band] = cv2.GC_BGD
    mask[: int(0.55 * h), -band:] = cv2.GC_BGD
    # Certain foreground: the face itself, shrunk a little, and the neck just below the chin.
    inner = ((hull.reshape(-1, 2) - center) * 0.85 + center).astype(np.int32)
    cv2.fillConvexPoly(mask, inner, cv2.GC_FGD)
    cv2.rectangle(mask, (int(chin[0] - 0.15 * face_w), int(chin[1])), (int(chin[0] + 0.15 * face_w),
                  int(chin[1] + 0.25 * face_w)), cv2.GC_FGD, -1)
    return mask


def segment_on_white(portrait: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """The person in `portrait` (RGB) on white, by GrabCut seeded from the landmarks (portrait pixels)."""
    h, w = portrait.shape[:2]
    k = GRABCUT_WIDTH / w
    small = cv2.resize(portrait, (GRABCUT_WIDTH, round(h * k)), interpolation=cv2.INTER_AREA)
    mask = _seed_mask(landmarks * k, *small.shape[:2])
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.grabCut(cv2.cvtColor(small, cv2.COLOR_RGB2BGR), mask, None, bgd, fgd, GRABCUT_ITERATIONS, cv2.GC_INIT_WITH_MASK)
    person = np.isin(mask, (cv2.GC_FGD, cv2.GC_PR_FGD)).astype(np.uint8) * 255
    # Keep the component that holds the face: stray background blobs go white.
    n, labels = cv2.connectedComponents(person)
    if n > 2:
        face_label = labels[int(landmarks[30, 1] * k), int(landmarks[30, 0] * k)]
        if face_label:
            person = np.where(labels == face_label, 255, 0).astype(np.uint8)
    alpha = cv2.GaussianBlur(cv2.resize(person, (w, h), interpolation=cv2.INTER_LINEAR), (0, 0), 2.0)
    a = alpha.astype(np.float32)[..., None] / 255.0
    return np.clip(portrait.astype(np.float32) * a + 255.0 * (1.0 - a), 0, 255).astype(np.uint8)


def head_and_shoulders(rgb: np.ndarray, face: Face) -> np.ndarray:
    """A 512x640 portrait of the person on white, eyes level (no check: see `build_references`)."""
    m = _portrait_transform(face)
    portrait = cv2.warpAffine(rgb, m, (WIDTH, HEIGHT), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_CONSTANT,
                              borderValue=WHITE)
    pts = np.c_[face.landmarks, np.ones(len(face.landmarks))] @ m.T
    return segment_on_white(portrait, pts)


def _png(rgb: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    if not ok:  # pragma: no cover - a valid RGB array always encodes
        raise ValueError("could not encode a reference")
    return buf.tobytes()


def build_references(sources: list[tuple[np.ndarray, Face]], backend: FaceBackend,
                     templates: list[FaceTemplate]) -> ReferenceSet:
    """One verified reference per (frame, face) source: made, then kept only if it still matches."""
    usable = [t for t in templates if made_by(t, backend)]
    images, sims, pngs = [], [], []
    for rgb, face in sources:
        if len(images) == MAX_REFERENCES:
            break
        ref = head_and_shoulders(rgb, face)
        found = backend.detect(ref) or backend.detect(ref, small_faces=True)
        if not found or not usable:
            sims.append(None)
            continue
        probe = backend.embed(ref, max(found, key=lambda f: f.height))
        best = max(compare_templates(backend, probe, t) for t in usable)
        sims.append(round(float(best), 4))
        if best >= backend.match_threshold:
            images.append(ref)
            pngs.append(_png(ref))
    return ReferenceSet(images, sims, pngs)
