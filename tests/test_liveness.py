"""Liveness cues on real landmarks: a real head turn leaves the face plane, a turned photo does not."""
from __future__ import annotations

import numpy as np

from identity.liveness import (
    MIN_FLOW_PARALLAX,
    MIN_NONPLANAR_RESIDUAL,
    MIN_SHAPE_MOTION,
    flow_parallax,
    nose_off_plane,
    shape_motion,
)
from tests.clip_synth import D3, photo_turned, read_photo, segment


def _landmarks(backend, frames):
    return [backend.detect(f)[0].landmarks for f in frames]


def test_real_head_turn_moves_the_nose_off_the_face_plane(backend):
    neutral = _landmarks(backend, segment(D3, 2.0, 2.1))[0]
    turned = _landmarks(backend, segment(D3, 10.2, 10.6)[::4])
    assert min(nose_off_plane(neutral, t) for t in turned) > MIN_NONPLANAR_RESIDUAL


def _sweep(img, yaw, pitch, n=8):
    """The photo rotated from flat to (yaw, pitch), as frames of a turn."""
    return [photo_turned(img, yaw * a, pitch * a) for a in np.linspace(0, 1, n)]


def test_photo_rotated_in_front_of_the_camera_shows_no_parallax(backend):
    for name in ("F1", "F2", "T1"):
        img = read_photo(name)
        bbox = backend.detect(img)[0].bbox
        for yaw, pitch in ((35, 0), (-35, 0), (0, 30), (0, -30), (45, 0), (-45, 0)):
            value = flow_parallax(_sweep(img, yaw, pitch), bbox)
            assert value is not None and value < MIN_FLOW_PARALLAX, (name, yaw, pitch, value)


def test_real_head_turn_shows_parallax(backend):
    for start, end in ((9.6, 10.6), (8.2, 9.0), (0.3, 0.8), (4.5, 5.7)):  # from neutral to each turn's peak
        frames = segment(D3, start, end)[::3]
        value = flow_parallax(frames, backend.detect(frames[0])[0].bbox)
        assert value is not None and value > MIN_FLOW_PARALLAX, (start, value)


def test_landmark_cue_alone_can_be_fooled_by_a_tilted_oblique_photo(backend):
    """Why both cues are required: dlib's face-shape prior moves the nose of a tilted photo."""
    img = read_photo("T1")
    neutral = backend.detect(img)[0].landmarks
    sweep = _sweep(img, -35, 0, 9)[4:]
    residuals = [nose_off_plane(neutral, backend.detect(f)[0].landmarks) for f in sweep]
    assert max(residuals) > MIN_NONPLANAR_RESIDUAL


def test_still_image_does_not_move_but_a_talking_face_does(backend):
    img = read_photo("T1")
    still = _landmarks(backend, [img] * 5)
    talking = _landmarks(backend, segment(D3, 1.1, 4.4)[::6])
    assert shape_motion(still) < MIN_SHAPE_MOTION < shape_motion(talking)
