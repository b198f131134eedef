"""The audio mark: the clip id in the sound, through AAC at 96 kbit/s and a 9:16 reframe that wipes the video mark.

Sound: a real LibriSpeech utterance over a quiet noise bed, 5 s, as a studio clip carries it.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from pipeline.export import write_mp4
from safety import audio_mark as am
from safety.errors import SafetyError
from tests.attacks import ffmpeg_edit

SPEECH = sorted((Path(__file__).resolve().parent / "fixtures" / "speech" / "librispeech").glob("*/*.flac"))
CLIP_ID = "3f9a0c41d2e87b65"
RATE = 22050


@pytest.fixture(scope="module")
def sound() -> np.ndarray:
    audio, rate = sf.read(SPEECH[0], dtype="float32")
    audio = am._resample(np.resize(audio, 5 * rate), rate, RATE).astype(np.float32) * 0.7
    return audio + np.random.default_rng(0).standard_normal(audio.size).astype(np.float32) * 0.01


@pytest.fixture(scope="module")
def clip(sound, tmp_path_factory) -> Path:
    """A grey 5 s clip (no video mark at all) whose sound carries the audio mark."""
    frames = np.full((120, 480, 832, 3), 100, np.uint8)
    return write_mp4(tmp_path_factory.mktemp("audio") / "clip.mp4", frames, 24, am.embed_audio(sound, RATE, CLIP_ID),
                     RATE)


def test_the_mark_changes_the_sound_by_little(sound):
    marked = am.embed_audio(sound, RATE, CLIP_ID)
    assert marked.shape == sound.shape and marked.dtype == np.float32
    snr = 10 * np.log10(np.sum(sound ** 2) / np.sum((marked - sound) ** 2))
    assert snr > 14, snr  # multiplicative, +-3 dB per cell: it follows the sound, under it


def test_the_sound_alone_names_the_clip_after_aac_96k(clip):
    r = am.decode_audio_file(clip)
    assert (r.found, r.clip_id) == (True, CLIP_ID), r


def test_after_a_9x16_reframe_the_sound_still_names_the_clip(clip, tmp_path):
    copy = ffmpeg_edit(clip, tmp_path / "reframed.mp4", "reframe_9x16_1080x1920")  # audio re-encoded, AAC 96k
    r = am.decode_audio_file(copy)
    assert (r.found, r.clip_id) == (True, CLIP_ID), r


def test_unmarked_sound_and_silence_read_as_not_found(sound):
    assert not am.read_audio(sound, RATE).found
    assert not am.read_audio(np.zeros(5 * RATE, np.float32), RATE).found


def test_a_soundtrack_too_narrow_for_the_band_is_refused(sound):
    with pytest.raises(SafetyError) as e:
        am.embed_audio(sound[:8000], 8000, CLIP_ID)
    assert e.value.code == "bad_audio"
