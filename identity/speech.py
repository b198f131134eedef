"""Hear which random digits a person read aloud in their enrollment clip.

The digits are shown only when recording starts, so saying them shows the clip
was recorded live, not replayed or prepared in advance. It has to run offline on
CPU, hence pocketsphinx with the en-us model and CMUdict that ship in its wheel.

Free decoding with the language model mishears isolated digits badly; a grammar
of exactly five digits is far better, but the clip starts with the consent
sentence, which that grammar would force into digits. So the grammar is an
optional block holding the whole sentence in order (all of its words required),
then exactly five digits. An all-or-nothing block cannot lend one word to a
digit the way a loop of the sentence's words, or each word optional, does ("to"
eating "two"): on five synthesized voices those got 16-18 of 30 digit-only
clips right, the block 25, and 28 of 30 with the sentence.

What else measurement showed pocketsphinx needs:
- a noise floor: digital silence (exact zeros between words, as in synthesized
  or heavily noise-suppressed audio) wrecks its features, so audio is scaled to
  a standard level and a faint fixed dither is added;
- a fresh cepstral mean: it carries over from the previous clip, and a noisy
  clip after a clean one then decodes to the same nonsense whatever was said;
  a cheap first pass over the same audio sets it, so each result depends only
  on its own clip;
- a guard against a path that reads the start of the sentence as the digits and
  the rest as silence (seen in noise): such a clip is decoded again with the
  sentence required.

A consent sentence in French cannot be modelled at all: the en-us model and its
dictionary have no French, and speech it cannot place before the digits wrecks
them (16 espeak voices, French sentence then English digits: 0 of 16 right with
the sentence's known words as the block, with no block, or with a loop of filler
words; the English sentence: 12 of 16). So the person pauses after a French
sentence, and only the speech after the clip's longest pause is decoded, as
digits alone: 10 of 16 on the same voices with a 0.6 s or a 1 s pause. It is one
decode of one cut chosen without looking at the expected digits, so a replay's
odds stay those of `match_digits`; a person who does not pause is refused (the
cut then loses digits), never let through. The digits are English words in
every language.
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from pocketsphinx import Decoder

AUDIO_RATE = 16000
DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_WORD_TO_DIGIT = {word: str(i) for i, word in enumerate(DIGIT_WORDS)} | {"oh": "0"}

# webrtcvad accepts 10/20/30 ms frames; 2 of 0..3 ignores breath and room noise
# without clipping soft consonants.
VAD_FRAME_S = 0.03
VAD_AGGRESSIVENESS = 2
# Less voiced speech than this cannot hold five digit words: nothing is decoded.
MIN_SPEECH_S = 0.3
# Kept around the voiced part when trimming, so soft onsets ("six") survive.
TRIM_MARGIN_S = 0.3
# Speech is scaled so its loud peaks sit here, at most this much louder.
TARGET_PEAK = 0.5
MAX_GAIN = 30.0
# Dither after scaling (about -44 dB below the peaks); measured best of 1e-3..1e-2.
DITHER_STD = 3e-3
# A guess then matches at least 4 of 5 positions with odds 46 in 100,000.
MAX_MISMATCHES = 1

# The audio is trimmed to speech, so the digits end near its end; a path whose
# digits end earlier than this took the sentence for digits.
MAX_TRAILING_S = TRIM_MARGIN_S + 0.7

_FRAMES_PER_S = 100  # pocketsphinx's default frame rate
_SEARCH = "digits"
_PRIME_SEARCH = "prime"
_lock = threading.Lock()  # one Decoder is shared, and it is not thread-safe


@dataclass(frozen=True)
class DigitsHeard:
    digits: list[str | None]  # length n_digits; None where nothing was recognised in that position
    text: str  # raw hypothesis text, for debugging


@lru_cache(maxsize=1)
def _decoder() -> Decoder:
    from pocketsphinx import Decoder, get_model_path

    model = get_model_path()
    decoder = Decoder(
        hmm=os.path.join(model, "en-us", "en-us"),
        dict=os.path.join(model, "en-us", "cmudict-en-us.dict"),
        lm=None,
        samprate=AUDIO_RATE,
        loglevel="FATAL",
    )
    decoder.add_jsgf_string(_PRIME_SEARCH, "#JSGF V1.0;\ngrammar prime;\npublic <s> = oh;\n")
    return decoder


def _pcm16(audio: np.ndarray) -> bytes:
    return (np.clip(audio, -1.0, 1.0) * 32767).astype(np.int16).tobytes()


def _voiced_frames(audio: np.ndarray) -> np.ndarray:
    """One bool per 30 ms frame: webrtcvad's speech decision."""
    import webrtcvad

    vad = webrtcvad.Vad(VAD_AGGRESSIVENESS)
    pcm = _pcm16(np.asarray(audio, dtype=np.float32).reshape(-1))
    frame_bytes = 2 * int(AUDIO_RATE * VAD_FRAME_S)
    starts = range(0, len(pcm) - frame_bytes + 1, frame_bytes)
    return np.array([vad.is_speech(pcm[i : i + frame_bytes], AUDIO_RATE) for i in starts], dtype=bool)


def speech_seconds(audio: np.ndarray) -> float:
    """Seconds of voiced speech in `audio` (float32 mono 16 kHz), by webrtcvad."""
    return float(np.count_nonzero(_voiced_frames(audio))) * VAD_FRAME_S


def _trim_to_speech(audio: np.ndarray, voiced: np.ndarray) -> np.ndarray:
    idx = np.flatnonzero(voiced)
    start = max(0, int((idx[0] * VAD_FRAME_S - TRIM_MARGIN_S) * AUDIO_RATE))
    end = min(audio.size, int(((idx[-1] + 1) * VAD_FRAME_S + TRIM_MARGIN_S) * AUDIO_RATE))
    return audio[start:end]


def _condition(audio: np.ndarray) -> np.ndarray:
    """Scale to a standard level and add a fixed, reproducible noise floor."""
    peak = float(np.percentile(np.abs(audio), 99.9))
    gain = min(TARGET_PEAK / peak, MAX_GAIN) if peak > 0 else 1.0
    dither = np.random.default_rng(0).standard_normal(audio.size) * DITHER_STD
    return (audio * gain + dither).astype(np.float32)


def _sentence_words(sentence: str, decoder: Decoder) -> list[str]:
    """The sentence's words that the pronunciation dictionary knows, in order."""
    words = re.findall(r"[a-z]+(?:'[a-z]+)?", sentence.lower())
    return [w for w in words if decoder.lookup_word(w)]


def _grammar(n_digits: int, sentence_words: list[str], sentence_required: bool) -> str:
    digit = "( " + " | ".join(sorted(_WORD_TO_DIGIT)) + " )"
    lead = " ".join(sentence_words)
    if lead and not sentence_required:
        lead = f"[ {lead} ]"
    return (
        "#JSGF V1.0;\ngrammar digits;\n"
        f"<digit> = {digit};\n"
        f"public <utterance> = {lead} {' '.join(['<digit>'] * n_digits)};\n"
    )


def _run(decoder: Decoder, search: str, pcm: bytes) -> str:
    decoder.activate_search(search)
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr if hyp is not None else ""


def _seconds_after_last_digit(decoder: Decoder) -> float:
    """How long the decoded path goes on after its last digit word (all of it if none)."""
    last_end = -1
    for seg in decoder.seg():
        if seg.word.split("(")[0] in _WORD_TO_DIGIT:
            last_end = seg.end_frame
    return (decoder.n_frames() - 1 - last_end) / _FRAMES_PER_S


def _decode(audio: np.ndarray, n_digits: int, sentence: str) -> str:
    pcm = _pcm16(_condition(audio))
    with _lock:
        decoder = _decoder()
        words = _sentence_words(sentence, decoder)
        _run(decoder, _PRIME_SEARCH, pcm)  # sets the cepstral mean from this clip
        decoder.add_jsgf_string(_SEARCH, _grammar(n_digits, words, sentence_required=False))
        text = _run(decoder, _SEARCH, pcm)
        if words and _seconds_after_last_digit(decoder) > MAX_TRAILING_S:
            decoder.add_jsgf_string(_SEARCH, _grammar(n_digits, words, sentence_required=True))
            text = _run(decoder, _SEARCH, pcm)
        return text


def _after_longest_pause(audio: np.ndarray, voiced: np.ndarray) -> np.ndarray:
    """The speech after the longest pause between two voiced frames (all of it if there is none)."""
    idx = np.flatnonzero(voiced)
    if idx.size < 2:
        return audio
    gaps = np.diff(idx) - 1
    k = int(np.argmax(gaps))
    if gaps[k] <= 0:
        return audio
    start = max(0, int((idx[k + 1] * VAD_FRAME_S - TRIM_MARGIN_S) * AUDIO_RATE))
    return audio[start:]


def _digits_from(text: str, n_digits: int) -> list[str | None]:
    """The last n_digits digit words, left-aligned; None for positions not reached."""
    heard = [_WORD_TO_DIGIT[w] for w in text.split() if w in _WORD_TO_DIGIT][-n_digits:]
    return heard + [None] * (n_digits - len(heard))


def recognize_digits(audio: np.ndarray, n_digits: int = 5, sentence: str = "",
                     sentence_heard: bool = True) -> DigitsHeard:
    """The n_digits digits read at the end of `audio` (float32 mono 16 kHz).

    Pass the consent `sentence` when the clip starts with it; its words the
    dictionary lacks (unusual names) are left out of the grammar. With
    `sentence_heard=False` (a sentence in a language the model lacks) the
    digits are the speech after the longest pause.
    """
    if n_digits < 1:
        raise ValueError("n_digits must be at least 1")
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    voiced = _voiced_frames(audio)
    if np.count_nonzero(voiced) * VAD_FRAME_S < MIN_SPEECH_S:
        return DigitsHeard(digits=[None] * n_digits, text="")
    if not sentence_heard:
        audio, sentence = _after_longest_pause(audio, voiced), ""
        voiced = _voiced_frames(audio)
        if not voiced.any():
            return DigitsHeard(digits=[None] * n_digits, text="")
    text = _decode(_trim_to_speech(audio, voiced), n_digits, sentence)
    return DigitsHeard(digits=_digits_from(text, n_digits), text=text)


def match_digits(heard: DigitsHeard, expected: str) -> str | None:
    """None when `heard` matches `expected` (e.g. "47291"); else a reason to show.

    Partial-match rule: accepted when at most one position differs, i.e. at
    least 4 of 5 digits match in position. pocketsphinx's US-English model
    misses a digit now and then, more often on accented speech or in noise
    (six/seven heard as three/two under hiss), and refusing a real person for
    one misheard digit would make enrollment fail often. What the check guards
    against is a recording made before the digits were shown; such a clip
    matches 5 of 5 random digits with odds 1 in 100,000, and 4 or more of 5 with
    odds (1 + 5 * 9) in 100,000 = 46 in 100,000, about 1 in 2,200. That is still
    far out of reach for a replay, and the face and voice checks apply as well.
    Strings shorter than 4 digits must match exactly.
    """
    want = [c for c in expected if c.isdigit()]
    if len(want) != len(heard.digits):
        raise ValueError(f"expected {len(heard.digits)} digits, got {expected!r}")
    mismatches = sum(h != w for h, w in zip(heard.digits, want))
    allowed = MAX_MISMATCHES if len(want) >= 4 else 0
    if mismatches <= allowed:
        return None
    said = " ".join(d if d is not None else "_" for d in heard.digits)
    return f"we heard {said}, expected {' '.join(want)}; read the digits again, clearly"
