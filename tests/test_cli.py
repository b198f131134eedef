"""The command line our own evaluation runs: each command prints one JSON object with stable fields."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def _cli(*args: str, data_dir: Path) -> tuple[int, dict]:
    env = {**os.environ, "CAMEO_DATA_DIR": str(data_dir)}
    proc = subprocess.run([sys.executable, "-m", "identity", *args, "--json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    return proc.returncode, json.loads(proc.stdout)


def test_eval_faces_prints_the_report(tmp_path):
    code, report = _cli("eval-faces", str(FIXTURES / "faces"), data_dir=tmp_path)
    assert code == 0 and report["backend"] == "dlib+sface" and report["n_genuine"] == 2
    assert {"eer", "tar_at_far_1e-2", "tar_at_far_1e-3", "threshold", "failed_images", "n_impostor"} <= set(report)
    assert report["one_to_n_threshold"] > report["threshold"] and report["tar_at_one_to_n_threshold"] == 1.0
    assert set(report["expected_false_match_at_n"]) == {"1000", "10000", "100000"}
    chances = [report["expected_false_match_at_n"][n] for n in ("1000", "10000", "100000")]
    assert chances == sorted(chances) and all(0.0 <= c <= 1.0 for c in chances)


def test_eval_voices_prints_the_report(tmp_path):
    code, report = _cli("eval-voices", str(FIXTURES / "speech" / "librispeech"), data_dir=tmp_path)
    assert code == 0 and report["backend"] == "resemblyzer"
    assert report["n_impostor"] > 0 and report["eer"] == 0.0


def test_inspect_reports_what_the_verifier_sees(tmp_path):
    code, report = _cli("inspect", str(FIXTURES / "videos" / "liveportrait_woman_earrings_d3.mp4"), data_dir=tmp_path)
    assert code == 0
    assert report["max_faces"] == 1 and report["frames_with_face"] > 100
    assert "RIGHT" in report["pose_sequence"]
    assert report["passive_liveness"]["live"] is True
    for key in ("yaw_range_deg", "pitch_range_deg", "speech_seconds", "digits_heard", "voice_consistent",
                "seconds_to_process"):
        assert key in report


def test_enroll_verifies_against_a_challenge_file_and_commits_once(tmp_path):
    from tests.clip_synth import compliant_recording, write_clip

    frames, audio = compliant_recording(["LEFT", "RIGHT", "DOWN"], "47291")
    video = write_clip(tmp_path / "clip.mp4", frames, audio)
    challenge = tmp_path / "challenge.json"
    challenge.write_text(json.dumps({"handle": "alice", "digits": "4 7 2 9 1", "turns": ["left", "right", "down"]}))
    code, verdict = _cli("enroll", str(video), "--challenge", str(challenge), "--commit", data_dir=tmp_path / "d")
    assert code == 0 and verdict["ok"] and verdict["cameo_id"]
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"handle": "bob", "digits": "47291", "turns": ["RIGHT", "LEFT", "DOWN"]}))
    code, verdict = _cli("enroll", str(video), "--challenge", str(wrong), data_dir=tmp_path / "d")
    assert code == 1 and "turn your head RIGHT first, not LEFT" in verdict["reasons"]
