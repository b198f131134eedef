"""Files for Chromium's fake camera and microphone, built from the real fixture footage and speech.

Chromium started with `--use-fake-device-for-media-stream` and
`--use-file-for-fake-video-capture=CLIP.y4m --use-file-for-fake-audio-capture=CLIP.wav`
plays these files as the webcam and the microphone. It opens them when a page
opens the camera (getUserMedia), not at launch, so a test can start the browser,
read the random challenge from the page, and only then write what the "person"
does in front of the camera.

The video loops; the audio is played once (`%noloop` on its path) and is then
silent. A recording starts a moment after the camera opens, so the files begin
with `LEAD_S` of the person looking ahead in silence: the recording still
starts before the speech, whatever that moment is (up to about `LEAD_S`). The
speech comes next, then the head turns right after the last digit (a recording is
at most 15 s and the footage needs nearly 14), then a short neutral tail. The
recorder is stopped just after the last turn, counted from when the camera opened
(`FakeClip.content_end_s`), long before the video would loop back to the turns.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import soundfile as sf

from tests.audio_synth import RATE, consent_then_digits
from tests.clip_synth import D3, FPS, TURN_SEGMENTS, neutral_frames, photo_attack, segment

LEAD_S = 0.6  # looking ahead in silence before the speech (which has 0.3 s of silence of its own)
TURNS_AFTER_SPEECH_S = 0.15  # the first turn starts this long after the last digit word
TAIL_S = 0.6  # looking ahead after the last turn
WAV_RATE = 48000  # what Chromium's audio path runs at; 16-bit PCM
_SPEECH_TAIL_S = 0.35  # consent_then_digits ends with this much silence after the last digit
FOOTAGE_TURNS = frozenset(TURN_SEGMENTS)  # the fixture footage has no upward head turn


@dataclass(frozen=True)
class FakeClip:
    frames: list[np.ndarray]  # RGB, FPS frames a second
    audio: np.ndarray  # float32 mono at tests.audio_synth.RATE
    content_end_s: float  # where the last thing the challenge asks for ends, from the file's start

    @property
    def seconds(self) -> float:
        return len(self.frames) / FPS


def _neutral(seconds: float, like: np.ndarray) -> list[np.ndarray]:
    return [like] * int(round(seconds * FPS))


def live_person(turns: list[str], digits: str) -> FakeClip:
    """The woman of the d3 fixture saying the consent sentence and the digits, then turning as asked.

    The pieces of tests.clip_synth.compliant_recording, with the turns 0.5 s sooner after the
    speech: that recording is 14.5 s long, too long to fit with a lead-in into a 15 s recording.
    """
    unknown = [t for t in turns if t not in FOOTAGE_TURNS]
    if unknown:
        raise ValueError(f"the fixture footage has no {', '.join(unknown)} head turn")
    speech = consent_then_digits(digits)
    speech_s = len(speech) / RATE - _SPEECH_TAIL_S + TURNS_AFTER_SPEECH_S
    frames = neutral_frames(LEAD_S + speech_s)
    for t in turns:
        frames += segment(D3, *TURN_SEGMENTS[t])
    content_end = len(frames) / FPS
    frames += neutral_frames(TAIL_S)
    audio = np.concatenate([np.zeros(int(LEAD_S * RATE), np.float32), speech])
    return FakeClip(frames, audio, content_end)


def photo_held_up(photo: str, turns: list[str], digits: str) -> FakeClip:
    """A printed photo held in front of the camera and rotated to mimic each turn, with the same speech."""
    speech = consent_then_digits(digits)
    moves = photo_attack(photo, turns, len(speech) / RATE)
    frames = _neutral(LEAD_S, moves[0]) + moves
    content_end = len(frames) / FPS
    frames += _neutral(TAIL_S, moves[0])
    audio = np.concatenate([np.zeros(int(LEAD_S * RATE), np.float32), speech])
    return FakeClip(frames, audio, content_end)


def y4m_header(width: int, height: int) -> bytes:
    return f"YUV4MPEG2 W{width} H{height} F{FPS}:1 Ip A1:1 C420jpeg\n".encode()


def write_y4m(path: Path, frames: list[np.ndarray]) -> Path:
    """Raw I420 frames in a YUV4MPEG2 file, written beside and renamed into place (atomic)."""
    h, w = frames[0].shape[:2]
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as f:
        f.write(y4m_header(w, h))
        for rgb in frames:
            f.write(b"FRAME\n")
            f.write(cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2YUV_I420).tobytes())
    os.replace(tmp, path)
    return path


def write_wav(path: Path, audio: np.ndarray, rate: int = RATE) -> Path:
    """16-bit PCM mono WAV at WAV_RATE (resampled linearly from `rate`)."""
    n = int(round(len(audio) * WAV_RATE / rate))
    pcm = np.interp(np.linspace(0, len(audio) - 1, n), np.arange(len(audio)), audio).astype(np.float32)
    tmp = path.with_name(path.name + ".part.wav")
    sf.write(tmp, np.clip(pcm, -1, 1), WAV_RATE, subtype="PCM_16")
    os.replace(tmp, path)
    return path


def write_placeholder(video: Path, audio: Path, width: int, height: int) -> None:
    """A grey frame and a moment of silence, so the fake devices exist (with the final size) at launch."""
    write_y4m(video, [np.full((height, width, 3), 128, np.uint8)])
    write_wav(audio, np.zeros(RATE // 10, np.float32))


def chromium_media_args(video: Path, audio: Path) -> list[str]:
    return [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
        f"--use-file-for-fake-audio-capture={audio}%noloop",
    ]
