"""The visible mark: legible, inside the frame, moving every 1.5-2 s, and off faces where there is room."""
from __future__ import annotations

from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from safety import visible_mark as vm
from safety.errors import SafetyError

VIDEO = Path(__file__).resolve().parent / "fixtures" / "videos" / "liveportrait_woman_longhair_d10.mp4"
FPS = 16
SIZES = [(832, 480), (480, 832), (480, 480)]


def clip(size: tuple[int, int], seconds: float = 6.0) -> np.ndarray:
    """A real frame held for `seconds`: every change in the output is the mark's."""
    with av.open(str(VIDEO)) as c:
        frame = next(c.decode(video=0)).to_ndarray(format="rgb24")
    frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
    return np.repeat(frame[None], int(seconds * FPS), axis=0)


def mark_boxes(before: np.ndarray, after: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The bounding box (x0, y0, x1, y1) of the changed pixels in each frame."""
    boxes = []
    for a, b in zip(before, after):
        ys, xs = np.nonzero(np.any(a != b, axis=2))
        assert len(xs), "a frame without the mark"
        boxes.append((int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1))
    return boxes


def overlaps(a, b) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def test_mark_moves_every_one_and_a_half_to_two_seconds():
    frames = clip((832, 480), seconds=8.0)
    boxes = mark_boxes(frames, vm.apply_visible_mark(frames, FPS, "alice", seed="3f9a0c41d2e87b65"))
    moves = [i for i in range(1, len(boxes)) if boxes[i] != boxes[i - 1]]
    held = np.diff([0, *moves]) / FPS
    assert len(moves) >= 3
    assert all(vm.MIN_SEGMENT_S - 1 / FPS <= s <= vm.MAX_SEGMENT_S + 1 / FPS for s in held), held
    assert len(set(boxes)) >= 3


def test_mark_shows_the_studio_and_the_handle_over_the_picture():
    frames = clip((832, 480), seconds=1.0)
    out = vm.apply_visible_mark(frames, FPS, "@alice")
    x0, y0, x1, y1 = mark_boxes(frames, out)[0]
    region = np.abs(out[0, y0:y1, x0:x1].astype(int) - frames[0, y0:y1, x0:x1].astype(int))
    assert region.mean() > 20  # text and outline replace a good share of the region
    assert vm.mark_lines("@alice") == ("Cameo Studio", "@alice")
    assert np.array_equal(frames, clip((832, 480), seconds=1.0))  # the input is left as it was


@pytest.mark.parametrize("face", [(0, 0, 320, 200), (560, 300, 832, 480), (250, 330, 600, 480)])
def test_mark_stays_off_a_face(face):
    frames = clip((832, 480), seconds=8.0)
    faces = [[face]] * len(frames)
    boxes = mark_boxes(frames, vm.apply_visible_mark(frames, FPS, "alice", face_boxes=faces, seed="x"))
    assert not any(overlaps(b, face) for b in boxes)


def test_a_large_face_leaves_the_mark_the_free_edge():
    frames = clip((480, 480), seconds=6.0)
    face = (0, 0, 480, 300)  # the top and both sides; only the bottom spots are free
    out = vm.apply_visible_mark(frames, FPS, "alice", face_boxes=[[face]] * len(frames), seed="x")
    assert all(b[1] >= 300 for b in mark_boxes(frames, out))


def test_a_face_filling_the_frame_still_gets_the_mark():
    frames = clip((480, 480), seconds=2.0)
    out = vm.apply_visible_mark(frames, FPS, "alice", face_boxes=[[(0, 0, 480, 480)]] * len(frames))
    assert len(mark_boxes(frames, out)) == len(frames)  # the mark is never dropped


@pytest.mark.parametrize("size", SIZES)
def test_text_stays_inside_the_frame_even_for_the_longest_handle(size):
    frames = clip(size, seconds=8.0)
    handle = "a_handle_of_thirty_two_chars_xyz"
    assert len(handle) == 32
    for x0, y0, x1, y1 in set(mark_boxes(frames, vm.apply_visible_mark(frames, FPS, handle))):
        assert x0 > 0 and y0 > 0 and x1 < size[0] and y1 < size[1], (size, (x0, y0, x1, y1))


@pytest.mark.parametrize("size", SIZES)
def test_text_is_large_enough_to_read_at_480p(size):
    sprite = vm.render_mark(vm.mark_lines("alice"), *size)
    rows_with_ink = np.nonzero((sprite.alpha > 0.5 * vm.TEXT_OPACITY).any(axis=1))[0]
    assert rows_with_ink[-1] - rows_with_ink[0] >= 30  # two lines of ~16 px capitals


def test_same_seed_same_path_other_seed_other_path():
    a = vm.plan_positions(160, FPS, (832, 480), (200, 50), None, "clip-a")
    assert a == vm.plan_positions(160, FPS, (832, 480), (200, 50), None, "clip-a")
    assert a != vm.plan_positions(160, FPS, (832, 480), (200, 50), None, "clip-b")


def test_bad_inputs_are_refused():
    frames = clip((480, 480), seconds=1.0)
    with pytest.raises(SafetyError) as e:
        vm.apply_visible_mark(frames, FPS, "alice", face_boxes=[[]])
    assert e.value.code == "bad_argument"
    with pytest.raises(SafetyError) as e:
        vm.apply_visible_mark(frames, FPS, "")
    assert e.value.code == "bad_handle"
    with pytest.raises(SafetyError) as e:
        vm.apply_visible_mark(frames[:, :100, :100].copy(), FPS, "alice")
    assert e.value.code == "frame_too_small"
