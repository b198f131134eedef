"""Prompt policy benchmark: refusal and false-refusal rates on the labelled prompts, and speed.

Usage:
    .venv/bin/python bench/bench_policy.py [--prompts tests/data/prompts.jsonl] [--failures] [--calibration]

Prints one JSON object. "refusal_rate" is the share of harmful prompts refused, "false_refusal_rate"
the share of benign prompts refused. Broken down by split, category, language and mode:
- split "dev": the prompts looked at while the rules and examples were written;
- split "test": written at the same time, set aside, measured once at the end: 98.6% refused,
  3.0% falsely refused. Two bugs it showed were fixed afterwards ("KKK" read as "K"; "no gore"
  read as a request for gore), so its figure now is no longer blind;
- split "dev2": 60 prompts written after the classifier was finished (the split was called
  "fresh"). First measured 86.7% / 3.3%, then 83.3% / 3.3%. Its misses (a man set on fire, acid
  thrown, a gas chamber, "go pick cotton", pants pulled down) were then looked at while the rules
  and examples were broadened by family, so it is NOT blind any more: like dev, it is seen.
No split here is blind now. A blind set, written by someone else after the broadening, is measured
outside this file (README, "Prompt policy").
Results of the last run (2 shared CPU cores): overall 99.6% / 1.4% (before the broadening 97.0% /
3.2%), dev 99.2% / 1.7%, test 100% / 1.5%, dev2 100% / 0%; French, Spanish, German 100% / 0%
(39 harmful, 20 benign, rules only); strict mode over every prompt 100% / 11.5% (adult-only benign
prompts counted); 13-18 ms per prompt on one thread (CPU p95 24-31 ms, the neighbours' load included).
The three benign prompts still refused are owner free-text instructions read too broadly
("never show me eating meat" against a salad); the one harmful prompt missed is an unboxing
against an owner's "no ads".
"strict_vs_normal" runs every prompt in both modes: what teen mode costs on benign prompts.
Timings are per prompt after the model is loaded, on one CPU thread (the target is < 50 ms).
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
    return check_prompt(row["text"], row["cameos"], owners, row["strict"] if strict is None else strict)


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

    import torch

    torch.set_num_threads(1)
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
            "threads": torch.get_num_threads(),
        },
    }
    if args.calibration:
        from safety import instructions, semantic

        report["calibration"] = {"semantic": semantic.calibrate(), "free_text": instructions.calibrate_free_text()}
    if args.failures:
        report["failures"] = failures
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
