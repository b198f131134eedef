"""Presentation attacks built from real footage: a video replayed on a screen, and a face swapped in.

Both are made here, in code, so that every figure in README "Anti-spoofing" can be
rebuilt (bench/bench_face_spoof.py) and the tests can make a few of them.

**Screen replay.** A real recording is played on a display and filmed by the
webcam. What the camera then sees is rendered by following each camera pixel
back to the display (a homography: the display held slightly tilted, shaking a
little in the hand):

* the display's pixel grid (vertical R, G and B stripes and dark gaps between
  rows), point-sampled by the camera: where the grid is finer than the camera's
  pixels it aliases into moire fringes, attenuated by the lens and the sensor
  pixel's area (`Screen.moire`, the fringes' contrast before that attenuation);
* the display's tone (raised blacks, lowered contrast, a cooler white);
* glare: a lamp or window reflected in the glass, fixed to the display, and a
  faint reflection of the room;
* refresh banding: the rolling shutter against the backlight's flicker,
  horizontal bands drifting from frame to frame;
* for a tablet held up: its bezel and the room around it; for a monitor filling
  the view: neither.

**Face swap.** Another person's face is warped onto the recording's face frame by
frame (a piecewise-affine warp between the two faces' 68 landmarks, the way
landmark-driven swaps and reenactment work), its colour matched to the face it
covers, and blended in through a feathered mask (or Poisson cloning). The face
comes from a still photo (the cheap swap) or from another person's video (closer to a
deepfake: the face changes expression by itself), rendered at a lower
resolution than the frame, as swap models do (128-256 px).
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from scipy.spatial import Delaunay

from identity.face_swap import warp_triangles

# ----------------------------------------------------------------------------------------------------
# screen replay


@dataclass(frozen=True)
class Screen:
    kind: str = "tablet"  # "tablet": bezel and room in view; "monitor": the display fills the view
    camera: tuple[int, int] = (640, 480)  # the webcam's frame (w, h)
    fill: float = 0.8  # tablet: the display's height as a share of the camera frame's
    display_px: float = 1.6  # display pixels per camera pixel (above 1: the grid is finer than the sensor)
    moire: float = 0.35  # contrast of the pixel grid's fringes before the lens and sensor attenuate them
    tilt_deg: tuple[float, float, float] = (6.0, -4.0, 2.0)  # yaw, pitch, roll of the display
    glare: float = 0.3  # peak of the reflected lamp (0-1 of white)
    banding: float = 0.04  # contrast of the refresh bands
    band_period_px: float = 70.0
    tone: tuple[float, float] = (0.07, 0.86)  # black level, range
    white: tuple[float, float, float] = (0.93, 0.98, 1.07)  # the display's white in the room's light
    bezel_grey: int = 28
    shake_px: float = 3.0
    seed: int = 0


def _rotation(yaw: float, pitch: float, roll: float) -> np.ndarray:
    return cv2.Rodrigues(np.radians([pitch, yaw, 0.0]))[0] @ cv2.Rodrigues(np.radians([0.0, 0.0, roll]))[0]


def _quad(center: np.ndarray, half: np.ndarray, rot: np.ndarray, focal: float) -> np.ndarray:
    """The corners of a rectangle of half-size `half` (px at the focal distance), rotated in 3D, as projected."""
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], np.float64) * half
    pts = np.c_[corners, np.zeros(4)] @ rot.T + [0, 0, focal]
    return (pts[:, :2] / pts[:, 2:3]) * focal + center


def _mtf(freq: float, sigma: float = 0.3) -> float:
    """Contrast left of a grating of `freq` cycles/pixel by a sensor pixel's area and a slight lens blur."""
    return float(abs(np.sinc(freq)) * np.exp(-2 * (np.pi * sigma * freq) ** 2)) if freq > 0 else 1.0


def _room(background: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    w, h = size
    room = cv2.resize(background, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32)
    return cv2.GaussianBlur(room, (0, 0), 6) * 0.55  # out of focus and darker than the lit display


def screen_replay(frames: list[np.ndarray], screen: Screen, background: np.ndarray | None = None) -> list[np.ndarray]:
    """What a webcam records when `frames` (RGB, a real recording) play on `screen`."""
    rng = np.random.default_rng(screen.seed)
    cw, ch = screen.camera
    sh, sw = frames[0].shape[:2]
    focal = float(cw)
    cam_c = np.array([cw / 2, ch / 2])
    if screen.kind == "tablet":
        half_h = screen.fill * ch / 2
    else:  # the display's edges lie just outside the camera's view
        half_h = 1.08 * max(ch / 2, cw / 2 * sh / sw)
    half = np.array([half_h * sw / sh, half_h])
    dw, dh = max(8, round(2 * half[0] * screen.display_px)), max(8, round(2 * half[1] * screen.display_px))
    bezel = 0.06 * half_h
    room = _room(background if background is not None else frames[0], (cw, ch))
    ys, xs = np.mgrid[0:ch, 0:cw].astype(np.float32)
    freq = screen.display_px  # display pixels per camera pixel: the grid's frequency in cycles/pixel
    amp = screen.moire * _mtf(freq)
    phase = np.array([0.0, 1 / 3, 2 / 3])  # vertical R, G, B stripes
    glare_at = np.array([rng.uniform(0.2, 0.8) * dw, rng.uniform(0.15, 0.5) * dh])
    glare_size = np.array([0.25 * dw, 0.18 * dh])
    shake = np.zeros(3)
    out = []
    for t, frame in enumerate(frames):
        shake = 0.85 * shake + rng.normal(0, [screen.shake_px * 0.4, screen.shake_px * 0.4, 0.3])
        yaw, pitch, roll = screen.tilt_deg
        rot = _rotation(yaw, pitch, roll + shake[2])
        center = cam_c + shake[:2]
        display = _quad(center, half, rot, focal)
        src = np.array([[0, 0], [dw, 0], [dw, dh], [0, dh]], np.float32)
        h_disp = cv2.getPerspectiveTransform(src, display.astype(np.float32))
        inv = np.linalg.inv(h_disp)
        den = inv[2, 0] * xs + inv[2, 1] * ys + inv[2, 2]
        u = (inv[0, 0] * xs + inv[0, 1] * ys + inv[0, 2]) / den
        v = (inv[1, 0] * xs + inv[1, 1] * ys + inv[1, 2]) / den
        inside = (u >= 0) & (u < dw) & (v >= 0) & (v < dh)
        content = cv2.remap(frame.astype(np.float32) / 255.0, (u * sw / dw).astype(np.float32),
                            (v * sh / dh).astype(np.float32), cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_REPLICATE)
        black, span = screen.tone
        img = (black + span * content) * np.array(screen.white, np.float32)
        grid_v = 1 + 0.5 * amp * np.cos(2 * np.pi * v)
        for c in range(3):
            img[..., c] *= (1 + amp * np.cos(2 * np.pi * (u - phase[c]))) * grid_v
        g = np.exp(-0.5 * (((u - glare_at[0]) / glare_size[0]) ** 2 + ((v - glare_at[1]) / glare_size[1]) ** 2))
        img += screen.glare * g[..., None] + 0.06 * room / 255.0
        img *= (1 + screen.banding * np.sin(2 * np.pi * ys / screen.band_period_px + 0.9 * t))[..., None]
        img = np.clip(img * 255.0, 0, 255)
        if screen.kind == "tablet":
            device = _quad(center, half + bezel, rot, focal)
            in_device = np.zeros((ch, cw), np.uint8)
            cv2.fillConvexPoly(in_device, np.round(device).astype(np.int32), 1)
            canvas = room.copy()
            canvas[in_device.astype(bool)] = screen.bezel_grey + 6 * (ys[in_device.astype(bool)] / ch)[:, None]
            canvas[inside] = img[inside]
            img = canvas
        img = cv2.GaussianBlur(img, (0, 0), 0.6) + rng.normal(0, 2.0, img.shape)
        out.append(np.clip(img, 0, 255).astype(np.uint8))
    return out


# ----------------------------------------------------------------------------------------------------
# face swap

# The inner face of the 68-point scheme: jaw line, brows, nose, eyes, mouth; the mask is its hull.
_HULL = list(range(0, 17)) + [26, 25, 24, 23, 22, 21, 20, 19, 18, 17]


def landmarks_per_frame(frames: list[np.ndarray], backend) -> list[np.ndarray | None]:
    """The largest face's 68 landmarks in each frame (None where no face was found)."""
    out = []
    for f in frames:
        faces = backend.detect(f)
        out.append(max(faces, key=lambda x: x.height).landmarks if faces else None)
    return out


def _with_forehead(lm: np.ndarray) -> np.ndarray:
    """The 68 landmarks and five points on the forehead, so the warp covers the brows' top."""
    up = lm[27] - lm[8]
    up = up / (np.linalg.norm(up) + 1e-9)
    iod = np.linalg.norm(lm[36:42].mean(0) - lm[42:48].mean(0))
    extra = [lm[i] + 0.35 * iod * up for i in (17, 19, 21, 22, 24, 26)]
    return np.vstack([lm, extra])


def _match_colour(face: np.ndarray, target: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean and spread of each Lab channel of `face` made those of `target` under `mask` (a swap's colour step)."""
    sel = mask > 0.5
    lab_f = cv2.cvtColor(np.clip(face, 0, 255).astype(np.uint8), cv2.COLOR_RGB2LAB).astype(np.float32)
    lab_t = cv2.cvtColor(target, cv2.COLOR_RGB2LAB).astype(np.float32)
    for c in range(3):
        fm, fs = lab_f[..., c][sel].mean(), lab_f[..., c][sel].std() + 1e-3
        tm, ts = lab_t[..., c][sel].mean(), lab_t[..., c][sel].std() + 1e-3
        lab_f[..., c] = (lab_f[..., c] - fm) * (ts / fs) + tm
    return cv2.cvtColor(np.clip(lab_f, 0, 255).astype(np.uint8), cv2.COLOR_LAB2RGB).astype(np.float32)


@dataclass(frozen=True)
class Swap:
    face_px: int = 160  # the swapped face's width where it was rendered (a swap model's resolution)
    feather: float = 0.04  # the mask's blur (Gaussian sigma), in face widths
    erode: float = 0.0  # the mask pulled further inside the face's hull, in face widths
    blend: str = "feather"  # "feather" (alpha) or "poisson" (cv2.seamlessClone)
    colour: bool = True


def face_swap(frames: list[np.ndarray], frame_landmarks: list[np.ndarray | None], sources: list[np.ndarray],
              source_landmarks: list[np.ndarray], swap: Swap) -> list[np.ndarray]:
    """Each frame with the face of `sources` (cycled; one still photo, or another person's frames) put on its face."""
    out = []
    for k, (frame, lm) in enumerate(zip(frames, frame_landmarks)):
        if lm is None:
            out.append(frame)
            continue
        src, slm = sources[k % len(sources)], source_landmarks[k % len(sources)]
        # Render the source face at the swap model's resolution, then bring it to the frame's scale.
        width = np.ptp(slm[:, 0])
        scale = swap.face_px / max(width, 1.0)
        if scale < 1:
            src = cv2.resize(src, (max(1, round(src.shape[1] * scale)), max(1, round(src.shape[0] * scale))),
                             interpolation=cv2.INTER_AREA)
            slm = slm * scale
        s_pts, d_pts = _with_forehead(slm), _with_forehead(lm)
        tri = Delaunay(d_pts).simplices
        h, w = frame.shape[:2]
        warped = warp_triangles(src.astype(np.float32), s_pts, d_pts, (w, h), tri)
        face_w = np.ptp(lm[:, 0])
        mask = np.zeros((h, w), np.uint8)
        hull = cv2.convexHull(d_pts[_HULL + list(range(68, 74))].astype(np.float32))
        cv2.fillConvexPoly(mask, np.round(hull).astype(np.int32).reshape(-1, 2), 255)
        feather = max(0.5, swap.feather * face_w)
        # Pull the mask in so that its feathered edge ends inside the warped face.
        er = max(1, int(swap.erode * face_w + 2 * feather)) | 1
        mask = cv2.erode(mask, np.ones((er, er), np.uint8))
        if swap.colour:
            warped = _match_colour(warped, frame, mask)
        if swap.blend == "poisson":
            ys, xs = np.nonzero(mask)
            center = (int((xs.min() + xs.max() + 1) // 2), int((ys.min() + ys.max() + 1) // 2))
            out.append(cv2.seamlessClone(np.clip(warped, 0, 255).astype(np.uint8), frame, mask, center,
                                         cv2.NORMAL_CLONE))
            continue
        alpha = cv2.GaussianBlur(mask.astype(np.float32) / 255.0, (0, 0), feather)[..., None]
        out.append(np.clip(alpha * warped + (1 - alpha) * frame, 0, 255).astype(np.uint8))
    return out
