"""The learned head: a small classifier, trained on labelled prompts, over the sentence encoder's vectors.

The rules catch what words can name and the nearest-example classifier (`safety.semantic`) what
resembles its few hundred examples; neither generalises well to wordings nobody here imagined (on
1854 prompts written by three other people for this purpose, the policy before this head refused
57% of the harmful ones and 8.4% of the harmless ones). This head is a softmax regression (one
weight vector per class: harmless, each harmful category, teen-only) trained on those prompts, the
repository's labelled sets and the nearest-example classifier's own examples (`safety.head_training`, `python -m safety
train-policy`), read at run time with numpy alone from `safety/data/policy_head.npz` (26 kB; its
thresholds, training sources and cross-validated figures are stored in it too).

It sits on top of the rules, which it never overrules: a prompt is refused when the probability of
the harmful classes reaches the threshold, for the most probable harmful category; below the veto,
the head overrules the nearest-example classifier, which on prompts by writers it had not seen
refused more harmless prompts than the head did for the same harmful ones. The threshold and the
veto were chosen by cross-validation that leaves a whole writer's set out (train on the others,
decide the left-out set with the whole policy), for the most harmful prompts refused with at most 5%
of harmless ones; strict (teen) mode has no veto, a lower threshold, and counts the teen-only class
as harmful.

Features (`features`): the whole prompt's vector, which the policy computes anyway: the head costs
one (512 x classes) product per prompt. (The element-wise maximum over the prompt's sentences was
tried as well: it did not raise the cross-validated AUC, 0.962 with it and 0.965 without.)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from safety.errors import SafetyError

WEIGHTS = Path(__file__).with_name("data") / "policy_head.npz"
HARMLESS = "harmless"


# A rule that a harmless frame makes contextual (`safety.context`) refuses only where the head's
# probability of harm reaches this: the head agrees more than it disagrees.
AGREE = 0.5
FEATURES = "whole-prompt-v1"  # names what `features` computes: training caches are keyed by it


def features(segment_vectors: np.ndarray) -> np.ndarray:
    """One row of features from the policy's vectors (the whole prompt first, then its sentences)."""
    return np.asarray(segment_vectors, dtype=np.float32)[0]


@dataclass(frozen=True)
class Head:
    """Weights (features x classes), bias, class names (harmless first), the refusal thresholds, and
    the probability of harm under which the head overrules the nearest-example classifier (never in
    strict mode)."""

    weights: np.ndarray
    bias: np.ndarray
    classes: tuple[str, ...]
    threshold: float
    strict_threshold: float
    veto: float = 0.0
    signal_threshold: float = 1.0  # with a sign of the same category in the prompt (`composition.signals`)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities for one feature row or a matrix of them."""
        logits = np.atleast_2d(x) @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def harm(self, p: np.ndarray, strict: bool) -> np.ndarray:
        """Probability of the classes refused in this mode (teen-only counts in strict mode only)."""
        counted = [i for i, c in enumerate(self.classes) if c != HARMLESS and (strict or c != "teen")]
        return np.atleast_2d(p)[:, counted].sum(axis=1)

    def decide(self, segment_vectors: np.ndarray, strict: bool) -> "Verdict":
        p = self.probabilities(features(segment_vectors))[0]
        harm = float(self.harm(p, strict)[0])
        ranked = [(p[i], c) for i, c in enumerate(self.classes) if c != HARMLESS and (strict or c != "teen")]
        category = max(ranked)[1]
        refused = harm >= (self.strict_threshold if strict else self.threshold)
        return Verdict(refused, category if refused else None, harm, not strict and harm < self.veto,
                       category, not strict and harm >= self.signal_threshold)


@dataclass(frozen=True)
class Verdict:
    """refused, the most probable harmful category when refused, the probability of harm, and whether
    the head is sure enough the prompt is harmless to overrule the nearest-example classifier."""

    refused: bool
    category: str | None
    harm: float
    vetoes: bool
    likely: str = ""  # the most probable harmful category, refused or not
    joins_signals: bool = False  # sure enough to refuse where the prompt shows a sign of harm


def save(path: Path, head: Head, **metadata) -> None:
    """Plain arrays only (loaded with allow_pickle=False); metadata as strings or numbers."""
    np.savez_compressed(path, weights=head.weights.astype(np.float32), bias=head.bias.astype(np.float32),
                        classes=np.array(head.classes), threshold=np.float32(head.threshold),
                        strict_threshold=np.float32(head.strict_threshold), veto=np.float32(head.veto),
                        signal_threshold=np.float32(head.signal_threshold),
                        **{k: np.asarray(v) for k, v in metadata.items()})


def read(path: Path) -> Head:
    try:
        with np.load(path, allow_pickle=False) as data:
            return Head(data["weights"], data["bias"], tuple(str(c) for c in data["classes"]),
                        float(data["threshold"]), float(data["strict_threshold"]), float(data["veto"]),
                        float(data["signal_threshold"]) if "signal_threshold" in data else 1.0)
    except (OSError, KeyError, ValueError) as exc:
        raise SafetyError("model_unavailable", f"the prompt policy's learned head ({path.name}) could not be "
                          f"read: {exc}; run `python -m safety train-policy`") from exc


@lru_cache(maxsize=1)
def head() -> Head:
    """The committed head, read once per process."""
    return read(WEIGHTS)
