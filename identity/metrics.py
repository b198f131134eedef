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
    tar_at_far_1e_4: float
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
        tar_at_far_1e_4=tar_at_far(g, i, 1e-4),
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


GALLERY_SIZES = (1_000, 10_000, 100_000)
TAIL_SHARE = 0.01  # the tail model is fitted to this top share of impostor scores (at least TAIL_MIN of them)
TAIL_MIN = 20


def tail_far(impostor: np.ndarray, threshold: float) -> float | None:
    """Per-pair false-accept rate at `threshold` from an exponential fit to the impostor tail.

    Beyond the highest impostor score there is nothing to count, and a fitted
    generalised Pareto tail on face scores comes out bounded (negative shape),
    which would promise zero false matches past its end: too optimistic for
    look-alikes (relatives, twins) the sample may lack. An exponential tail
    (shape 0, the lightest tail that is not bounded) fitted to the top 1% is
    the conservative extrapolation; None with too few impostor pairs to fit.
    """
    imp = np.sort(np.asarray(impostor, np.float64))[::-1]
    n_tail = max(TAIL_MIN, int(np.ceil(TAIL_SHARE * len(imp))))
    if len(imp) < 2 * n_tail:
        return None
    u = imp[n_tail]  # the tail starts here: n_tail scores above it
    mean_excess = float(np.mean(imp[:n_tail] - u))
    if mean_excess <= 0:
        return None
    share = n_tail / len(imp)
    if threshold <= u:
        return float(np.mean(imp >= threshold))
    return float(share * np.exp(-(threshold - u) / mean_excess))


def one_to_n_report(genuine: list[float], impostor: list[float], threshold: float,
                    sizes: tuple[int, ...] = GALLERY_SIZES) -> dict:
    """The 1:N operating point: per-pair rates, and the chance that a person who is not enrolled matches
    at least one of N enrolled people, 1 - (1 - p)^N, with p the larger of the counted rate and the
    tail model's (an independent-pairs approximation)."""
    g = np.asarray(genuine, np.float64)
    i = np.asarray(impostor, np.float64)
    counted = float(np.mean(i >= threshold)) if len(i) else float("nan")
    fitted = tail_far(i, threshold) if len(i) else None
    p = max(counted, fitted or 0.0)
    return {
        "one_to_n_threshold": threshold,
        "far_at_one_to_n_threshold": counted,
        "tar_at_one_to_n_threshold": float(np.mean(g >= threshold)) if len(g) else float("nan"),
        "impostor_pairs_at_or_above_one_to_n_threshold": int(np.sum(i >= threshold)),
        # With no impostor pair above the threshold, 3/n is the 95% upper bound of the counted rate.
        "far_upper_95_at_one_to_n_threshold": (3.0 / len(i) if counted == 0 else counted) if len(i) else None,
        "far_tail_fit_at_one_to_n_threshold": fitted,
        "expected_false_match_at_n": {str(n): float(1.0 - (1.0 - p) ** n) for n in sizes},
        "expected_false_match_basis": "1 - (1 - p)^N, p = max(counted per-pair FAR, exponential fit to the top "
                                      "1% of impostor scores); independent pairs assumed",
    }
