"""scripts/gpu-check.sh, exercised here without a GPU: it refuses clearly, and its whole flow runs with the
tiny random pipeline (--tiny). The real check has not been run on a GPU from this repository yet."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _check(*args: str, timeout: int) -> tuple[int, dict]:
    run = subprocess.run(["bash", "scripts/gpu-check.sh", *args], cwd=ROOT, capture_output=True, text=True,
                         timeout=timeout)
    return run.returncode, json.loads(run.stdout)


def test_without_a_gpu_it_says_so_and_fails():
    code, report = _check(timeout=300)
    assert code == 1 and "no CUDA GPU" in report["error"] and report["machine"]["gpu"] == "cpu"


def test_the_whole_flow_runs_and_reports_every_figure_with_the_tiny_pipeline():
    code, report = _check("--tiny", "--only", "1", timeout=1200)
    assert code == 0, report
    run = report["runs"][0]
    assert run["case"] == "one cameo, 2 s" and run["passed_safety_chain"] is True
    assert run["steps"] == 2 and run["seconds_per_step"] > 0 and run["total_s"] > 0
    assert set(run["identity_similarity"]) == {"alice"} and set(run["best_similarity_to_absent_cameo"]) == {"bob"}
    assert report["references"]["alice"]["kept"] >= 1 and report["face_backend"].startswith("dlib")
