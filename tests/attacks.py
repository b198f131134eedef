"""What a clip goes through once it leaves the studio: re-encoding, rescaling, JPEG; shared by tests and bench."""
from __future__ import annotations

import io
from pathlib import Path

import av
import cv2
import numpy as np


def load_frames(path: Path, n: int, size: tuple[int, int]) -> np.ndarray:
    """The first n frames of a video, resized to (w, h)."""
    with av.open(str(path)) as c:
        frames = [f.to_ndarray(format="rgb24") for _, f in zip(range(n), c.decode(video=0))]
    return np.stack([cv2.resize(f, size, interpolation=cv2.INTER_AREA) for f in frames])


def encode_h264(frames: np.ndarray, crf: int, fps: int = 24) -> bytes:
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        vs = out.add_stream("libx264", rate=fps)
        vs.width, vs.height, vs.pix_fmt = frames.shape[2], frames.shape[1], "yuv420p"
        vs.options = {"crf": str(crf)}
        for f in frames:
            for p in vs.encode(av.VideoFrame.from_ndarray(f, format="rgb24")):
                out.mux(p)
        for p in vs.encode():
            out.mux(p)
    return buf.getvalue()


def h264(frames: np.ndarray, crf: int = 28) -> np.ndarray:
    """Frames after an H.264 re-encode."""
    with av.open(io.BytesIO(encode_h264(frames, crf))) as c:
        return np.stack([f.to_ndarray(format="rgb24") for f in c.decode(video=0)])


def rescaled(frames: np.ndarray, factor: float = 0.75) -> np.ndarray:
    """Frames scaled down by `factor` and back to their size."""
    h, w = frames.shape[1:3]
    small = (round(w * factor), round(h * factor))
    return np.stack([cv2.resize(cv2.resize(f, small, interpolation=cv2.INTER_AREA), (w, h),
                                interpolation=cv2.INTER_LINEAR) for f in frames])


def jpeg(frames: np.ndarray, quality: int = 75) -> np.ndarray:
    def once(f):
        ok, buf = cv2.imencode(".jpg", cv2.cvtColor(f, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
        return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    return np.stack([once(f) for f in frames])
