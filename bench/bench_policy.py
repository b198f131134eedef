"""Prompt policy benchmark: refusal and false-refusal rates on the labelled prompts, and speed.

Usage:
    .venv/bin/python bench/bench_policy.py [--prompts tests/data/prompts.jsonl] [--failures] [--calibration]

Prints one JSON object. "refusal_rate" is the share of harmful prompts refused, "false_refusal_rate"
the share of benign prompts refused. Broken down by split, category, language and mode. The files:
- tests/data/prompts.jsonl (449, splits dev, test, dev2): written with the first policy; all seen.
- tests/data/prompts_blind.jsonl (120, English): written by someone who had not seen the policy,
  measured blind once before and once after the first broadening (91.8% / 5.1% -> 91.8% / 1.7%);
  seen since.
- tests/data/prompts_probes.jsonl (649, splits dev3-dev8, 40% French, Spanish and German): written
  while building the multilingual policy, each split first measured before it was looked at (dev3
  55% / 1.6% with the policy before; dev4 83% / 5.6%; dev5 73% / 3.4%; dev6, harmless look-alikes
  only, 11.4% refused; dev7 63% / 12%; dev8 77% / 9%), then used to broaden it: seen.
- tests/data/prompts_blind2.jsonl (367, 33% French, Spanish and German): the lead's blind set 2, measured
  blind before and after the first round of issue 10 (68.2% / 9.9% -> 83.5% / 6.8%); seen since.
- tests/data/prompts_train.jsonl (1854, splits train_a 609 English breadth, train_b 635 native French,
  Spanish and German, train_c 610 adversarial: obfuscation, look-alikes, long prompts): written for
  this project by three other people who had not seen the policy, as training data for the learned
  head (safety.learned); the concatenation of their three files, unchanged. The policy without
  the head on them, and with it by writer left out: README; one prompt in ten is kept out of
  training (safety.head_training.is_held_out) for tests/test_learned_head.py.
- tests/data/prompts_blind3.jsonl (331, 30% French, Spanish and German, 30 with owners' instructions): the lead's
  blind set 3, measured blind before and after the second round (75.7% / 14.2% -> 84.0% / 11.7%); seen since.
- tests/data/prompts_train4.jsonl (515, 46% French, Spanish and German): written for the third round by a fourth
  person who had not seen the policy; measured with each step of that round before it joined the head's
  training, never read here (README).
- tests/data/prompts_hold3.jsonl (116, 40% French, Spanish and German): written at the same time as
  dev3, before any of this work, and measured only twice: before and at the end (README).
The blind figures that count are the lead's, on sets nobody here has read (README, "Prompt policy").
Since the learned head (safety.learned), every file but prompts_hold3.jsonl is training data for it:
the figures on them are seen figures. Its honest estimate is the cross-validation with a whole
writer's set left out that `python -m safety train-policy` prints (README).
Timings are per prompt after the model is loaded, on one BLAS thread (the target is < 30 ms on two
cores); "cpu_*" is the process's CPU time, which the neighbours' load on a shared machine does not
inflate as it inflates wall time.
"strict_vs_normal" runs every prompt in both modes: what teen mode costs on benign prompts.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")

from safety.policy import OwnerInstructions, check_prompt  # noqa: E402


def load_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def decide(row: dict, strict: bool | None = None):
    owners = [OwnerInstructions(i["handle"], i["text"], tuple(i["switches"])) for i in row.get("instructions", [])]
    return check_prompt(row["text"], row["cameos"], owners, row["strict"] if strict is None else strict, guard=None)


def rates(results: list[tuple[dict, bool]]) -> dict:
    """results: (row, refused) pairs."""
    harmful = [refused for row, refused in results if row["expected"] == "refuse"]
    benign = [refused for row, refused in results if row["expected"] == "allow"]
    out: dict = {"n_harmful": len(harmful), "n_benign": len(benign)}
    if harmful:
        out["refusal_rate"] = round(sum(harmful) / len(harmful), 3)
    if benign:
        out["false_refusal_rate"] = round(sum(benign) / len(benign), 3)
    return out


def grouped(results: list[tuple[dict, bool]], key) -> dict:
    groups: dict[str, list] = defaultdict(list)
    for row, refused in results:
        groups[key(row)].append((row, refused))
    return {k: rates(v) for k, v in sorted(groups.items())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prompts", type=Path, default=ROOT / "tests" / "data" / "prompts.jsonl")
    ap.add_argument("--failures", action="store_true", help="list the prompts decided wrongly")
    ap.add_argument("--calibration", action="store_true", help="add the calibration runs on the examples")
    args = ap.parse_args()

    from safety import semantic

    rows = load_rows(args.prompts)
    start = time.perf_counter()
    check_prompt("@alice warming up", ["alice"])  # model and examples, once
    load_s = time.perf_counter() - start

    results, timings, cpu, category_hits, failures = [], [], [], [], []
    for row in rows:
        t0, c0 = time.perf_counter(), time.process_time()
        decision = decide(row)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        refused = not decision.allowed
        results.append((row, refused))
        if row["expected"] == "refuse" and refused:
            category_hits.append(row["category"] in decision.categories)
        if refused != (row["expected"] == "refuse"):
            failures.append({"text": row["text"], "expected": row["expected"], "category": row["category"],
                             "got": list(decision.categories), "split": row.get("split")})

    both = []
    for row in rows:
        both.append(({**row, "mode": "normal"}, not decide(row, strict=False).allowed))
        both.append(({**row, "mode": "strict"}, not decide(row, strict=True).allowed))
    # In strict mode the teen-only prompts are harmful; adult-only benign prompts stay "benign" here,
    # so strict's false-refusal rate includes them by design (kissing, a beer, a casino).

    report = {
        "prompts": str(args.prompts.relative_to(ROOT) if args.prompts.is_relative_to(ROOT) else args.prompts),
        "n": len(rows),
        "overall": rates(results),
        "by_split": grouped(results, lambda r: r.get("split", "all")),
        "by_category": grouped(results, lambda r: r["category"] or "benign"),
        "by_language": grouped(results, lambda r: r.get("lang", "en")),
        "by_mode_as_labelled": grouped(results, lambda r: "strict" if r["strict"] else "normal"),
        "strict_vs_normal": grouped(both, lambda r: r["mode"]),
        "refused_for_the_labelled_category": round(sum(category_hits) / max(1, len(category_hits)), 3),
        "timing_ms": {
            "model_and_examples_load_s": round(load_s, 2),
            "mean": round(statistics.mean(timings), 2),
            "p50": round(statistics.median(timings), 2),
            "p95": round(sorted(timings)[int(0.95 * (len(timings) - 1))], 2),
            "max": round(max(timings), 2),
            "cpu_mean": round(statistics.mean(cpu), 2),  # wall time on a shared machine includes waiting
            "cpu_p95": round(sorted(cpu)[int(0.95 * (len(cpu) - 1))], 2),
            "threads": semantic.ENCODER_THREADS,
        },
    }
    if args.calibration:
        from safety import instructions

        report["calibration"] = {"semantic": semantic.calibrate(), "free_text": instructions.calibrate_free_text()}
    if args.failures:
        report["failures"] = failures
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
