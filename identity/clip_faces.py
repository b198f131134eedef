"""The distinct people seen in a stored clip, for a moderator who adds one to the protected gallery.

Frames are sampled (two a second), every face is embedded with the studio's face
backend, and faces are grouped greedily: a face joins the first group whose best
face it matches (the backend's own match threshold, the same the firewall uses).
Each group keeps its largest face, cropped with a margin, as the photo the gallery
will learn from. Nothing here leaves the library: moderators get times and boxes
to point at, never templates or crops.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from identity.faces import FaceBackend, FaceTemplate, compare_templates
from identity.media import load_clip

SAMPLES_PER_SECOND = 2.0
MAX_CLIP_SECONDS = 120.0
CROP_MARGIN = 0.6  # of the face box's size on each side: the gallery's detector needs context around a face


@dataclass(frozen=True)
class FaceGroup:
    time_s: float  # where its largest face was seen
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1 in the clip's pixels (as analysed)
    sightings: int
    template: FaceTemplate
    photo: np.ndarray  # RGB crop around the largest face


def _crop(rgb: np.ndarray, bbox: tuple[float, float, float, float]) -> np.ndarray:
    x0, y0, x1, y1 = bbox
    mx, my = (x1 - x0) * CROP_MARGIN, (y1 - y0) * CROP_MARGIN
    h, w = rgb.shape[:2]
    return np.ascontiguousarray(rgb[max(0, int(y0 - my)):min(h, int(y1 + my)),
                                    max(0, int(x0 - mx)):min(w, int(x1 + mx))])


def face_groups(path: Path, backend: FaceBackend) -> list[FaceGroup]:
    """One group per distinct person, the most often seen first."""
    clip = load_clip(path, max_seconds=MAX_CLIP_SECONDS, max_bytes=1 << 31, require_audio=False,
                     fps=SAMPLES_PER_SECOND)
    groups: list[dict] = []
    for t, rgb in clip.frames:
        rgb = np.ascontiguousarray(rgb)
        for face in backend.detect(rgb):
            template = backend.embed(rgb, face)
            size = (face.bbox[2] - face.bbox[0]) * (face.bbox[3] - face.bbox[1])
            home = next((g for g in groups
                         if compare_templates(backend, template, g["template"]) >= backend.match_threshold), None)
            if home is None:
                groups.append({"n": 0, "size": -1.0})
                home = groups[-1]
            home["n"] += 1
            if size > home["size"]:
                home.update(size=size, time_s=t, bbox=tuple(float(v) for v in face.bbox), template=template,
                            photo=_crop(rgb, face.bbox))
    groups.sort(key=lambda g: -g["n"])
    return [FaceGroup(g["time_s"], g["bbox"], g["n"], g["template"], g["photo"]) for g in groups]
