"""`python -m pipeline fetch-models`: the weights ahead of the first request, and a clear failure offline."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL = "Wan-AI/Wan2.1-VACE-1.3B-diffusers"


def _run(hf_home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HOME": str(hf_home), "HF_HUB_OFFLINE": "1"}
    env.pop("HF_HUB_CACHE", None)
    return subprocess.run([sys.executable, "-m", "pipeline", "fetch-models", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def _cached_snapshot(hf_home: Path, repo: str, files: dict[str, str]) -> Path:
    """A Hub cache entry laid out as huggingface_hub writes it (refs/main -> snapshots/<commit>/...)."""
    folder = hf_home / "hub" / ("models--" + repo.replace("/", "--"))
    commit = "0" * 40
    (folder / "refs").mkdir(parents=True)
    (folder / "refs" / "main").write_text(commit)
    snapshot = folder / "snapshots" / commit
    for name, text in files.items():
        (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
        (snapshot / name).write_text(text)
    return snapshot


def test_offline_without_the_model_fails_at_once_saying_what_to_do(tmp_path):
    run = _run(tmp_path / "hf", "--no-voice", "--json")
    report = json.loads(run.stdout)
    assert run.returncode == 1 and not report["ok"] and report["code"] == "model_missing"
    assert MODEL in report["error"] and "offline" in report["error"] and "fetch-models" in report["error"]


def test_offline_with_the_model_in_the_cache_reports_where_it_is(tmp_path):
    snapshot = _cached_snapshot(tmp_path / "hf", MODEL, {"model_index.json": "{}", "vae/config.json": "{}"})
    run = _run(tmp_path / "hf", "--no-voice", "--json")
    report = json.loads(run.stdout)
    assert run.returncode == 0, run.stderr
    assert report["ok"] and report["profile"] == "vace-1.3b"
    assert [m["repo"] for m in report["models"]] == [MODEL] and Path(report["models"][0]["path"]) == snapshot
    assert "checking the cache for" in run.stderr  # progress and decisions go to the log


def test_an_unknown_model_is_refused_with_the_choices(tmp_path):
    run = _run(tmp_path / "hf", "--model", "wan-9000", "--no-voice")
    assert run.returncode == 1 and "vace-1.3b" in run.stderr
