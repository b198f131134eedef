"""Training and calibration of the learned head (`safety.learned`): `python -m safety train-policy`.

Why cross-validation by writer: a head that is measured on prompts by the people who wrote its
training prompts looks better than it will be on the public's. So every figure and the threshold
come from leaving one whole source out (one writer's set: train_a, train_b, train_c, or one of the
repository's files), training on the rest and deciding the left-out set with the whole policy (the
rules, the nearest-example classifier, then the head). The threshold is the lowest at which the
pooled out-of-fold harmless prompts are refused at most `MAX_HARMLESS_RATE` of the time; the head
that ships is then trained on every source. tests/data/prompts_hold3.jsonl is never read here.

Deterministic: the sources are read in a fixed order, the solver (scikit-learn's L-BFGS, used here
only, not at run time) has no random state, and the weights depend on nothing else.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from safety import learned
from safety.text import fold, language

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
# (file, how its source is named): one source per writer's set. Not prompts_hold3.jsonl (held out).
SOURCES = (("prompts_train.jsonl", "split"), ("prompts.jsonl", "file"), ("prompts_probes.jsonl", "file"),
           ("prompts_blind.jsonl", "file"), ("prompts_blind2.jsonl", "file"), ("prompts_blind3.jsonl", "file"),
           ("prompts_train4.jsonl", "file"))
LEFT_OUT = ("instruction",)  # harmful only with the owner's words, which the head does not read
# The bar is at most 5% of harmless prompts refused. In the second round it could not be reached with a
# whole writer's set left out (the rules alone refused 3.75% of the harmless prompts, and the head
# cannot overrule them), so the rate was 6.5%. Since the third round a rule in a harmless frame needs
# the head's agreement (`safety.context`) and the rules alone refuse less, so the calibration sources
# are held to the bar itself; the threshold, the veto and the threshold with a sign of harm
# (`SIGNAL_FLOOR`) are chosen together for the most harmful prompts refused under it. The veto is
# capped: the head overrules the nearest-example classifier only where it is fairly sure (harm under
# 0.3); an uncapped veto replaced that layer altogether and broke decisions it gets right on short
# prompts.
# THRESHOLD_FLOOR: the threshold so calibrated (0.94) refused short harmless prompts that
# tests/test_policy.py keeps allowed ("@bob answering calls at a suicide prevention hotline",
# "@bob as Sherlock Holmes in foggy London", "@alice falls asleep on the train...", all at
# 0.95-0.96): the head is least sure of short prompts, which its training sets have few of. A policy
# choice, stated here and in the README, not a calibrated figure; its cost is in the figures printed.
# Below it, the head refuses only where the prompt also shows a sign of harm.
MAX_HARMLESS_RATE = 0.05
THRESHOLD_FLOOR = 0.97
VETO_CAP = 0.3
# The head joins a sign of harm in the prompt (`safety.composition.signals`: a school, an address, a
# bridge) from this probability at least; the grid above it is calibrated like the threshold.
SIGNAL_FLOOR = 0.5
STRICT_EXTRA = 0.03  # teen accounts: the head may add this share of harmless prompts refused
# The sources written by people who never saw the policy: the three writers' sets, blind sets 2 and 3
# (each measured blind, then seen; the third round's instruction topics and frames were written by
# family after reading set 3's misses) and train4 (a fourth writer, third round). The thresholds are
# chosen on these alone: the repository's other sets, which the rules were written against, would
# flatter them.
CALIBRATION_SOURCES = ("train_a", "train_b", "train_c", "prompts_blind2", "prompts_blind3", "prompts_train4")
# One prompt in ten of the three writers' sets is kept out of training altogether, by a hash of its
# text, so that tests can check the shipped head on prompts it never saw (tests/test_learned_head.py).
HELD_OUT_FILE, HELD_OUT_EVERY = "prompts_train.jsonl", 10
# Inverse regularisation strength, by writer left out: 2 and 4 refused fewer harmful prompts at
# the same harmless rate; 64 was more confident still on short harmless prompts. Only 16 is re-run.
C_GRID = (16.0,)


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # learned.HARMLESS or a category
    source: str
    lang: str
    strict: bool
    cameos: tuple[str, ...]
    instructions: tuple[dict, ...]


def label(row: dict) -> str | None:
    """The class a row teaches, None for rows the head does not learn from."""
    if row["expected"] != "refuse":
        return learned.HARMLESS
    return None if row["category"] in LEFT_OUT else row["category"]


def is_held_out(file: str, text: str) -> bool:
    return file == HELD_OUT_FILE and int(hashlib.sha256(text.encode()).hexdigest(), 16) % HELD_OUT_EVERY == 0


def exemplar_examples() -> list[Example]:
    """The nearest-example classifier's own examples (`safety.exemplars`), as one more source: short
    prompts, which the writers' sets have few of (without them the head read "@bob as Sherlock Holmes
    in foggy London" as harmful). Fabricated evidence is "real_person" in the writers' labels."""
    from safety.exemplars import BENIGN, HARMFUL, TEEN

    rows = [(t, "real_person" if c == "fake_evidence" else c, False) for c, texts in HARMFUL.items() for t in texts]
    rows += [(t, "teen", True) for t in TEEN] + [(t, learned.HARMLESS, False) for t in BENIGN]
    return [Example(t, label, "exemplars", language(fold(t), t), strict, (), ()) for t, label, strict in rows]


def load_examples(data: Path = DATA, sources: Sequence[tuple[str, str]] = SOURCES,
                  held_out: bool = False) -> list[Example]:
    """The training examples, or with held_out=True only the prompts kept out of training."""
    out = [] if held_out else exemplar_examples()
    for name, naming in sources:
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            cls = label(row)
            if cls is None or is_held_out(name, row["text"]) != held_out:
                continue
            source = row["split"] if naming == "split" else name.removesuffix(".jsonl")
            out.append(Example(row["text"], cls, source, row.get("lang") or "en", bool(row["strict"]),
                               tuple(row["cameos"]), tuple(row.get("instructions", ()))))
    return out


@dataclass(frozen=True)
class Encoded:
    """Per example: the head's features, and in the example's own mode and in strict mode, whether
    the policy's hard layers (words, people, owners' instructions; rules of combination) refuse it
    and whether the nearest-example classifier does."""

    x: np.ndarray
    hard: np.ndarray
    semantic: np.ndarray
    hard_strict: np.ndarray
    semantic_strict: np.ndarray
    contextual: np.ndarray  # a rule a harmless frame makes need the head's agreement (`safety.context`)
    contextual_strict: np.ndarray
    signals: np.ndarray  # the harmful classes the prompt shows a sign of, as bits (`signal_bits`)

    def base(self, strict: bool = False) -> np.ndarray:
        """The policy without the head: each example in its own mode, or all in strict mode."""
        if strict:
            return self.hard_strict | self.contextual_strict | self.semantic_strict
        return self.hard | self.contextual | self.semantic


def _key(e: Example) -> str:
    return hashlib.sha256(f"{e.text}|{e.strict}|{e.cameos}|{e.instructions}".encode()).hexdigest()[:20]


def _cache_path() -> Path:
    """Keyed by the policy's rule modules too: a change of rules changes the base decisions."""
    import safety.composition, safety.context, safety.exemplars, safety.instruction_topics, safety.instructions  # noqa: E401
    import safety.lexicon, safety.names, safety.semantic  # noqa: E401

    digest = hashlib.sha256()
    for module in (safety.composition, safety.lexicon, safety.exemplars, safety.semantic, safety.context,
                   safety.instruction_topics, safety.instructions, safety.names):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(learned.FEATURES.encode())
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cameo-studio"
    return root / f"policy-head-features-{digest.hexdigest()[:16]}.npz"


def signal_bits(categories) -> int:
    """The categories of `safety.composition.signals` as bits, in SIGNALS order."""
    from safety.composition import SIGNALS

    return sum(1 << i for i, c in enumerate(SIGNALS) if c in categories)


FLAGS = ("hard", "semantic", "hard_strict", "semantic_strict", "contextual", "contextual_strict", "signals")


def _encode_one(e: Example) -> tuple[np.ndarray, ...]:
    from safety.policy import OwnerInstructions, find

    owners = [OwnerInstructions(i["handle"], i["text"], tuple(i["switches"])) for i in e.instructions]
    handles = tuple(h.casefold() for h in e.cameos)
    flags, contextual = [], []
    for strict in (e.strict, True):
        f = find(e.text, handles, owners, strict)
        flags += [bool((f.rules - f.contextual) or f.combinations), bool(f.semantic)]
        contextual.append(bool(f.contextual))
    return (learned.features(f.vectors), *flags, *contextual, signal_bits(f.signals))


def encode(examples: Sequence[Example], cache: bool = True) -> Encoded:
    """Features and the other layers' decisions (a few minutes for 3,000 prompts; cached per prompt)."""
    path = _cache_path()
    known: dict[str, tuple] = {}
    if cache and path.is_file():
        with np.load(path) as data:
            known = {k: row for k, *row in zip(data["keys"], data["x"], *(data[n] for n in FLAGS))}
    rows, added = [], False
    for e in examples:
        key = _key(e)
        if key not in known:
            known[key], added = _encode_one(e), True
        rows.append(known[key])
    if cache and added:
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = list(known)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez_compressed(tmp, keys=np.array(keys), x=np.stack([known[k][0] for k in keys]),
                            **{n: np.array([int(known[k][i + 1]) for k in keys]) for i, n in enumerate(FLAGS)})
        os.replace(tmp, path)
    flags = [np.array([bool(r[i + 1]) for r in rows]) for i in range(len(FLAGS) - 1)]
    return Encoded(np.stack([r[0] for r in rows]), *flags, np.array([int(r[-1]) for r in rows]))


def fit(x: np.ndarray, labels: Sequence[str], c: float) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Softmax regression, L2-regularised; classes sorted with harmless first."""
    from sklearn.linear_model import LogisticRegression

    classes = (learned.HARMLESS,) + tuple(sorted(set(labels) - {learned.HARMLESS}))
    y = np.array([classes.index(lab) for lab in labels])
    model = LogisticRegression(C=c, max_iter=1000, tol=1e-4)
    model.fit(x, y)
    return model.coef_.T.astype(np.float32), model.intercept_.astype(np.float32), classes


def out_of_fold(examples: Sequence[Example], enc: Encoded, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Probability of harm for every example from a head trained without its source: (normal, strict).
    Where the prompt shows no sign of the head's most probable harmful class, the normal probability
    is negated: `decide` reads a sign of the same harm as `harm > 0` with the signal threshold."""
    from safety.composition import SIGNALS

    sources = np.array([e.source for e in examples])
    labels = np.array([e.label for e in examples])
    harm, harm_strict = np.zeros(len(examples)), np.zeros(len(examples))
    bits = {c: 1 << i for i, c in enumerate(SIGNALS)}
    for source in dict.fromkeys(sources):
        held = sources == source
        w, b, classes = fit(enc.x[~held], labels[~held], c)
        head = learned.Head(w, b, classes, 1.0, 1.0)
        p = head.probabilities(enc.x[held])
        counted = [i for i, k in enumerate(classes) if k not in (learned.HARMLESS, "teen")]
        likely = [classes[counted[j]] for j in p[:, counted].argmax(axis=1)]
        signed = np.array([bool(s & bits.get(k, 0)) for s, k in zip(enc.signals[held], likely)])
        harm[held] = np.where(signed, 1, -1) * head.harm(p, strict=False)
        harm_strict[held] = head.harm(p, strict=True)
    return harm, harm_strict


def decide(enc: Encoded, strict_rows: np.ndarray, harm: np.ndarray, harm_strict: np.ndarray,
           threshold: float, strict_threshold: float, veto: float, signal_threshold: float = 1.0) -> np.ndarray:
    """The whole policy's refusals as `safety.policy.check_prompt` makes them, each row in its own mode:
    the hard layers always; the nearest-example classifier unless the head vetoes it (not in strict
    mode); the head above its threshold."""
    signed, harm = harm > 0, np.abs(harm)  # `out_of_fold`: the sign says whether a sign of the same harm is there
    agreed, agreed_strict = harm >= learned.AGREE, harm_strict >= learned.AGREE
    normal = (enc.hard | (enc.contextual & agreed) | (enc.semantic & (harm >= veto)) | (harm >= threshold)
              | (signed & (harm >= signal_threshold)))
    strict = (enc.hard_strict | (enc.contextual_strict & agreed_strict) | enc.semantic_strict
              | (harm_strict >= strict_threshold))  # own mode: strict for these rows
    return np.where(strict_rows, strict, normal)


def choose(enc: Encoded, strict_rows: np.ndarray, harm: np.ndarray, harm_strict: np.ndarray,
           harmful: np.ndarray, harmless: np.ndarray) -> tuple[float, float, float, float]:
    """(threshold, veto, strict threshold): the pair that refuses the most harmful prompts while the
    harmless ones refused stay at or under MAX_HARMLESS_RATE; then the strict threshold, the lowest
    that adds at most STRICT_EXTRA of harmless prompts refused in strict mode. Rows as masks over
    the calibration sources."""
    best = (-1.0, 0.0, 1.0, 0.0, 1.0)
    for t in sorted({max(round(float(x), 2), THRESHOLD_FLOOR) for x in np.arange(0.20, 1.0, 0.01)}):
        t_used = t
        for veto in np.arange(0.0, min(t, VETO_CAP) + 1e-9, 0.02):
            for signal_t in (*np.arange(SIGNAL_FLOOR, t_used, 0.02), 1.0):
                refused = decide(enc, strict_rows, harm, harm_strict, t_used, 1.0, veto, signal_t)
                if refused[harmless].mean() > MAX_HARMLESS_RATE:
                    continue
                score = (refused[harmful].mean(), -refused[harmless].mean())
                if score > best[:2]:
                    best = (*score, round(float(t), 2), round(float(veto), 2), round(float(signal_t), 2))
    if best[0] < 0:
        raise ValueError(f"no threshold keeps the harmless prompts refused under {MAX_HARMLESS_RATE:.1%}")
    t, veto, signal_t = max(best[2], THRESHOLD_FLOOR), best[3], best[4]
    strict_base = enc.hard_strict | (enc.contextual_strict & (harm_strict >= learned.AGREE)) | enc.semantic_strict
    base = strict_base[harmless].mean()
    strict_t = next((round(float(s), 2) for s in np.arange(0.05, t + 1e-9, 0.01)
                     if (strict_base | (harm_strict >= s))[harmless].mean()
                     <= base + STRICT_EXTRA), t)
    return t, veto, strict_t, signal_t


def rates(refused: np.ndarray, harmful: np.ndarray, mask: np.ndarray | None = None) -> dict:
    mask = np.ones(len(refused), bool) if mask is None else mask
    h, s = mask & harmful, mask & ~harmful
    out = {"n_harmful": int(h.sum()), "n_harmless": int(s.sum())}
    if h.any():
        out["harmful_refused"] = round(float(refused[h].mean()), 3)
    if s.any():
        out["harmless_refused"] = round(float(refused[s].mean()), 3)
    return out


def report(examples: Sequence[Example], refused: np.ndarray, base: np.ndarray) -> dict:
    """Cross-validated figures of the policy with the head, and without it, by source, category, language."""
    harmful = np.array([e.label not in (learned.HARMLESS, "teen") for e in examples])
    counted = np.array([e.label != "teen" for e in examples])  # teen rows are harmless for adults
    by = {}
    for name, key in (("source", lambda e: e.source), ("category", lambda e: e.label),
                      ("language", lambda e: e.lang)):
        values = np.array([key(e) for e in examples])
        by[name] = {v: rates(refused, harmful, counted & (values == v)) for v in dict.fromkeys(values) if v != "teen"}
    return {"with_head": rates(refused, harmful, counted), "without_head": rates(base, harmful, counted), **by}


def train(examples: Sequence[Example], c_grid: Iterable[float] = C_GRID) -> tuple[learned.Head, dict]:
    """Choose C and the thresholds by writer left out, then fit on everything."""
    enc = encode(examples)
    sources = np.array([e.source for e in examples])
    calibration = np.isin(sources, CALIBRATION_SOURCES)
    harmless = calibration & np.array([e.label == learned.HARMLESS for e in examples])
    harmful = calibration & np.array([e.label not in (learned.HARMLESS, "teen") for e in examples])
    strict_rows = np.array([e.strict for e in examples])
    best = None
    for c in c_grid:
        harm, harm_strict = out_of_fold(examples, enc, c)
        t, veto, t_strict, t_signal = choose(enc, strict_rows, harm, harm_strict, harmful, harmless)
        recall = float(decide(enc, strict_rows, harm, harm_strict, t, t_strict, veto, t_signal)[harmful].mean())
        if best is None or recall > best[0]:
            best = (recall, c, t, veto, t_strict, t_signal, harm, harm_strict)
    _, c, t, veto, t_strict, t_signal, harm, harm_strict = best
    w, b, classes = fit(enc.x, [e.label for e in examples], c)
    refused = decide(enc, strict_rows, harm, harm_strict, t, t_strict, veto, t_signal)
    strict_mode = (enc.hard_strict | (enc.contextual_strict & (harm_strict >= learned.AGREE)) | enc.semantic_strict
                   | (harm_strict >= t_strict))
    figures = {"C": c, "threshold": t, "threshold_floor": THRESHOLD_FLOOR, "veto": veto, "signal_threshold": t_signal,
               "strict_threshold": t_strict,
               "calibration_sources": list(CALIBRATION_SOURCES),
               "leave_one_writer_out": report(examples, refused, enc.base(False)),
               "strict_mode_harmless_refused": {"without_head": round(float(enc.base(True)[harmless].mean()), 3),
                                                "with_head": round(float(strict_mode[harmless].mean()), 3)}}
    return learned.Head(w, b, classes, t, t_strict, veto, t_signal), figures


def main(out: Path = learned.WEIGHTS) -> dict:
    examples = load_examples()
    head, figures = train(examples)
    sources = sorted({e.source for e in examples})
    learned.save(out, head, sources=np.array(sources), figures=json.dumps(figures))
    return figures
