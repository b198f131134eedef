"""The visible mark: "Cameo Studio" and the creator's handle, moving around the frame.

A mark that stays in one corner is cropped or blurred away in one step; one that jumps between
corners and edges every 1.5-2 s would have to be removed from every position it visits. Where it
lands is decided per segment by a seeded shuffle of the positions (pass the clip id as seed), and
among those the one that covers the fewest face pixels in that segment wins, so the mark sits on
the background rather than on someone's face whenever the frame leaves room.

Drawn with OpenCV's Hershey font because it ships inside opencv: the slim container image has no
font files. White text at 85% opacity over a dark outline at 60% reads on bright and dark
backgrounds alike; the text is sized from the frame's short side (about 16 px tall at 480p).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Sequence

import cv2
import numpy as np

from identity.challenge import STUDIO_NAME
from safety.errors import SafetyError

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive), pixels

MIN_SEGMENT_S, MAX_SEGMENT_S = 1.5, 2.0
FONT = cv2.FONT_HERSHEY_DUPLEX
# Font scale per pixel of the frame's short side: 0.68 at 480p, a cap height of about 16 px.
SCALE_PER_SIDE = 0.68 / 480
MIN_FONT_SCALE = 0.4  # below this Hershey text stops being legible at 480p
MAX_MARK_WIDTH = 0.9  # of the frame width, margins included
TEXT_OPACITY, OUTLINE_OPACITY = 0.85, 0.6
POSITIONS = ("top-left", "top-right", "bottom-right", "bottom-left", "top", "bottom", "left", "right")


@dataclass(frozen=True)
class Sprite:
    """The rendered mark: straight (not premultiplied) RGB colour and opacity, both float32."""

    color: np.ndarray  # (h, w, 3)
    alpha: np.ndarray  # (h, w)

    @property
    def size(self) -> tuple[int, int]:
        return self.alpha.shape[1], self.alpha.shape[0]


def mark_lines(creator_handle: str) -> tuple[str, str]:
    handle = (creator_handle or "").strip().lstrip("@")
    if not handle or not handle.isascii() or not handle.isprintable():
        raise SafetyError("bad_handle", f"the visible mark needs the creator's handle, got {creator_handle!r}")
    return STUDIO_NAME, f"@{handle}"


def _font_scale(lines: Sequence[str], frame_w: int, frame_h: int) -> float:
    """The scale for the frame's short side, shrunk if a long handle would not fit the width."""
    widest = max(cv2.getTextSize(line, FONT, 1.0, 1)[0][0] for line in lines)
    margin = _margin(frame_w, frame_h)
    scale = min(SCALE_PER_SIDE * min(frame_w, frame_h), (MAX_MARK_WIDTH * frame_w - 2 * margin) / (widest * 1.1))
    if scale < MIN_FONT_SCALE:
        raise SafetyError("frame_too_small", f"a {frame_w}x{frame_h} frame is too small for a legible mark")
    return scale


def _margin(frame_w: int, frame_h: int) -> int:
    return max(4, round(0.03 * min(frame_w, frame_h)))


def render_mark(lines: Sequence[str], frame_w: int, frame_h: int) -> Sprite:
    """The mark for this frame size: lines left-aligned, white over a dark outline."""
    scale = _font_scale(lines, frame_w, frame_h)
    thick = max(1, round(scale * 1.5))
    outline = thick + max(2, round(scale * 3))
    sizes = [cv2.getTextSize(line, FONT, scale, outline) for line in lines]
    line_h = max(h + base for (_, h), base in sizes)
    gap = max(2, round(0.25 * line_h))
    pad = outline
    w = max(tw for (tw, _), _ in sizes) + 2 * pad
    h = len(lines) * line_h + (len(lines) - 1) * gap + 2 * pad
    text = np.zeros((h, w), np.uint8)
    ring = np.zeros((h, w), np.uint8)
    for i, ((_, th), base) in enumerate(sizes):
        org = (pad, pad + i * (line_h + gap) + th)
        cv2.putText(ring, lines[i], org, FONT, scale, 255, outline, cv2.LINE_AA)
        cv2.putText(text, lines[i], org, FONT, scale, 255, thick, cv2.LINE_AA)
    t = text.astype(np.float32) / 255.0
    r = ring.astype(np.float32) / 255.0
    alpha = TEXT_OPACITY * t + OUTLINE_OPACITY * r * (1.0 - t)
    # Colour where the text is, black where only the outline is; weighted by each layer's share of alpha.
    white_share = np.divide(TEXT_OPACITY * t, alpha, out=np.zeros_like(alpha), where=alpha > 0)
    color = np.repeat((255.0 * white_share)[:, :, None], 3, axis=2)
    return Sprite(color=color, alpha=alpha)


def candidate_boxes(frame_w: int, frame_h: int, sprite_w: int, sprite_h: int) -> dict[str, Box]:
    """Where the mark may sit: the four corners and the middle of each edge, inside a margin."""
    m = _margin(frame_w, frame_h)
    if sprite_w + 2 * m > frame_w or sprite_h + 2 * m > frame_h:
        raise SafetyError("frame_too_small", f"the mark does not fit a {frame_w}x{frame_h} frame")
    left, right, cx = m, frame_w - m - sprite_w, (frame_w - sprite_w) // 2
    top, bottom, cy = m, frame_h - m - sprite_h, (frame_h - sprite_h) // 2
    xy = {"top-left": (left, top), "top-right": (right, top), "bottom-right": (right, bottom),
          "bottom-left": (left, bottom), "top": (cx, top), "bottom": (cx, bottom), "left": (left, cy),
          "right": (right, cy)}
    return {name: (x, y, x + sprite_w, y + sprite_h) for name, (x, y) in xy.items()}


def _rng(seed: str) -> np.random.Generator:
    return np.random.default_rng(int.from_bytes(hashlib.blake2b(seed.encode(), digest_size=8).digest(), "big"))


def segments(n_frames: int, fps: float, seed: str) -> list[tuple[int, int]]:
    """Frame ranges [start, end) of 1.5-2 s each, lengths drawn from the seed."""
    rng = _rng("segments:" + seed)
    out, start = [], 0
    while start < n_frames:
        end = min(n_frames, start + max(1, round(rng.uniform(MIN_SEGMENT_S, MAX_SEGMENT_S) * fps)))
        out.append((start, end))
        start = end
    return out


def _overlap(a: Box, b: Box) -> int:
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def plan_positions(n_frames: int, fps: float, frame_size: tuple[int, int], sprite_size: tuple[int, int],
                   face_boxes: Sequence[Sequence[Box]] | None, seed: str) -> list[Box]:
    """The mark's box in every frame.

    Each segment takes the candidate that overlaps the segment's faces least (summed over its
    frames); ties go to the seeded order, and the previous segment's spot is never reused, so the
    mark always moves.
    """
    boxes = candidate_boxes(*frame_size, *sprite_size)
    rng = _rng("positions:" + seed)
    plan: list[Box] = []
    previous: str | None = None
    for start, end in segments(n_frames, fps, seed):
        order = [POSITIONS[i] for i in rng.permutation(len(POSITIONS)) if POSITIONS[i] != previous]
        faces = [f for frame_faces in (face_boxes[start:end] if face_boxes else []) for f in frame_faces]
        cost = {name: sum(_overlap(boxes[name], f) for f in faces) for name in order}
        chosen = min(order, key=lambda name: (cost[name], order.index(name)))
        plan.extend([boxes[chosen]] * (end - start))
        previous = chosen
    return plan


def _blend(frame: np.ndarray, sprite: Sprite, box: Box) -> None:
    x0, y0, x1, y1 = box
    roi = frame[y0:y1, x0:x1].astype(np.float32)
    a = sprite.alpha[:, :, None]
    frame[y0:y1, x0:x1] = np.rint(roi * (1.0 - a) + sprite.color * a).astype(np.uint8)


def _check_inputs(frames: np.ndarray, fps: float, face_boxes) -> None:
    if not isinstance(frames, np.ndarray) or frames.dtype != np.uint8 or frames.ndim != 4 or frames.shape[-1] != 3:
        raise SafetyError("bad_frames", "frames must be a (T, H, W, 3) uint8 RGB array")
    if not fps or fps <= 0:
        raise SafetyError("bad_argument", f"fps must be positive, got {fps!r}")
    if face_boxes is not None and len(face_boxes) != len(frames):
        raise SafetyError("bad_argument", f"face_boxes must list the faces of each of the {len(frames)} frames, "
                                          f"got {len(face_boxes)} entries")


def apply_visible_mark(frames: np.ndarray, fps: float, creator_handle: str,
                       face_boxes: Sequence[Sequence[Box]] | None = None, seed: str = "") -> np.ndarray:
    """A copy of the (T, H, W, 3) uint8 RGB clip with the moving mark drawn on every frame.

    face_boxes: for each frame, the (x0, y0, x1, y1) boxes of the faces in it (an empty list for none).
    seed: decides segment lengths and the order positions are tried in; the clip id is a good one.
    """
    _check_inputs(frames, fps, face_boxes)
    height, width = frames.shape[1:3]
    sprite = render_mark(mark_lines(creator_handle), width, height)
    plan = plan_positions(len(frames), fps, (width, height), sprite.size, face_boxes, seed or creator_handle)
    out = frames.copy()
    for frame, box in zip(out, plan):
        _blend(frame, sprite, box)
    return out
