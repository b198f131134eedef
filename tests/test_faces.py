"""Face identity on real photos: same people match, different people don't, models never mix."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from identity.errors import IdentityError, ModelUnavailableError
from identity.evaluation import evaluate_faces
from identity.faces import FaceTemplate, InsightFaceBackend, compare_templates, get_face_backend
from identity.gallery import ProtectedGallery, embed_largest_face
from identity.imageio import read_image

FACES = Path(__file__).resolve().parent / "fixtures" / "faces"


def _template(backend, person: str, name: str) -> FaceTemplate:
    return embed_largest_face(backend, read_image(FACES / person / name))


def test_same_person_matches_and_different_people_do_not(backend):
    a1 = _template(backend, "jennifer_aniston", "deepface_img12.jpg")
    a2 = _template(backend, "jennifer_aniston", "deepface_img56.jpg")
    j1 = _template(backend, "angelina_jolie", "deepface_img5.jpg")
    j2 = _template(backend, "angelina_jolie", "deepface_img11.jpg")
    assert compare_templates(backend, a1, a2) >= backend.match_threshold
    assert compare_templates(backend, j1, j2) >= backend.match_threshold
    for x in (a1, a2):
        for y in (j1, j2):
            assert compare_templates(backend, x, y) < backend.match_threshold


def test_eval_faces_reports_the_fields_our_evaluation_reads(backend):
    report = evaluate_faces(FACES, backend)
    for key in ("backend", "n_genuine", "n_impostor", "eer", "tar_at_far_1e-2", "tar_at_far_1e-3", "threshold", "failed_images"):
        assert key in report
    assert report["n_genuine"] == 2 and report["n_impostor"] == 4
    assert report["eer"] == 0.0


def test_templates_of_different_models_are_never_compared(backend):
    ours = _template(backend, "jennifer_aniston", "deepface_img12.jpg")
    foreign = FaceTemplate("insightface", "buffalo_l/w600k_r50", np.ones(512, np.float32))
    with pytest.raises(IdentityError) as err:
        compare_templates(backend, ours, foreign)
    assert err.value.code == "model_mismatch"


def test_insightface_without_models_fails_with_instructions(tmp_path):
    with pytest.raises(ModelUnavailableError) as err:
        InsightFaceBackend(tmp_path)
    assert "buffalo_l" in err.value.message and "non-commercial" in err.value.message


def test_auto_backend_falls_back_to_dlib_and_sface_offline(tmp_path):
    assert get_face_backend("auto", str(tmp_path)).name == "dlib+sface"


def test_the_fused_backend_matches_real_photos_and_never_meets_a_dlib_template():
    fused, dlib = get_face_backend("dlib+sface"), get_face_backend("dlib")
    faces = FACES
    a1, a2 = (embed_largest_face(fused, read_image(p)) for p in sorted((faces / "angelina_jolie").glob("*.jpg")))
    j1, j2 = (embed_largest_face(fused, read_image(p)) for p in sorted((faces / "jennifer_aniston").glob("*.jpg")))
    assert a1.vector.shape == (256,) and compare_templates(fused, a1, a2) >= fused.one_to_n_threshold
    assert compare_templates(fused, j1, j2) >= fused.match_threshold
    assert max(compare_templates(fused, x, y) for x in (a1, a2) for y in (j1, j2)) < fused.match_threshold
    d1 = embed_largest_face(dlib, read_image(sorted((faces / "angelina_jolie").glob("*.jpg"))[0]))
    with pytest.raises(IdentityError, match="cannot be compared"):
        compare_templates(fused, a1, d1)
    with pytest.raises(IdentityError, match="cannot be compared"):
        compare_templates(dlib, d1, a1)


def test_protected_gallery_recognises_a_listed_person_from_another_photo(backend, tmp_path):
    person = tmp_path / "gallery" / "jennifer_aniston"
    person.mkdir(parents=True)
    (person / "ref.jpg").write_bytes((FACES / "jennifer_aniston" / "deepface_img56.jpg").read_bytes())
    gallery = ProtectedGallery(tmp_path / "gallery", backend)
    match = gallery.best_match([_template(backend, "jennifer_aniston", "deepface_img12.jpg")])
    assert match is not None and match.person == "jennifer_aniston"
    assert gallery.best_match([_template(backend, "angelina_jolie", "deepface_img5.jpg")]) is None


def test_a_face_protected_by_one_process_reaches_another_sharing_the_folder(tmp_path, backend, monkeypatch):
    """A moderator protects a face in the web process; the workers' firewall must know it without a restart."""
    monkeypatch.setattr("identity.gallery.REFRESH_EVERY_S", 0.0)
    (tmp_path / "gallery").mkdir()
    web = ProtectedGallery(tmp_path / "gallery", backend)
    worker = ProtectedGallery(tmp_path / "gallery", backend)
    probe = [_template(backend, "jennifer_aniston", "deepface_img12.jpg")]
    assert worker.best_match(probe) is None
    added = web.add_photo("jennifer_aniston", read_image(FACES / "jennifer_aniston" / "deepface_img56.jpg"))
    match = worker.best_match(probe)
    assert match is not None and match.person == "jennifer_aniston"
    added.unlink()  # taken out of the gallery: the other process lets it go too
    assert worker.best_match(probe) is None
    web.forget(added)
    assert web.entries == []


def test_a_file_that_is_not_an_image_is_skipped_not_fatal(tmp_path, backend):
    person = tmp_path / "gallery" / "someone"
    person.mkdir(parents=True)
    (person / "broken.jpg").write_bytes(b"not a picture")
    gallery = ProtectedGallery(tmp_path / "gallery", backend)
    assert gallery.entries == [] and gallery.unreadable == [str(person / "broken.jpg")]


def test_aligned_crop_is_square_and_face_centred(backend):
    img = read_image(FACES / "angelina_jolie" / "deepface_img11.jpg")
    face = max(backend.detect(img) or backend.detect(img, small_faces=True), key=lambda f: f.height)
    crop = backend.align(img, face, 256)
    assert crop.shape == (256, 256, 3)
    again = backend.detect(crop, small_faces=True)
    assert len(again) == 1
    x0, y0, x1, y1 = again[0].bbox
    assert abs((x0 + x1) / 2 - 128) < 30
