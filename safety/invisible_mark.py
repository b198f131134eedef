"""The invisible video mark: the clip id in a tiled luminance pattern that survives re-sharing.

A re-shared clip is re-encoded, rescaled, cropped, reframed to 9:16, flipped, tilted, recoloured,
captioned and cut; the mark must name the clip through all of it. The design is the classical one
for broadcast monitoring (Philips' JAWS, Kalker et al. 1999) with self-referencing geometric
synchronisation (Kutter 1998). Informed embedding (spending the payload's power on the bits the
clip's own picture works against) was tried and removed: over eight clip ids it made the worst word
worse (soft SNR after CRF 30 0.98 with it, 1.30 without):

- **One tile, repeated.** A 128x128 pixel tile is tiled over every frame. It is the sum of two
  layers on the same 8x8 pixel cells (16x16 of them): known synchronisation chips (a fifth of the
  power), and the coded payload (the 64-bit clip id and a 24-bit keyed check, convolutionally coded at
  rate 1/2, each coded bit on one or two cells under a keyed carrier) with its share along the chips
  taken out, so that no word lowers the synchronisation peak. 8x8 cells are what H.264 keeps best
  (through CRF 40) and what survives halving the size. Scheme 3 (clips marked before) had 4x4 pixel
  chips, quantised away first at CRF 35-40; the reader tries scheme 4, then 3. The pattern is the same
  in every frame, so a reader averages frames: content that moves averages away, the mark does not.
- **Luminance, masked.** The pattern is added to Y only (the same amount to R, G and B), scaled by
  the local texture of each frame (texture hides it; a flat sky or a cheek gets little, so it shows
  no mottle there), and faded out towards black and white, where it would clip: a letterbox bar or a
  night sky is never pushed below 0. Saturation edits do not touch Y; brightness and contrast are an
  offset and a gain that the reader's local normalisation removes. Each frame's mark is then scaled
  to a PSNR of TARGET_PSNR_DB: down in busy frames, up (at most HEADROOM_GAIN times) in dark or flat ones.
- **Geometry from the tiling itself.** A tiled pattern makes the autocorrelation of a frame peak on
  the lattice of tile periods, whatever the crop, scale, aspect change or small rotation. The
  reader finds candidate lattices (a strong peak and its square partner, or two peaks), warps the
  average picture back to tile coordinates at the marked scale, folds every tile onto one and
  finds the tile's translation by correlating with the synchronisation chips, in all eight
  orientations of the square (a horizontal flip, or a clip turned by 90 degrees, is one of them).
  Every fold works near the marked scale on at most FOLD_AREA pixels, and a large copy is read first
  from 64 studio frames' worth of pixels, so a marked copy of any size costs about what the studio's
  own clip does; only a large copy where nothing is found is decoded in full.
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
from typing import Iterator

import av
import cv2
import numpy as np

from safety.errors import SafetyError

CLIP_ID_HEX = 16
ID_BITS = 4 * CLIP_ID_HEX
CHECK_BITS = 24
PAYLOAD_BITS = ID_BITS + CHECK_BITS
TILE = 128  # pixels of the marked frame
CELL = 8
GRID = TILE // CELL
CELL_SMOOTH = 1.0  # pixels of blur, so that cell edges do not show
# The scheme embedded now, and every scheme the reader still reads (clips marked before keep their mark):
# 3 had 4x4 pixel synchronisation chips, which H.264 quantises away first (CRF 35-40 left them at 4-5 sigma
# while the payload's 8x8 cells still held); 4 lays its chips on the payload's 8x8 cells, keyed apart, with
# the payload's share along them taken out.
SCHEME = 4
SCHEMES_READ = (4, 3)
SYNC_CELLS = {3: (4, 0.8), 4: (CELL, CELL_SMOOTH)}  # chip size and blur (pixels) per scheme
MIN_SIDE = 2 * TILE  # a frame must hold two tiles each way for the lattice to be found
# Convolutional code, rate 1/2, constraint length 7 (the NASA/802.11 generators).
_GENERATORS = (0o171, 0o133)
_MEMORY = 6
CODED_BITS = len(_GENERATORS) * (PAYLOAD_BITS + _MEMORY)
SYNC_SHARE = 0.2  # of the pattern's power: the rest carries the payload
_KEY = b"cameo-studio/invisible-mark/v3"  # payload check and layout (every scheme); scheme 3's chips
_SYNC_KEY_4 = b"cameo-studio/invisible-mark/v4/sync"
_CLIP_ID = re.compile(rf"^[0-9a-f]{{{CLIP_ID_HEX}}}$")

# Strength: luminance change per unit of pattern = clip(TEXTURE * local texture, FLAT, MAX), faded
# out near black and white, then the whole frame scaled down if its PSNR would fall below TARGET_PSNR_DB.
STRENGTH_TEXTURE, STRENGTH_FLAT, STRENGTH_MAX = 0.75, 0.7, 6.0
TARGET_PSNR_DB = 40.3
HEADROOM_GAIN = 2.0  # the most a frame's mark is raised to use the PSNR budget texture left unspent
DARK_FADE, BRIGHT_FADE = 16.0, 16.0  # luminance levels over which the mark fades in from black / white

# Reading.
DEFAULT_DECODE_FRAMES = 120  # reference frames decoded at most (5 s at 24 fps)
# Pixels decoded for a first, quick reading: 64 frames of the studio's 832x480 (every reference frame of a 5 s
# clip). A larger copy (720p, a 9:16 reframe to 1080x1920) is an upscale holding no more tiles per frame, and
# its frames cost more to decode: its first reading uses 13 frames of 1080x1920, and all of them only when
# that finds nothing.
DECODE_PIXELS = 64 * 832 * 480
WORK_AREA = 250_000  # pictures larger than this many pixels are shrunk to find the lattice
PERIOD_RANGE = (44.0, 320.0)  # tile period in working pixels
MAX_TILT_DEG = 12.0
SYNC_MIN_Z = 5.0
LATTICES_TRIED = 8  # candidate lattices checked against the synchronisation chips, best first
COMB_HARMONIC, COMB_STEP, COMB_BAND, COMB_MIN_Z = 12, 0.003, (0.02, 0.3), 4.0
RECTANGLES_TRIED = 2  # stretched upright lattices from the axis combs
# The sides of the studio's output sizes (pipeline.types.ASPECTS): a re-share that rescales to a standard
# size maps one of them onto one of the picture's sides, so those ratios are tried as scales.
STUDIO_SIDES = (480, 832)
_WHITEN_HIGHPASS, _NORM_SIGMA = 3.0, 8.0  # pixels of the marked scale
EMBED_HIGHPASS = 3.0
EQUALISER_FLOOR = 0.02
# The fold works near the marked scale: a copy more than this many picture pixels per tile pixel is shrunk
# first, one at most FOLD_HALF_BELOW is folded at half the tile's resolution.
FOLD_SHRINK_ABOVE, FOLD_HALF_BELOW = 1.2, 0.6
# Marked-scale pixels folded at most (the middle of a larger copy): about the studio's 832x480 frame, so a
# 1080x1920 copy at 1.3x costs what the studio's own clip does.
FOLD_AREA = 450_000


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
    """For each (state, input bit): the next state and the output bits."""
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
    sym = out.astype(np.float64) * 2 - 1  # (state, bit, outputs)
    soft = np.asarray(soft, np.float64).reshape(-1, len(_GENERATORS))
    # Each next state n is reached from two states with input bit n >> (MEMORY - 1).
    n = np.arange(n_states)
    bit_in = n >> (_MEMORY - 1)
    prev = np.stack([(n << 1) & (n_states - 1), ((n << 1) & (n_states - 1)) | 1], axis=1)
    metric = np.full(n_states, -np.inf)
    metric[0] = 0.0
    choices = np.zeros((len(soft), n_states), np.int8)
    branch_sym = sym[prev, bit_in[:, None]]  # (n_states, 2, outputs)
    for t, r in enumerate(soft):
        cand = metric[prev] + branch_sym @ r
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
    """Synchronisation chips, payload carriers (both +-1 per cell) and which coded bit each cell carries."""
    rng = np.random.default_rng(int.from_bytes(hashlib.blake2b(_KEY, digest_size=8).digest(), "big"))
    sync = rng.choice([-1.0, 1.0], size=(TILE // SYNC_CELLS[3][0], TILE // SYNC_CELLS[3][0]))
    carrier = rng.choice([-1.0, 1.0], size=(GRID, GRID))
    which = rng.permutation(np.arange(GRID * GRID) % CODED_BITS).reshape(GRID, GRID)
    return sync, carrier, which


def _gaussian_response(sigma: float) -> np.ndarray:
    """A Gaussian blur of `sigma` pixels as a filter on the tile's cyclic spectrum."""
    f = np.fft.fftfreq(TILE)
    return np.exp(-2 * (np.pi * sigma) ** 2 * (f[:, None] ** 2 + f[None, :] ** 2))


@lru_cache(maxsize=2)
def _shape_response(smooth: float | None = None) -> np.ndarray:
    """The embedded shape of a cell (blurred) with no energy below the reader's band: power the reader
    would throw away (and that would show as mottle) is never embedded."""
    smooth = CELL_SMOOTH if smooth is None else smooth
    return _gaussian_response(smooth) * (1 - _gaussian_response(EMBED_HIGHPASS))


def _cells(values: np.ndarray, smooth: float | None = None) -> np.ndarray:
    """An array of cell values as a TILE x TILE tile, shaped cyclically (the tile repeats seamlessly)."""
    cell = TILE // values.shape[0]
    tile = np.kron(values, np.ones((cell, cell)))
    return np.real(np.fft.ifft2(np.fft.fft2(tile) * _shape_response(smooth)))


def _unit(tile: np.ndarray) -> np.ndarray:
    return tile / tile.std()


@lru_cache(maxsize=2)
def _sync_layer(scheme: int = SCHEME) -> np.ndarray:
    """A scheme's synchronisation chips as a unit-RMS tile."""
    cell, smooth = SYNC_CELLS[scheme]
    if scheme == 3:
        chips, _, _ = _keyed_layout()
    else:
        rng = np.random.default_rng(int.from_bytes(hashlib.blake2b(_SYNC_KEY_4, digest_size=8).digest(), "big"))
        chips = rng.choice([-1.0, 1.0], size=(TILE // cell, TILE // cell))
    return _unit(_cells(chips, smooth))


def _coded_signs(clip_id: str) -> np.ndarray:
    return conv_encode(payload_bits(clip_id)).astype(np.float64) * 2 - 1


@lru_cache(maxsize=64)
def pattern_tile(clip_id: str, scheme: int = SCHEME) -> np.ndarray:
    """The clip's TILE x TILE pattern, unit RMS, float32 (an older scheme only to test that it is still read)."""
    _, carrier, which = _keyed_layout()
    coded = _coded_signs(clip_id)
    sync = _sync_layer(scheme)
    payload = _cells(carrier * coded[which])
    if scheme >= 4:
        # The payload is noise to the synchronisation: a word whose layer happens to lean against the chips
        # (362f8fa2ef3c3824: -0.07 of their power in scheme 3) lowers the peak the reader must find. Its
        # share along the chips is taken out (the reader takes it out too before decoding), so every word
        # leaves the peak whole.
        payload = payload - sync * float(np.sum(payload * sync) / np.sum(sync * sync))
    payload = _unit(payload)
    tile = np.sqrt(SYNC_SHARE) * sync + np.sqrt(1 - SYNC_SHARE) * payload
    return _unit(tile).astype(np.float32)


@lru_cache(maxsize=2)
def _sync_template(scheme: int = SCHEME) -> np.ndarray:
    """The synchronisation chips as the reader sees them (it whitens, as the shape already is)."""
    return _sync_layer(scheme).astype(np.float32)


# ---- embedding -------------------------------------------------------------------------------------

def _check_frames(frames: np.ndarray) -> None:
    if not isinstance(frames, np.ndarray) or frames.dtype != np.uint8 or frames.ndim != 4 or frames.shape[-1] != 3:
        got = f"{frames.dtype} {frames.shape}" if isinstance(frames, np.ndarray) else type(frames).__name__
        raise SafetyError("bad_frames", f"frames must be a (T, H, W, 3) uint8 RGB array, got {got}")


def _luma(frame: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)


_MASK_KERNEL = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))


def strength(luma: np.ndarray) -> np.ndarray:
    """How much luminance the pattern may move at each pixel: more in texture, little in flat areas (where
    any pattern shows), none at black or white. Measured at half size (texture at the cells' scale)."""
    h, w = luma.shape
    small = cv2.resize(luma, (w // 2, h // 2), interpolation=cv2.INTER_AREA).astype(np.float32)
    detail = small - cv2.GaussianBlur(small, (0, 0), 1.0)
    texture = np.sqrt(cv2.GaussianBlur(detail * detail, (0, 0), 1.5))
    # Texture masks a pattern laid over it, not one laid next to it: an edge beside a flat cheek or sky
    # must not raise the strength on the flat side, so the map is the least texture nearby.
    texture = cv2.GaussianBlur(cv2.erode(texture, _MASK_KERNEL), (0, 0), 1.5)
    amp = np.clip(STRENGTH_TEXTURE * 2.0 * texture, STRENGTH_FLAT, STRENGTH_MAX)
    dark = cv2.erode(small, np.ones((3, 3), np.uint8))
    bright = cv2.dilate(small, np.ones((3, 3), np.uint8))
    fade = np.minimum(np.clip(dark / DARK_FADE, 0, 1), np.clip((255.0 - bright) / BRIGHT_FADE, 0, 1))
    return cv2.resize(amp * fade, (w, h), interpolation=cv2.INTER_LINEAR)


def _tiled(tile: np.ndarray, height: int, width: int) -> np.ndarray:
    reps = (-(-height // TILE), -(-width // TILE))
    return np.tile(tile, reps)[:height, :width]


def _add_luma(frame: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """frame + delta on R, G and B alike, rounded and clipped (an equal RGB change moves Y only), scaled so
    the frame's PSNR is TARGET_PSNR_DB: down where texture asked for more, up (at most HEADROOM_GAIN times)
    in dark or flat frames, which texture alone leaves far above it and CRF 23-30 then wipes clean."""
    mse = float(np.mean(delta * delta))
    limit = 255.0 ** 2 / 10 ** (TARGET_PSNR_DB / 10)
    if mse > 0:
        delta = delta * np.float32(min(np.sqrt(limit / mse), HEADROOM_GAIN))
    # No channel is pushed past 0 or 255: a clipped channel would shift the pixel's colour.
    r, g, b = cv2.split(frame)
    low = -cv2.min(cv2.min(r, g), b).astype(np.float32)
    high = 255.0 - cv2.max(cv2.max(r, g), b).astype(np.float32)
    delta = cv2.min(cv2.max(delta, low), high)
    return cv2.add(frame, cv2.merge([delta, delta, delta]), dtype=cv2.CV_8U)


def embed_frame(frame: np.ndarray, pattern: np.ndarray) -> np.ndarray:
    """One (H, W, 3) uint8 RGB frame with the tiled pattern (H, W) added to its luminance."""
    return _add_luma(frame, strength(_luma(frame)) * pattern)


def embed_frames(frames: np.ndarray, clip_id: str, scheme: int = SCHEME) -> np.ndarray:
    """Every frame of a (T, H, W, 3) uint8 RGB clip carrying the clip id; a new array (an older scheme only
    to test that clips marked with it are still read)."""
    _check_frames(frames)
    payload_bits(clip_id)
    height, width = frames.shape[1:3]
    if min(height, width) < MIN_SIDE:
        raise SafetyError("frame_too_small", f"frames of {width}x{height} are too small to carry the invisible "
                                             f"mark; at least {MIN_SIDE}x{MIN_SIDE} is needed")
    pattern = _tiled(pattern_tile(clip_id, scheme), height, width)
    return np.stack([_add_luma(f, strength(_luma(f)) * pattern) for f in frames])


# ---- reading: from frames to one picture -----------------------------------------------------------

def whiten(picture: np.ndarray, highpass: float | None = None, norm: float | None = None) -> np.ndarray:
    """Content removed as far as it can be: high-pass, then divided by the local level of detail
    (which also undoes a contrast change), clipped so that no edge dominates."""
    highpass = _WHITEN_HIGHPASS if highpass is None else highpass
    norm = _NORM_SIGMA if norm is None else norm
    detail = picture - cv2.GaussianBlur(picture, (0, 0), highpass)
    level = np.sqrt(_smooth(detail * detail, norm))
    return np.clip(detail / (level + 1.0), -2.5, 2.5)


def _smooth(values: np.ndarray, sigma: float) -> np.ndarray:
    """A wide Gaussian blur done at a quarter of the size (the local level varies slowly): the same map
    to within a few percent, at a sixth of the cost of the full-size blur that dominated reading."""
    h, w = values.shape
    k = 4 if sigma >= 4 and min(h, w) >= 64 else 1
    if k == 1:
        return cv2.GaussianBlur(values, (0, 0), sigma)
    small = cv2.resize(values, (-(-w // k), -(-h // k)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), np.sqrt(max(sigma ** 2 - k ** 2 / 4, 1.0)) / k)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


class LumaAverage:
    """The running mean of the frames' luminance: the mark adds up, moving content averages away."""

    def __init__(self) -> None:
        self.total: np.ndarray | None = None
        self.count = 0

    def add(self, luma: np.ndarray) -> None:
        if self.total is None:
            self.total = np.asarray(luma, np.float32).copy()
        elif luma.shape == self.total.shape:
            self.total += luma
        else:
            return  # a stream that changes size midway: keep the first size
        self.count += 1

    def mean(self) -> np.ndarray | None:
        return None if self.total is None else self.total / self.count


# ---- reading: the lattice --------------------------------------------------------------------------

def _working(luma: np.ndarray) -> tuple[np.ndarray, float]:
    """The picture shrunk to at most WORK_AREA pixels for the lattice search, and the factor used."""
    h, w = luma.shape
    if h * w <= WORK_AREA:
        return luma, 1.0
    f = np.sqrt(WORK_AREA / (h * w))
    return cv2.resize(luma, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA), f


_REACH = 0.47  # of the picture's size: the longest lag the (cyclic) autocorrelation shows
# (a, b) multiples of the lattice vectors whose autocorrelation peaks vouch for a lattice: one half plane.
_SUPPORT_STEPS = np.array([(a, b) for a in range(4) for b in range(-3, 4) if a > 0 or b > 0], np.float64)


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
    return np.fft.fftshift(ac / max(float(ac[0, 0]), 1e-12)).astype(np.float32)


def _peaks(ac: np.ndarray, count: int = 12) -> list[tuple[float, np.ndarray]]:
    """The strongest local maxima of the autocorrelation in the half plane (in noise units, lag (dx, dy))."""
    h, w = ac.shape
    cy, cx = h // 2, w // 2
    ys, xs = np.mgrid[-cy:h - cy, -cx:w - cx]
    length = np.hypot(xs, ys)
    region = (length >= PERIOD_RANGE[0]) & (length <= PERIOD_RANGE[1]) & (np.abs(xs) <= _REACH * w) \
        & (np.abs(ys) <= _REACH * h) & ((ys > 0) | ((ys == 0) & (xs > 0)))
    ring = ac[(length > 8) & (length <= PERIOD_RANGE[1])]
    noise = (ac - float(np.median(ring))) / max(float(ring.std()), 1e-12)
    is_peak = (ac == cv2.dilate(ac, np.ones((5, 5), np.uint8))) & region
    idx = np.flatnonzero(is_peak)
    best = idx[np.argsort(noise.flat[idx])[::-1][:count]]
    return [(float(noise.flat[i]), np.array([xs.flat[i], ys.flat[i]], np.float64)) for i in best]


def _subpixel_peak(ac: np.ndarray, lag: np.ndarray) -> np.ndarray | None:
    """The local maximum within 2 pixels of a lag, to a fraction of a pixel (parabola fit)."""
    h, w = ac.shape
    x0, y0 = int(round(lag[0])) + w // 2, int(round(lag[1])) + h // 2
    if not (3 <= x0 < w - 3 and 3 <= y0 < h - 3):
        return None
    win = ac[y0 - 2:y0 + 3, x0 - 2:x0 + 3]
    dy, dx = np.unravel_index(int(np.argmax(win)), win.shape)
    x, y = x0 + dx - 2, y0 + dy - 2

    def vertex(a, b, c):
        d = a - 2 * b + c
        return 0.0 if d >= 0 else float(np.clip(0.5 * (a - c) / d, -0.5, 0.5))

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
            if abs(guess[0]) > _REACH * w or abs(guess[1]) > _REACH * h:
                continue
            found = _subpixel_peak(ac, guess)
            if found is not None and np.hypot(*(found - guess)) < 1.5 + 0.01 * np.hypot(*guess):
                rows.append((a, b))
                obs.append(found)
    if len(rows) < 2 or np.linalg.matrix_rank(np.array(rows, np.float64)) < 2:
        return v1, v2
    solution, *_ = np.linalg.lstsq(np.array(rows, np.float64), np.array(obs), rcond=None)
    return solution[0], solution[1]


def _lattice_support(score: np.ndarray, v1: np.ndarray, v2: np.ndarray) -> float:
    """Mean peak height (noise units) over the lattice points in reach: a true lattice lights up all of them."""
    h, w = score.shape
    x, y = (_SUPPORT_STEPS @ np.stack([v1, v2])).T
    keep = (np.abs(x) <= _REACH * w) & (np.abs(y) <= _REACH * h) & (np.hypot(x, y) >= PERIOD_RANGE[0])
    if not keep.any():
        return -np.inf
    return float(np.mean(score[np.rint(y[keep]).astype(int) + h // 2, np.rint(x[keep]).astype(int) + w // 2]))


def _as_basis(u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(near horizontal, near vertical) vectors pointing right and down."""
    if abs(u[0]) < abs(u[1]):
        u, v = v, u
    u = u if u[0] > 0 else -u
    v = v if v[1] > 0 else -v
    return u, v


def find_lattices(picture: np.ndarray, source: tuple[int, int], count: int = LATTICES_TRIED) -> list[tuple[np.ndarray, np.ndarray]]:
    """The most likely tile lattices (v1 near horizontal, v2 near vertical), best first, in picture pixels.

    source: (height, width) of the decoded frames the picture was made from (for the block grid).
    Candidates: every pair of strong peaks at a right angle within the tilt range, and each strong peak
    with its square partner (most re-shares keep the aspect ratio; a narrow 9:16 reframe leaves too
    little width for the horizontal peak to stand out).
    """
    ac = _autocorrelation(picture, source)
    h, w = ac.shape
    ring = ac.copy()
    ring[h // 2 - 8:h // 2 + 9, w // 2 - 8:w // 2 + 9] = 0
    score = cv2.dilate((ac - float(np.median(ring))) / max(float(ring.std()), 1e-12), np.ones((3, 3), np.uint8))
    peaks = _peaks(ac)
    vectors = []
    for _, lag in peaks:
        for k in (1, 1 / 2, 1 / 3):
            if PERIOD_RANGE[0] <= np.hypot(*lag) * k <= PERIOD_RANGE[1]:
                vectors.append(lag * k)
    tan = np.tan(np.radians(MAX_TILT_DEG))
    scored = []
    seen = set()

    def consider(u: np.ndarray, v: np.ndarray, prior: float) -> None:
        u, v = _as_basis(u, v)
        if abs(u[1]) > tan * abs(u[0]) + 1 or abs(v[0]) > tan * abs(v[1]) + 1:
            return
        ratio = np.hypot(*u) / np.hypot(*v)
        cos = abs(float(u @ v)) / (np.hypot(*u) * np.hypot(*v))
        if not 0.7 <= ratio <= 1.45 or cos > np.sin(np.radians(MAX_TILT_DEG)):
            return
        key = (round(u[0] / 2), round(u[1] / 2), round(v[0] / 2), round(v[1] / 2))
        if key in seen:
            return
        seen.add(key)
        square = 1.0 if abs(np.log(ratio)) < 0.15 else 0.7
        scored.append((prior * square * _lattice_support(score, u, v), u, v))

    for i, u in enumerate(vectors):
        consider(u, np.array([-u[1], u[0]]), 0.9)  # its square partner
        for v in vectors[i + 1:]:
            consider(u, v, 1.0)
    scored.sort(key=lambda s: -s[0])
    return [_as_basis(*_refine(ac, u, v)) for _, u, v in scored[:count] if np.isfinite(_)]


@lru_cache(maxsize=1)
def _harmonics() -> np.ndarray:
    """(m, n) lattice harmonics the comb scan looks at: one half plane, up to COMB_HARMONIC each way."""
    m = np.arange(-COMB_HARMONIC, COMB_HARMONIC + 1)
    mm, nn = np.meshgrid(m, m)
    keep = (mm > 0) | ((mm == 0) & (nn > 0))
    return np.stack([mm[keep], nn[keep]], axis=1).astype(np.float64)


def _flat_spectrum(picture: np.ndarray, source: tuple[int, int]) -> np.ndarray:
    """The picture's power spectrum (rfft layout) over its own smoothed envelope, codec block lines removed:
    a tiled pattern's harmonics stand out of it whatever the content's spectral slope."""
    h, w = picture.shape
    window = np.outer(np.hanning(h), np.hanning(w)).astype(np.float32)
    spectrum = np.abs(np.fft.rfft2((picture - picture.mean()) * window)) ** 2 * _block_grid_mask(picture.shape, source)
    shifted = np.fft.fftshift(spectrum, axes=0).astype(np.float32)
    envelope = cv2.blur(shifted, (9, 9))  # the content's own spectral slope
    return np.fft.ifftshift(shifted / (envelope + 1e-12), axes=0)


def _comb_periods(h: int, w: int) -> np.ndarray:
    low, high = PERIOD_RANGE[0], min(PERIOD_RANGE[1] * 1.5, 0.95 * max(h, w))
    return np.exp(np.arange(np.log(low), np.log(high), COMB_STEP))


def _robust_z(score: np.ndarray) -> np.ndarray:
    median = float(np.median(score))
    return (score - median) / (1.4826 * float(np.median(np.abs(score - median))) + 1e-12)


def comb_scan(picture: np.ndarray, source: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """How strongly the picture's spectrum shows an upright square lattice of each period (working pixels).

    A tiled pattern puts its power on the lines of its reciprocal lattice; summed over a few hundred
    harmonics, that stands out far below the point where one autocorrelation peak does (halving the size,
    or a 9:16 reframe that leaves two tiles across). Returns (periods, z) with z in robust noise units.
    """
    h, w = picture.shape
    flat = _flat_spectrum(picture, source)
    periods = _comb_periods(h, w)
    harm = _harmonics()
    freq = np.hypot(harm[:, 0], harm[:, 1])[None, :] / periods[:, None]  # cycles per working pixel
    kx = np.rint(harm[None, :, 0] * w / periods[:, None]).astype(np.int64)
    ky = np.rint(harm[None, :, 1] * h / periods[:, None]).astype(np.int64)
    use = (freq >= COMB_BAND[0]) & (freq <= COMB_BAND[1]) & (kx <= w // 2) & (np.abs(ky) < h // 2)
    values = np.where(use, flat[ky % h, np.minimum(kx, w // 2)], 0.0)
    return periods, _robust_z(values.sum(axis=1) / np.maximum(use.sum(axis=1), 1))


def axis_combs(picture: np.ndarray, source: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The comb scan along each axis alone: (periods, z of a horizontal period, z of a vertical period).

    A crop of one side resized back stretches the tiles into rectangles, which the square comb misses; every
    column of the spectrum at a multiple of the horizontal lattice frequency holds harmonics, so the
    spectrum's mean over rows (over columns) shows the horizontal (vertical) period alone.
    """
    h, w = picture.shape
    flat = _flat_spectrum(picture, source)
    columns, rows = flat.mean(axis=0), flat.mean(axis=1)
    periods = _comb_periods(h, w)
    m = np.arange(1, COMB_HARMONIC + 1)[None, :]
    use = (m / periods[:, None] >= COMB_BAND[0]) & (m / periods[:, None] <= COMB_BAND[1])

    def scan(profile: np.ndarray, n: int, limit: int) -> np.ndarray:
        k = np.rint(m * n / periods[:, None]).astype(np.int64)
        ok = use & (k < limit)
        return _robust_z(np.where(ok, profile[np.minimum(k, limit - 1)], 0.0).sum(axis=1) / np.maximum(ok.sum(axis=1), 1))

    return periods, scan(columns, w, w // 2 + 1), scan(rows, h, h // 2)


def _peak_periods(periods: np.ndarray, z: np.ndarray, count: int,
                  multiples: tuple[int, ...] = (1, 2, 3)) -> list[tuple[float, float]]:
    """(z, period) of the strongest local maxima of a comb at least COMB_MIN_Z, and for each its double and
    triple (a lattice of a third of the period lights a third of the harmonics: its comb can outscore the
    true one)."""
    peaks = np.flatnonzero((z >= np.maximum(np.roll(z, 1), np.roll(z, -1))) & (z >= COMB_MIN_Z))
    out: list[tuple[float, float]] = []
    for i in peaks[np.argsort(z[peaks])[::-1][:count]]:
        for k in multiples:
            if periods[i] * k <= periods[-1] and not any(abs(np.log(p / (periods[i] * k))) < 0.01 for _, p in out):
                out.append((float(z[i]), float(periods[i] * k)))
    return out


def _rectangle_candidates(picture: np.ndarray, source: tuple[int, int],
                          squares: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """(horizontal, vertical) periods of upright lattices stretched out of square (a one-side crop resized
    back): pairs of the square comb's peaks (each side of a rectangle lights its own square comb) and of the
    axis combs' whose sides differ by 3-45%, strongest first, at most RECTANGLES_TRIED."""
    periods, zx, zy = axis_combs(picture, source)
    pairs = {(px, py): a + b for a, px in squares + _peak_periods(periods, zx, 2, (1,))
             for b, py in squares + _peak_periods(periods, zy, 2, (1,)) if 0.03 < abs(np.log(px / py)) < np.log(1.45)}
    return sorted(pairs, key=lambda p: -pairs[p])[:RECTANGLES_TRIED]


def candidate_lattices(picture: np.ndarray, source: tuple[int, int]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Lattices worth folding for, best first: the comb scan's upright squares, the studio's output sides,
    then the autocorrelation's (which also finds tilted and stretched lattices when the mark is strong).

    A generator, so a reader that finds the mark on an early candidate never pays for the autocorrelation
    search (the most common case: a clip kept upright).
    """
    out: list[tuple[np.ndarray, np.ndarray]] = []
    periods, z = comb_scan(picture, source)
    for _, p in _peak_periods(periods, z, 3):
        out.append((np.array([p, 0.0]), np.array([0.0, p])))
        yield out[-1]
    for px, py in _rectangle_candidates(picture, source, _peak_periods(periods, z, 3, (1,))):
        out.append((np.array([px, 0.0]), np.array([0.0, py])))
        yield out[-1]
    h, w = picture.shape
    factor = h / source[0]
    for side in sorted({x / s for x in source for s in STUDIO_SIDES}, key=lambda r: abs(np.log(r))):
        p = TILE * side * factor
        if PERIOD_RANGE[0] <= p <= 0.95 * max(h, w) and not any(abs(np.log(a[0] / p)) < 0.005 for a, _ in out):
            out.append((np.array([p, 0.0]), np.array([0.0, p])))
            if len(out) > LATTICES_TRIED + 6:
                return
            yield out[-1]
    for v1, v2 in find_lattices(picture, source):
        if not any(np.hypot(*(v1 - a)) + np.hypot(*(v2 - b)) < 0.01 * np.hypot(*a) for a, b in out):
            out.append((v1, v2))
            if len(out) > LATTICES_TRIED + 6:
                return
            yield out[-1]


# ---- reading: to tile coordinates, fold, align, decode ---------------------------------------------

@dataclass(frozen=True)
class TileView:
    """The picture folded onto one tile at the marked scale: whitened, its translation unknown."""

    payload: np.ndarray  # TILE x TILE


class _Halvings:
    """A picture and its halvings (area averages), made as a fold first needs them: a large copy is shrunk
    towards the marked scale from the nearest one, not from the full picture for every candidate lattice."""

    def __init__(self, luma: np.ndarray) -> None:
        self.levels = [np.asarray(luma, np.float32)]

    @property
    def shape(self) -> tuple[int, int]:
        return self.levels[0].shape

    def shrunk(self, scale: float) -> np.ndarray:
        """The picture shrunk `scale` times (area average), from the smallest halving still larger."""
        h, w = self.shape
        while 2 ** len(self.levels) <= scale and min(self.levels[-1].shape) >= 4:
            top = self.levels[-1]
            self.levels.append(cv2.resize(top, (top.shape[1] // 2, top.shape[0] // 2), interpolation=cv2.INTER_AREA))
        level = self.levels[min(int(np.floor(np.log2(scale))), len(self.levels) - 1)]
        size = (max(1, round(w / scale)), max(1, round(h / scale)))
        return level if level.shape[::-1] == size else cv2.resize(level, size, interpolation=cv2.INTER_AREA)


def _tile_view(picture: _Halvings, v1: np.ndarray, v2: np.ndarray) -> TileView:
    """Warp the (full size) picture so the lattice (v1, v2) becomes TILE x TILE squares, whiten it at the
    marked scale, and average every tile onto one (pixels outside the picture weigh nothing).

    The fold costs what the warped picture's size costs, whatever the copy's size: a copy larger than the
    marked scale (720p, a 9:16 reframe) is shrunk by area first (which also keeps its content from
    aliasing into the mark's band), a copy at half the marked scale or less (0.5x) is folded at half
    the tile's resolution (it holds no finer detail) and the folded tile brought back up, and no more
    than FOLD_AREA marked-scale pixels are folded.
    """
    scale = np.sqrt(abs(float(np.linalg.det(np.stack([v1, v2], axis=1))))) / TILE  # picture px per tile px
    luma = picture.levels[0]
    if scale > FOLD_SHRINK_ABOVE:
        h, w = luma.shape
        luma = picture.shrunk(scale)
        stretch = np.array([luma.shape[1] / w, luma.shape[0] / h])
        v1, v2 = v1 * stretch, v2 * stretch
    k = 2 if scale <= FOLD_HALF_BELOW else 1
    luma = _centre(luma, FOLD_AREA * min(scale, 1.0) ** 2)
    tile = TILE // k
    basis = np.stack([v1, v2], axis=1) / tile  # folded-tile pixel -> picture pixel
    inverse = np.linalg.inv(basis)
    h, w = luma.shape
    corners = inverse @ np.array([[0, w, 0, w], [0, 0, h, h]], np.float64)
    low = np.floor(corners.min(axis=1))
    size = np.ceil(corners.max(axis=1) - low).astype(int) + 1
    size = (-(-size // tile)) * tile
    affine = np.hstack([basis, (basis @ low)[:, None]]).astype(np.float32)
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    dsize = (int(size[0]), int(size[1]))
    warped = cv2.warpAffine(luma, affine, dsize, flags=flags, borderMode=cv2.BORDER_REPLICATE)
    inside = cv2.warpAffine(np.ones((h, w), np.float32), affine, dsize, flags=flags, borderValue=0.0)
    inside = (inside > 0.99).astype(np.float32)
    white = _without_lines(whiten(warped, _WHITEN_HIGHPASS / k, _NORM_SIGMA / k) * inside, inside)
    sy, sx = dsize[1] // tile, dsize[0] // tile
    total = white.reshape(sy, tile, sx, tile).sum(axis=(0, 2))
    count = inside.reshape(sy, tile, sx, tile).sum(axis=(0, 2))
    folded = total / np.maximum(count, 1.0)
    return TileView(_upsampled(folded, TILE) if k > 1 else folded)


def _centre(picture: np.ndarray, area: float) -> np.ndarray:
    """The middle of a picture, at most `area` pixels, its aspect ratio kept."""
    h, w = picture.shape
    f = min(1.0, np.sqrt(area / (h * w)))
    ch, cw = max(1, int(h * f)), max(1, int(w * f))
    return picture[(h - ch) // 2:(h - ch) // 2 + ch, (w - cw) // 2:(w - cw) // 2 + cw]


def _upsampled(tile: np.ndarray, size: int) -> np.ndarray:
    """A cyclic tile brought up to size x size pixels by zero-padding its spectrum (exact for a repeating tile)."""
    pad = (size - tile.shape[0]) // 2
    spectrum = np.pad(np.fft.fftshift(np.fft.fft2(tile)), pad)
    return np.real(np.fft.ifft2(np.fft.ifftshift(spectrum)))


def _without_lines(white: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """The whitened picture less its row and column means: the straight edges of black bars, a pad or a
    caption box run along whole rows or columns and would add up coherently in the fold; the mark's
    cells average out along a line."""
    rows = white.sum(axis=1, keepdims=True) / np.maximum(inside.sum(axis=1, keepdims=True), 1.0)
    white = (white - rows) * inside
    cols = white.sum(axis=0, keepdims=True) / np.maximum(inside.sum(axis=0, keepdims=True), 1.0)
    return (white - cols) * inside


def _turned(tile: np.ndarray, turn: int) -> np.ndarray:
    """One of the eight orientations of a square: turn // 2 quarter turns, mirrored when turn is odd."""
    rotated = np.rot90(tile, turn // 2)
    return rotated[:, ::-1] if turn % 2 else rotated


def _placed(folded: np.ndarray, turn: int, shift: tuple[int, int]) -> np.ndarray:
    return np.roll(_turned(folded, turn), (-shift[0], -shift[1]), axis=(0, 1))


def _turned_spectra(folded: np.ndarray) -> np.ndarray:
    """The spectra of the folded tile's eight orientations, each less its mean (shared by every scheme)."""
    tiles = np.stack([_turned(folded, turn) for turn in range(8)])
    return np.fft.rfft2(tiles - tiles.mean(axis=(1, 2), keepdims=True))


@lru_cache(maxsize=2)
def _template_spectrum(scheme: int) -> np.ndarray:
    return np.conj(np.fft.rfft2(_sync_template(scheme)))


def _align(folded: np.ndarray, scheme: int = SCHEME,
           spectra: np.ndarray | None = None) -> tuple[float, int, tuple[int, int]]:
    """How to turn and shift the folded tile onto a scheme's synchronisation chips, and how sure that is (z)."""
    spectra = _turned_spectra(folded) if spectra is None else spectra
    corr = np.fft.irfft2(spectra * _template_spectrum(scheme), s=folded.shape).reshape(8, -1)
    peaks = corr.argmax(axis=1)
    z = (corr[np.arange(8), peaks] - corr.mean(axis=1)) / np.maximum(corr.std(axis=1), 1e-12)
    turn = int(np.argmax(z))
    dy, dx = np.unravel_index(int(peaks[turn]), folded.shape)
    return float(z[turn]), turn, (int(dy), int(dx))


def _raw_cells(aligned: np.ndarray) -> np.ndarray:
    matched = np.real(np.fft.ifft2(np.fft.fft2(aligned) * _shape_response()))
    return matched.reshape(GRID, CELL, GRID, CELL).mean(axis=(1, 3))


@lru_cache(maxsize=1)
def _equaliser() -> np.ndarray:
    """Wiener inverse (on the cyclic cell grid) of what embedding's shaping, the reader's high-pass and its
    matched filter do to one cell: neighbouring cells leak into each other otherwise."""
    impulse = np.zeros((GRID, GRID))
    impulse[0, 0] = 1.0
    tile = _cells(impulse)
    passed = tile - np.real(np.fft.ifft2(np.fft.fft2(tile) * _gaussian_response(_WHITEN_HIGHPASS)))
    response = np.fft.fft2(_raw_cells(passed))
    power = np.abs(response) ** 2
    return np.conj(response) / (power + EQUALISER_FLOOR * power.max())


def _cell_values(aligned: np.ndarray, scheme: int = SCHEME) -> np.ndarray:
    """Each cell's value as embedded (equalised), the synchronisation chips' share taken out (they are known)."""
    sync = _sync_template(scheme)
    aligned = aligned - sync * float(np.sum(aligned * sync) / np.sum(sync * sync))
    return np.real(np.fft.ifft2(np.fft.fft2(_raw_cells(aligned)) * _equaliser()))


def _soft_bits(aligned: np.ndarray, scheme: int = SCHEME) -> np.ndarray:
    """Soft values of the coded bits (positive: a 1), summed over the cells that carry each."""
    _, carrier, which = _keyed_layout()
    return np.bincount(which.ravel(), (carrier * _cell_values(aligned, scheme)).ravel(), CODED_BITS)


def decode_tile(aligned: np.ndarray, scheme: int = SCHEME) -> tuple[str | None, int]:
    """The clip id an aligned tile carries (None when its check fails) and the coded bits in error."""
    soft = _soft_bits(aligned, scheme)
    bits = viterbi_decode(soft, PAYLOAD_BITS)
    errors = int(np.sum((conv_encode(bits) == 1) != (soft > 0)))
    return clip_id_from_bits(bits), errors


def read_picture(luma: np.ndarray, frames_read: int = 1) -> MarkReading:
    """Read the mark from one (averaged) luminance picture."""
    luma = np.asarray(luma, np.float32)
    working, factor = _working(luma)
    if min(working.shape) < PERIOD_RANGE[0] * 2:
        return MarkReading(False, None, None, frames_read)
    picture = whiten(working, 2.0, 6.0)
    best_z = 0.0
    halvings = _Halvings(luma)
    for v1, v2 in candidate_lattices(picture, luma.shape):
        view = _tile_view(halvings, v1 / factor, v2 / factor)
        spectra = _turned_spectra(view.payload)
        for scheme in SCHEMES_READ:
            z, turn, shift = _align(view.payload, scheme, spectra)
            best_z = max(best_z, z)
            if z < SYNC_MIN_Z:
                continue
            clip_id, errors = decode_tile(_placed(view.payload, turn, shift), scheme)
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
    """Read the mark from the reference frames among the first max_frames of a video file, averaged.

    A copy larger than the studio's frames is read first from DECODE_PIXELS pixels' worth of frames (a
    quick answer for a marked 1080x1920 reframe); only when that finds nothing are the rest decoded and
    read again (a dark or busy copy can need them all).

    Frames no other frame refers to (most B-frames) are skipped: they cost as much to decode and carry
    the mark worst (an encoder quantizes them hardest).
    """
    if max_frames < 1:
        raise SafetyError("bad_argument", f"max_frames must be at least 1, got {max_frames}")
    average = LumaAverage()
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                return NOT_FOUND
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            stream.codec_context.skip_frame = "NONREF"
            quick = None
            for frame in container.decode(stream):
                average.add(_frame_luma(frame))
                if average.count == 1:
                    budget = max(1, -(-DECODE_PIXELS // (frame.width * frame.height)))
                if average.count == budget < max_frames:
                    quick = decode_luma(average)
                    if quick.found:
                        return quick
                if average.count >= max_frames:
                    break
            if quick is not None and quick.frames_read == average.count:
                return quick
    except av.FFmpegError as e:
        raise SafetyError("bad_video", f"cannot read the video {Path(path).name}: {e}") from e
    return decode_luma(average)
