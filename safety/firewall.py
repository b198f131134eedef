"""The likeness firewall: no face in a finished clip may belong to someone outside its consent grant.

Faces in sampled frames are embedded with the studio's face backend and compared
with every active cameo and the protected-people gallery. A face that matches a
cameo not in the grant, or a protected person, blocks the clip. A revoked
cameo's templates are deleted with it, so it is matched no more: its own clips
are stopped by the consent re-check instead, and deletion wins over detection.
For each granted cameo, the best similarity of any face to it is recorded: the
clip's identity-preservation figure.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from identity.faces import FaceBackend, FaceTemplate, compare_templates, made_by
from identity.gallery import ProtectedGallery
from identity.store import Cameo
from safety.moderation import sample_indices


@dataclass(frozen=True)
class FaceSighting:
    time_s: float
    bbox: tuple[float, float, float, float]
    who: str | None  # "@handle", "protected:<person>", or None when nobody matched
    similarity: float


@dataclass(frozen=True)
class FirewallResult:
    allowed: bool
    frames_checked: int
    sightings: tuple[FaceSighting, ...]
    blocked_by: tuple[str, ...] = ()
    identity_similarity: dict[str, float | None] = field(default_factory=dict)  # granted handle -> best
    face_boxes: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        if self.allowed:
            return ""
        who = ", ".join(b.removeprefix("protected:") if b.startswith("protected:") else b for b in self.blocked_by)
        return f"the clip shows someone who has not consented to appear in it ({who})"


def _best(backend: FaceBackend, t: FaceTemplate, refs: list[FaceTemplate]) -> float:
    usable = [r for r in refs if made_by(r, backend)]
    return max((compare_templates(backend, t, r) for r in usable), default=-1.0)


def check_faces(frames: np.ndarray, fps: float, backend: FaceBackend, granted: dict[str, str],
                cameos: list[Cameo], gallery: ProtectedGallery | None) -> FirewallResult:
    """`granted` maps cameo id -> handle for the clip's grant; `cameos` are all active cameos."""
    sightings: list[FaceSighting] = []
    blocked: list[str] = []
    best_for: dict[str, float | None] = dict.fromkeys(granted.values())
    boxes: dict[int, list] = {}
    handles = {c.id: c.handle for c in cameos}
    idx = sample_indices(len(frames), fps)
    for i in idx:
        rgb = np.ascontiguousarray(frames[i])
        faces = backend.detect(rgb)
        boxes[i] = [f.bbox for f in faces]
        for face in faces:
            t = backend.embed(rgb, face)
            scores = {c.id: _best(backend, t, c.templates) for c in cameos}
            who, sim = None, -1.0
            if scores:
                cid = max(scores, key=scores.get)
                if cid in granted:
                    best_for[granted[cid]] = max(scores[cid], best_for[granted[cid]] or -1.0)
                if scores[cid] >= backend.match_threshold:
                    who, sim = f"@{handles[cid]}", scores[cid]
                    if cid not in granted:
                        blocked.append(who)
            match = gallery.best_match([t]) if gallery else None
            if match is not None and match.similarity > sim:
                who, sim = f"protected:{match.person}", match.similarity
                blocked.append(who)
            sightings.append(FaceSighting(i / fps, face.bbox, who, sim))
    return FirewallResult(not blocked, len(idx), tuple(sightings), tuple(dict.fromkeys(blocked)),
                          {h: (round(v, 4) if v is not None else None) for h, v in best_for.items()}, boxes)
