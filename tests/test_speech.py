"""Spoken-digit check, on espeak-ng speech (tests/fixtures/speech/digits) and one LibriSpeech clip."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from identity.speech import DIGIT_WORDS, DigitsHeard, match_digits, recognize_digits, speech_seconds
from tests.audio_synth import (
    RATE,
    consent_sentence,
    consent_then_digits,
    silence,
    spoken_digits,
    with_white_noise,
)

SENTENCE = "I, alice, agree to let Cameo Studio create my cameo from this recording."
DIGIT_STRINGS = ["47291", "03658", "81504", "29376", "65190", "70842"]
LIBRISPEECH = Path(__file__).resolve().parent / "fixtures" / "speech" / "librispeech" / "1688" / "1688-142285-0003.flac"


def heard_string(heard: DigitsHeard) -> str:
    return "".join(d if d is not None else "_" for d in heard.digits)


@pytest.mark.parametrize("digits", DIGIT_STRINGS)
def test_digits_read_alone_are_recognised(digits: str) -> None:
    assert heard_string(recognize_digits(spoken_digits(digits))) == digits


@pytest.mark.parametrize("digits", DIGIT_STRINGS)
def test_digits_after_the_consent_sentence_are_recognised(digits: str) -> None:
    heard = recognize_digits(consent_then_digits(digits), sentence=SENTENCE)
    assert heard_string(heard) == digits


def test_digits_alone_are_recognised_when_the_sentence_is_passed_but_not_said() -> None:
    assert heard_string(recognize_digits(spoken_digits("29376"), sentence=SENTENCE)) == "29376"


@pytest.mark.parametrize("digits", ["47291", "81504"])
def test_digits_after_the_sentence_are_accepted_in_white_noise_at_20_db(digits: str) -> None:
    noisy = with_white_noise(consent_then_digits(digits), snr_db=20)
    assert match_digits(recognize_digits(noisy, sentence=SENTENCE), digits) is None


def test_result_does_not_depend_on_the_previous_clip() -> None:
    noisy = with_white_noise(consent_then_digits("47291"), snr_db=20)
    recognize_digits(noisy, sentence=SENTENCE)
    after_noisy = recognize_digits(noisy, sentence=SENTENCE)
    recognize_digits(spoken_digits("03658"))
    after_clean = recognize_digits(noisy, sentence=SENTENCE)
    assert after_clean == after_noisy


def test_correct_reading_is_accepted() -> None:
    heard = recognize_digits(consent_then_digits("65190"), sentence=SENTENCE)
    assert match_digits(heard, "65190") is None


def test_wrong_reading_gives_a_reason_with_the_expected_digits() -> None:
    heard = recognize_digits(spoken_digits("47291"))
    reason = match_digits(heard, "81504")
    assert reason is not None and "we heard" in reason and "8 1 5 0 4" in reason


def test_reason_names_heard_and_missing_digits() -> None:
    heard = DigitsHeard(digits=["4", "7", None, None, "1"], text="four seven one")
    reason = match_digits(heard, "47291")
    assert reason == "we heard 4 7 _ _ 1, expected 4 7 2 9 1; read the digits again, clearly"


def test_one_wrong_digit_is_accepted() -> None:
    heard = DigitsHeard(digits=["4", "7", "2", "3", "1"], text="")
    assert match_digits(heard, "47291") is None


def test_one_missing_digit_is_accepted() -> None:
    heard = DigitsHeard(digits=["4", "7", "2", None, "1"], text="")
    assert match_digits(heard, "47291") is None


def test_two_wrong_digits_are_refused() -> None:
    heard = DigitsHeard(digits=["4", "7", "2", "3", "3"], text="")
    assert match_digits(heard, "47291") is not None


def test_silence_hears_no_digits() -> None:
    assert recognize_digits(silence(3.0)).digits == [None] * 5


def test_empty_audio_hears_no_digits() -> None:
    assert recognize_digits(np.zeros(0, dtype=np.float32)).digits == [None] * 5


def test_speech_that_is_not_digits_does_not_match() -> None:
    audio, rate = sf.read(LIBRISPEECH, dtype="float32")
    assert rate == RATE
    assert match_digits(recognize_digits(audio), "47291") is not None


def test_speech_that_is_not_digits_does_not_match_with_the_sentence_passed() -> None:
    audio, _ = sf.read(LIBRISPEECH, dtype="float32")
    assert match_digits(recognize_digits(audio, sentence=SENTENCE), "47291") is not None


def test_speech_seconds_of_silence_is_zero() -> None:
    assert speech_seconds(silence(2.0)) == pytest.approx(0.0, abs=0.1)


def test_speech_seconds_of_the_sentence_is_over_two_seconds() -> None:
    assert speech_seconds(consent_sentence()) > 2.0


def _french_sentence_then_digits(digits: str, voice: str, pause_s: float) -> np.ndarray:
    """espeak-ng reads the French consent sentence, pauses, then reads the digits in English, in one voice
    (speech synthesized here, offline: no French speech is stored in tests/fixtures)."""
    import librosa

    from pipeline.espeak import EspeakVoice, synthesize

    def say(text: str) -> np.ndarray:
        audio, rate = synthesize(text, EspeakVoice(name=voice, rate_wpm=150))
        return librosa.resample(audio, orig_sr=rate, target_sr=RATE)

    sentence = say("Moi, alice, j'accepte que Cameo Studio crée mon caméo à partir de cet enregistrement.")
    words = [np.concatenate([say(DIGIT_WORDS[int(d)]), silence(0.35)]) for d in digits]
    return np.concatenate([silence(0.3), sentence, silence(pause_s), *words]).astype(np.float32)


FRENCH_CASES = [("36915", "en-us"), ("80427", "en-us+m3"), ("52068", "fr"), ("74301", "fr+m3"), ("19584", "en+m5")]


def test_digits_after_a_french_sentence_and_a_pause_are_read_after_the_pause() -> None:
    """The en-us model cannot place French before the digits; the speech after the longest pause is decoded.
    Measured on 16 espeak voices: 10 of 16 right after the pause, 0 of 16 with the French sentence decoded.
    Here 3 of 5: the two misses are espeak's French voices, whose English digit words the model mishears even
    alone (a strong French accent is a limit of the English model, not of the cut)."""
    right = sum(match_digits(recognize_digits(_french_sentence_then_digits(d, v, 0.8), sentence="x",
                                              sentence_heard=False), d) is None for d, v in FRENCH_CASES)
    assert right >= 3


def test_a_french_sentence_decoded_as_english_loses_the_digits() -> None:
    """Why the French path exists: the English decoding of the same clips gets (nearly) none right."""
    right = sum(match_digits(recognize_digits(_french_sentence_then_digits(d, v, 0.8),
                                              sentence="Moi, alice, j'accepte que Cameo Studio crée mon caméo"), d)
                is None for d, v in FRENCH_CASES)
    assert right <= 1

