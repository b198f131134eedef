"""After generation, before saving: nudity moderation of sampled frames and the likeness firewall.

Frames come from real media: fixture photos and footage, and preview renders
of cameos built from real photos. The project keeps no explicit media, so the
nudity refusal is shown on the detector's real detections with a stricter
label set (see safety/moderation.py); the thresholds themselves are the
detector authors' and are not calibrated here.
"""
from __future__ import annotations

import numpy as np
import pytest

from identity.gallery import ProtectedGallery
from identity.index import IdentityIndex
from pipeline.preview import PreviewBackend
from pipeline.types import CameoRef, RenderSpec
from safety.firewall import check_faces
from safety.moderation import moderate_frames, sample_indices
from tests.cameo_factory import FIXTURES, as_rgb, enroll_real
from tests.clip_synth import D3, video_frames


@pytest.fixture()
def cameos(sqlite_store, backend):
    ids = {h: enroll_real(sqlite_store, backend, h) for h in ("alice", "bob")}
    return sqlite_store, ids


def _render(store, cameo_ids: list[str], seconds: float = 2.0) -> tuple[np.ndarray, float]:
    refs = []
    for cid in cameo_ids:
        c = store.get_cameo(cid)
        refs.append(CameoRef(cid, c.handle, tuple(as_rgb(p) for p in store.crops_png(cid, c.n_crops)), None))
    video = PreviewBackend().render(RenderSpec("a walk in a park at noon", tuple(refs), seconds, 832, 480, 3),
                                    lambda p: None)
    return video.frames, video.fps


def test_at_least_two_frames_per_second_are_sampled():
    idx = sample_indices(120, 24.0)
    assert len(idx) >= 2 * 120 / 24 and idx[-1] == 119
    assert sample_indices(0, 24.0) == []


def test_real_footage_passes_nudity_moderation_even_when_strict():
    frames = np.stack(video_frames(D3)[:60])
    for strict in (False, True):
        result = moderate_frames(frames, 30.0, strict=strict)
        assert result.allowed and result.frames_checked >= 4


def test_a_frame_over_threshold_discards_the_clip_and_says_when():
    frames = np.stack(video_frames(D3)[:60])
    result = moderate_frames(frames, 30.0, thresholds={"FACE_FEMALE": 0.5})  # a label the detector finds here
    assert not result.allowed and "face female" in result.reason and " s)" in result.reason


def test_granted_cameos_pass_and_their_identity_similarity_is_recorded(cameos, backend):
    store, ids = cameos
    frames, fps = _render(store, [ids["alice"], ids["bob"]])
    result = check_faces(frames, fps, backend, {ids["alice"]: "alice", ids["bob"]: "bob"}, IdentityIndex(store, backend),
                         None)
    assert result.allowed, result.reason
    assert all(v is not None and v >= backend.match_threshold for v in result.identity_similarity.values())


def test_a_face_of_a_cameo_outside_the_grant_blocks_the_clip(cameos, backend):
    store, ids = cameos
    frames, fps = _render(store, [ids["alice"], ids["bob"]])
    result = check_faces(frames, fps, backend, {ids["bob"]: "bob"}, IdentityIndex(store, backend), None)
    assert not result.allowed and result.blocked_by == ("@alice",)
    assert "has not consented" in result.reason


def test_a_protected_person_blocks_the_clip(cameos, backend, tmp_path):
    store, ids = cameos
    gallery_dir = tmp_path / "gallery" / "protected_person"
    gallery_dir.mkdir(parents=True)
    for photo in (FIXTURES / "faces" / "jennifer_aniston").glob("*.jpg"):
        (gallery_dir / photo.name).write_bytes(photo.read_bytes())
    frames, fps = _render(store, [ids["alice"]])
    store.revoke_cameo(ids["alice"], actor="alice")  # not a cameo any more, but still a protected face
    result = check_faces(frames, fps, backend, {}, IdentityIndex(store, backend),
                         ProtectedGallery(tmp_path / "gallery", backend))
    assert not result.allowed and result.blocked_by == ("protected:protected_person",)
