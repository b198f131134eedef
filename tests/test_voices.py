"""Voice identity on real LibriSpeech speakers: one voice per clip, and the same voice across clips."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from identity.audio import read_audio
from identity.errors import IdentityError
from identity.voices import SAME_SPEAKER_THRESHOLD, analyse_voice, embed_voice, voice_similarity

LIBRI = Path(__file__).resolve().parent / "fixtures" / "speech" / "librispeech"


def _read(rel: str) -> np.ndarray:
    return read_audio(LIBRI / rel)


def test_one_speaker_reading_is_consistent():
    a = analyse_voice(_read("1688/1688-142285-0004.flac"))
    assert a.consistency.consistent and a.consistency.min_similarity is not None


def test_two_speakers_in_one_clip_are_caught():
    mixed = np.concatenate([_read("1688/1688-142285-0004.flac")[: 16000 * 4], _read("367/367-130732-0004.flac")[: 16000 * 4]])
    c = analyse_voice(mixed).consistency
    assert not c.consistent
    assert c.worst_segment_s is not None


def test_same_speaker_matches_across_recordings_and_others_do_not():
    spk = _read("1688/1688-142285-0004.flac")
    first, second = embed_voice(spk[: len(spk) // 2]), embed_voice(spk[len(spk) // 2 :])
    other = embed_voice(_read("533/533-1066-0003.flac"))
    assert voice_similarity(first, second) >= SAME_SPEAKER_THRESHOLD
    assert voice_similarity(first, other) < SAME_SPEAKER_THRESHOLD


def test_silence_is_not_a_voice():
    with pytest.raises(IdentityError) as err:
        embed_voice(np.zeros(16000 * 3, np.float32))
    assert err.value.code == "too_little_speech"
