"""`python -m safety check-prompt`: the JSON it prints and its exit status (0 allowed, 1 refused, 2 usage)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from safety.__main__ import main

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "safety", "check-prompt", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    import torch

    torch.set_num_threads(1)


def test_allowed_prompt_prints_json_and_exits_0(capsys):
    code = main(["check-prompt", "--json", "--cameo", "alice", "--cameo", "@bob",
                 "@alice and @bob surfing at sunset, drone shot"])
    assert code == 0
    assert json.loads(capsys.readouterr().out) == {"allowed": True, "categories": [],
                                                   "reason": "This prompt is within the studio's policy."}


def test_file_prints_one_json_line_per_prompt_and_exits_1_when_any_is_refused(tmp_path):
    """The real entry point, in its own process."""
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("@alice baking bread\n\n@bob shaking hands with Barack Obama\n", encoding="utf-8")
    proc = _cli("--json", "--file", str(prompts), "--cameo", "alice", "--cameo", "bob")
    assert proc.returncode == 1, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["allowed"] for line in lines] == [True, False]
    assert lines[1]["categories"] == ["real_person"] and "Barack Obama" in lines[1]["reason"]
    assert {"prompt", "allowed", "categories", "reason"} == set(lines[0])


def test_strict_flag_applies_teen_rules(capsys):
    assert main(["check-prompt", "--json", "--strict", "--cameo", "sam", "@sam drinking beer at a party"]) == 1
    assert json.loads(capsys.readouterr().out)["categories"] == ["teen"]


def test_missing_prompt_is_a_usage_error(capsys):
    assert main(["check-prompt", "--json"]) == 2
    assert "TEXT or --file" in capsys.readouterr().err


def test_unreadable_file_is_a_usage_error(tmp_path, capsys):
    assert main(["check-prompt", "--file", str(tmp_path / "missing.txt")]) == 2


def test_unknown_subcommand_exits_2():
    proc = subprocess.run([sys.executable, "-m", "safety", "bogus"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and "invalid choice" in proc.stderr
