"""The invisible mark: the clip's id hidden in every frame, so a copy that lost its Content Credentials
(a remux, a re-upload, a screen grab of the video) can still be traced to the studio clip it came from.

Method: imwatermark's `dwtDctSvd`, computed for all blocks of a frame at once with numpy. The library
loops over the 6,240 blocks of a 832x480 frame in Python (77 ms a frame measured, nearly twice the
whole post-generation budget of ~42 ms a frame at 24 fps) and swaps the horizontal and vertical detail bands
when it rebuilds the image. The transform is the same: the Haar approximation band of the U (blue
difference) channel, cut into 4x4 blocks, each block's largest singular value quantized to
`(k + 1/4) * STEP` for a 0 bit and `(k + 3/4) * STEP` for a 1 bit. The DCT the library applies before
its SVD is orthonormal, so it leaves the singular values as they are and is skipped here. Luminance is
untouched (the change is spread over G and B so that Y stays the same), which is what keeps the mark
invisible; chroma is also what survived our attack probes (H.264 CRF 28 quantizes luma detail away,
`Y` channel marks lost about half their bits).

Two departures from the library, both measured on the fixture videos (bench/bench_marks.py):
- Bits are spread over the blocks by a fixed pseudo-random layout instead of round robin. Round robin
  lines each bit up with H.264's macroblock grid, and after CRF 28 one or two bits were wrong in
  nearly every frame, so voting over frames could not fix them; with the shuffled layout the errors
  are scattered and the vote across frames removes them.
- STEP is 40 (the library's default is 36): a little more margin after H.264 for ~1 dB of chroma PSNR.

Payload: the 64-bit clip id (16 hex digits, `identity.clips.new_clip_id`) and a 16-bit keyed check,
whitened with a fixed sequence so that flat frames (every block voting alike) never read as a valid
word. The check is what makes an unmarked video read as "not found": a random word passes it once in
65,536 reads, and a false id then still has to name a clip the studio stored.
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
CHECK_BITS = 16
PAYLOAD_BITS = ID_BITS + CHECK_BITS
STEP = 40.0
BLOCK = 4
# Below this many blocks per payload bit a frame carries too little of each bit to survive re-encoding.
MIN_BLOCKS_PER_BIT = 16
DEFAULT_DECODE_FRAMES = 16
_KEY = b"cameo-studio/invisible-mark/v1"
_CLIP_ID = re.compile(rf"^[0-9a-f]{{{CLIP_ID_HEX}}}$")
_LAYOUT_SEED = 0x5EED_CA3E0
_WHITEN_SEED = 0xC1A5_CAFE
# OpenCV's RGB->YUV: U = 0.492 * (B - Y) + 128, and back: G -= 0.395 dU, B += 2.032 dU (Y unchanged).
_U_FROM_RGB = ((np.array([0.0, 0.0, 1.0]) - np.array([0.299, 0.587, 0.114])) * 0.492).astype(np.float32)
_U_OFFSET = 128.0
_GB_PER_U = np.array([-0.395, 2.032], dtype=np.float32)
_POWER_ITERATIONS = 4


@dataclass(frozen=True)
class MarkReading:
    """What the frames say.

    bit_errors: over the frames read, how many per-frame payload bits disagree with the word voted
    across them (0: every frame alone carried the whole payload); None when no valid word was found.
    """

    found: bool
    clip_id: str | None
    bit_errors: int | None
    frames_read: int


# ---- payload ---------------------------------------------------------------------------------------

def _check_bits(id_bytes: bytes) -> np.ndarray:
    digest = hashlib.blake2b(id_bytes, digest_size=CHECK_BITS // 8, key=_KEY).digest()
    return np.unpackbits(np.frombuffer(digest, np.uint8))


@lru_cache(maxsize=1)
def _whitening() -> np.ndarray:
    return np.random.default_rng(_WHITEN_SEED).integers(0, 2, PAYLOAD_BITS, dtype=np.uint8)


def payload_bits(clip_id: str) -> np.ndarray:
    """The PAYLOAD_BITS bits (uint8 0/1) a frame carries for this clip id."""
    if not isinstance(clip_id, str) or not _CLIP_ID.match(clip_id):
        raise SafetyError("bad_clip_id", f"clip_id must be {CLIP_ID_HEX} lowercase hex digits, got {clip_id!r}")
    id_bytes = bytes.fromhex(clip_id)
    word = np.concatenate([np.unpackbits(np.frombuffer(id_bytes, np.uint8)), _check_bits(id_bytes)])
    return word ^ _whitening()


def clip_id_from_bits(bits: np.ndarray) -> str | None:
    """The clip id a payload word names, or None when its check bits do not match."""
    word = np.asarray(bits, dtype=np.uint8) ^ _whitening()
    id_bytes = np.packbits(word[:ID_BITS]).tobytes()
    if not np.array_equal(word[ID_BITS:], _check_bits(id_bytes)):
        return None
    return id_bytes.hex()


# ---- the transform ---------------------------------------------------------------------------------

def _check_frames(frames: np.ndarray) -> None:
    if not isinstance(frames, np.ndarray) or frames.dtype != np.uint8 or frames.ndim != 4 or frames.shape[-1] != 3:
        got = f"{frames.dtype} {frames.shape}" if isinstance(frames, np.ndarray) else type(frames).__name__
        raise SafetyError("bad_frames", f"frames must be a (T, H, W, 3) uint8 RGB array, got {got}")


def _block_count(height: int, width: int) -> int:
    return (height // (2 * BLOCK)) * (width // (2 * BLOCK))


@lru_cache(maxsize=8)
def _layout(n_blocks: int) -> np.ndarray:
    """Which payload bit each block carries: every bit equally often, in a fixed shuffled order."""
    return np.random.default_rng(_LAYOUT_SEED).permutation(np.arange(n_blocks) % PAYLOAD_BITS)


def _u_blocks(frame: np.ndarray) -> np.ndarray:
    """The Haar approximation band of U as (N, 4, 4) blocks, row-major as imwatermark orders them.

    The Haar LL band is twice the 2x2 mean, and U is linear in RGB, so it is taken on the
    half-size image: one resize and one 3-vector product instead of a colour conversion and a DWT.
    """
    h, w = (frame.shape[0] // (2 * BLOCK)) * 2 * BLOCK, (frame.shape[1] // (2 * BLOCK)) * 2 * BLOCK
    half = cv2.resize(frame[:h, :w].astype(np.float32), (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    ll = 2.0 * (half @ _U_FROM_RGB + _U_OFFSET)
    bh, bw = ll.shape[0] // BLOCK, ll.shape[1] // BLOCK
    return ll.reshape(bh, BLOCK, bw, BLOCK).transpose(0, 2, 1, 3).reshape(-1, BLOCK, BLOCK)


def _top_singular(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Largest singular value and its vectors of every block, by power iteration on B^T B.

    U blocks sit around 256 (U's offset of 128, doubled by the Haar band), so the first singular value
    dwarfs the others and four iterations from the all-equal vector match LAPACK's SVD to float
    precision, at a tenth of the cost of numpy's batched SVD.
    """
    gram = np.matmul(blocks.transpose(0, 2, 1), blocks)
    v = np.full(blocks.shape[:2], 0.5, dtype=blocks.dtype)
    for _ in range(_POWER_ITERATIONS):
        v = np.einsum("nij,nj->ni", gram, v)
        v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    bv = np.einsum("nij,nj->ni", blocks, v)
    s = np.linalg.norm(bv, axis=1)
    return s, bv / np.maximum(s, 1e-12)[:, None], v


def _embed_block_bits(frame: np.ndarray, block_bits: np.ndarray) -> np.ndarray:
    """One (H, W, 3) uint8 RGB frame with block i carrying block_bits[i]."""
    blocks = _u_blocks(frame)
    s, u, v = _top_singular(blocks)
    target = (np.floor(s / STEP) + 0.25 + 0.5 * block_bits) * STEP
    delta = (target - s)[:, None, None] * u[:, :, None] * v[:, None, :]
    bh, bw = frame.shape[0] // (2 * BLOCK), frame.shape[1] // (2 * BLOCK)
    d_ll = delta.reshape(bh, bw, BLOCK, BLOCK).transpose(0, 2, 1, 3).reshape(bh * BLOCK, bw * BLOCK)
    # An LL coefficient is twice the mean of its 2x2 pixels: each pixel's U moves by half its change.
    d_gb = np.rint((0.5 * d_ll)[:, :, None] * _GB_PER_U).astype(np.int16)
    h, w = 2 * d_gb.shape[0], 2 * d_gb.shape[1]
    d_gb = cv2.resize(d_gb, (w, h), interpolation=cv2.INTER_NEAREST)
    out = frame.copy()
    out[:h, :w, 1:] = np.clip(frame[:h, :w, 1:] + d_gb, 0, 255)
    return out


# ---- public ----------------------------------------------------------------------------------------

def embed_frames(frames: np.ndarray, clip_id: str) -> np.ndarray:
    """Every frame of a (T, H, W, 3) uint8 RGB clip carrying the clip id; a new array."""
    _check_frames(frames)
    bits = payload_bits(clip_id)
    n_blocks = _block_count(frames.shape[1], frames.shape[2])
    if n_blocks < MIN_BLOCKS_PER_BIT * PAYLOAD_BITS:
        raise SafetyError("frame_too_small", f"frames of {frames.shape[2]}x{frames.shape[1]} are too small "
                                             f"to carry the invisible mark; at least about 300x300 is needed")
    block_bits = bits[_layout(n_blocks)].astype(np.float32)
    return np.stack([_embed_block_bits(f, block_bits) for f in frames])


def bit_scores(frame: np.ndarray) -> np.ndarray:
    """For each payload bit, the share of its blocks that read 1 (imwatermark's per-bit average)."""
    s, _, _ = _top_singular(_u_blocks(frame))
    ones = ((s % STEP) > 0.5 * STEP).astype(np.float64)
    layout = _layout(len(s))
    return np.bincount(layout, ones, PAYLOAD_BITS) / np.bincount(layout, None, PAYLOAD_BITS)


def _resized(frame: np.ndarray, size: tuple[int, int] | None) -> np.ndarray:
    if size is None or (frame.shape[1], frame.shape[0]) == tuple(size):
        return frame
    return cv2.resize(frame, tuple(size), interpolation=cv2.INTER_LINEAR)


def _vote(scores: np.ndarray) -> MarkReading:
    """Majority over frames of each bit (ties go to the mean score), then the check bits decide."""
    frames_read = len(scores)
    if frames_read == 0:
        return MarkReading(False, None, None, 0)
    hard = scores > 0.5
    share = hard.mean(axis=0)
    voted = np.where(share == 0.5, scores.mean(axis=0) > 0.5, share > 0.5)
    clip_id = clip_id_from_bits(voted.astype(np.uint8))
    if clip_id is None:
        return MarkReading(False, None, None, frames_read)
    return MarkReading(True, clip_id, int((hard != voted).sum()), frames_read)


def decode_frames(frames: np.ndarray, size: tuple[int, int] | None = None) -> MarkReading:
    """Read the mark from every given frame and vote.

    size: (width, height) the clip was marked at, when this copy was rescaled; the frames are
    resized back to it, since the block grid is defined on the marked frame.
    """
    _check_frames(frames)
    h, w = (size[1], size[0]) if size else frames.shape[1:3]
    if _block_count(h, w) < MIN_BLOCKS_PER_BIT * PAYLOAD_BITS:
        return MarkReading(False, None, None, 0)
    return _vote(np.stack([bit_scores(_resized(f, size)) for f in frames]))


def decode_video(path: Path, max_frames: int = DEFAULT_DECODE_FRAMES,
                 size: tuple[int, int] | None = None) -> MarkReading:
    """Read the mark from up to max_frames frames spread evenly over a video file.

    Sixteen frames are plenty: the vote fixed every bit error of single frames in our attack runs.
    """
    if max_frames < 1:
        raise SafetyError("bad_argument", f"max_frames must be at least 1, got {max_frames}")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                return MarkReading(False, None, None, 0)
            stream = container.streams.video[0]
            total = stream.frames
            wanted = set(np.linspace(0, total - 1, min(max_frames, total)).round().astype(int)) if total else None
            scores = []
            for i, frame in enumerate(container.decode(stream)):
                if wanted is None and len(scores) >= max_frames:
                    break
                if wanted is not None and i not in wanted:
                    continue
                rgb = _resized(frame.to_ndarray(format="rgb24"), size)
                if _block_count(*rgb.shape[:2]) < MIN_BLOCKS_PER_BIT * PAYLOAD_BITS:
                    return MarkReading(False, None, None, 0)
                scores.append(bit_scores(rgb))
    except av.FFmpegError as e:
        raise SafetyError("bad_video", f"cannot read the video {Path(path).name}: {e}") from e
    return _vote(np.stack(scores) if scores else np.zeros((0, PAYLOAD_BITS)))
