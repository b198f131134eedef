"""No crash when several processes first use a fresh environment together (issue 11).

What used to happen: with a fresh numba cache, three `python -m identity inspect` runs started together
left the cache in a state in which every later enrollment analysis died with a segmentation fault in
librosa.yin's cached gufunc (reproduced here with the old code in 2 of 4 rounds of three concurrent
first uses and one more). `identity.librosa_safe` loads librosa, and compiles what the studio calls,
under one lock per machine.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Every librosa function with a cached numba kernel that the studio reaches, run in a later process.
LIBROSA_CALLS = """
import json, numpy as np
from identity.librosa_safe import load_librosa
from identity.voices import analyse_voice, median_pitch_hz
librosa = load_librosa()
rng = np.random.default_rng(0)
t = np.arange(32000) / 16000
y = (np.sin(2 * np.pi * 140 * t) * (1 + 0.3 * np.sin(2 * np.pi * 3 * t)) + 0.01 * rng.standard_normal(t.size)).astype(np.float32)
f0 = float(np.median(librosa.yin(y, fmin=60, fmax=400, sr=16000, frame_length=1024)))
librosa.effects.pitch_shift(y, sr=16000, n_steps=2.0)
librosa.effects.time_stretch(y.astype(np.float64), rate=0.8)
print(json.dumps({"f0": f0}))
"""


# Records who first imports librosa and whether the lock was held then: librosa compiles most of its
# cached kernels when it loads, so an import outside the lock reopens the race (Resemblyzer did that).
FIRST_IMPORT_WATCH = """
import json, runpy, sys, traceback
seen = []
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "librosa" and not seen:
            import identity.librosa_safe as safe
            seen.append({"under_lock": safe._holding_lock, "stack": traceback.format_stack(limit=8)})
        return None
sys.meta_path.insert(0, Watch())
import app, pipeline.sound, pipeline.voice_clone, workers  # everything a studio process loads
sys.argv = ["identity", "inspect", sys.argv[1], "--json"]
try:
    runpy.run_module("identity", run_name="__main__")
except SystemExit:
    pass
print("WATCH" + json.dumps(seen))
"""


def _start(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, f"exit {proc.returncode} (-11 is a segmentation fault): {err[-2000:]}"
    return json.loads(out)


def test_enrollment_analysis_survives_concurrent_first_use_of_a_fresh_cache(tmp_path, make_clip):
    clip = make_clip(("LEFT", "DOWN", "RIGHT"), "40721")  # real footage cut to a challenge, with speech
    cache = tmp_path / "numba-cache"
    cache.mkdir()
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "CAMEO_DATA_DIR": str(tmp_path / "data")}
    inspect = ["-m", "identity", "inspect", str(clip), "--json"]

    together = [_start(inspect, env) for _ in range(3)]  # the studio and CLIs warming up at once
    reports = [_finish(p) for p in together]
    reports.append(_finish(_start(inspect, env)))  # the process that used to segfault on what they left
    later = _finish(_start(["-c", LIBROSA_CALLS], env))

    assert all(r["voice_consistent"] is True for r in reports)
    pitches = {r["median_pitch_hz"] for r in reports}
    assert len(pitches) == 1 and 80 < pitches.pop() < 400
    assert abs(later["f0"] - 140.0) < 3.0
    assert any(cache.rglob("*.nbi"))  # the cache was really written, in the fresh folder


def test_librosa_is_first_imported_under_the_lock_on_every_studio_path(tmp_path, make_clip):
    clip = make_clip(("LEFT", "DOWN", "RIGHT"), "40721")
    env = {**os.environ, "CAMEO_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run([sys.executable, "-c", FIRST_IMPORT_WATCH, str(clip)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = json.loads(proc.stdout.rsplit("WATCH", 1)[1])
    assert seen, "the enrollment analysis never loaded librosa: the watch saw nothing"
    assert seen[0]["under_lock"], "librosa was imported outside the lock by:\n" + "".join(seen[0]["stack"])
