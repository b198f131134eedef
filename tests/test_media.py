"""Bad input: every unusable file gets a clear error before anything is analysed or stored."""
from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from identity.errors import MediaError
from identity.media import load_clip
from tests.clip_synth import FIXTURES, neutral_frames, write_clip
from tests.audio_synth import spoken_digits


def _code(path: Path, **kw) -> str:
    with pytest.raises(MediaError) as err:
        load_clip(path, **kw)
    assert err.value.message  # a sentence for people, not only a code
    return err.value.code


@pytest.fixture(scope="module")
def good_mp4(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("media") / "good.mp4"
    return write_clip(path, neutral_frames(4.0), spoken_digits("12345"))


def test_zero_byte_file_is_refused(tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert _code(empty) == "file_empty"


def test_image_renamed_mp4_is_refused_as_still_image(tmp_path):
    fake = tmp_path / "photo.mp4"
    shutil.copy(FIXTURES / "spoof" / "silentface_image_T1.jpg", fake)
    assert _code(fake) == "still_image"


def test_random_bytes_are_not_a_video(tmp_path):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(np.random.default_rng(0).integers(0, 256, 200_000, dtype=np.uint8).tobytes())
    assert _code(junk) in {"not_a_video", "no_video"}


def test_truncated_mp4_is_refused(tmp_path, good_mp4):
    cut = tmp_path / "cut.mp4"
    data = good_mp4.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    assert _code(cut) in {"not_a_video", "truncated", "corrupt"}


def _small(frames: list[np.ndarray]) -> list[np.ndarray]:
    """Half size, half rate: the libvpx in PyAV's wheel encodes at ~8 fps at 512 px."""
    return [cv2.resize(f, (256, 256)) for f in frames[::2]]


def test_truncated_webm_is_refused(tmp_path):
    full = write_clip(tmp_path / "full.webm", _small(neutral_frames(4.0)), spoken_digits("12345"), fps=15,
                      container="webm")
    cut = tmp_path / "cut.webm"
    data = full.read_bytes()
    cut.write_bytes(data[: len(data) // 3])
    assert _code(cut) in {"truncated", "corrupt", "not_a_video"}


def test_clip_without_audio_track_is_refused(tmp_path):
    silent = write_clip(tmp_path / "noaudio.mp4", neutral_frames(3.0), None)
    with pytest.raises(MediaError, match="no audio track"):
        load_clip(silent)


def test_clip_longer_than_limit_is_refused(tmp_path):
    frames = neutral_frames(4.0)
    long = write_clip(tmp_path / "long.mp4", frames * 5, spoken_digits("12345"))  # 20 s
    with pytest.raises(MediaError, match="record at most 15 s"):
        load_clip(long, max_seconds=15)


def test_huge_upload_is_refused_before_decoding(good_mp4):
    assert _code(good_mp4, max_bytes=10_000) == "file_too_large"


def test_browser_webm_vp8_opus_decodes_with_audio(tmp_path):
    speech = spoken_digits("12345")
    webm = write_clip(tmp_path / "browser.webm", _small(neutral_frames(len(speech) / 16000)), speech, fps=15,
                      container="webm")
    clip = load_clip(webm)
    assert clip.video_codec == "vp8" and clip.audio_codec == "opus"
    assert abs(clip.duration_s - len(speech) / 16000) < 0.3
    assert np.abs(clip.audio).max() > 0.05  # the speech survived Opus and resampling


def test_mp4_h264_aac_decodes_frames_and_audio(good_mp4):
    clip = load_clip(good_mp4)
    assert clip.video_codec == "h264" and clip.audio_codec == "aac"
    assert 35 <= len(clip.frames) <= 42  # 10 analysed frames a second
    assert (clip.width, clip.height) == (512, 512)
