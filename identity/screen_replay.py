"""Is the face on a screen held up to the camera? A cue that needs no model: the screen's frame.

A replay (a video of the person played on a phone, tablet or monitor and filmed by
the webcam) is three-dimensional in its pixels, so the geometric liveness cues
(identity/liveness.py) pass it; before this check only the random challenge stood
in its way. A display held up to the camera shows its edges: straight lines that
close a rectangle around the face, *below* it too, across the neck and shoulders
it shows, where a real person's body goes on to the bottom of the picture. A door
or a window behind a person has sides and a top, but its edges run on behind the
body, or are hidden by it, instead of turning a corner under the chin. The cue,
`frame_share`: in how many of the sampled frames straight edges (LSD segments)
left of, right of and below the face meet in two corners under it.

Measured in README "Anti-spoofing" (bench/bench_face_spoof.py). What it cannot
catch: a screen that fills the camera's view (a monitor, or a tablet held close:
no frame in sight), a screen whose bottom edge is out of the view or hidden by
the hand, and a video injected into the browser as a virtual camera (no screen
at all). A cue of the display itself, moire (a spectral peak of the pixel grid
beating with the sensor's, in the skin's fine texture), was tried on our simulated
replays and did not separate them from real skin (peak ratios 3.4-4.3 against
2.5-4.2); glare and refresh-banding cues were not built. The random challenge
remains the defence there.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# A screen's frame around the face in at least this share of the sampled frames. Measured (README
# "Anti-spoofing"): no real person showed one (348 faces in frames of 18 real videos, 45 in real photos, even
# with the former 0.3 cover); the simulated tablets held up in full view showed one in nearly every frame.
MIN_FRAME_SHARE = 0.5
# The bottom edge must run unbroken under at least this share of the face's width: a screen's edge passes in
# front of the neck it shows (0.73-1.0 in the frames of the simulated tablets, less where the edge is tilted
# and partly out of view), an edge behind a person is broken by the neck (about 0.6 face widths wide, which
# leaves 0.4 in view).
MIN_BOTTOM_COVER = 0.6
SAMPLED_FRAMES = 8


@dataclass(frozen=True)
class ScreenReport:
    frame_share: float  # share of sampled frames with a screen's frame around the face
    screen: bool
    reasons: list[str]


def _segments(grey: np.ndarray) -> np.ndarray:
    """Straight edge segments (x0, y0, x1, y1) of the picture."""
    lsd = cv2.createLineSegmentDetector(cv2.LSD_REFINE_STD)
    lines = lsd.detect(grey)[0]
    return np.zeros((0, 4), np.float32) if lines is None else lines.reshape(-1, 4)


@dataclass(frozen=True)
class _Side:
    offset: float  # x of a vertical side (at the face's centre row), y of a horizontal one (at its centre column)
    lo: float  # extent along the side
    hi: float
    length: float
    spans: tuple[tuple[float, float], ...] = ()  # the segments' extents along the side
    at: float = 0.0  # where `offset` is measured along the side
    slope: float = 0.0  # change of the offset per pixel along the side

    def offset_at(self, along: float) -> float:
        """Where the side is at `along` (a vertical side's x at a row, a horizontal side's y at a column)."""
        return self.offset + (along - self.at) * self.slope

    def covered(self, lo: float, hi: float) -> float:
        """The share of [lo, hi] along the side that its segments cover."""
        cover = np.zeros(max(1, int(hi - lo)), bool)
        for a, b in self.spans:
            cover[max(0, int(a - lo)) : max(0, int(b - lo))] = True
        return float(cover.mean())


def _sides(segs: np.ndarray, vertical: bool, at: float, min_len: float) -> list[_Side]:
    """Segments of one orientation grouped into lines (within 4 px and 6 deg), with their joint extent."""
    if len(segs) == 0:
        return []
    d = segs[:, 2:] - segs[:, :2]
    length = np.hypot(d[:, 0], d[:, 1])
    along, across = (1, 0) if vertical else (0, 1)
    keep = (length >= max(6.0, 0.05 * min_len)) & (np.abs(d[:, across]) <= np.tan(np.radians(25)) * np.abs(d[:, along]))
    segs, d, length = segs[keep], d[keep], length[keep]
    if len(segs) == 0:
        return []
    slope = d[:, across] / np.where(d[:, along] == 0, 1e-6, d[:, along])
    offset = segs[:, across] + (at - segs[:, along]) * slope
    order = np.argsort(offset)
    groups: list[list[int]] = []
    for i in order:
        if groups and abs(offset[i] - offset[groups[-1][-1]]) <= 4 and abs(np.degrees(np.arctan(slope[i])) - np.degrees(np.arctan(slope[groups[-1][-1]]))) <= 6:
            groups[-1].append(i)
        else:
            groups.append([i])
    out = []
    for g in groups:
        total = float(length[g].sum())
        if total < min_len:
            continue
        ends = np.concatenate([segs[g, along], segs[g, along + 2]])
        spans = tuple((float(min(a, b)), float(max(a, b))) for a, b in zip(segs[g, along], segs[g, along + 2]))
        out.append(_Side(float(np.median(offset[g])), float(ends.min()), float(ends.max()), total, spans, at,
                         float(np.median(slope[g]))))
    return out


def screen_frame_around(grey: np.ndarray, bbox: tuple[float, float, float, float]) -> bool:
    """Do straight edges left of, right of and below the face meet in two corners under it?

    The bottom side must pass under the face, unbroken across the neck, and stop at the
    left and right sides; the left and right sides must not run on below it. A screen's
    edge is in front of everything it shows and turns a corner; the edges of a door, a
    window or a shelf behind a person run on behind the body, or are hidden by it.
    """
    x0, y0, x1, y1 = bbox
    fw, fh = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    segs = _segments(grey)
    verticals = _sides(segs, True, cy, 0.8 * fh)
    horizontals = _sides(segs, False, cx, 0.8 * fw)
    lefts = [s for s in verticals if s.offset < x0 - 0.1 * fw]
    rights = [s for s in verticals if s.offset > x1 + 0.1 * fw]
    # The bottom side runs across under the face, in front of the neck: the edge of a picture or a window
    # sill behind a person is broken there by the neck (about 0.6 face widths) or hidden by the shoulders.
    bottoms = [s for s in horizontals
               if s.offset > y1 + 0.05 * fh and s.covered(cx - 0.5 * fw, cx + 0.5 * fw) >= MIN_BOTTOM_COVER]
    tol = 0.15 * fh

    def corner(bottom: _Side, side: _Side, end: float) -> bool:
        """Does `side` come down to `bottom` and stop there, where `bottom` ends (x = `end`)?"""
        x = side.offset_at(bottom.offset_at(side.offset))
        y = bottom.offset_at(x)
        return abs(end - x) <= tol and y - 0.5 * fh <= side.hi <= y + tol

    return any(corner(b, left, b.lo) and corner(b, right, b.hi) for b in bottoms for left in lefts for right in rights)


def assess_screen(frames: list[tuple[np.ndarray, tuple[float, float, float, float]]]) -> ScreenReport:
    """Judge from frames with one face, (RGB, face box), in time order."""
    if not frames:
        return ScreenReport(0.0, False, [])
    picks = [frames[i] for i in np.linspace(0, len(frames) - 1, min(SAMPLED_FRAMES, len(frames))).astype(int)]
    share = float(np.mean([screen_frame_around(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), bbox) for rgb, bbox in picks]))
    reasons = []
    if share >= MIN_FRAME_SHARE:
        reasons.append("we saw the edges of a screen around your face; record yourself, not a screen")
    return ScreenReport(round(share, 3), bool(reasons), reasons)
