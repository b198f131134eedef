"""Head-and-shoulders references on white: made from real footage, checked against the cameo, stored
encrypted, handed to generation through the grant, deleted on revoke."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from identity.imageio import decode_png, read_image
from identity.media import load_clip
from identity.references import HEIGHT, WIDTH, build_references, head_and_shoulders
from tests.cameo_factory import FIXTURES
from tests.test_enrollment import _challenge, good_clip  # noqa: F401 - the module's recording fixture

VIDEO = FIXTURES / "videos" / "liveportrait_woman_longhair_d10.mp4"


@pytest.fixture(scope="module")
def frame_and_face(backend):
    clip = load_clip(VIDEO)
    _, rgb = clip.frames[len(clip.frames) // 3]
    return rgb, backend.detect(rgb)[0]


def test_a_reference_is_a_portrait_of_the_person_on_white(backend, frame_and_face):
    rgb, face = frame_and_face
    ref = head_and_shoulders(rgb, face)
    assert ref.shape == (HEIGHT, WIDTH, 3) and ref.dtype == np.uint8
    # The top corners (background in the footage) are white; the face is not.
    assert ref[:40, :40].min() >= 250 and ref[:40, -40:].min() >= 250
    found = backend.detect(ref)
    assert len(found) == 1
    x0, y0, x1, y1 = (int(v) for v in found[0].bbox)
    assert ref[y0:y1, x0:x1].mean() < 200
    # Eyes level and in the upper half: a head-and-shoulders framing, larger than the 256 px crop.
    assert found[0].height > 150 and (y0 + y1) / 2 < HEIGHT / 2


def test_most_of_the_footage_background_is_removed(frame_and_face):
    rgb, face = frame_and_face
    ref = head_and_shoulders(rgb, face)
    white = (ref.min(axis=2) >= 250).mean()
    assert 0.3 < white < 0.9  # the background went white, the person stayed


def test_a_reference_that_still_matches_the_cameo_is_kept(backend, frame_and_face):
    rgb, face = frame_and_face
    refs = build_references([(rgb, face)], backend, [backend.embed(rgb, face)])
    assert len(refs.images) == 1 and refs.similarities[0] >= backend.match_threshold
    assert np.array_equal(decode_png(refs.png[0]), refs.images[0])


def test_a_reference_that_does_not_match_the_cameo_is_dropped(backend, frame_and_face):
    rgb, face = frame_and_face
    other = read_image(FIXTURES / "faces" / "angelina_jolie" / "deepface_img5.jpg")
    other_face = max(backend.detect(other) or backend.detect(other, small_faces=True), key=lambda f: f.height)
    refs = build_references([(rgb, face)], backend, [backend.embed(other, other_face)])
    assert refs.images == [] and refs.png == []
    assert refs.similarities[0] is not None and refs.similarities[0] < backend.match_threshold


def test_enrollment_stores_verified_references_encrypted_and_revoke_deletes_them(enroller, store, good_clip):  # noqa: F811
    from identity.consent import ConsentLedger
    from pipeline.job import cameo_refs

    verdict = enroller.enroll(good_clip, _challenge(store=store))
    assert verdict.ok, verdict.reasons
    cameo = store.get_cameo(verdict.cameo_id)
    refs = store.references_png(cameo.id)
    assert 1 <= len(refs) <= 2
    assert all(s is None or isinstance(s, float) for s in cameo.quality["reference_similarities"])
    on_disk = (store.media_dir / "cameos" / cameo.id / "reference_0.png.enc").read_bytes()
    assert not on_disk.startswith(b"\x89PNG")  # encrypted at rest
    image = cv2.imdecode(np.frombuffer(refs[0], np.uint8), cv2.IMREAD_COLOR)
    assert image.shape == (HEIGHT, WIDTH, 3)
    ledger = ConsentLedger(store)
    owner = store.account("alice")
    grant = ledger.authorize(owner, [cameo.id], "generate")
    assert cameo_refs(grant)[0].references_rgb[0].shape == (HEIGHT, WIDTH, 3)
    ledger.revoke(owner, cameo.id)
    assert not (store.media_dir / "cameos" / cameo.id).exists()
    assert store.references_png(cameo.id) == []
