"""The face-swap cue on real footage: a face laid over a head from a photo changes less than the real face.

The cue is reported, not enforced (identity/face_swap.py says why); these tests pin what it measures.
"""
from __future__ import annotations

import pytest

from identity.face_swap import REVIEW_RATIO, assess_face_swap
from identity.imageio import read_image
from tests.clip_synth import D3, D10, segment
from tests.liveness_corpus import FIXTURES
from tests.spoof_synth import Swap, face_swap, landmarks_per_frame


def _with_landmarks(backend, frames):
    lms = landmarks_per_frame(frames, backend)
    return [(f, lm) for f, lm in zip(frames, lms) if lm is not None]


@pytest.fixture(scope="module")
def speaking_and_turning():
    """The d3 woman talking (1.1-4.4 s) and turning right and back (9.6-10.9 s), 10 frames a second."""
    return segment(D3, 1.1, 4.4)[::3] + segment(D3, 9.6, 10.9)[::3]


@pytest.mark.parametrize("photo", ["angelina_jolie/deepface_img5.jpg", "jennifer_aniston/deepface_img12.jpg"])
def test_a_face_swapped_in_from_a_photo_changes_less_than_the_real_face(backend, speaking_and_turning, photo):
    src = read_image(FIXTURES / "faces" / photo)
    frames = speaking_and_turning
    swapped = face_swap(frames, landmarks_per_frame(frames, backend), [src], landmarks_per_frame([src], backend),
                        Swap(face_px=200))
    real = assess_face_swap(_with_landmarks(backend, frames))
    fake = assess_face_swap(_with_landmarks(backend, swapped))
    assert fake.texture_change < 0.7 * real.texture_change, (fake, real)


@pytest.mark.parametrize("path,spans", [(D3, ((1.1, 4.4), (9.6, 10.9))), (D10, ((1.1, 5.5),))])
def test_a_real_face_is_not_flagged(backend, path, spans):
    frames = [f for a, b in spans for f in segment(path, a, b)[::3]]
    report = assess_face_swap(_with_landmarks(backend, frames))
    assert not report.flagged and report.texture_change >= REVIEW_RATIO * report.ring_change, report
