"""Identity benchmark: face and voice verification accuracy, and enrollment processing time.

Usage:
    .venv/bin/python bench/bench_identity.py [--faces DIR] [--voices DIR] [--videos DIR] [--json]

Defaults read ../shared/fixtures when present, else tests/fixtures. Target: a
10 s 512x512 enrollment clip is verified in at most half its length (5 s) on 2
CPU cores with the dlib backend; the synthesized challenge clip measures exactly
that, fixture videos are reported beside it.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")

from identity.enrollment import analyse_clip  # noqa: E402
from identity.evaluation import evaluate_faces, evaluate_voices  # noqa: E402
from identity.faces import get_face_backend  # noqa: E402
from identity.media import load_clip  # noqa: E402


def _default(rel: str) -> Path:
    shared = ROOT.parent / "shared" / "fixtures" / rel
    return shared if shared.exists() else ROOT / "tests" / "fixtures" / rel


def time_enrollment(path: Path, backend) -> dict:
    start = time.perf_counter()
    clip = load_clip(path, max_seconds=30, require_audio=False)
    decoded = time.perf_counter()
    analyse_clip(clip, backend)
    total = time.perf_counter() - start
    return {
        "video": path.name,
        "clip_seconds": round(clip.duration_s, 2),
        "size": f"{clip.width}x{clip.height}",
        "decode_s": round(decoded - start, 2),
        "total_s": round(total, 2),
        "ratio_to_clip_length": round(total / clip.duration_s, 3),
    }


def synthesized_challenge_clip(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from tests.clip_synth import write_clip, challenge_frames
    from tests.audio_synth import spoken_digits

    audio = spoken_digits("47291")  # ~3 s of speech, then three head turns: ~8-10 s in all
    frames = challenge_frames(["LEFT", "RIGHT", "DOWN"], 10.0 - 4.3)
    return write_clip(folder / "challenge_10s.mp4", frames, audio)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--faces", type=Path, default=_default("faces"))
    ap.add_argument("--voices", type=Path, default=_default("speech"))
    ap.add_argument("--videos", type=Path, default=_default("videos"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    backend = get_face_backend("auto")
    report: dict = {"face_backend": backend.name}
    report["faces"] = evaluate_faces(args.faces, backend)
    report["voices"] = evaluate_voices(args.voices)
    timings = []
    # Warm up models once so the timings are per clip, not per process start.
    with tempfile.TemporaryDirectory() as tmp:
        synth = synthesized_challenge_clip(Path(tmp))
        time_enrollment(synth, backend)
        timings.append({**time_enrollment(synth, backend), "video": "synthesized challenge clip (d3 + espeak)"})
        for video in sorted(args.videos.glob("*.mp4")):
            timings.append(time_enrollment(video, backend))
    report["enrollment_timing"] = timings
    if args.json:
        print(json.dumps(report, indent=2, default=float))
        return
    for kind in ("faces", "voices"):
        r = report[kind]
        print(f"{kind}: backend={r['backend']} genuine={r['n_genuine']} impostor={r['n_impostor']} "
              f"EER={r['eer']:.3f} TAR@FAR1e-2={r['tar_at_far_1e-2']:.3f} TAR@FAR1e-3={r['tar_at_far_1e-3']:.3f} "
              f"threshold={r['threshold']} FAR@thr={r['far_at_threshold']:.3f} FRR@thr={r['frr_at_threshold']:.3f} "
              f"failed={len(r['failed_images'])}")
    print("enrollment processing (decode + faces + pose + liveness + ASR + voice):")
    for t in timings:
        print(f"  {t['video']:<50} {t['size']:>8} {t['clip_seconds']:>6.1f} s clip -> {t['total_s']:>5.2f} s "
              f"({t['ratio_to_clip_length']:.2f}x)")


if __name__ == "__main__":
    main()
