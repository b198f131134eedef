"""Image references pass the same checks as a finished clip's frames, before anything is rendered.

An ingredient is shown to the video model as a reference, so whatever is in it can end up in the clip.
It is refused when NudeNet finds nudity in it (the frame thresholds, strict ones for teen clips), and
when it shows a face that is not one of the clip's granted cameos: a stranger, another user's cameo that
was not granted, or a protected person. A face that does match a granted cameo is allowed (the owner
consented to their likeness in this clip), and noted. Faces are looked for with the detector's
small-face mode, so a person in the background of a street or a shop is found too.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from identity.faces import FaceBackend, compare_templates, made_by
from identity.gallery import ProtectedGallery
from identity.store import Cameo
from safety.moderation import moderate_frames


@dataclass(frozen=True)
class IngredientVerdict:
    allowed: bool
    reason: str = ""
    faces: int = 0
    granted_faces: tuple[str, ...] = ()  # handles of granted cameos seen in the image


def check_ingredient(rgb: np.ndarray, position: int, backend: FaceBackend, granted: dict[str, str],
                     cameos: list[Cameo], gallery: ProtectedGallery | None, strict: bool = False) -> IngredientVerdict:
    """`granted` maps cameo id -> handle for the clip's grant; `cameos` are all active cameos."""
    name = f"image reference {position}"
    rgb = np.ascontiguousarray(rgb)
    nudity = moderate_frames(rgb[None], 1.0, strict=strict)
    if not nudity.allowed:
        label = nudity.findings[0].label.lower().replace("_", " ")
        return IngredientVerdict(False, f"{name} shows nudity ({label}); use another image")
    faces = backend.detect(rgb, small_faces=True)
    seen: list[str] = []
    for face in faces:
        template = backend.embed(rgb, face)
        best_id, best = None, -1.0
        for cameo in cameos:
            usable = [t for t in cameo.templates if made_by(t, backend)]
            score = max((compare_templates(backend, template, t) for t in usable), default=-1.0)
            if score > best:
                best_id, best = cameo.id, score
        protected = gallery.best_match([template]) if gallery is not None else None
        if protected is not None:  # above the backend's threshold
            return IngredientVerdict(False, f"{name} shows a protected person; images of them cannot be used",
                                     len(faces))
        if best_id in granted and best >= backend.match_threshold:
            seen.append(granted[best_id])
            continue
        return IngredientVerdict(False, f"{name} shows a person who is not one of this clip's cameos; use a photo "
                                        "without people (crop them out), or add them as a cameo with their consent",
                                 len(faces))
    return IngredientVerdict(True, "", len(faces), tuple(dict.fromkeys(seen)))
