"""The audio mark: the clip id in the soundtrack, the carrier that reframes, crops and colour edits never touch.

Spread spectrum in the short-time spectrum. At 16 kHz, 32 ms frames (hop 16 ms), the band
625-4625 Hz is cut into 16 sub-bands of 8 bins; a "cell" is one sub-band for two hops. A period of
32 cells in time (about one second) holds 512 cells: a quarter are known synchronisation chips, the rest
carry the same coded payload as the video mark (the 64-bit clip id and its 24-bit keyed check,
convolutionally coded, `safety.invisible_mark`), each cell's magnitude raised or lowered by
DEPTH_DB. The period repeats over the whole clip, so a reader folds every period it hears onto one:
a trim anywhere still leaves whole periods, and the chips say where a period starts (searched over
every cell and an eighth of a cell). AAC at 96 kbit/s keeps this band and these level changes.

The change is multiplicative, so it follows the sound and stays under it; silence carries nothing
(a clip with no sound has only its video mark). Time-stretching (a 1.25x speed-up with pitch kept)
moves the cells off their grid: the video mark is the carrier there.

An optional learned carrier (Meta's AudioSeal, MIT) is described in the README; its weights are
fetched from a hub at run time and cannot be loaded in this offline build.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import gcd
from pathlib import Path

import av
import numpy as np
from scipy.signal import istft, resample_poly, stft

from safety.errors import SafetyError
from safety.invisible_mark import CODED_BITS, PAYLOAD_BITS, clip_id_from_bits, conv_encode, payload_bits, \
    viterbi_decode

RATE = 16000
FRAME = 512
HOP = FRAME // 2
FIRST_BIN, BANDS, BAND_BINS = 20, 16, 8
CELL_FRAMES = 2  # a cell lasts two hops (32 ms): less smeared by the frames' overlap
PERIOD = 32  # cells in time: 64 frames, about a second
SYNC_SHARE = 0.25
DEPTH_DB = 3.0
SYNC_MIN_Z = 6.0
OFFSETS = 8  # offsets within a cell tried when reading (a trim can cut anywhere)
_SEED = 0xA0D10_CA3E0
MIN_LEVEL = 1e-4  # frames quieter than this (RMS, full scale 1) are silence and are skipped


@dataclass(frozen=True)
class AudioReading:
    found: bool
    clip_id: str | None
    bit_errors: int | None
    periods_heard: float
    sync_z: float = 0.0


@lru_cache(maxsize=1)
def _layout() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per cell (PERIOD, BANDS): is it sync, its chip (+-1), and for payload cells the coded bit it carries."""
    rng = np.random.default_rng(_SEED)
    cells = PERIOD * BANDS
    is_sync = np.zeros(cells, bool)
    is_sync[rng.permutation(cells)[: int(SYNC_SHARE * cells)]] = True
    chip = rng.choice([-1.0, 1.0], size=cells)
    which = np.full(cells, -1)
    which[~is_sync] = rng.permutation(np.arange((~is_sync).sum()) % CODED_BITS)
    return is_sync.reshape(PERIOD, BANDS), chip.reshape(PERIOD, BANDS), which.reshape(PERIOD, BANDS)


def _cell_signs(clip_id: str) -> np.ndarray:
    is_sync, chip, which = _layout()
    coded = conv_encode(payload_bits(clip_id)).astype(np.float64) * 2 - 1
    return np.where(is_sync, chip, chip * coded[np.maximum(which, 0)])


def _resample(audio: np.ndarray, src: int, dst: int) -> np.ndarray:
    if src == dst:
        return audio.astype(np.float64)
    g = gcd(int(src), int(dst))
    return resample_poly(audio.astype(np.float64), dst // g, src // g)


def _spectrum(audio16: np.ndarray) -> np.ndarray:
    """STFT (bins, frames) with frame t centred at t * HOP."""
    _, _, spec = stft(audio16, fs=RATE, window="hann", nperseg=FRAME, noverlap=FRAME - HOP, boundary="even",
                      padded=True)
    return spec


def embed_audio(audio: np.ndarray, sample_rate: int, clip_id: str) -> np.ndarray:
    """The soundtrack (mono float) carrying the clip id; same length and rate."""
    audio = np.asarray(audio, np.float32).reshape(-1)
    if sample_rate < 2 * (FIRST_BIN + BANDS * BAND_BINS) * RATE / FRAME:
        raise SafetyError("bad_audio", f"a soundtrack at {sample_rate} Hz is too narrow for the audio mark")
    signs = _cell_signs(clip_id)
    x16 = _resample(audio, sample_rate, RATE)
    spec = _spectrum(x16)
    frames = spec.shape[1]
    gain_db = np.zeros(spec.shape)
    t = (np.arange(frames) // CELL_FRAMES) % PERIOD
    band = DEPTH_DB * np.repeat(signs[t].T, BAND_BINS, axis=0)  # (BANDS*BAND_BINS, frames)
    gain_db[FIRST_BIN:FIRST_BIN + BANDS * BAND_BINS] = band
    _, marked = istft(spec * 10 ** (gain_db / 20), fs=RATE, window="hann", nperseg=FRAME, noverlap=FRAME - HOP,
                      boundary=True)
    delta = marked[: x16.size] - x16
    delta = np.concatenate([delta, np.zeros(max(0, x16.size - delta.size))])
    out = audio + _resample(delta, RATE, sample_rate)[: audio.size].astype(np.float32)
    return np.clip(out, -1.0, 1.0)


# ---- reading ---------------------------------------------------------------------------------------

def _cells(audio16: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whitened log level of every cell (frames, BANDS), and which frames are sound rather than silence."""
    spec = _spectrum(audio16)
    mag = np.abs(spec[FIRST_BIN:FIRST_BIN + BANDS * BAND_BINS])
    level = np.log(mag.reshape(BANDS, BAND_BINS, -1).mean(axis=1) + 1e-9).T  # (frames, BANDS)
    loud = np.sqrt(np.mean(mag ** 2, axis=0)) > MIN_LEVEL
    level = level - level.mean(axis=1, keepdims=True)  # the frame's loudness
    n = len(level) // CELL_FRAMES * CELL_FRAMES
    cells = level[:n].reshape(-1, CELL_FRAMES, BANDS).mean(axis=1)
    loud = loud[:n].reshape(-1, CELL_FRAMES).all(axis=1)
    # Each band's slow envelope, from the neighbouring cells only (a cell's own change stays whole).
    kernel = np.array([1.0, 1.0, 0.0, 1.0, 1.0]) / 4
    around = np.stack([np.convolve(col, kernel, mode="same") for col in cells.T], axis=1)
    white = cells - around
    return np.where(loud[:, None], np.clip(white, -1.5, 1.5), 0.0), loud


def _fold(white: np.ndarray, start: int) -> tuple[np.ndarray, float]:
    """Cells folded onto one period, frame `start` taken as the period's first frame."""
    t = (np.arange(len(white)) - start) % PERIOD
    folded = np.zeros((PERIOD, BANDS))
    np.add.at(folded, t, white)
    return folded, len(white) / PERIOD


def read_audio(audio: np.ndarray, sample_rate: int) -> AudioReading:
    """Read the mark from a mono float soundtrack."""
    audio = np.asarray(audio, np.float64).reshape(-1)
    x16 = _resample(audio, sample_rate, RATE)
    if x16.size < PERIOD * CELL_FRAMES * HOP:
        return AudioReading(False, None, None, round(x16.size / (PERIOD * CELL_FRAMES * HOP), 2))
    is_sync, chip, which = _layout()
    template = np.where(is_sync, chip, 0.0)
    best = (-np.inf, None, 0.0)
    for k in range(OFFSETS):
        white, loud = _cells(x16[k * CELL_FRAMES * HOP // OFFSETS:])
        if loud.sum() < PERIOD // 2:
            continue
        folded, periods = _fold(white, 0)
        # Correlate with the sync chips at every cyclic frame shift at once.
        corr = np.real(np.fft.ifft(np.fft.fft(folded, axis=0) * np.conj(np.fft.fft(template, axis=0)), axis=0))
        corr = corr.sum(axis=1)
        shift = int(np.argmax(corr))
        # In noise units: what the correlation would scatter by if the cells were unmarked.
        z = corr[shift] / max(float(folded.std()) * float(np.sqrt(np.sum(template ** 2))), 1e-12)
        if z > best[0]:
            best = (float(z), np.roll(folded, -shift, axis=0), periods)
    z, aligned, periods = best
    if aligned is None or z < SYNC_MIN_Z:
        return AudioReading(False, None, None, round(periods, 2), round(max(z, 0.0), 1))
    soft = np.bincount(which[~is_sync], (chip * aligned)[~is_sync], CODED_BITS)
    bits = viterbi_decode(soft, PAYLOAD_BITS)
    clip_id = clip_id_from_bits(bits)
    errors = int(np.sum((conv_encode(bits) == 1) != (soft > 0)))
    if clip_id is None:
        return AudioReading(False, None, None, round(periods, 2), round(z, 1))
    return AudioReading(True, clip_id, errors, round(periods, 2), round(z, 1))


def load_audio(path: Path, max_seconds: float = 12.0) -> tuple[np.ndarray, int] | None:
    """The first audio stream of a file, mixed to mono at RATE; None when the file has no sound."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                return None
            resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
            chunks, total = [], 0
            for frame in container.decode(container.streams.audio[0]):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += chunk.size
                if total >= max_seconds * RATE:
                    break
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except av.FFmpegError as e:
        raise SafetyError("bad_video", f"cannot read the sound of {Path(path).name}: {e}") from e
    if not chunks:
        return None
    return np.concatenate(chunks).astype(np.float32), RATE


def decode_audio_file(path: Path) -> AudioReading:
    """Read the audio mark of a video or audio file (no sound: not found)."""
    loaded = load_audio(path)
    if loaded is None:
        return AudioReading(False, None, None, 0.0)
    return read_audio(*loaded)

