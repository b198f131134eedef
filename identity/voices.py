"""Speaker embeddings with Resemblyzer (GE2E; its weights ship in the wheel).

Used twice: the voice must stay the same person throughout one enrollment clip
(a second speaker reading the digits is a common way to fake a consent
recording), and a re-verification clip must match the stored cameo.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from identity.embedding import Embedding
from identity.errors import IdentityError
from identity.librosa_safe import load_librosa, load_resemblyzer

AUDIO_RATE = 16000
VOICE_BACKEND = "resemblyzer"
VOICE_MODEL = "resemblyzer-0.1.4/pretrained.pt"

# Same speaker when the cosine similarity of two utterance embeddings is at least
# this. Measured on ../shared/fixtures/speech (5 LibriSpeech speakers, 15 files):
# see README "Calibration" and `python -m identity eval-voices`.
SAME_SPEAKER_THRESHOLD = 0.75
# Within one clip, the speech windows are split into the two most different
# voices; one speaker gives two groups at least this alike (see _consistency).
CONSISTENCY_THRESHOLD = 0.77
# Each voice group needs this many 1.6 s windows (~0.8 s apart), i.e. ~2.4 s of speech.
MIN_WINDOWS_PER_VOICE = 2
MIN_SPEECH_SECONDS = 1.0


class VoiceEmbedding(Embedding):
    """A speaker embedding, tagged with what made it."""


@dataclass(frozen=True)
class VoiceConsistency:
    consistent: bool
    min_similarity: float | None  # None when there was too little speech to split
    worst_segment_s: tuple[float, float] | None


@lru_cache(maxsize=1)
def _encoder():
    import torch

    resemblyzer = load_resemblyzer()  # it imports librosa, whose cache must be filled under the lock

    # The encoder is a small LSTM: one thread runs it in ~0.1 s for 10 s of speech,
    # while two threads on a 2-core machine that is also decoding video take 20x longer.
    torch.set_num_threads(1)
    return resemblyzer.VoiceEncoder("cpu", verbose=False)


def _speech_only(audio: np.ndarray) -> np.ndarray:
    preprocess_wav = load_resemblyzer().preprocess_wav
    if audio.size == 0 or float(np.sqrt(np.mean(np.square(audio)))) < 1e-4:
        return audio[:0]  # digital silence: nothing to normalise (resemblyzer would divide by zero)
    return preprocess_wav(np.asarray(audio, dtype=np.float32), source_sr=AUDIO_RATE)


def _normalized_mean(vectors: np.ndarray) -> np.ndarray:
    m = np.mean(vectors, axis=0)
    return m / (np.linalg.norm(m) + 1e-9)


@dataclass(frozen=True)
class VoiceAnalysis:
    """One pass of the encoder over a clip's speech: the embedding and its consistency."""

    embedding: VoiceEmbedding
    consistency: VoiceConsistency
    speech_seconds: float


def analyse_voice(audio: np.ndarray) -> VoiceAnalysis:
    """Embed the clip's speech once and judge, from the same windows, whether it is one voice.

    Resemblyzer embeds 1.6 s windows ("partials") and averages them; the speech is
    cut into ~3 s stretches, each stretch's partials are averaged, and each stretch
    must resemble the rest.
    """
    speech = _speech_only(audio)
    seconds = speech.size / AUDIO_RATE
    if seconds < MIN_SPEECH_SECONDS:
        raise IdentityError(
            "too_little_speech",
            f"we heard only {seconds:.1f} s of speech; read the sentence and the digits aloud",
            {"seconds": f"{seconds:.1f}"},
        )
    _, partials, splits = _encoder().embed_utterance(speech, return_partials=True)
    embedding = VoiceEmbedding(VOICE_BACKEND, VOICE_MODEL, _normalized_mean(partials))
    return VoiceAnalysis(embedding, _consistency(partials, splits, speech.size), seconds)


def _two_voice_split(partials: np.ndarray, iterations: int = 10) -> np.ndarray:
    """Assign each window to one of two groups (2-means on the unit sphere)."""
    sims = partials @ partials.T
    i, j = np.unravel_index(np.argmin(sims), sims.shape)  # the two least alike windows seed the groups
    centers = partials[[i, j]]
    labels = np.zeros(len(partials), dtype=int)
    for _ in range(iterations):
        labels = np.argmax(partials @ centers.T, axis=1)
        if labels.min() == labels.max():
            break
        centers = np.stack([_normalized_mean(partials[labels == k]) for k in (0, 1)])
    return labels


def _consistency(partials: np.ndarray, splits: list[slice], n_samples: int) -> VoiceConsistency:
    """Split the windows into the two most different voices; one speaker gives two alike halves.

    Comparing fixed stretches fails when a stretch straddles a change of speaker;
    clustering the windows finds the change wherever it is.
    """
    if len(partials) < 2 * MIN_WINDOWS_PER_VOICE:
        return VoiceConsistency(True, None, None)  # too little speech to split in two
    labels = _two_voice_split(partials)
    counts = np.bincount(labels, minlength=2)
    if counts.min() < MIN_WINDOWS_PER_VOICE:
        return VoiceConsistency(True, float(np.min(partials @ _normalized_mean(partials))), None)
    a, b = (_normalized_mean(partials[labels == k]) for k in (0, 1))
    similarity = cosine(a, b)
    minority = int(np.argmin(counts))
    idx = [k for k, lab in enumerate(labels) if lab == minority]
    # Times are of the speech with pauses removed: enough to say which part differs.
    span = (splits[idx[0]].start / AUDIO_RATE, min(splits[idx[-1]].stop, n_samples) / AUDIO_RATE)
    return VoiceConsistency(similarity >= CONSISTENCY_THRESHOLD, similarity, span)


def embed_voice(audio: np.ndarray) -> VoiceEmbedding:
    return analyse_voice(audio).embedding


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    a = np.asarray(a, np.float32)
    b = np.asarray(b, np.float32)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))


def voice_similarity(a: VoiceEmbedding, b: VoiceEmbedding) -> float:
    if not a.same_model(b):
        raise IdentityError(
            "model_mismatch", f"voice embeddings of {a.model} and {b.model} cannot be compared; re-enroll"
        )
    return cosine(a.vector, b.vector)


def median_pitch_hz(audio: np.ndarray) -> float | None:
    """Median fundamental frequency of the voiced speech (for voicing generated dialogue)."""
    librosa = load_librosa()
    speech = _speech_only(audio)
    if speech.size < AUDIO_RATE:
        return None
    # YIN, not pYIN: 100x faster, and the median over voiced speech hides its octave slips.
    f0 = librosa.yin(speech, fmin=60, fmax=400, sr=AUDIO_RATE, frame_length=1024)
    f0 = f0[np.isfinite(f0) & (f0 < 395)]
    return float(np.median(f0)) if f0.size else None
