"""Voice anti-spoofing cues (identity/voice_liveness.py): fit and leave-one-out APCER / BPCER per attack.

Usage:
    .venv/bin/python bench/bench_voice_spoof.py [--speech DIR] [--json]

Bona fide: every LibriSpeech utterance under DIR (default ../shared/fixtures/speech,
else tests/fixtures/speech/librispeech). Attacks, all made here offline:
espeak-ng (5 voices x 6 sentences), the studio's own pitch-matched espeak voice
(pipeline.sound.EspeakSynth, 4 pitches x 6 sentences), a simulated loudspeaker
replay of each real utterance (band-pass 180-6500 Hz, soft clipping, a random
0.2-0.6 s room, noise), and a crude voice conversion (real speech pitch-shifted
3 semitones up and down). Two logistic detectors: synthetic (live vs espeak and
studio TTS, on pitch jitter and energy shimmer) and replay (live vs replay, on
shimmer and spectral flatness); the score is the larger. The pitch shift is never
fitted: it shows what the cues miss. Each figure is leave-one-out (each utterance
scored by a model fitted without it).
ISO/IEC 30107-3 terms: APCER = attacks accepted as live, BPCER = live speech flagged.
"""
from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
from scipy.signal import butter, sosfilt  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from identity.audio import read_audio  # noqa: E402
from identity.librosa_safe import load_librosa  # noqa: E402
from identity.voice_liveness import RATE, SPOOF_SCORE_FLAG, _features  # noqa: E402
from pipeline import espeak  # noqa: E402
from pipeline.sound import EspeakSynth  # noqa: E402

TEXTS = ["I agree to let the studio create my cameo from this recording", "four seven two nine one",
         "The quick brown fox jumps over the lazy dog", "we went down to the river and sat in the shade all afternoon",
         "please read these numbers aloud three eight five", "my name is on this consent and I mean it"]


def _to_rate(audio: np.ndarray, sr: int) -> np.ndarray:
    return audio if sr == RATE else load_librosa().resample(audio, orig_sr=sr, target_sr=RATE)


def replay(audio: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A loudspeaker in a room, recorded again: band limits, soft clipping, reverberation, noise."""
    x = np.tanh(3 * sosfilt(butter(4, [180, 6500], btype="band", fs=RATE, output="sos"), audio)) / 3
    n = int(rng.uniform(0.2, 0.6) * RATE)
    rir = rng.normal(size=n) * np.exp(-6.9 * np.arange(n) / n)
    rir[0] = 8.0
    rir /= np.abs(rir).sum() / 4
    return (np.convolve(x, rir)[: len(audio)] + rng.normal(0, 0.002, len(audio))).astype(np.float32)


def dataset(speech_dir: Path, rng: np.random.Generator) -> dict[str, list[np.ndarray]]:
    real = [read_audio(p) for p in sorted(speech_dir.rglob("*.flac"))]
    synth = []
    for text in TEXTS:
        for voice in ("en-us", "en-us+m3", "en-us+f3", "en+m7", "en+f4"):
            a, sr = espeak.synthesize(text, espeak.EspeakVoice(voice, pitch=int(rng.integers(20, 80))))
            synth.append(_to_rate(a, sr))
    studio = [_to_rate(*EspeakSynth().synth(t, hz)) for t in TEXTS for hz in (110, 140, 200, 230)]
    librosa = load_librosa()
    shifted = [librosa.effects.pitch_shift(a, sr=RATE, n_steps=s) for a in real for s in (-3, 3)]
    return {"live": real, "espeak": synth, "studio_tts": studio, "replay": [replay(a, rng) for a in real],
            "pitch_shift_vc": shifted}


def design(feats, cues: tuple[int, ...]) -> np.ndarray:
    x = np.asarray(feats, np.float64)
    cols = {0: np.log(x[:, 0] + 1e-4), 1: x[:, 1], 2: np.log(x[:, 2] + 1e-6), 3: np.log(x[:, 3] + 1e-4)}
    return np.column_stack([cols[c] for c in cues])


def _fit(x: np.ndarray, y: np.ndarray):
    """Standardised cues, then a logistic model (the cues' scales differ by 100x)."""
    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)).fit(x, y)


def main() -> None:
    ap = argparse.ArgumentParser()
    default = ROOT.parent / "shared" / "fixtures" / "speech"
    ap.add_argument("--speech", type=Path, default=default if default.is_dir() else ROOT / "tests/fixtures/speech/librispeech")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    data = dataset(args.speech, np.random.default_rng(0))
    feats = {k: [f for f in (_features(a) for a in v) if f is not None] for k, v in data.items()}
    live = feats["live"]
    report: dict = {"models": {}, "flag_at": SPOOF_SCORE_FLAG, "attacks": {}}
    loo_live = np.zeros(len(live))  # each live utterance's score: the larger of the two detectors, left out
    for name, (attacks, cues) in DETECTORS.items():
        x = np.vstack([design(live, cues)] + [design(feats[k], cues) for k in attacks])
        y = np.r_[np.zeros(len(live)), np.ones(len(x) - len(live))]
        model = _fit(x, y)
        scaler, logistic = model[0], model[1]
        report["models"][name] = {"cues": [CUE_NAMES[c] for c in cues],
                                  "weights": [round(float(w), 4) for w in logistic.coef_[0] / scaler.scale_],
                                  "bias": round(float(logistic.intercept_[0] - np.sum(logistic.coef_[0] * scaler.mean_
                                                                                      / scaler.scale_)), 4)}
        loo = np.array([_fit(x[np.arange(len(y)) != i], y[np.arange(len(y)) != i]).predict_proba(x[i:i + 1])[0, 1]
                        for i in range(len(y))])
        loo_live = np.maximum(loo_live, loo[: len(live)])
        start = len(live)
        for k in attacks:
            part = loo[start:start + len(feats[k])]
            report["attacks"][k] = {"n": len(part), "apcer": round(float(np.mean(part < SPOOF_SCORE_FLAG)), 3),
                                    "detector": name}
            start += len(part)
        held = model.predict_proba(design(feats["pitch_shift_vc"], cues))[:, 1]
        report.setdefault("_held", []).append(held)
    held = np.max(report.pop("_held"), axis=0)
    report["attacks"]["pitch_shift_vc (never fitted)"] = {"n": len(held),
                                                          "apcer": round(float(np.mean(held < SPOOF_SCORE_FLAG)), 3)}
    report["bona_fide"] = {"n": len(live), "bpcer": round(float(np.mean(loo_live >= SPOOF_SCORE_FLAG)), 3)}
    print(json.dumps(report, indent=2) if args.json else report)


CUE_NAMES = {0: "log pitch jitter", 1: "energy shimmer", 2: "log spectral flatness", 3: "log high-band share"}
DETECTORS = {"synthetic": (["espeak", "studio_tts"], (0, 1)), "replay": (["replay"], (1, 2))}


if __name__ == "__main__":
    main()
