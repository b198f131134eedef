"""Open a recording safely and turn it into what the verifier needs.

Browsers send webm (VP8/VP9 + Opus), phones and uploads send mp4 (H.264 + AAC);
PyAV decodes both with the FFmpeg libraries bundled in its wheel, so no system
ffmpeg is needed. Every way a file can be unusable ends here as a MediaError
saying what is wrong and what to do, before anything is stored.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from identity.errors import MediaError

AUDIO_RATE = 16000
# Frames analysed per second: head turns last ~0.5 s, so 10 fps sees each several times.
ANALYSIS_FPS = 10.0
# Frames are analysed at most this wide; an enrollment face is large in the frame.
ANALYSIS_MAX_WIDTH = 640
MIN_CLIP_SECONDS = 2.0

_IMAGE_FORMATS = {"image2", "jpeg_pipe", "png_pipe", "webp_pipe", "bmp_pipe", "gif", "tiff_pipe", "image2pipe"}
_IMAGE_CODECS = {"mjpeg", "png", "webp", "bmp", "gif", "tiff"}


@dataclass(frozen=True)
class Clip:
    """A decoded recording: sampled RGB frames with their times, and mono 16 kHz audio."""

    frames: list[tuple[float, np.ndarray]]
    audio: np.ndarray  # float32 in [-1, 1], AUDIO_RATE Hz, mono
    duration_s: float
    width: int
    height: int
    video_codec: str
    audio_codec: str | None


def _check_file(path: Path, max_bytes: int) -> None:
    if not path.is_file():
        raise MediaError("file_missing", f"no file at {path}")
    size = path.stat().st_size
    if size == 0:
        raise MediaError("file_empty", "the file is empty (0 bytes); record or upload the clip again")
    if size > max_bytes:
        raise MediaError(
            "file_too_large",
            f"the file is {size / 1e6:.0f} MB; the limit is {max_bytes / 1e6:.0f} MB. Record a shorter clip",
            {"size_mb": f"{size / 1e6:.0f}", "max_mb": f"{max_bytes / 1e6:.0f}"},
        )


def _resize_for_analysis(rgb: np.ndarray) -> np.ndarray:
    h, w = rgb.shape[:2]
    if w <= ANALYSIS_MAX_WIDTH:
        return rgb
    scale = ANALYSIS_MAX_WIDTH / w
    return cv2.resize(rgb, (ANALYSIS_MAX_WIDTH, round(h * scale)), interpolation=cv2.INTER_AREA)


def _stream_duration(container, stream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000.0
    return None


def load_clip(
    path: str | Path,
    *,
    max_seconds: float = 15.0,
    max_bytes: int = 50 * 1024 * 1024,
    require_audio: bool = True,
    fps: float = ANALYSIS_FPS,
) -> Clip:
    """Decode `path`, or raise a MediaError a person can act on."""
    import av

    path = Path(path)
    _check_file(path, max_bytes)
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise MediaError(
            "not_a_video", f"this file could not be read as a video ({exc.__class__.__name__}); "
            "record again or upload an mp4 or webm file"
        ) from exc
    with container:
        fmt = container.format.name if container.format else ""
        vstreams = list(container.streams.video)
        if not vstreams:
            raise MediaError("no_video", "this file has no video track; record with your camera on")
        vstream = vstreams[0]
        if set(fmt.split(",")) & _IMAGE_FORMATS or vstream.codec_context.name in _IMAGE_CODECS and (vstream.frames or 0) <= 1:
            raise MediaError(
                "still_image", "this is a still image, not a video; record a short video of yourself instead"
            )
        astreams = list(container.streams.audio)
        if require_audio and not astreams:
            raise MediaError(
                "no_audio", "this clip has no audio track; record again with your microphone switched on"
            )
        declared = _stream_duration(container, vstream)
        if declared is not None and declared > max_seconds + 0.5:
            raise MediaError(
                "too_long", f"the clip is {declared:.1f} s long; record at most {max_seconds:.0f} s",
                {"seconds": f"{declared:.1f}", "max": f"{max_seconds:.0f}"},
            )
        frames, audio, last_t = _decode(container, vstream, astreams[0] if astreams else None, fps, max_seconds)
        acodec = astreams[0].codec_context.name if astreams else None
        vcodec = vstream.codec_context.name
    if not frames:
        raise MediaError("no_frames", "no picture could be decoded from this file; it may be damaged, record again")
    duration = max(last_t, len(audio) / AUDIO_RATE)
    if duration > max_seconds + 0.5:
        raise MediaError("too_long", f"the clip is {duration:.1f} s long; record at most {max_seconds:.0f} s",
                         {"seconds": f"{duration:.1f}", "max": f"{max_seconds:.0f}"})
    if declared is not None and declared > 1.0 and duration < 0.85 * declared - 0.5:
        raise MediaError(
            "truncated",
            f"the file stops at {duration:.1f} s of its {declared:.1f} s: it was cut off during upload "
            "or recording; record or upload it again",
            {"seconds": f"{duration:.1f}", "declared": f"{declared:.1f}"},
        )
    if duration < MIN_CLIP_SECONDS:
        raise MediaError("too_short", f"the clip is only {duration:.1f} s long; record at least a few seconds",
                         {"seconds": f"{duration:.1f}"})
    h, w = frames[0][1].shape[:2]
    return Clip(frames, audio, duration, w, h, vcodec, acodec)


def _decode(container, vstream, astream, fps: float, max_seconds: float):
    import av

    vstream.thread_type = "AUTO"
    resampler = av.AudioResampler(format="s16", layout="mono", rate=AUDIO_RATE) if astream is not None else None
    frames: list[tuple[float, np.ndarray]] = []
    chunks: list[np.ndarray] = []
    next_t, last_t, t0 = 0.0, 0.0, None
    streams = [vstream] + ([astream] if astream is not None else [])
    try:
        for packet in container.demux(*streams):
            for frame in packet.decode():
                if isinstance(frame, av.AudioFrame):
                    for out in resampler.resample(frame):
                        chunks.append(out.to_ndarray().reshape(-1))
                    continue
                if frame.time is None:
                    continue
                t0 = frame.time if t0 is None else t0
                t = frame.time - t0
                last_t = max(last_t, t)
                if t > max_seconds + 1.0:
                    raise MediaError("too_long", f"the clip runs past {t:.0f} s; record at most {max_seconds:.0f} s",
                                     {"past": f"{t:.0f}", "max": f"{max_seconds:.0f}"})
                if t + 1e-6 >= next_t:
                    frames.append((round(t, 3), _resize_for_analysis(frame.to_ndarray(format="rgb24"))))
                    next_t += 1.0 / fps
        if resampler is not None:
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except av.error.FFmpegError as exc:
        raise MediaError(
            "corrupt", f"the file is damaged after {last_t:.1f} s ({exc.__class__.__name__}); record or upload it again",
            {"seconds": f"{last_t:.1f}"},
        ) from exc
    audio = (np.concatenate(chunks).astype(np.float32) / 32768.0) if chunks else np.zeros(0, np.float32)
    return frames, audio, last_t
