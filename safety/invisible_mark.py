"""The invisible video mark: the clip id in a tiled luminance pattern that survives re-sharing.

A re-shared clip is re-encoded, rescaled, cropped, reframed to 9:16, flipped, tilted, recoloured,
captioned and cut; the mark must name the clip through all of it. The design is the classical one
for broadcast monitoring (Philips' JAWS, Kalker et al. 1999) with self-referencing geometric
synchronisation (Kutter 1998):

- **One tile, repeated.** A 128x128 pixel tile is tiled over every frame. It is the sum of two
  layers: known synchronisation chips in 4x4 pixel cells (32x32 of them, a quarter of the power),
  and the coded payload in 8x8 pixel cells (the 64-bit clip id and a 24-bit keyed check,
  convolutionally coded at rate 1/2, each coded bit on one or two cells of a tile under a keyed
  carrier; 8x8 cells are what H.264 keeps at CRF 35-40). The pattern is the same in every
  frame, so a reader can average frames: content that moves averages away, the mark does not,
  which is what carries it through CRF 40, frame-rate and speed changes, trims and noise.
- **Luminance, masked.** The pattern is added to Y only (the same amount to R, G and B), scaled
  by the local texture of each frame, since texture hides it, and faded out towards black and
  white, where it would clip (a letterbox bar or a night sky is never pushed below 0; pixels at 0
  simply carry none of it, and the rest of the frame carries the whole payload). Saturation edits
  do not touch Y; brightness and contrast are an offset and a gain that the reader's local
  normalisation removes.
- **Geometry from the tiling itself.** A tiled pattern makes the autocorrelation of a frame peak on
  the lattice of tile periods, whatever the crop, scale, aspect change or small rotation. The
  reader finds the two lattice vectors (sub-pixel, fitted over several peaks), warps the frame
  back to tile coordinates, folds every tile onto one, and finds the tile's translation by
  correlating with the synchronisation chips, in all eight orientations of the square (a
  horizontal flip, or a clip turned by 90 degrees, is one of them).
- **Never a wrong id.** A word is accepted only when the synchronisation peak stands at least
  SYNC_MIN_Z standard deviations above its surface and the 24-bit keyed check matches; the clip
  id must then still be one the studio stored.

Measured figures (PSNR, per-edit results, costs) are in bench/bench_marks.py and the README.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
import av
import cv2
import numpy as np

from safety.errors import SafetyError

CLIP_ID_HEX = 16
ID_BITS = 4 * CLIP_ID_HEX
CHECK_BITS = 24
PAYLOAD_BITS = ID_BITS + CHECK_BITS
TILE = 128  # pixels of the marked frame
# Two layers share the tile. Synchronisation: fine 4x4 pixel cells, whose many chips find the lattice
# and the tile's shift precisely. Payload: coarse 8x8 cells, which H.264 keeps at CRF 40 where 4x4
# cells of the same strength are quantized away.
SYNC_CELL, PAYLOAD_CELL = 4, 8
SYNC_GRID, GRID = TILE // SYNC_CELL, TILE // PAYLOAD_CELL
SYNC_SMOOTH, PAYLOAD_SMOOTH = 1.0, 2.0  # pixels of blur, so that cell edges do not show
MIN_SIDE = 2 * TILE  # a frame must hold two tiles each way for the lattice to be found
# Convolutional code, rate 1/2, constraint length 7 (the NASA/802.11 generators).
_GENERATORS = (0o171, 0o133)
_MEMORY = 6
CODED_BITS = len(_GENERATORS) * (PAYLOAD_BITS + _MEMORY)
SYNC_SHARE = 0.25  # of the pattern's power: the rest carries the payload
_KEY = b"cameo-studio/invisible-mark/v2"
_CLIP_ID = re.compile(rf"^[0-9a-f]{{{CLIP_ID_HEX}}}$")

# Strength: luminance change per unit of pattern = clip(BASE + TEXTURE * local texture, MIN, MAX),
# then the whole frame scaled down if its PSNR would fall below TARGET_PSNR_DB.
STRENGTH_BASE, STRENGTH_TEXTURE, STRENGTH_MIN, STRENGTH_MAX = 1.5, 0.3, 1.0, 5.0
TARGET_PSNR_DB = 40.3
DARK_FADE, BRIGHT_FADE = 24.0, 24.0  # luminance levels over which the mark fades in from black / white

# Reading.
DEFAULT_DECODE_FRAMES = 72  # 3 s at 24 fps: enough averaging for CRF 40, within the read budget
WORK_AREA = 480_000  # frames larger than this many pixels are shrunk before analysis
PERIOD_RANGE = (44.0, 320.0)  # tile period in working pixels: scales ~0.35x to 2.5x of the marked frame
MAX_TILT_DEG = 12.0
SYNC_MIN_Z = 6.0
LATTICES_TRIED = 8  # candidate lattices checked against the synchronisation chips, best first


@dataclass(frozen=True)
class MarkReading:
    """What the frames say.

    bit_errors: coded bits (of CODED_BITS) whose sign disagreed with the decoded word, a measure of
    how worn the mark was; None when no valid word was found. sync_z: height of the synchronisation
    peak in standard deviations (0 when no lattice was found). frames_read: frames averaged.
    """

    found: bool
    clip_id: str | None
    bit_errors: int | None
    frames_read: int
    sync_z: float = 0.0


NOT_FOUND = MarkReading(False, None, None, 0)


# ---- payload and code ------------------------------------------------------------------------------

def _check_bits(id_bytes: bytes) -> np.ndarray:
    digest = hashlib.blake2b(id_bytes, digest_size=CHECK_BITS // 8, key=_KEY).digest()
    return np.unpackbits(np.frombuffer(digest, np.uint8))


def payload_bits(clip_id: str) -> np.ndarray:
    """The PAYLOAD_BITS bits (uint8 0/1): the clip id, then its keyed check."""
    if not isinstance(clip_id, str) or not _CLIP_ID.match(clip_id):
        raise SafetyError("bad_clip_id", f"clip_id must be {CLIP_ID_HEX} lowercase hex digits, got {clip_id!r}")
    id_bytes = bytes.fromhex(clip_id)
    return np.concatenate([np.unpackbits(np.frombuffer(id_bytes, np.uint8)), _check_bits(id_bytes)])


def clip_id_from_bits(bits: np.ndarray) -> str | None:
    """The clip id a payload word names, or None when its check bits do not match."""
    word = np.asarray(bits, dtype=np.uint8)
    id_bytes = np.packbits(word[:ID_BITS]).tobytes()
    if not np.array_equal(word[ID_BITS:], _check_bits(id_bytes)):
        return None
    return id_bytes.hex()


@lru_cache(maxsize=1)
def _trellis() -> tuple[np.ndarray, np.ndarray]:
    """For each (state, input bit): the next state and the three output bits."""
    states = np.arange(1 << _MEMORY)
    nxt = np.zeros((len(states), 2), np.int64)
    out = np.zeros((len(states), 2, len(_GENERATORS)), np.uint8)
    for s in states:
        for b in (0, 1):
            reg = (b << _MEMORY) | s
            nxt[s, b] = reg >> 1
            out[s, b] = [bin(reg & g).count("1") & 1 for g in _GENERATORS]
    return nxt, out


def conv_encode(bits: np.ndarray) -> np.ndarray:
    nxt, out = _trellis()
    state, coded = 0, []
    for b in np.concatenate([np.asarray(bits, np.uint8), np.zeros(_MEMORY, np.uint8)]):
        coded.append(out[state, b])
        state = nxt[state, b]
    return np.concatenate(coded)


def viterbi_decode(soft: np.ndarray, n_bits: int) -> np.ndarray:
    """Maximum-likelihood bits for soft values (positive: a 1 was sent), the encoder ending in state 0."""
    nxt, out = _trellis()
    n_states = len(nxt)
    sym = out.astype(np.float64) * 2 - 1  # (state, bit, 3)
    soft = np.asarray(soft, np.float64).reshape(-1, len(_GENERATORS))
    # Each next state n is reached from two states with input bit n >> (MEMORY - 1).
    n = np.arange(n_states)
    bit_in = n >> (_MEMORY - 1)
    prev = np.stack([(n << 1) & (n_states - 1), ((n << 1) & (n_states - 1)) | 1], axis=1)
    metric = np.full(n_states, -np.inf)
    metric[0] = 0.0
    choices = np.zeros((len(soft), n_states), np.int8)
    for t, r in enumerate(soft):
        branch = sym[prev, bit_in[:, None]] @ r  # (n_states, 2)
        cand = metric[prev] + branch
        pick = np.argmax(cand, axis=1)
        choices[t] = pick
        metric = cand[n, pick]
    state, bits = 0, np.zeros(len(soft), np.uint8)
    for t in range(len(soft) - 1, -1, -1):
        bits[t] = state >> (_MEMORY - 1)
        state = prev[state, choices[t, state]]
    return bits[:n_bits]


# ---- the pattern -----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _keyed_layout() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synchronisation chips, payload carriers (both +-1) and which coded bit each waxel carries."""
    rng = np.random.default_rng(int.from_bytes(hashlib.blake2b(_KEY, digest_size=8).digest(), "big"))
    sync = rng.choice([-1.0, 1.0], size=(SYNC_GRID, SYNC_GRID))
    carrier = rng.choice([-1.0, 1.0], size=(GRID, GRID))
    which = rng.permutation(np.arange(GRID * GRID) % CODED_BITS).reshape(GRID, GRID)
    return sync, carrier, which


def _gaussian_response(sigma: float) -> np.ndarray:
    """A Gaussian blur of `sigma` pixels as a filter on the tile's cyclic spectrum."""
    f = np.fft.fftfreq(TILE)
    return np.exp(-2 * (np.pi * sigma) ** 2 * (f[:, None] ** 2 + f[None, :] ** 2))


def _cells(values: np.ndarray, smooth: float) -> np.ndarray:
    """A grid of cell values as a TILE x TILE tile, smoothed cyclically so the tile repeats seamlessly."""
    cell = TILE // values.shape[0]
    tile = np.kron(values, np.ones((cell, cell)))
    return np.real(np.fft.ifft2(np.fft.fft2(tile) * _gaussian_response(smooth)))


def _unit(tile: np.ndarray) -> np.ndarray:
    return tile / tile.std()


@lru_cache(maxsize=64)
def pattern_tile(clip_id: str) -> np.ndarray:
    """The clip's TILE x TILE pattern, unit RMS, float32."""
    sync, carrier, which = _keyed_layout()
    coded = conv_encode(payload_bits(clip_id)).astype(np.float64) * 2 - 1
    tile = (np.sqrt(SYNC_SHARE) * _unit(_cells(sync, SYNC_SMOOTH))
            + np.sqrt(1 - SYNC_SHARE) * _unit(_cells(carrier * coded[which], PAYLOAD_SMOOTH)))
    return _unit(tile).astype(np.float32)


def _payload_response() -> np.ndarray:
    """What embedding and reading do to a payload cell: its smoothing, then the reader's high-pass."""
    return _gaussian_response(PAYLOAD_SMOOTH) * (1 - _gaussian_response(_PAYLOAD_HIGHPASS))


@lru_cache(maxsize=1)
def _sync_template() -> np.ndarray:
    """The synchronisation chips as the reader sees them: smoothed, high-passed like a read frame."""
    sync, _, _ = _keyed_layout()
    tile = np.kron(sync, np.ones((SYNC_CELL, SYNC_CELL)))
    response = _gaussian_response(SYNC_SMOOTH) * (1 - _gaussian_response(_SYNC_HIGHPASS))
    return np.real(np.fft.ifft2(np.fft.fft2(tile) * response)).astype(np.float32)


# ---- embedding -------------------------------------------------------------------------------------

def _check_frames(frames: np.ndarray) -> None:
    if not isinstance(frames, np.ndarray) or frames.dtype != np.uint8 or frames.ndim != 4 or frames.shape[-1] != 3:
        got = f"{frames.dtype} {frames.shape}" if isinstance(frames, np.ndarray) else type(frames).__name__
        raise SafetyError("bad_frames", f"frames must be a (T, H, W, 3) uint8 RGB array, got {got}")


def _luma(frame: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY).astype(np.float32)


def strength(luma: np.ndarray) -> np.ndarray:
    """How much luminance the pattern may move at each pixel: more in texture, none at black or white."""
    detail = luma - cv2.GaussianBlur(luma, (0, 0), 1.5)
    texture = np.sqrt(cv2.GaussianBlur(detail * detail, (0, 0), 4.0))
    amp = np.clip(STRENGTH_BASE + STRENGTH_TEXTURE * texture, STRENGTH_MIN, STRENGTH_MAX)
    fade = np.minimum(np.clip(luma / DARK_FADE, 0, 1), np.clip((255.0 - luma) / BRIGHT_FADE, 0, 1))
    return amp * cv2.GaussianBlur(fade, (0, 0), 2.0)


def _tiled(tile: np.ndarray, height: int, width: int) -> np.ndarray:
    reps = (-(-height // TILE), -(-width // TILE))
    return np.tile(tile, reps)[:height, :width]


def embed_frame(frame: np.ndarray, pattern: np.ndarray) -> np.ndarray:
    """One (H, W, 3) uint8 RGB frame with the tiled pattern (H, W) added to its luminance."""
    delta = strength(_luma(frame)) * pattern
    mse = float(np.mean(delta * delta))
    limit = 255.0 ** 2 / 10 ** (TARGET_PSNR_DB / 10)
    if mse > limit:
        delta *= np.sqrt(limit / mse)
    out = frame.astype(np.float32) + delta[:, :, None]
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def embed_frames(frames: np.ndarray, clip_id: str) -> np.ndarray:
    """Every frame of a (T, H, W, 3) uint8 RGB clip carrying the clip id; a new array."""
    _check_frames(frames)
    height, width = frames.shape[1:3]
    tile = pattern_tile(clip_id)
    if min(height, width) < MIN_SIDE:
        raise SafetyError("frame_too_small", f"frames of {width}x{height} are too small to carry the invisible "
                                             f"mark; at least {MIN_SIDE}x{MIN_SIDE} is needed")
    pattern = _tiled(tile, height, width)
    return np.stack([embed_frame(f, pattern) for f in frames])


# ---- reading: from frames to one whitened picture --------------------------------------------------

_SYNC_HIGHPASS, _PAYLOAD_HIGHPASS = 3.0, 5.0  # pixels: each layer's reading keeps its own band
_NORM_SIGMA = 8.0


def whiten(luma: np.ndarray, highpass: float) -> np.ndarray:
    """Content removed as far as it can be: high-pass, then divided by the local level of detail
    (which also undoes a contrast change), clipped so that no edge dominates."""
    detail = luma - cv2.GaussianBlur(luma, (0, 0), highpass)
    level = np.sqrt(cv2.GaussianBlur(detail * detail, (0, 0), _NORM_SIGMA))
    out = detail / (level + 1.0)
    return np.clip(out, -2.5, 2.5)


def _working(luma: np.ndarray) -> np.ndarray:
    h, w = luma.shape
    if h * w <= WORK_AREA:
        return luma
    f = np.sqrt(WORK_AREA / (h * w))
    return cv2.resize(luma, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)


class LumaAverage:
    """The running mean of the frames' luminance: the mark adds up, moving content averages away."""

    def __init__(self) -> None:
        self.total: np.ndarray | None = None
        self.count = 0

    def add(self, luma: np.ndarray) -> None:
        luma = np.asarray(luma, np.float32)
        if self.total is None:
            self.total = luma.copy()
        elif luma.shape == self.total.shape:
            self.total += luma
        else:
            return  # a stream that changes size midway: keep the first size
        self.count += 1

    def mean(self) -> np.ndarray | None:
        return None if self.total is None else self.total / self.count


# ---- reading: the lattice --------------------------------------------------------------------------

def _block_grid_mask(shape: tuple[int, int], source: tuple[int, int]) -> np.ndarray:
    """1 except on the spectral lines of a codec's 4/8/16 pixel block grid, 0 there.

    Block edges repeat every 16 (8, 4) pixels of the decoded frame, so their power sits on the
    lines fx = k * W / 16 and fy = k * H / 16 (in cycles per frame, whatever the working size). Left
    in, they put autocorrelation peaks at every multiple of 16 pixels along both axes, which at
    CRF 35-40 are as strong as the mark's own.
    """
    h, w = shape
    src_h, src_w = source
    fy = np.abs(np.fft.fftfreq(h) * src_h)  # cycles per decoded frame height
    fx = np.fft.rfftfreq(w) * src_w
    near = lambda f, n: np.abs(f * 16 / n - np.round(f * 16 / n)) * n / 16 <= 1.0  # noqa: E731
    rows = near(fy, src_h) & (fy > 0)
    cols = near(fx, src_w) & (fx > 0)
    mask = np.ones((h, w // 2 + 1), np.float32)
    mask[rows, :] = 0
    mask[:, cols] = 0
    return mask


def _autocorrelation(picture: np.ndarray, source: tuple[int, int]) -> np.ndarray:
    spectrum = np.fft.rfft2(picture - picture.mean())
    power = np.abs(spectrum) ** 2 * _block_grid_mask(picture.shape, source)
    ac = np.fft.irfft2(power, s=picture.shape)
    return np.fft.fftshift(ac / max(float(ac[0, 0]), 1e-12))


def _peak_candidates(ac: np.ndarray, horizontal: bool, count: int = 6) -> list[np.ndarray]:
    """The strongest local maxima of the autocorrelation near one axis, as (dx, dy) lags."""
    h, w = ac.shape
    cy, cx = h // 2, w // 2
    ys, xs = np.mgrid[-cy:h - cy, -cx:w - cx]
    along, across = (xs, ys) if horizontal else (ys, xs)
    limit = min(PERIOD_RANGE[1], 0.75 * (w if horizontal else h))
    tan = np.tan(np.radians(MAX_TILT_DEG))
    region = (along >= PERIOD_RANGE[0]) & (along <= limit) & (np.abs(across) <= tan * along + 2)
    if not region.any():
        return []
    peaks = (ac == cv2.dilate(ac, np.ones((5, 5), np.uint8))) & region
    idx = np.flatnonzero(peaks)
    best = idx[np.argsort(ac.flat[idx])[::-1][:count]]
    return [np.array([xs.flat[i], ys.flat[i]], np.float64) for i in best]


def _value(ac: np.ndarray, lag: np.ndarray) -> float:
    h, w = ac.shape
    x, y = lag[0] + w // 2, lag[1] + h // 2
    if not (0 <= x < w - 1 and 0 <= y < h - 1):
        return 0.0
    return float(cv2.getRectSubPix(ac, (1, 1), (float(x), float(y)))[0, 0])


def _subpixel_peak(ac: np.ndarray, lag: np.ndarray) -> np.ndarray | None:
    """The local maximum within 2 pixels of a lag, to a fraction of a pixel (parabola fit)."""
    h, w = ac.shape
    x0, y0 = int(round(lag[0])) + w // 2, int(round(lag[1])) + h // 2
    if not (3 <= x0 < w - 3 and 3 <= y0 < h - 3):
        return None
    win = ac[y0 - 2:y0 + 3, x0 - 2:x0 + 3]
    dy, dx = np.unravel_index(int(np.argmax(win)), win.shape)
    x, y = x0 + dx - 2, y0 + dy - 2
    if not (1 <= x < w - 1 and 1 <= y < h - 1):
        return None

    def vertex(a, b, c):
        d = a - 2 * b + c
        return 0.0 if d >= 0 else 0.5 * (a - c) / d

    fx = vertex(ac[y, x - 1], ac[y, x], ac[y, x + 1])
    fy = vertex(ac[y - 1, x], ac[y, x], ac[y + 1, x])
    return np.array([x - w // 2 + fx, y - h // 2 + fy])


def _refine(ac: np.ndarray, v1: np.ndarray, v2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares lattice vectors from the sub-pixel positions of every lattice peak in reach."""
    rows, obs = [], []
    h, w = ac.shape
    for a in range(-3, 4):
        for b in range(-3, 4):
            if (a, b) == (0, 0) or (a < 0 or (a == 0 and b < 0)):
                continue
            guess = a * v1 + b * v2
            if abs(guess[0]) > 0.7 * w or abs(guess[1]) > 0.7 * h:
                continue
            found = _subpixel_peak(ac, guess)
            if found is not None and np.hypot(*(found - guess)) < 1.5 + 0.01 * np.hypot(*guess):
                rows.append((a, b))
                obs.append(found)
    if len(rows) < 2:
        return v1, v2
    design = np.array(rows, np.float64)
    solution, *_ = np.linalg.lstsq(design, np.array(obs), rcond=None)
    return solution[0], solution[1]


def _lattice_score(peaks: np.ndarray, v1: np.ndarray, v2: np.ndarray) -> float:
    """Mean autocorrelation (local maxima, in noise units) over the lattice points within reach:
    a true lattice lights up all of them, a chance pair of content peaks only its own two."""
    h, w = peaks.shape
    values = []
    for a in range(0, 4):
        for b in range(-3, 4):
            if a == 0 and b <= 0:
                continue
            x, y = a * v1 + b * v2
            if abs(x) > 0.45 * w or abs(y) > 0.45 * h:
                continue
            values.append(peaks[int(round(y)) + h // 2, int(round(x)) + w // 2])
    return float(np.mean(values)) if len(values) >= 3 else -np.inf


def _with_fractions(lags: list[np.ndarray]) -> list[np.ndarray]:
    """Each peak, its half, third and double: content can outshine the first lattice peak but rarely all
    of its multiples, so the period may show first as its double or triple (or, upscaled, its half)."""
    out = []
    for lag in lags:
        out.extend(lag * k for k in (1, 1 / 2, 1 / 3, 2) if PERIOD_RANGE[0] <= np.hypot(*lag) * k <= PERIOD_RANGE[1])
    return out


def find_lattices(picture: np.ndarray, source: tuple[int, int], count: int = LATTICES_TRIED) -> list[tuple[np.ndarray, np.ndarray]]:
    """The most likely tile lattices (v1 near horizontal, v2 near vertical), best first.

    source: (height, width) of the decoded frames the picture was made from (for the block grid).
    """
    ac = _autocorrelation(picture, source).astype(np.float32)
    h, w = ac.shape
    ring = ac.copy()
    ring[h // 2 - 8:h // 2 + 9, w // 2 - 8:w // 2 + 9] = 0
    peaks = cv2.dilate((ac - float(np.median(ring))) / max(float(ring.std()), 1e-12), np.ones((3, 3), np.uint8))
    horiz, vert = _with_fractions(_peak_candidates(ac, True, 8)), _with_fractions(_peak_candidates(ac, False, 8))
    scored = []
    for v1 in horiz:
        for v2 in vert:
            ratio = np.hypot(*v1) / np.hypot(*v2)
            cos = abs(float(v1 @ v2)) / (np.hypot(*v1) * np.hypot(*v2))
            if not 0.7 <= ratio <= 1.45 or cos > np.sin(np.radians(MAX_TILT_DEG)):
                continue
            # Most re-shares keep the aspect ratio (a one-side crop resized back changes it by ~11%):
            # a square lattice is likelier than a stretched one of the same score.
            prior = 1.0 if abs(np.log(ratio)) < 0.15 else 0.6
            scored.append((prior * _lattice_score(peaks, v1, v2), v1, v2))
    scored.sort(key=lambda s: -s[0])
    return [_refine(ac, v1, v2) for _, v1, v2 in scored[:count]]


# ---- reading: fold, align, decode ------------------------------------------------------------------

def fold(picture: np.ndarray, v1: np.ndarray, v2: np.ndarray) -> np.ndarray:
    """Every tile of the picture, warped back to TILE x TILE and averaged (in an unknown cyclic shift)."""
    basis = np.stack([v1, v2], axis=1) / TILE  # tile pixel -> picture pixel
    inverse = np.linalg.inv(basis)
    h, w = picture.shape
    corners = inverse @ np.array([[0, w, 0, w], [0, 0, h, h]], np.float64)
    low = np.floor(corners.min(axis=1))
    size = np.ceil(corners.max(axis=1) - low).astype(int) + 1
    size = (-(-size // TILE)) * TILE
    affine = np.hstack([basis, (basis @ low)[:, None]]).astype(np.float32)
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    warped = cv2.warpAffine(picture.astype(np.float32), affine, (int(size[0]), int(size[1])), flags=flags)
    weight = cv2.warpAffine(np.ones_like(picture, np.float32), affine, (int(size[0]), int(size[1])), flags=flags)
    sy, sx = size[1] // TILE, size[0] // TILE
    total = warped.reshape(sy, TILE, sx, TILE).sum(axis=(0, 2))
    count = weight.reshape(sy, TILE, sx, TILE).sum(axis=(0, 2))
    return total / np.maximum(count, 1e-3)


def _turned(tile: np.ndarray, turn: int) -> np.ndarray:
    """One of the eight orientations of a square: turn // 2 quarter turns, mirrored when turn is odd."""
    rotated = np.rot90(tile, turn // 2)
    return rotated[:, ::-1] if turn % 2 else rotated


def _placed(folded: np.ndarray, turn: int, shift: tuple[int, int]) -> np.ndarray:
    return np.roll(_turned(folded, turn), (-shift[0], -shift[1]), axis=(0, 1))


def _align(folded: np.ndarray) -> tuple[float, int, tuple[int, int]]:
    """How to turn and shift the folded tile onto the synchronisation chips, and how sure that is (z)."""
    template = np.conj(np.fft.rfft2(_sync_template()))
    best = (-np.inf, 0, (0, 0))
    for turn in range(8):
        tile = _turned(folded, turn)
        corr = np.fft.irfft2(np.fft.rfft2(tile - tile.mean()) * template, s=tile.shape)
        peak = int(np.argmax(corr))
        z = (corr.flat[peak] - corr.mean()) / max(float(corr.std()), 1e-12)
        if z > best[0]:
            dy, dx = np.unravel_index(peak, corr.shape)
            best = (float(z), turn, (int(dy), int(dx)))
    return best


def decode_tile(aligned: np.ndarray) -> tuple[str | None, int]:
    """The clip id an aligned tile carries (None when its check fails) and the coded bits in error."""
    sync, carrier, which = _keyed_layout()
    matched = np.real(np.fft.ifft2(np.fft.fft2(aligned) * _payload_response()))
    cells = matched.reshape(GRID, PAYLOAD_CELL, GRID, PAYLOAD_CELL).mean(axis=(1, 3))
    soft = np.bincount(which.ravel(), (carrier * cells).ravel(), CODED_BITS)
    bits = viterbi_decode(soft, PAYLOAD_BITS)
    errors = int(np.sum((conv_encode(bits) == 1) != (soft > 0)))
    return clip_id_from_bits(bits), errors


def read_picture(luma: np.ndarray, frames_read: int = 1) -> MarkReading:
    """Read the mark from one (averaged) luminance picture."""
    working = _working(luma)
    if min(working.shape) < PERIOD_RANGE[0] * 2:
        return MarkReading(False, None, None, frames_read)
    fine, coarse = whiten(working, _SYNC_HIGHPASS), whiten(working, _PAYLOAD_HIGHPASS)
    best_z = 0.0
    for v1, v2 in find_lattices(fine, luma.shape):
        z, turn, shift = _align(fold(fine, v1, v2))
        best_z = max(best_z, z)
        if z < SYNC_MIN_Z:
            continue
        clip_id, errors = decode_tile(_placed(fold(coarse, v1, v2), turn, shift))
        if clip_id is not None:
            return MarkReading(True, clip_id, errors, frames_read, round(z, 1))
    return MarkReading(False, None, None, frames_read, round(best_z, 1))


def decode_luma(average: LumaAverage) -> MarkReading:
    mean = average.mean()
    if mean is None:
        return NOT_FOUND
    return read_picture(mean, average.count)


def decode_frames(frames: np.ndarray) -> MarkReading:
    """Read the mark from (T, H, W, 3) uint8 RGB frames, averaged."""
    _check_frames(frames)
    average = LumaAverage()
    for f in frames:
        average.add(_luma(f))
    return decode_luma(average)


def _frame_luma(frame: av.VideoFrame) -> np.ndarray:
    if frame.format.name in ("yuv420p", "yuvj420p", "yuv422p", "yuv444p", "nv12"):
        plane = frame.planes[0]
        rows = np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)
        return rows[:, :plane.width]
    return frame.to_ndarray(format="gray")


def decode_video(path: Path, max_frames: int = DEFAULT_DECODE_FRAMES) -> MarkReading:
    """Read the mark from the first max_frames frames of a video file, averaged."""
    if max_frames < 1:
        raise SafetyError("bad_argument", f"max_frames must be at least 1, got {max_frames}")
    average = LumaAverage()
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                return NOT_FOUND
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for frame in container.decode(stream):
                average.add(_frame_luma(frame))
                if average.count >= max_frames:
                    break
    except av.FFmpegError as e:
        raise SafetyError("bad_video", f"cannot read the video {Path(path).name}: {e}") from e
    return decode_luma(average)
