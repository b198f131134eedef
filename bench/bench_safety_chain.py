"""Cost of the whole post-generation chain per second of 480p video, on this machine's CPU.

Usage:
    .venv/bin/python bench/bench_safety_chain.py [--seconds 5] [--cameos 2] [--repeats 3] [--json]

A preview clip of two real cameos (tests/cameo_factory.py) is rendered once, then
the chain a job runs before saving is timed stage by stage: frame moderation
(NudeNet, 2 frames/s), likeness firewall (dlib, 2 frames/s, against every active
cameo), visible mark, invisible mark (every frame), H.264 + AAC encode, and C2PA
signing. Target: at most 1 s per clip-second on 2 CPU cores. Models are loaded
before timing (a running studio loads them once).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402

from identity.crypto import Cipher  # noqa: E402
from identity.faces import DlibBackend  # noqa: E402
from identity.store import Store  # noqa: E402
from pipeline.export import write_mp4  # noqa: E402
from pipeline.preview import PreviewBackend  # noqa: E402
from pipeline.types import CameoRef, RenderSpec  # noqa: E402
from identity.index import IdentityIndex  # noqa: E402
from safety.firewall import check_faces  # noqa: E402
from safety.invisible_mark import embed_frames  # noqa: E402
from safety.moderation import moderate_frames  # noqa: E402
from safety.provenance import ProvenanceInfo, ensure_demo_certs, sign_clip  # noqa: E402
from safety.visible_mark import apply_visible_mark  # noqa: E402
from tests.cameo_factory import PEOPLE, as_rgb, enroll_real  # noqa: E402


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def run_chain(frames, fps, audio, sr, backend, store, granted, signer, work: Path) -> dict[str, float]:
    t: dict[str, float] = {}
    _, t["moderation"] = _timed(lambda: moderate_frames(frames, fps))
    fw, t["firewall"] = _timed(lambda: check_faces(frames, fps, backend, granted, IdentityIndex(store, backend), None))
    boxes = [fw.face_boxes.get(i - i % max(1, int(fps / 2)), []) for i in range(len(frames))]
    marked, t["visible_mark"] = _timed(lambda: apply_visible_mark(frames, fps, "bench", boxes, seed="0123456789abcdef"))
    marked, t["invisible_mark"] = _timed(lambda: embed_frames(marked, "0123456789abcdef"))
    _, t["encode"] = _timed(lambda: write_mp4(work / "raw.mp4", marked, fps, audio, sr))
    info = ProvenanceInfo("0123456789abcdef", "bench", "bench", "preview", "m", "0" * 64, (("c:1", "0" * 64),), "bench")
    _, t["sign"] = _timed(lambda: sign_clip(work / "raw.mp4", work / "signed.mp4", signer, info))
    t["total"] = sum(t.values())
    return t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--cameos", type=int, default=2, choices=[1, 2])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        backend = DlibBackend()
        store = Store(f"sqlite:///{work / 'db.sqlite'}", work / "media", Cipher(os.urandom(32)))
        ids = {h: enroll_real(store, backend, h) for h in list(PEOPLE)[: args.cameos]}
        refs = tuple(CameoRef(cid, h, tuple(as_rgb(p) for p in store.crops_png(cid, 2)), None) for h, cid in ids.items())
        video = PreviewBackend().render(RenderSpec("friends in a park at noon", refs, args.seconds, 832, 480, 1),
                                        lambda p: None)
        sr = 24000
        audio = (0.05 * np.sin(np.arange(int(args.seconds * sr)) * 2 * np.pi * 220 / sr)).astype(np.float32)
        signer = ensure_demo_certs(work / "c2pa")
        granted = {cid: h for h, cid in ids.items()}
        run_chain(video.frames[:12], video.fps, audio[: sr // 2], sr, backend, store, granted, signer, work)  # warm
        runs = [run_chain(video.frames, video.fps, audio, sr, backend, store, granted, signer, work)
                for _ in range(args.repeats)]
    stages = {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
    report = {
        "clip_seconds": args.seconds, "size": "832x480", "fps": video.fps, "cameos": args.cameos,
        "median_seconds_per_stage": stages,
        "seconds_per_clip_second": round(stages["total"] / args.seconds, 3),
        "target_seconds_per_clip_second": 1.0,
        "cpu_cores": os.cpu_count(),
    }
    print(json.dumps(report, indent=None if not args.json else 2))


if __name__ == "__main__":
    main()
