"""The likeness firewall: no face in a finished clip may belong to someone outside its consent grant.

Every face in the sampled frames is embedded with the studio's face backend
and followed from frame to frame (a track: overlapping boxes and the same
face); then all faces and all tracks are searched in one batch against the
identity index (every active cameo) and the protected-people gallery.

A track blocks the clip only when it matches someone outside the grant above
the backend's 1:N threshold (a protected person: the 1:1 threshold, as the
gallery is small) AND clearly better (by GRANT_MARGIN) than every
cameo in the grant: a granted person's face scores highest with their own
cameo, so a look-alike among 100,000 others does not block their clip, while a
face that is really someone else's still does. A track is judged on its
centroid (the mean of its faces' templates), which averages out single-frame
noise. A revoked cameo's templates are deleted with it, so it is matched no
more: its own clips are stopped by the consent re-check instead, and deletion
wins over detection. For each granted cameo, the best similarity of any face to
it is recorded: the clip's identity-preservation figure.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from identity.faces import Face, FaceBackend, FaceTemplate
from identity.gallery import ProtectedGallery
from identity.index import IdentityIndex
from safety.moderation import sample_indices

# How much better a face must match someone outside the grant than everyone in it to block the clip.
# Genuine pairs of the 140 calibration photos score 0.34-0.90 (median 0.68, fused backend) and impostor
# pairs at most 0.38: a granted face's own cameo outscores a look-alike by far more than this.
GRANT_MARGIN = 0.05
SEARCH_K = 8  # candidates per probe: enough to find the best one outside a grant of at most three
TRACK_MIN_IOU = 0.3  # boxes in consecutive sampled frames that overlap this much may be one face
TRACK_MAX_GAP_S = 1.0


@dataclass(frozen=True)
class FaceSighting:
    time_s: float
    bbox: tuple[float, float, float, float]
    who: str | None  # "@handle", "protected:<person>", or None when nobody matched
    similarity: float
    track: int = 0


@dataclass(frozen=True)
class FirewallResult:
    allowed: bool
    frames_checked: int
    sightings: tuple[FaceSighting, ...]
    blocked_by: tuple[str, ...] = ()
    identity_similarity: dict[str, float | None] = field(default_factory=dict)  # granted handle -> best
    face_boxes: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)
    tracks: int = 0
    search_s: float = 0.0  # the batch search alone (index and gallery), without detection and embedding

    @property
    def reason(self) -> str:
        if self.allowed:
            return ""
        who = ", ".join(b.removeprefix("protected:") if b.startswith("protected:") else b for b in self.blocked_by)
        return f"the clip shows someone who has not consented to appear in it ({who})"


@dataclass(frozen=True)
class _Seen:
    frame: int
    time_s: float
    face: Face
    template: FaceTemplate


def _iou(a: tuple, b: tuple) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def track_faces(seen: list[_Seen], backend: FaceBackend) -> list[int]:
    """A track number per face: the same place in the frame and the same face as the track's last sighting.

    Greedy, best overlap first, frame by frame; a face that changes identity in
    place (a swap) starts a new track, because the two templates must match 1:1.
    """
    labels = [-1] * len(seen)
    last: dict[int, int] = {}  # track -> index of its latest face
    frames = sorted({s.frame for s in seen})
    for f in frames:
        here = [i for i, s in enumerate(seen) if s.frame == f]
        pairs = []
        for i in here:
            for tr, j in last.items():
                if 0 < seen[i].time_s - seen[j].time_s <= TRACK_MAX_GAP_S:
                    iou = _iou(seen[i].face.bbox, seen[j].face.bbox)
                    if iou >= TRACK_MIN_IOU:
                        pairs.append((iou, i, tr, j))
        taken_faces, taken_tracks = set(), set()
        for iou, i, tr, j in sorted(pairs, reverse=True):
            if i in taken_faces or tr in taken_tracks:
                continue
            if backend.similarity(seen[i].template.vector, seen[j].template.vector) < backend.match_threshold:
                continue
            labels[i] = tr
            taken_faces.add(i)
            taken_tracks.add(tr)
        for i in here:
            if labels[i] < 0:
                labels[i] = len(last) if not last else max(last) + 1
            last[labels[i]] = i
    return labels


def embed_faces(frames: np.ndarray, fps: float, backend: FaceBackend) -> tuple[list[_Seen], dict[int, list], int]:
    """Detect and embed every face in the sampled frames (the costly part: about 0.15 s a face on a CPU)."""
    seen, boxes = [], {}
    idx = sample_indices(len(frames), fps)
    for i in idx:
        rgb = np.ascontiguousarray(frames[i])
        faces = backend.detect(rgb)
        boxes[i] = [f.bbox for f in faces]
        seen += [_Seen(i, i / fps, f, backend.embed(rgb, f)) for f in faces]
    return seen, boxes, len(idx)


def check_faces(frames: np.ndarray, fps: float, backend: FaceBackend, granted: dict[str, str],
                index: IdentityIndex | None, gallery: ProtectedGallery | None) -> FirewallResult:
    """`granted` maps cameo id -> handle for the clip's grant; `index` searches every active cameo."""
    seen, boxes, n_frames = embed_faces(frames, fps, backend)
    return judge_faces(seen, boxes, n_frames, backend, granted, index, gallery)


def judge_faces(seen: list[_Seen], boxes: dict[int, list], n_frames: int, backend: FaceBackend,
                granted: dict[str, str], index: IdentityIndex | None, gallery: ProtectedGallery | None) -> FirewallResult:
    best_for: dict[str, float | None] = dict.fromkeys(granted.values())
    if not seen:
        return FirewallResult(True, n_frames, (), (), best_for, boxes)
    start = time.perf_counter()
    labels = track_faces(seen, backend)
    tracks = sorted(set(labels))
    faces = np.stack([np.asarray(s.template.vector, np.float32) for s in seen])
    centroids = np.stack([backend.centroid(faces[[i for i, lab in enumerate(labels) if lab == t]]) for t in tracks])
    probes = np.concatenate([faces, centroids])  # every face and every track: one batch
    gids = list(granted)
    found = index.search(probes, k=SEARCH_K + len(gids)) if index is not None else [[] for _ in probes]
    granted_scores = index.scores_for(probes, gids, sync=False) if index is not None and gids else np.full((len(probes), 0), -1.0)
    templates = [FaceTemplate(backend.name, backend.model, p) for p in probes]
    if gallery is not None:
        gallery.refresh()  # a face a moderator protected in another process counts from the next clip
    gallery_scores = gallery.scores(templates) if gallery is not None and gallery.entries else None
    search_s = time.perf_counter() - start

    def outside(p: int) -> tuple[str | None, float, float]:
        """The best identity outside the grant for probe row p ('@handle' or 'protected:person'), its
        score, and the threshold it must reach: 1:N for a cameo among all of them, 1:1 for the small
        gallery of protected people (see ProtectedGallery.best_match)."""
        who, score, needed = None, -np.inf, backend.one_to_n_threshold
        for m in found[p]:
            if m.cameo_id not in granted:
                who, score = f"@{m.handle}", m.similarity
                break
        if gallery_scores is not None and gallery_scores.shape[1]:
            j = int(np.argmax(gallery_scores[p]))
            if gallery_scores[p, j] - backend.match_threshold > score - needed:
                who, score, needed = f"protected:{gallery.entries[j][0]}", float(gallery_scores[p, j]), \
                    backend.match_threshold
        return who, score, needed

    inside = granted_scores.max(axis=1) if granted_scores.shape[1] else np.full(len(probes), -np.inf)
    blocked = []
    for k, _ in enumerate(tracks):
        p = len(seen) + k
        who, score, needed = outside(p)
        if who is not None and score >= needed and score >= inside[p] + GRANT_MARGIN:
            blocked.append(who)
    for j, cid in enumerate(gids):
        best = float(granted_scores[: len(seen), j].max())
        best_for[granted[cid]] = round(best, 4) if np.isfinite(best) else None
    sightings = []
    for i, s in enumerate(seen):
        who, score, _ = outside(i)
        if inside[i] >= score and np.isfinite(inside[i]):
            j = int(np.argmax(granted_scores[i]))
            who, score = f"@{granted[gids[j]]}", float(inside[i])
        if score < backend.match_threshold:
            who = None
        sightings.append(FaceSighting(s.time_s, s.face.bbox, who, round(float(score), 4), labels[i]))
    return FirewallResult(not blocked, n_frames, tuple(sightings), tuple(dict.fromkeys(blocked)), best_for, boxes,
                          len(tracks), search_s)
