"""MP4 export: H.264 + AAC, the right duration, faststart; and a whole preview clip with sound."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from identity.errors import MediaError
from pipeline.export import probe, top_level_boxes, write_mp4
from pipeline.preview import PreviewBackend
from pipeline.scene import parse_scene
from pipeline.sound import make_soundtrack
from pipeline.types import CameoRef, RenderSpec

FACES = Path(__file__).resolve().parent / "fixtures" / "faces"
SR = 22050


def moving_frames(n: int, w: int = 320, h: int = 192) -> np.ndarray:
    """A gradient with a bar sweeping across: real motion for the encoder, easy to check after decoding."""
    base = np.zeros((h, w, 3), np.uint8)
    base[..., 0] = np.linspace(0, 255, w, dtype=np.uint8)[None, :]
    base[..., 1] = np.linspace(0, 255, h, dtype=np.uint8)[:, None]
    frames = np.repeat(base[None], n, axis=0)
    for i in range(n):
        x = (i * 7) % (w - 10)
        frames[i, :, x : x + 10] = 255
    return frames


def tone(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return (0.4 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "clip.mp4"
    return write_mp4(path, moving_frames(72), 24.0, tone(2.0), SR)  # 3 s of video, 2 s of sound


def test_mp4_holds_h264_video_and_aac_audio(clip):
    info = probe(clip)
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")


def test_mp4_keeps_size_frame_rate_and_frame_count(clip):
    info = probe(clip)
    assert (info.width, info.height, info.fps, info.frames) == (320, 192, 24.0, 72)


def test_mp4_lasts_as_long_as_its_frames(clip):
    assert abs(probe(clip).duration_s - 3.0) <= 1 / 24


def test_short_audio_is_padded_to_the_video_length(clip):
    assert abs(probe(clip).audio_duration_s - 3.0) <= 0.05


def test_long_audio_is_cut_to_the_video_length(tmp_path):
    path = write_mp4(tmp_path / "long.mp4", moving_frames(48), 24.0, tone(5.0), SR)
    info = probe(path)
    assert abs(info.audio_duration_s - 2.0) <= 0.05
    assert abs(info.duration_s - 2.0) <= 0.05


def test_index_comes_before_the_media_data(clip):
    boxes = top_level_boxes(clip)
    assert boxes.index("moov") < boxes.index("mdat")
    assert probe(clip).faststart


def test_audio_is_aac_at_48_khz_with_the_tone_in_it(clip):
    with av.open(str(clip)) as c:
        assert c.streams.audio[0].codec_context.sample_rate == 48000
        samples = np.concatenate([f.to_ndarray().reshape(-1) for f in c.decode(audio=0)])
    spectrum = np.abs(np.fft.rfft(samples[: 48000]))
    assert abs(np.argmax(spectrum) - 220) < 3  # 1 s of samples: bin k is k Hz


def test_frames_survive_encoding(clip):
    with av.open(str(clip)) as c:
        decoded = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    original = moving_frames(72)
    assert len(decoded) == 72
    for i in (0, 30, 71):
        assert np.abs(decoded[i].astype(int) - original[i]).mean() < 6


def test_video_without_sound_has_no_audio_track(tmp_path):
    info = probe(write_mp4(tmp_path / "silent.mp4", moving_frames(24), 24.0, None, SR))
    assert info.video_codec == "h264" and info.audio_codec is None


def test_odd_frame_size_is_refused(tmp_path):
    with pytest.raises(MediaError) as err:
        write_mp4(tmp_path / "odd.mp4", np.zeros((4, 191, 320, 3), np.uint8), 24.0, None, SR)
    assert err.value.code == "bad_size"


def test_a_file_that_is_not_media_is_refused(tmp_path):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all" * 100)
    with pytest.raises(MediaError):
        probe(junk)


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="no ffprobe binary on this machine")
def test_ffprobe_agrees(clip):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(clip)],
        capture_output=True, text=True, check=True,
    )
    data = json.loads(out.stdout)
    codecs = {s["codec_type"]: s["codec_name"] for s in data["streams"]}
    assert codecs == {"video": "h264", "audio": "aac"}
    assert abs(float(data["format"]["duration"]) - 3.0) <= 0.05


def test_preview_clip_with_dialogue_exports_as_a_playable_mp4(tmp_path, backend):
    rgb = cv2.cvtColor(cv2.imread(str(FACES / "angelina_jolie" / "deepface_img5.jpg")), cv2.COLOR_BGR2RGB)
    crop = backend.align(rgb, backend.detect(rgb)[0])
    cameo = CameoRef("c1", "alice", (crop,), 190.0)
    prompt = '@alice says "We made it to the beach!" at sunset, the camera pans left'
    fps, seconds = 24.0, 3.0
    sound = make_soundtrack(parse_scene(prompt), [cameo], seconds, fps)
    spec = RenderSpec(prompt, (cameo,), seconds, 480, 480, 3, dialogue=sound.dialogue, mouth=sound.mouth)
    video = PreviewBackend(fps).render(spec, lambda p: None)
    info = probe(write_mp4(tmp_path / "preview.mp4", video.frames, video.fps, sound.audio, sound.sample_rate))
    assert (info.video_codec, info.audio_codec, info.width, info.height) == ("h264", "aac", 480, 480)
    assert abs(info.duration_s - seconds) <= 1 / fps and info.faststart
