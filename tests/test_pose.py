"""Head-turn order rules, on plain sequences and on real landmarks."""
from __future__ import annotations

import numpy as np
from hypothesis import given, strategies as st

from identity.pose import DIRECTIONS, PoseSample, check_turn_order, head_pose_from_landmarks, turn_sequence
from tests.clip_synth import D3, segment


def test_requested_order_passes():
    assert check_turn_order(["LEFT", "RIGHT", "UP"], ["LEFT", "RIGHT", "UP"]) is None


def test_wrong_first_turn_names_the_turn_to_make_first():
    reason = check_turn_order(["RIGHT", "LEFT", "UP"], ["LEFT", "RIGHT", "UP"])
    assert reason == "turn your head LEFT first, not RIGHT"


def test_missing_turn_is_named():
    reason = check_turn_order(["LEFT", "RIGHT"], ["LEFT", "RIGHT", "UP"])
    assert reason.startswith("turn your head UP next")


def test_no_turn_at_all_is_explained():
    assert "no head turn" in check_turn_order([], ["LEFT", "RIGHT", "UP"])


def test_glance_and_repeat_are_tolerated():
    assert check_turn_order(["DOWN", "LEFT", "LEFT", "RIGHT", "UP"], ["LEFT", "RIGHT", "UP"]) is None


def test_too_many_turns_are_refused():
    assert "head turns" in check_turn_order(["LEFT", "RIGHT", "UP", "DOWN"] * 2, ["LEFT", "RIGHT", "UP"])


@given(st.permutations(DIRECTIONS), st.permutations(DIRECTIONS))
def test_one_sweep_passes_only_the_challenge_it_matches(sweep, requested):
    """A fixed sweep through all directions passes exactly the challenges whose order it happens to show."""
    req = list(requested[:3])
    passed = check_turn_order(list(sweep), req) is None
    assert passed == ([d for d in sweep if d in req] == req)


def _samples(yaws, pitches, dt=0.1):
    return [PoseSample(i * dt, y, p) for i, (y, p) in enumerate(zip(yaws, pitches))]


def test_held_turns_are_found_in_order_and_blips_ignored():
    yaw = [0] * 10 + [30] * 5 + [0] * 10 + [25] + [0] * 5 + [-30] * 5 + [0] * 10
    seq = turn_sequence(_samples(yaw, [0] * len(yaw)))
    assert [t.direction for t in seq] == ["LEFT", "RIGHT"]


def test_real_head_turn_has_the_expected_sign():
    """d3 at 9.6-10.9 s: the woman turns to her right (her nose moves to image left)."""
    from identity.faces import DlibBackend

    backend = DlibBackend()
    frames = segment(D3, 9.6, 10.9)
    mirrored = segment(D3, 9.6, 10.9, mirrored=True)
    yaw = [backend.detect(f)[0].yaw_deg for f in frames[::4]]
    yaw_m = [backend.detect(f)[0].yaw_deg for f in mirrored[::4]]
    assert min(yaw) < -15  # her right
    assert max(yaw_m) > 15  # the mirror image turns left
    assert np.corrcoef(yaw, yaw_m)[0, 1] < -0.9


def test_frontal_landmarks_give_small_angles():
    from identity.faces import DlibBackend

    face = DlibBackend().detect(segment(D3, 2.0, 2.1)[0])[0]
    yaw, pitch = head_pose_from_landmarks(face.landmarks, (512, 512))
    assert abs(yaw) < 12 and abs(pitch) < 20


def test_a_quick_glance_well_past_the_threshold_counts_as_a_turn():
    """A 0.2 s glance: two analysed frames at 24-26 deg of yaw (1.5x the 15 deg threshold and more)."""
    yaw = [0] * 20 + [24, 26] + [0] * 10
    assert [t.direction for t in turn_sequence(_samples(yaw, [0] * len(yaw)))] == ["LEFT"]


def test_two_frames_just_past_the_threshold_are_not_a_turn():
    """Talking reaches 13 deg in single frames; two frames at 16-17 deg are not held long enough to count."""
    yaw = [0] * 20 + [16, 17] + [0] * 10
    assert turn_sequence(_samples(yaw, [0] * len(yaw))) == []


def test_a_failed_pose_estimate_is_not_a_turn():
    """solvePnP can flip on a profile (pitch -150 deg): such samples are dropped, not read as a DOWN turn."""
    pitch = [0] * 20 + [-150, -160] + [0] * 10
    assert turn_sequence(_samples([0] * len(pitch), pitch)) == []
