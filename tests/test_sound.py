"""Dialogue in the cameo's voice (espeak-ng moved to their pitch), mouth envelopes, ambience and the mix.

The enrolled voices are real LibriSpeech speakers from tests/fixtures: their
Resemblyzer embedding and median pitch stand in for what enrollment stores.
"""
from __future__ import annotations

import threading
from pathlib import Path

from identity.librosa_safe import load_librosa
import numpy as np
import pytest

from identity.audio import read_audio
from identity.voices import AUDIO_RATE, embed_voice, median_pitch_hz
from pipeline import espeak
from pipeline.scene import parse_scene
from pipeline.sound import (
    AMBIENCE_BELOW_DIALOGUE_DB,
    PEAK,
    SAMPLE_RATE,
    EspeakSynth,
    ambience,
    make_soundtrack,
)
from pipeline.types import CameoRef

SPEECH = Path(__file__).resolve().parent / "fixtures" / "speech" / "librispeech"
LOW_VOICE = SPEECH / "2414" / "2414-128291-0001.flac"  # a man, ~116 Hz
HIGH_VOICE = SPEECH / "533" / "533-1066-0003.flac"  # a woman, ~227 Hz
FPS = 24.0
LINE = "We made it to the top of the hill, and the view is wonderful."


@pytest.fixture(scope="module")
def enrolled():
    """handle -> (voice embedding, median pitch) as enrollment would store them."""
    out = {}
    for handle, path in (("low_voice", LOW_VOICE), ("high_voice", HIGH_VOICE)):
        audio = read_audio(path)
        out[handle] = (embed_voice(audio), median_pitch_hz(audio))
    return out


def cameo(handle: str, pitch: float | None) -> CameoRef:
    return CameoRef(cameo_id=handle, handle=handle, crops_rgb=(), voice_pitch_hz=pitch)


def pitch_as_enrollment_measures(audio: np.ndarray, sr: int) -> float | None:
    return median_pitch_hz(load_librosa().resample(audio, orig_sr=sr, target_sr=AUDIO_RATE))


def test_espeak_speaks_mono_audio_at_its_rate():
    audio, sr = espeak.synthesize("Hello from the studio.")
    assert sr == 22050
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert 0.5 < audio.size / sr < 3.0
    assert 0.05 < np.max(np.abs(audio)) <= 1.0


def test_espeak_gives_each_thread_its_own_line():
    texts = ["one two three", "the quick brown fox jumps", "hello", "we made it to the beach today"]
    serial = [espeak.synthesize(t)[0] for t in texts]
    results: dict[int, np.ndarray] = {}

    def speak(i: int) -> None:
        for _ in range(3):
            results[i] = espeak.synthesize(texts[i])[0]

    threads = [threading.Thread(target=speak, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # espeak's output varies by a few samples from call to call, so compare lengths: a line
    # mixed with another thread's audio, or cut short, would be far off.
    for i, expected in enumerate(serial):
        assert abs(results[i].size / expected.size - 1.0) < 0.03


def test_faster_rate_gives_shorter_speech():
    normal, _ = espeak.synthesize(LINE)
    fast, _ = espeak.synthesize(LINE, espeak.EspeakVoice(rate_wpm=int(espeak.RATE_NORMAL_WPM * 1.5)))
    assert fast.size < 0.8 * normal.size


@pytest.mark.parametrize("handle", ["low_voice", "high_voice"])
def test_line_lands_within_12_percent_of_the_enrolled_pitch(enrolled, handle):
    target = enrolled[handle][1]
    audio, sr = EspeakSynth().synth(LINE, target)
    measured = pitch_as_enrollment_measures(audio, sr)
    assert measured is not None
    assert abs(measured / target - 1.0) < 0.12, (measured, target)


def test_low_target_picks_a_male_variant_and_high_a_female_one():
    synth = EspeakSynth()
    assert synth.voice_for(110.0).name.endswith("+m3")
    assert synth.voice_for(220.0).name.endswith("+f3")


def test_pitch_beyond_espeaks_reach_is_shifted_there():
    audio, sr = EspeakSynth().synth(LINE, 300.0)
    assert abs(pitch_as_enrollment_measures(audio, sr) / 300.0 - 1.0) < 0.12


def test_similarity_to_each_enrolled_voice_is_reported(enrolled):
    scene = parse_scene(f'@low_voice says "{LINE}" and @high_voice replies "Yes, and the sun is out as well today."')
    cameos = [cameo(h, enrolled[h][1]) for h in ("low_voice", "high_voice")]
    track = make_soundtrack(scene, cameos, 9.0, FPS, voices={h: enrolled[h][0] for h in enrolled})
    for h in ("low_voice", "high_voice"):
        sim = track.voice_similarity[h]
        assert isinstance(sim, float) and -1.0 <= sim <= 1.0
        assert abs(track.pitch_hz[h] / enrolled[h][1] - 1.0) < 0.12


def test_similarity_is_none_without_an_enrolled_voice():
    track = make_soundtrack(parse_scene(f'@alice says "{LINE}"'), [cameo("alice", 120.0)], 6.0, FPS)
    assert track.voice_similarity == {"alice": None}


@pytest.fixture(scope="module")
def two_speakers():
    scene = parse_scene('@alice says "We made it to the beach!" and @bob replies "Look at the waves." on the beach')
    return make_soundtrack(scene, [cameo("alice", 120.0), cameo("bob", 210.0)], 5.0, FPS)


def test_soundtrack_is_the_clip_long_and_never_clips(two_speakers):
    assert two_speakers.audio.size == 5 * SAMPLE_RATE
    assert two_speakers.sample_rate == SAMPLE_RATE
    assert 0.5 * PEAK < np.max(np.abs(two_speakers.audio)) <= PEAK + 1e-6


def test_mouth_opens_during_the_speakers_line_and_is_shut_outside_it(two_speakers):
    n = int(5 * FPS)
    for line in two_speakers.dialogue:
        env = two_speakers.mouth[line.handle]
        assert env.shape == (n,) and env.min() >= 0 and env.max() <= 1
        during = env[int(line.start_s * FPS) + 1 : int(line.end_s * FPS) - 1]
        outside = np.concatenate([env[: int(line.start_s * FPS) - 2], env[int(line.end_s * FPS) + 3 :]])
        assert during.mean() > 0.3
        assert outside.max() < 0.05


def test_each_cameo_speaks_only_their_own_lines(two_speakers):
    alice_line, bob_line = two_speakers.dialogue
    bob = two_speakers.mouth["bob"]
    assert bob[int(alice_line.start_s * FPS) + 1 : int(alice_line.end_s * FPS) - 1].max() < 0.05


def test_ambience_sits_well_below_the_dialogue(two_speakers):
    sr = SAMPLE_RATE
    first = two_speakers.dialogue[0]
    bed = two_speakers.audio[int((two_speakers.dialogue[-1].end_s + 0.2) * sr) :]
    speech = two_speakers.audio[int(first.start_s * sr) : int(first.end_s * sr)]
    bed_db = 20 * np.log10(np.sqrt(np.mean(bed**2)) + 1e-12)
    speech_db = 20 * np.log10(np.sqrt(np.mean(speech**2)) + 1e-12)
    assert np.sqrt(np.mean(bed**2)) > 1e-4  # there is a bed: not digital silence
    assert speech_db - bed_db > -AMBIENCE_BELOW_DIALOGUE_DB - 6


def test_beach_has_waves_and_rain_adds_rain():
    track = make_soundtrack(parse_scene("@alice on a rainy beach"), [cameo("alice", 120.0)], 3.0, FPS)
    assert set(track.ambience) >= {"waves", "rain"}


def test_space_is_silent_apart_from_the_dialogue():
    track = make_soundtrack(parse_scene('@alice says "so quiet" in outer space'), [cameo("alice", 120.0)], 4.0, FPS)
    after = track.audio[int((track.dialogue[0].end_s + 0.05) * SAMPLE_RATE) :]
    assert track.ambience == ()
    assert np.max(np.abs(after)) < 1e-6


def test_ambience_bed_has_unit_level_and_depends_on_the_seed():
    scene = parse_scene("a city street")
    a, b = ambience(scene, 2.0, seed=1), ambience(scene, 2.0, seed=2)
    assert np.sqrt(np.mean(a**2)) == pytest.approx(1.0, rel=0.05)
    assert not np.allclose(a, b)


def test_line_of_someone_not_in_the_clip_is_reported_not_spoken():
    track = make_soundtrack(parse_scene('@alice waves and @carol says "hello"'), [cameo("alice", 120.0)], 3.0, FPS)
    assert track.dialogue == ()
    assert [d.handle for d in track.dropped] == ["carol"]
    assert any("@carol" in n for n in track.notes)


def test_dialogue_too_long_for_the_clip_is_reported():
    long = "This is a very long line that goes on and on about the weather and the sea and the sand."
    scene = parse_scene(f'@alice says "{long}" and @bob says "{long}"')
    track = make_soundtrack(scene, [cameo("alice", 120.0), cameo("bob", 200.0)], 3.0, FPS)
    assert len(track.dialogue) + len(track.dropped) == 2
    assert track.dropped and any("did not fit" in n for n in track.notes)


def test_spoken_line_fits_its_timed_slot():
    scene = parse_scene('@alice says "one two three four five six seven eight nine ten"')
    track = make_soundtrack(scene, [cameo("alice", 120.0)], 2.5, FPS)
    line = track.dialogue[0]
    assert line.end_s <= 2.5
    loud = np.nonzero(np.abs(track.audio) > 0.05)[0] / SAMPLE_RATE
    assert loud[0] >= line.start_s - 0.02 and loud[-1] <= line.end_s + 0.02


class SineSynth:
    """A stand-in for a voice-cloning TTS: anything with `name` and `synth` plugs in."""

    name = "sine"

    def __init__(self):
        self.calls = []

    def synth(self, text, target_pitch_hz, reference=None, speed=1.0):
        self.calls.append((text, target_pitch_hz, reference, speed))
        sr = 16000
        t = np.arange(int(0.8 * sr / speed)) / sr
        return (0.5 * np.sin(2 * np.pi * (target_pitch_hz or 150.0) * t)).astype(np.float32), sr


def test_another_voice_synth_plugs_in_and_gets_the_reference(enrolled):
    synth = SineSynth()
    embedding = enrolled["low_voice"][0]
    track = make_soundtrack(
        parse_scene('@alice says "hi @bob"'), [cameo("alice", 140.0)], 3.0, FPS, voices={"alice": embedding}, synth=synth
    )
    assert track.synth == "sine"
    assert synth.calls[0][0] == "hi bob"  # the @ is not read out
    assert synth.calls[0][1] == 140.0 and synth.calls[0][2].embedding is embedding
    assert track.sample_rate == SAMPLE_RATE and track.audio.size == 3 * SAMPLE_RATE


def test_the_cloning_synth_uses_only_the_consent_recording_and_falls_back_without_one():
    """Chatterbox is not installed here (no GPU, no weights): a cameo with a kept recording gets a clear
    error naming the fix; one without falls back to espeak at the cameo's pitch."""
    from identity.errors import ModelUnavailableError
    from pipeline.types import VoiceReference
    from pipeline.voice_clone import ChatterboxSynth, chatterbox_available, voice_synth

    if chatterbox_available():
        pytest.skip("chatterbox-tts is installed here; this test is about its absence")
    synth = ChatterboxSynth(device="cpu")
    audio, sr = synth.synth("hello there", 180.0, VoiceReference(embedding=None), 1.0)
    assert audio.size > sr * 0.3
    with pytest.raises(ModelUnavailableError, match="chatterbox-tts"):
        synth.synth("hello there", 180.0, VoiceReference(None, np.zeros(16000, np.float32) + 0.1), 1.0)
    assert voice_synth("auto", cuda=False).name == "espeak-ng"
