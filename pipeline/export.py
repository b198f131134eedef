"""Write a clip as an MP4 every browser and phone plays, and read back what a file holds.

H.264 (yuv420p, the only chroma layout every decoder takes) with AAC, the moov
atom moved to the front (`+faststart`) so a browser starts playing before the
whole file has arrived. `probe` answers the questions a test or the studio
would ask ffprobe, with PyAV and by reading the MP4's top-level boxes, since
no ffprobe binary ships with the app.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from identity.errors import MediaError

AAC_RATE = 48000  # what every player expects of AAC; the soundtrack's own rate is resampled to it
CRF = 20  # visually clean for 480p drafts at a few Mb/s
PRESET = "veryfast"


@dataclass(frozen=True)
class ProbeInfo:
    video_codec: str | None
    audio_codec: str | None
    duration_s: float
    width: int
    height: int
    fps: float
    faststart: bool
    frames: int = 0
    audio_rate: int | None = None
    audio_duration_s: float | None = None


def write_mp4(
    path: str | Path,
    frames: np.ndarray,
    fps: float,
    audio: np.ndarray | None,
    sample_rate: int,
    crf: int = CRF,
    preset: str = PRESET,
) -> Path:
    """Encode RGB frames (T, H, W, 3) uint8 and mono float audio into `path`.

    The audio is padded with silence or cut to exactly the video's length, so a
    player's timeline and the file's duration agree.
    """
    import av

    path = Path(path)
    frames = _check_frames(frames)
    n, h, w = frames.shape[:3]
    rate = _rate(fps)
    with av.open(str(path), "w", format="mp4", container_options={"movflags": "+faststart"}) as out:
        vs = out.add_stream("libx264", rate=rate)
        vs.width, vs.height, vs.pix_fmt = w, h, "yuv420p"
        vs.options = {"crf": str(crf), "preset": preset}
        a_stream = out.add_stream("aac", rate=AAC_RATE, layout="mono") if audio is not None else None
        if a_stream is not None:
            a_stream.bit_rate = 128_000
        for i in range(n):
            frame = av.VideoFrame.from_ndarray(frames[i], format="rgb24")
            frame.pts = i
            frame.time_base = Fraction(1, 1) / rate
            for packet in vs.encode(frame):
                out.mux(packet)
        for packet in vs.encode():
            out.mux(packet)
        if a_stream is not None:
            _encode_audio(out, a_stream, _fit_audio(audio, sample_rate, n / float(rate)), sample_rate)
    return path


def _check_frames(frames: np.ndarray) -> np.ndarray:
    frames = np.asarray(frames)
    if frames.ndim != 4 or frames.shape[-1] != 3 or frames.dtype != np.uint8 or frames.shape[0] == 0:
        raise MediaError("bad_frames", f"frames must be a non-empty (T, H, W, 3) uint8 array, got {frames.dtype} {frames.shape}")
    if frames.shape[1] % 2 or frames.shape[2] % 2:
        raise MediaError("bad_size", f"H.264 4:2:0 needs an even width and height, got {frames.shape[2]}x{frames.shape[1]}")
    return frames


def _rate(fps: float) -> Fraction:
    return Fraction(fps).limit_denominator(1001)


def _fit_audio(audio: np.ndarray, sample_rate: int, duration_s: float) -> np.ndarray:
    audio = np.asarray(audio, np.float32).reshape(-1)
    n = int(round(duration_s * sample_rate))
    if audio.size >= n:
        return audio[:n]
    return np.concatenate([audio, np.zeros(n - audio.size, np.float32)])


def _encode_audio(out, stream, audio: np.ndarray, sample_rate: int) -> None:
    """Resample to AAC_RATE and feed the encoder in its 1024-sample frames."""
    import av

    pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).astype(np.int16)
    resampler = av.AudioResampler(format="fltp", layout="mono", rate=AAC_RATE)
    src = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
    src.sample_rate = sample_rate
    src.pts = 0
    src.time_base = Fraction(1, sample_rate)
    resampled = list(resampler.resample(src)) + list(resampler.resample(None))
    samples = np.concatenate([f.to_ndarray().reshape(-1) for f in resampled]) if resampled else np.zeros(0, np.float32)
    want = int(round(audio.size * AAC_RATE / sample_rate))
    samples = np.concatenate([samples, np.zeros(max(0, want - samples.size), np.float32)])[:want]
    step = stream.codec_context.frame_size or 1024
    for start in range(0, samples.size, step):
        chunk = samples[start : start + step]
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1).astype(np.float32), format="fltp", layout="mono")
        frame.sample_rate = AAC_RATE
        frame.pts = start
        frame.time_base = Fraction(1, AAC_RATE)
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)


def probe(path: str | Path) -> ProbeInfo:
    """Codecs, size, frame rate and duration of a media file, and whether its MP4 index comes first."""
    import av

    path = Path(path)
    try:
        with av.open(str(path)) as c:
            v = c.streams.video[0] if c.streams.video else None
            a = c.streams.audio[0] if c.streams.audio else None
            duration = float(c.duration / av.time_base) if c.duration else 0.0
            info = ProbeInfo(
                video_codec=v.codec_context.name if v else None,
                audio_codec=a.codec_context.name if a else None,
                duration_s=duration,
                width=v.codec_context.width if v else 0,
                height=v.codec_context.height if v else 0,
                fps=float(v.average_rate) if v and v.average_rate else 0.0,
                faststart=moov_before_mdat(path),
                frames=int(v.frames) if v else 0,
                audio_rate=a.codec_context.sample_rate if a else None,
                audio_duration_s=float(a.duration * a.time_base) if a and a.duration else None,
            )
    except av.error.FFmpegError as exc:
        raise MediaError("not_media", f"{path} could not be read as a video ({exc.__class__.__name__})") from exc
    return info


def top_level_boxes(path: str | Path) -> list[str]:
    """The MP4's top-level box types in file order (ftyp, moov, mdat, ...), read from their headers only."""
    boxes = []
    with open(path, "rb") as f:
        size_total = f.seek(0, 2)
        pos = 0
        while pos + 8 <= size_total:
            f.seek(pos)
            size, kind = struct.unpack(">I4s", f.read(8))
            if size == 1:  # 64-bit size follows the type
                size = struct.unpack(">Q", f.read(8))[0]
            elif size == 0:  # the box runs to the end of the file
                size = size_total - pos
            if size < 8:
                break  # not an MP4 box structure: stop rather than loop
            boxes.append(kind.decode("latin-1"))
            pos += size
    return boxes


def moov_before_mdat(path: str | Path) -> bool:
    boxes = top_level_boxes(path)
    return "moov" in boxes and "mdat" in boxes and boxes.index("moov") < boxes.index("mdat")
