"""Build enrollment recordings for tests from real fixture media.

No fixture video shows a person doing exactly what a random challenge asks, so
the tests cut real footage into the requested order: the woman in
liveportrait_woman_earrings_d3.mp4 (30 fps, 512x512) looks ahead during
1.1-4.4 s, turns to her right during 9.6-10.9 s and down-left during 8.2-9.4 s
(measured with `python -m identity inspect`). Her left turn is the right turn
mirrored horizontally, a real head turning the other way. The speech is the
synthesized consent sentence and digits of tests/audio_synth.py. Attacks are
made from the spoof photos: a still image, and the printed photo rotated in
3D in front of the camera.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import av
import cv2
import numpy as np

from tests.audio_synth import RATE, consent_then_digits

FIXTURES = Path(__file__).resolve().parent / "fixtures"
D3 = FIXTURES / "videos" / "liveportrait_woman_earrings_d3.mp4"
D10 = FIXTURES / "videos" / "liveportrait_woman_longhair_d10.mp4"
FPS = 30

# (start_s, end_s, mirrored) of d3 for each head turn, from neutral through the turn and back.
TURN_SEGMENTS = {
    "RIGHT": (9.6, 10.9, False),
    "LEFT": (9.6, 10.9, True),
    "DOWN": (8.2, 9.4, False),
}
NEUTRAL = (1.1, 4.4)


@lru_cache(maxsize=4)
def video_frames(path: Path) -> tuple[np.ndarray, ...]:
    with av.open(str(path)) as c:
        return tuple(f.to_ndarray(format="rgb24") for f in c.decode(video=0))


def segment(path: Path, start: float, end: float, mirrored: bool = False) -> list[np.ndarray]:
    frames = video_frames(path)[int(start * FPS) : int(end * FPS)]
    return [np.ascontiguousarray(f[:, ::-1]) if mirrored else f for f in frames]


def neutral_frames(seconds: float, path: Path = D3) -> list[np.ndarray]:
    """Looking ahead for `seconds`, playing the neutral stretch forwards and backwards."""
    base = segment(path, *NEUTRAL)
    out: list[np.ndarray] = []
    while len(out) < seconds * FPS:
        out.extend(base if (len(out) // len(base)) % 2 == 0 else base[::-1])
    return out[: int(seconds * FPS)]


def challenge_frames(turns: list[str], speech_seconds: float) -> list[np.ndarray]:
    frames = neutral_frames(speech_seconds + 0.3)
    for t in turns:
        frames += segment(D3, *TURN_SEGMENTS[t])
    return frames + neutral_frames(0.5)


def compliant_recording(turns: list[str], digits: str) -> tuple[list[np.ndarray], np.ndarray]:
    """Frames and audio of a person doing what the challenge asks."""
    audio = consent_then_digits(digits)
    return challenge_frames(turns, len(audio) / RATE), audio


def write_clip(path: Path, frames: list[np.ndarray], audio: np.ndarray | None, fps: int = FPS,
               container: str = "mp4") -> Path:
    """Encode frames (+ mono 16 kHz audio) as H.264/AAC mp4 or VP8/Opus webm, as browsers and phones do."""
    vcodec, acodec, arate = ("libx264", "aac", RATE) if container == "mp4" else ("libvpx", "libopus", 48000)
    h, w = frames[0].shape[:2]
    with av.open(str(path), "w", format=container) as out:
        vs = out.add_stream(vcodec, rate=fps)
        vs.width, vs.height, vs.pix_fmt = w - w % 2, h - h % 2, "yuv420p"
        if vcodec == "libvpx":  # as a browser's MediaRecorder does: real-time speed
            vs.bit_rate = 1_500_000
            vs.options = {"deadline": "realtime", "cpu-used": "8"}
        as_ = None
        if audio is not None:
            as_ = out.add_stream(acodec, rate=arate, layout="mono")
        for f in frames:
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(f[: vs.height, : vs.width]), format="rgb24")
            for p in vs.encode(frame):
                out.mux(p)
        for p in vs.encode():
            out.mux(p)
        if as_ is not None:
            pcm = audio if arate == RATE else _resample(audio, RATE, arate)
            pcm16 = (np.clip(pcm, -1, 1) * 32767).astype(np.int16)
            step = 960
            for k in range(0, len(pcm16), step):
                af = av.AudioFrame.from_ndarray(pcm16[None, k : k + step], format="s16", layout="mono")
                af.sample_rate = arate
                af.pts = k
                for p in as_.encode(af):
                    out.mux(p)
            for p in as_.encode():
                out.mux(p)
    return path


def _resample(audio: np.ndarray, src: int, dst: int) -> np.ndarray:
    n = int(round(len(audio) * dst / src))
    return np.interp(np.linspace(0, len(audio) - 1, n), np.arange(len(audio)), audio).astype(np.float32)


def read_photo(name: str) -> np.ndarray:
    from identity.imageio import read_image

    return read_image(FIXTURES / "spoof" / f"silentface_image_{name}.jpg")


def photo_turned(img: np.ndarray, yaw_deg: float, pitch_deg: float) -> np.ndarray:
    """The photo as a camera sees it when the print is rotated in 3D (a plane in perspective)."""
    h, w = img.shape[:2]
    f = float(w)
    r = cv2.Rodrigues(np.array([np.radians(pitch_deg), np.radians(yaw_deg), 0.0]))[0]
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    pts = np.c_[corners - [w / 2, h / 2], np.zeros(4)] @ r.T + [0, 0, 1.2 * f]
    proj = (pts[:, :2] / pts[:, 2:3]) * f + [w / 2, h / 2]
    m = cv2.getPerspectiveTransform(corners, proj.astype(np.float32))
    return cv2.warpPerspective(img, m, (w, h), borderMode=cv2.BORDER_REPLICATE)


_PHOTO_MOVES = {"LEFT": (35.0, 0.0), "RIGHT": (-35.0, 0.0), "UP": (0.0, 30.0), "DOWN": (0.0, -30.0)}


def photo_attack(photo: str | np.ndarray, turns: list[str], speech_seconds: float,
                 scale: float = 1.0) -> list[np.ndarray]:
    """A printed photo (a spoof fixture's name, or an RGB image) held still while the attacker speaks,
    then rotated to mimic each turn (35 deg of yaw, 30 of pitch, times `scale`)."""
    img = read_photo(photo) if isinstance(photo, str) else photo
    frames = [img] * int((speech_seconds + 0.3) * FPS)
    for t in turns:
        yaw, pitch = (scale * v for v in _PHOTO_MOVES[t])
        for k in range(int(1.2 * FPS)):
            a = np.sin(np.pi * k / (1.2 * FPS))
            frames.append(photo_turned(img, yaw * a, pitch * a))
    return frames + [img] * int(0.5 * FPS)
