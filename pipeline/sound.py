"""The clip's sound: each cameo's lines in (an approximation of) their voice, over a quiet bed for the setting.

Offline, the voice is espeak-ng moved to the cameo's enrolled median pitch: it
sounds like a synthesizer at the right height, not like the person, and the
speaker-embedding similarity reported per cameo says so in numbers. A GPU
deployment can plug a zero-shot voice-cloning TTS in behind `VoiceSynth`; the
timing, mouth envelopes, ambience and mix here stay the same.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Mapping, Protocol, Sequence

import numpy as np

from identity.errors import IdentityError
from identity.librosa_safe import load_librosa
from identity.voices import VoiceEmbedding
from pipeline import espeak
from pipeline.scene import Scene, time_dialogue
from pipeline.types import CameoRef, DialogueLine, Progress, ProgressFn, VoiceReference

SAMPLE_RATE = 22050  # espeak-ng's own rate; the MP4 writer resamples to 48 kHz for AAC

# ---- voices ----


class VoiceSynth(Protocol):
    """Text to speech in a given voice; `reference` is the cameo's voice from the grant, for synths that clone."""

    name: str

    def synth(
        self, text: str, target_pitch_hz: float | None, reference: VoiceReference | None = None, speed: float = 1.0
    ) -> tuple[np.ndarray, int]: ...


def as_reference(voice: VoiceEmbedding | VoiceReference | None) -> VoiceReference | None:
    """Callers may pass a bare embedding (offline, where nothing is cloned) or a full reference."""
    if voice is None or isinstance(voice, VoiceReference):
        return voice
    return VoiceReference(voice)


# Below this median pitch a voice is read as male: the espeak female variant
# cannot go low enough without sounding like a slowed tape, nor the male high enough.
MALE_BELOW_HZ = 165.0
ESPEAK_VARIANTS = {"male": "m3", "female": "f3"}
# The pitch a line must land within before a pitch shift is applied (yin's own scatter is ~2-3%).
PITCH_TOLERANCE = 0.05
_CALIBRATION_TEXT = "The quick brown fox jumps over the lazy dog, and then we all went home together."


class EspeakSynth:
    """espeak-ng, voice variant and pitch chosen so the line's median pitch lands on the cameo's.

    espeak's pitch setting moves its base pitch non-linearly, so each variant is
    measured once (11 settings, ~0.2 s) and inverted; what remains is closed by
    a pitch shift measured with YIN on the line itself.
    """

    name = "espeak-ng"

    def __init__(self, language: str = "en-us") -> None:
        self.language = language

    def synth(
        self, text: str, target_pitch_hz: float | None, reference: VoiceReference | None = None, speed: float = 1.0
    ) -> tuple[np.ndarray, int]:
        rate = int(round(espeak.RATE_NORMAL_WPM * speed))
        if target_pitch_hz is None:
            audio, sr = espeak.synthesize(text, espeak.EspeakVoice(self.language, rate_wpm=rate))
            return trim_silence(audio, sr), sr
        voice = self.voice_for(target_pitch_hz)
        audio, sr = espeak.synthesize(text, replace(voice, rate_wpm=rate))
        audio = trim_silence(audio, sr)
        return shift_to_pitch(audio, sr, target_pitch_hz), sr

    def voice_for(self, target_pitch_hz: float) -> espeak.EspeakVoice:
        variant = ESPEAK_VARIANTS["male" if target_pitch_hz < MALE_BELOW_HZ else "female"]
        name = f"{self.language}+{variant}"
        settings, measured = _pitch_calibration(name)
        # np.interp clamps outside the variant's reach; shift_to_pitch closes the rest.
        return espeak.EspeakVoice(name, pitch=int(round(np.interp(target_pitch_hz, measured, settings))))


@lru_cache(maxsize=8)
def _pitch_calibration(voice_name: str) -> tuple[np.ndarray, np.ndarray]:
    settings = np.arange(0, 101, 10)
    measured = []
    for p in settings:
        audio, sr = espeak.synthesize(_CALIBRATION_TEXT, espeak.EspeakVoice(voice_name, pitch=int(p)))
        measured.append(speech_pitch_hz(audio, sr) or np.nan)
    measured = np.maximum.accumulate(np.nan_to_num(np.asarray(measured), nan=0.0))  # np.interp needs it increasing
    return settings.astype(float), measured


def shift_to_pitch(audio: np.ndarray, sr: int, target_hz: float, tolerance: float = PITCH_TOLERANCE) -> np.ndarray:
    """The audio, pitch-shifted (duration kept) so its median pitch is within `tolerance` of `target_hz`."""
    measured = speech_pitch_hz(audio, sr)
    if measured is None or abs(measured / target_hz - 1.0) <= tolerance:
        return audio
    librosa = load_librosa()

    steps = 12.0 * math.log2(target_hz / measured)
    return librosa.effects.pitch_shift(audio, sr=sr, n_steps=steps).astype(np.float32)


def speech_pitch_hz(audio: np.ndarray, sr: int) -> float | None:
    """Median F0 over the voiced, loud frames (YIN 60-400 Hz, as `identity.voices.median_pitch_hz`)."""
    librosa = load_librosa()

    if audio.size < sr // 5:
        return None
    frame = int(round(0.064 * sr))  # 1024 samples at 16 kHz, the enrollment measure's window
    hop = frame // 4
    f0 = librosa.yin(audio, fmin=60, fmax=400, sr=sr, frame_length=frame, hop_length=hop)
    rms = librosa.feature.rms(y=audio, frame_length=frame, hop_length=hop)[0][: f0.size]
    loud = rms > 0.15 * (np.percentile(rms, 95) + 1e-9)
    f0 = f0[: rms.size][loud & (f0[: rms.size] < 395)]
    return float(np.median(f0)) if f0.size else None


def trim_silence(audio: np.ndarray, sr: int, level: float = 0.01, margin_s: float = 0.02) -> np.ndarray:
    """Drop the synthesizer's lead-in and trailing pause: the timing puts its own pauses."""
    loud = np.nonzero(np.abs(audio) > level * (np.max(np.abs(audio)) + 1e-9))[0]
    if loud.size == 0:
        return audio[:0]
    m = int(margin_s * sr)
    return audio[max(0, loud[0] - m) : loud[-1] + 1 + m]


def spoken_text(text: str) -> str:
    """What the synthesizer reads: "@bob" is a name in speech, not "at bob"."""
    return " ".join(text.replace("@", " ").split())


# ---- ambience ----

# Layers per place and per weather, with their level relative to the bed (dB).
AMBIENCE: dict[str, tuple[tuple[str, float], ...]] = {
    "beach": (("waves", 0.0), ("wind", -12.0)),
    "city street": (("traffic", 0.0),),
    "forest": (("wind", -6.0), ("birds", -3.0)),
    "park": (("wind", -10.0), ("birds", -2.0)),
    "mountains": (("wind", 0.0),),
    "snow": (("wind", 0.0),),
    "desert": (("wind", 0.0),),
    "office": (("room", 0.0),),
    "kitchen": (("room", 0.0),),
    "cafe": (("murmur", 0.0), ("room", -6.0)),
    "stage": (("crowd", 0.0),),
    "underwater": (("underwater", 0.0),),
    "space": (),  # no air, no sound
    "studio": (),
}
WEATHER_AMBIENCE: dict[str, tuple[tuple[str, float], ...]] = {
    "rain": (("rain", 0.0),),
    "snow": (("wind", -3.0),),
    "fog": (),
    "clear": (),
}
AMBIENCE_BELOW_DIALOGUE_DB = -24.0  # bed RMS relative to the dialogue's RMS while someone speaks
AMBIENCE_ALONE_RMS = 0.03  # about -30 dBFS when no one speaks
PEAK = 0.89  # -1 dBFS: headroom for the AAC encoder's overshoot


def _band(x: np.ndarray, sr: int, low: float | None, high: float | None, order: int = 2) -> np.ndarray:
    from scipy.signal import butter, sosfilt

    if low and high:
        sos = butter(order, [low, high], btype="bandpass", fs=sr, output="sos")
    elif low:
        sos = butter(order, low, btype="highpass", fs=sr, output="sos")
    else:
        sos = butter(order, high, btype="lowpass", fs=sr, output="sos")
    return sosfilt(sos, x).astype(np.float32)


def _slow(n: int, sr: int, rng: np.random.Generator, hz: float) -> np.ndarray:
    """A smooth random curve in [0, 1] changing about `hz` times a second."""
    k = max(2, int(n / sr * hz) + 3)
    pts = rng.random(k)
    return np.interp(np.linspace(0, k - 1, n), np.arange(k), pts).astype(np.float32)


def _waves(n, sr, rng):
    t = np.arange(n) / sr
    swell = sum((0.5 + 0.5 * np.sin(2 * np.pi * f * t + rng.random() * 6.28)) ** 3 for f in (0.11, 0.17))
    body = _band(rng.standard_normal(n), sr, None, 500)
    wash = _band(rng.standard_normal(n), sr, 1500, 6000) * 0.3
    return (body + wash) * swell


def _wind(n, sr, rng):
    gust = 0.3 + 0.7 * _slow(n, sr, rng, 0.4)
    low = _band(rng.standard_normal(n), sr, 200, 500)
    high = _band(rng.standard_normal(n), sr, 500, 1200) * _slow(n, sr, rng, 0.7)
    return (low + high) * gust


def _traffic(n, sr, rng):
    rumble = _band(rng.standard_normal(n), sr, None, 150, order=3)
    passing = _band(rng.standard_normal(n), sr, 250, 1500) * _slow(n, sr, rng, 0.5) ** 2
    return rumble + 0.5 * passing


def _rain(n, sr, rng):
    hiss = _band(rng.standard_normal(n), sr, 1000, 7000)
    drops = np.zeros(n, np.float32)
    idx = rng.integers(0, n, size=int(n / sr * 60))
    drops[idx] = rng.standard_normal(idx.size) * 8
    return hiss + _band(drops, sr, 2000, 8000)


def _birds(n, sr, rng):
    out = np.zeros(n, np.float32)
    for _ in range(max(1, int(n / sr * 0.8))):
        start, f0 = int(rng.integers(0, max(1, n - sr // 2))), rng.uniform(2500, 4500)
        for k in range(int(rng.integers(2, 5))):  # a short phrase of chirps
            m = int(0.07 * sr)
            t = np.arange(m) / sr
            chirp = np.sin(2 * np.pi * (f0 * t + rng.uniform(2e3, 6e3) * t * t)) * np.hanning(m)
            s = start + k * int(0.11 * sr)
            out[s : s + m] += chirp[: max(0, min(m, n - s))]
    return out


def _room(n, sr, rng):
    return _band(rng.standard_normal(n), sr, 40, 300) + 0.2 * _band(rng.standard_normal(n), sr, 2000, 5000)


def _murmur(n, sr, rng):
    voices = _band(rng.standard_normal(n), sr, 250, 1200)
    return voices * (0.3 + 0.7 * _slow(n, sr, rng, 4.0)) * (0.5 + 0.5 * _slow(n, sr, rng, 0.3))


def _crowd(n, sr, rng):
    return _band(rng.standard_normal(n), sr, 300, 2500) * (0.6 + 0.4 * _slow(n, sr, rng, 1.5))


def _underwater(n, sr, rng):
    out = _band(rng.standard_normal(n), sr, None, 120, order=3)
    for _ in range(int(n / sr * 3)):  # bubbles: short rising blips
        m, s = int(0.03 * sr), int(rng.integers(0, max(1, n - sr // 10)))
        t = np.arange(m) / sr
        out[s : s + m] += 0.5 * np.sin(2 * np.pi * (500 * t + 8000 * t * t)) * np.hanning(m)
    return out


LAYERS: dict[str, Callable[[int, int, np.random.Generator], np.ndarray]] = {
    "waves": _waves, "wind": _wind, "traffic": _traffic, "rain": _rain, "birds": _birds,
    "room": _room, "murmur": _murmur, "crowd": _crowd, "underwater": _underwater,
}


def ambience_layers(scene: Scene) -> tuple[tuple[str, float], ...]:
    layers = dict(AMBIENCE.get(scene.place, ()))
    for name, db in WEATHER_AMBIENCE.get(scene.weather, ()):
        layers.setdefault(name, db)
    return tuple(layers.items())


def ambience(scene: Scene, duration_s: float, sr: int = SAMPLE_RATE, seed: int = 0) -> np.ndarray:
    """A bed of unit RMS for the setting (silence where nothing fits, as in space)."""
    n = int(round(duration_s * sr))
    rng = np.random.default_rng(seed)
    bed = np.zeros(n, np.float32)
    for name, db in ambience_layers(scene):
        layer = LAYERS[name](n, sr, rng)
        bed += layer / (np.sqrt(np.mean(layer**2)) + 1e-9) * 10 ** (db / 20)
    if n and np.any(bed):
        fade = min(n // 2, int(0.3 * sr))  # no click at the cut
        bed[:fade] *= np.linspace(0, 1, fade)
        bed[n - fade :] *= np.linspace(1, 0, fade)
        bed /= float(np.sqrt(np.mean(bed**2)))
    return bed


# ---- mouth ----

MOUTH_GATE = 0.08  # below this the mouth is shut: breath noise should not flap the jaw


def mouth_envelope(track: np.ndarray, sr: int, fps: float, n_frames: int) -> np.ndarray:
    """Mouth openness per video frame in [0, 1] from one speaker's RMS envelope, smoothed over ~3 frames."""
    if n_frames <= 0:
        return np.zeros(0, np.float32)
    power = np.concatenate([[0.0], np.cumsum(track.astype(np.float64) ** 2)])
    centers = np.arange(n_frames) / fps * sr
    half = 0.75 * sr / fps
    lo = np.clip((centers - half).astype(int), 0, track.size)
    hi = np.clip((centers + half).astype(int), 0, track.size)
    rms = np.sqrt((power[hi] - power[lo]) / np.maximum(hi - lo, 1))
    active = rms[rms > 0.02 * (rms.max() + 1e-12)]
    if active.size == 0:
        return np.zeros(n_frames, np.float32)
    env = np.clip(rms / (np.percentile(active, 90) + 1e-12), 0.0, 1.0) ** 0.7
    env[env < MOUTH_GATE] = 0.0
    smooth = np.convolve(np.pad(env, 1, mode="edge"), [0.25, 0.5, 0.25], mode="valid")
    smooth[env == 0.0] *= 0.5  # close quickly after a word
    return np.clip(smooth, 0.0, 1.0).astype(np.float32)


# ---- the soundtrack ----


@dataclass(frozen=True)
class Soundtrack:
    """The clip's audio and what the picture needs from it (line times, mouth openness)."""

    audio: np.ndarray  # float32 mono, peak <= PEAK
    sample_rate: int
    dialogue: tuple[DialogueLine, ...]  # timed lines actually spoken
    dropped: tuple[DialogueLine, ...]  # lines that are in the prompt but not in the audio (see notes)
    speed: float  # speaking-rate factor used to fit the clip
    mouth: dict[str, np.ndarray]  # handle -> openness per video frame in [0, 1]
    voice_similarity: dict[str, float | None]  # handle -> cosine to the enrolled voice (None: not measured)
    pitch_hz: dict[str, float | None]  # handle -> measured median pitch of the synthesized speech
    target_pitch_hz: dict[str, float | None]  # handle -> the enrolled median pitch it aimed at
    synth: str
    ambience: tuple[str, ...]
    notes: tuple[str, ...] = ()


def make_soundtrack(
    scene: Scene,
    cameos: Sequence[CameoRef],
    duration_s: float,
    fps: float,
    *,
    voices: Mapping[str, VoiceEmbedding | VoiceReference] | None = None,
    synth: VoiceSynth | None = None,
    seed: int = 0,
    on_progress: ProgressFn | None = None,
) -> Soundtrack:
    """Speak the scene's lines in the cameos' voices, time them into the clip and mix them over the bed.

    `voices` (handle -> enrolled voice embedding, from the consent grant) is
    optional: with it, each cameo's synthesized speech is compared with their
    enrolled voice and the similarity reported.
    """
    synth = synth or EspeakSynth()
    progress = on_progress or (lambda p: None)
    by_handle = {c.handle: c for c in cameos}
    notes: list[str] = []
    spoken, absent = [], []
    for line in scene.dialogue:
        (spoken if line.handle in by_handle else absent).append(line)
    for line in absent:
        notes.append(f'@{line.handle} is not a cameo in this clip, so their line "{line.text}" is not spoken')
    for text in scene.unspoken:
        notes.append(f'"{text}" has no speaker and is not spoken')
    total_steps = len(spoken) + 2
    target = {h: by_handle[h].voice_pitch_hz for h in by_handle}

    first = []
    for i, line in enumerate(spoken):
        first.append(_speak(synth, line, target[line.handle], voices, 1.0))
        progress(Progress("sound", i + 1, total_steps))
    timing = time_dialogue(replace(scene, dialogue=tuple(spoken)), duration_s, [a.size / SAMPLE_RATE for a in first])
    notes.extend(timing.notes)

    n = int(round(duration_s * SAMPLE_RATE))
    tracks = {h: np.zeros(n, np.float32) for h in by_handle}
    for line, audio in zip(timing.lines, first):
        if timing.speed > 1.0:
            audio = _speak(synth, line, target[line.handle], voices, timing.speed)
        _place(tracks[line.handle], audio, line.start_s, line.end_s)

    n_frames = int(round(duration_s * fps))
    speakers = sorted({line.handle for line in timing.lines})
    mouth = {h: mouth_envelope(tracks[h], SAMPLE_RATE, fps, n_frames) for h in by_handle}
    pitch = {h: (speech_pitch_hz(_voiced(tracks[h], timing.lines, h), SAMPLE_RATE) if h in speakers else None) for h in by_handle}
    similarity, sim_notes = _similarities(tracks, timing.lines, speakers, voices or {})
    notes.extend(sim_notes)
    progress(Progress("sound", total_steps - 1, total_steps))

    layers = ambience_layers(scene)
    mix = _mix(sum(tracks.values(), np.zeros(n, np.float32)), ambience(scene, duration_s, SAMPLE_RATE, seed), bool(layers))
    progress(Progress("sound", total_steps, total_steps))
    return Soundtrack(
        audio=mix,
        sample_rate=SAMPLE_RATE,
        dialogue=timing.lines,
        dropped=timing.dropped + tuple(absent),
        speed=timing.speed,
        mouth=mouth,
        voice_similarity=similarity,
        pitch_hz=pitch,
        target_pitch_hz=target,
        synth=synth.name,
        ambience=tuple(name for name, _ in layers),
        notes=tuple(notes),
    )


def _speak(synth: VoiceSynth, line: DialogueLine, target_hz, voices, speed: float) -> np.ndarray:
    reference = as_reference((voices or {}).get(line.handle))
    audio, sr = synth.synth(spoken_text(line.text), target_hz, reference, speed)
    audio = np.asarray(audio, np.float32).reshape(-1)
    if sr != SAMPLE_RATE:
        librosa = load_librosa()

        audio = librosa.resample(audio, orig_sr=sr, target_sr=SAMPLE_RATE).astype(np.float32)
    return audio


def _place(track: np.ndarray, audio: np.ndarray, start_s: float, end_s: float) -> None:
    """Put a line into its slot; a synth that came out longer than asked is time-stretched, not cut."""
    a, b = int(round(start_s * SAMPLE_RATE)), min(track.size, int(round(end_s * SAMPLE_RATE)))
    slot = b - a
    if slot <= 0 or audio.size == 0:
        return
    if audio.size > slot * 1.02:
        librosa = load_librosa()

        audio = librosa.effects.time_stretch(audio, rate=audio.size / slot).astype(np.float32)
    audio = audio[:slot]
    fade = min(audio.size // 4, int(0.01 * SAMPLE_RATE))
    if fade:
        audio = audio.copy()
        audio[-fade:] *= np.linspace(1, 0, fade, dtype=np.float32)
    track[a : a + audio.size] += audio


def _voiced(track: np.ndarray, lines: Sequence[DialogueLine], handle: str) -> np.ndarray:
    """The handle's lines only, joined: silence between them would only dilute the measures."""
    parts = [track[int(l.start_s * SAMPLE_RATE) : int(l.end_s * SAMPLE_RATE)] for l in lines if l.handle == handle]
    return np.concatenate(parts) if parts else np.zeros(0, np.float32)


def _similarities(tracks, lines, speakers, voices: Mapping[str, VoiceEmbedding]):
    from identity.voices import AUDIO_RATE, MIN_SPEECH_SECONDS, embed_voice, voice_similarity

    out: dict[str, float | None] = {h: None for h in tracks}
    notes = []
    for h in speakers:
        ref = as_reference(voices.get(h))
        if ref is None:
            continue
        enrolled = ref.embedding
        librosa = load_librosa()

        speech = librosa.resample(_voiced(tracks[h], lines, h), orig_sr=SAMPLE_RATE, target_sr=AUDIO_RATE)
        try:
            out[h] = voice_similarity(enrolled, embed_voice(speech))
        except IdentityError as exc:
            why = (
                f"their lines hold under {MIN_SPEECH_SECONDS:g} s of speech, too little for a speaker embedding"
                if exc.code == "too_little_speech" else exc.message
            )
            notes.append(f"voice similarity for @{h} not measured: {why}")
    return out, notes


def _mix(dialogue: np.ndarray, bed: np.ndarray, has_bed: bool) -> np.ndarray:
    """Dialogue at -1 dBFS peak, the bed AMBIENCE_BELOW_DIALOGUE_DB under it; never clipped."""
    peak = float(np.max(np.abs(dialogue))) if dialogue.size else 0.0
    out = dialogue * (PEAK / peak) if peak > 0 else dialogue.copy()
    if has_bed:
        loud = np.abs(out) > 0.01
        speech_rms = float(np.sqrt(np.mean(out[loud] ** 2))) if loud.any() else 0.0
        level = speech_rms * 10 ** (AMBIENCE_BELOW_DIALOGUE_DB / 20) if speech_rms else AMBIENCE_ALONE_RMS
        out = out + bed[: out.size] * level
    top = float(np.max(np.abs(out))) if out.size else 0.0
    if top > PEAK:
        out *= PEAK / top
    return out.astype(np.float32)
