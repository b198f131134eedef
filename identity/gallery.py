"""The protected-people gallery: faces that no account may enroll as a cameo.

A folder of `<person>/<photos>` (public figures, people who asked to be
protected). Templates are computed once per backend and kept in memory; they
are compared only with templates of the same model, like everything else.
"""
from __future__ import annotations

import logging
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from identity.errors import IdentityError
from identity.faces import FaceBackend, FaceTemplate, compare_templates
from identity.imageio import read_image

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}
PERSON_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{1,63}$")  # a folder name, the same on every filesystem


@dataclass(frozen=True)
class GalleryMatch:
    person: str
    similarity: float


log = logging.getLogger("cameo.gallery")
REFRESH_EVERY_S = 5.0  # how soon a face protected in one process reaches the others sharing the folder


class ProtectedGallery:
    def __init__(self, folder: Path | None, backend: FaceBackend):
        self.backend = backend
        self.folder = Path(folder) if folder else None
        self.entries: list[tuple[str, FaceTemplate]] = []
        self.unreadable: list[str] = []
        self._templates: dict[Path, FaceTemplate | None] = {}  # per photo, so each is embedded once
        self._checked_at = float("-inf")
        self.refresh()

    def _photos(self) -> list[tuple[str, Path]]:
        if self.folder is None or not self.folder.is_dir():
            return []
        return [(person_dir.name, photo) for person_dir in sorted(p for p in self.folder.iterdir() if p.is_dir())
                for photo in sorted(person_dir.iterdir()) if photo.suffix.lower() in IMAGE_SUFFIXES]

    def refresh(self) -> bool:
        """Follow the folder: photos added or removed by another process (a moderator protects a face in
        the web process; the workers' likeness firewall must know it at the next clip, not at its next
        start) are picked up within REFRESH_EVERY_S. Only new photos are embedded. True if it changed."""
        now = time.monotonic()
        if now - self._checked_at < REFRESH_EVERY_S:
            return False
        self._checked_at = now
        photos = self._photos()
        if {p for _, p in photos} == set(self._templates):
            return False
        for _, photo in photos:
            if photo not in self._templates:
                self._templates[photo] = _embed_file(self.backend, photo)
        present = {p for _, p in photos}
        self._templates = {p: t for p, t in self._templates.items() if p in present}
        self.entries = [(person, self._templates[p]) for person, p in photos if self._templates[p] is not None]
        self.unreadable = [str(p) for _, p in photos if self._templates[p] is None]
        return True

    def forget(self, photo: Path) -> None:
        """Undo `add_photo` in this process (its caller deletes the file)."""
        template = self._templates.pop(photo, None)
        self.entries = [e for e in self.entries if e[1] is not template]

    def add_photo(self, person: str, rgb: np.ndarray) -> Path:
        """Protect one more face: the photo joins `<folder>/<person>/` and this process's templates at once;
        other processes sharing the folder pick it up at their next `refresh`."""
        person = person.strip().lower().replace(" ", "_")
        if not PERSON_NAME.match(person):
            raise IdentityError("gallery_bad_name", "name the protected person with 2 to 64 lowercase letters, "
                                "digits, '-' or '_'", {"person": person})
        if self.folder is None:
            raise IdentityError("gallery_none", "this studio has no protected gallery folder "
                                "(CAMEO_PROTECTED_GALLERY)")
        template = embed_largest_face(self.backend, rgb)
        if template is None:
            raise IdentityError("gallery_no_face", "no face could be read from this picture; pick another")
        path = self.folder / person / f"added-{uuid.uuid4().hex[:12]}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
        self._templates[path] = template
        self.entries = [*self.entries, (person, template)]
        return path

    def scores(self, templates: list[FaceTemplate]) -> np.ndarray:
        """(len(templates), len(entries)) scores, one matrix product; refuses templates of another model."""
        if not self.entries:
            return np.zeros((len(templates), 0), np.float32)
        for t in templates[:1] + [self.entries[0][1]]:
            compare_templates(self.backend, t, t)  # raises on a template of another model
        probes = np.stack([np.asarray(t.vector, np.float32) for t in templates])
        refs = np.stack([np.asarray(r.vector, np.float32) for _, r in self.entries])
        return self.backend.similarity_matrix(probes, refs)

    def best_match(self, templates: list[FaceTemplate]) -> GalleryMatch | None:
        """The protected person most like these templates, if above the backend's 1:1 threshold.

        Not the stricter 1:N one: the gallery holds a few hundred people, and
        failing to recognise a protected person costs more than refusing an
        enrollment that merely looks like one (that person can ask for review).
        """
        self.refresh()
        if not self.entries or not templates:
            return None
        best = self.scores(templates).max(axis=0)
        j = int(np.argmax(best))
        return GalleryMatch(self.entries[j][0], float(best[j])) if best[j] >= self.backend.match_threshold else None


def _embed_file(backend: FaceBackend, photo: Path) -> FaceTemplate | None:
    try:
        return embed_largest_face(backend, read_image(photo))
    except IdentityError:  # not an image after all: listed as unreadable, like a photo with no face
        log.warning("protected gallery: %s is not a readable image; skipped", photo)
        return None


def embed_largest_face(backend: FaceBackend, rgb: np.ndarray) -> FaceTemplate | None:
    """Template of the largest face in a photo; retries upsampled for small faces."""
    faces = backend.detect(rgb) or backend.detect(rgb, small_faces=True)
    if not faces:
        return None
    face = max(faces, key=lambda f: f.height)
    return backend.embed(rgb, face)
