"""Verification accuracy from genuine and impostor scores (higher = more alike).

Shared by `python -m identity eval-faces`, `eval-voices` and bench/, so the
figures written next to each threshold come from one definition.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class VerificationReport:
    n_genuine: int
    n_impostor: int
    eer: float
    tar_at_far_1e_2: float
    tar_at_far_1e_3: float
    threshold: float  # the threshold the studio uses
    far_at_threshold: float
    frr_at_threshold: float
    genuine_min: float
    impostor_max: float


def tar_at_far(genuine: np.ndarray, impostor: np.ndarray, far: float) -> float:
    """True-accept rate at the strictest threshold whose false-accept rate is <= far.

    With fewer than 1/far impostor pairs the only threshold that guarantees it is
    one above every impostor score, which is what this returns.
    """
    if len(genuine) == 0:
        return float("nan")
    if len(impostor) == 0:
        return 1.0
    imp = np.sort(impostor)[::-1]
    allowed = int(np.floor(far * len(imp)))  # impostors that may pass
    thr = imp[allowed] if allowed < len(imp) else -np.inf
    return float(np.mean(genuine > thr))


def equal_error_rate(genuine: np.ndarray, impostor: np.ndarray) -> float:
    if len(genuine) == 0 or len(impostor) == 0:
        return float("nan")
    thresholds = np.unique(np.concatenate([genuine, impostor, [np.inf, -np.inf]]))
    best = (2.0, 1.0)
    for t in thresholds:
        far = float(np.mean(impostor >= t))
        frr = float(np.mean(genuine < t))
        if abs(far - frr) < best[0]:
            best = (abs(far - frr), (far + frr) / 2.0)
    return best[1]


def verification_report(genuine: list[float], impostor: list[float], threshold: float) -> VerificationReport:
    g = np.asarray(genuine, dtype=np.float64)
    i = np.asarray(impostor, dtype=np.float64)
    return VerificationReport(
        n_genuine=len(g),
        n_impostor=len(i),
        eer=equal_error_rate(g, i),
        tar_at_far_1e_2=tar_at_far(g, i, 1e-2),
        tar_at_far_1e_3=tar_at_far(g, i, 1e-3),
        threshold=threshold,
        far_at_threshold=float(np.mean(i >= threshold)) if len(i) else float("nan"),
        frr_at_threshold=float(np.mean(g < threshold)) if len(g) else float("nan"),
        genuine_min=float(g.min()) if len(g) else float("nan"),
        impostor_max=float(i.max()) if len(i) else float("nan"),
    )


def pair_scores(labels: list[str], vectors: list, score) -> tuple[list[float], list[float]]:
    """All unordered pairs, split into same-label (genuine) and different-label (impostor)."""
    genuine, impostor = [], []
    for a in range(len(labels)):
        for b in range(a + 1, len(labels)):
            s = score(vectors[a], vectors[b])
            (genuine if labels[a] == labels[b] else impostor).append(s)
    return genuine, impostor
