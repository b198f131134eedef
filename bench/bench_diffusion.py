"""Diffusion benchmark: what the cameos' reference images cost, on the tiny real WanVACEPipeline (CPU).

Usage:
    .venv/bin/python bench/bench_diffusion.py [--seconds 2] [--width 64] [--height 64] [--steps 4]
                                              [--repeats 7] [--references 0 1 3]

Each case (a number of reference images, i.e. cameos) runs in its own process so its peak memory is its
own: the growth of ru_maxrss over one render, measured after the pipeline is built. Time is the fastest
(and the median) of --repeats renders after that first one: on a shared machine the fastest is the
least disturbed by other processes, so the ratios use it. Frames, size and steps are the same in every case, so the
ratios to the no-reference case are the conditioning overhead (each reference adds one latent frame
to every denoising step and one VAE encode). Random tiny weights: the figures say how cost scales, not
what the 1.3B model takes on a GPU. Prints JSON.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")

FACES = ROOT / "tests" / "fixtures" / "faces"


def _crops(n: int):
    """n 256x256 centre crops of the fixture face photos (cycled), as enrollment stores them."""
    import numpy as np
    from PIL import Image

    photos = sorted(FACES.glob("*/*.jpg"))
    crops = []
    for path in (photos * n)[:n]:
        img = Image.open(path).convert("RGB")
        side = min(img.size)
        left, top = (img.width - side) // 2, (img.height - side) // 2
        crops.append(np.asarray(img.crop((left, top, left + side, top + side)).resize((256, 256))))
    return crops


def run_case(n_refs: int, seconds: float, width: int, height: int, steps: int, repeats: int) -> dict:
    """One case in this process: build, one render for peak memory, then timed renders."""
    import torch

    torch.set_num_threads(1)
    from pipeline.diffusion import DiffusionBackend, build_tiny_pipeline, frame_count
    from pipeline.types import CameoRef, RenderSpec

    handles = ["alice", "bob", "carol", "dave", "erin"]
    cameos = tuple(CameoRef(cameo_id=h, handle=h, crops_rgb=(c,), voice_pitch_hz=None)
                   for h, c in zip(handles, _crops(n_refs)))
    spec = RenderSpec(prompt="a person walks through a park", cameos=cameos, duration_s=seconds,
                      width=width, height=height, seed=0)
    backend = DiffusionBackend(pipe=build_tiny_pipeline(seed=0), model_id="tiny-random-wan-vace",
                               num_inference_steps=steps)
    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    start = time.perf_counter()
    backend.render(spec, lambda _p: None)
    first_s = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        backend.render(spec, lambda _p: None)
        times.append(time.perf_counter() - start)
    return {
        "references": n_refs,
        "frames": frame_count(seconds),
        "size": f"{width}x{height}",
        "steps": steps,
        "first_render_s": round(first_s, 4),
        "min_render_s": round(min(times), 4),
        "median_render_s": round(statistics.median(times), 4),
        "render_times_s": [round(t, 4) for t in times],
        "peak_rss_growth_mib": round((peak_kib - before_kib) / 1024, 1),
        "peak_rss_mib": round(peak_kib / 1024, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=2.0, help="clip length (2 s -> 33 frames at 16 fps)")
    ap.add_argument("--width", type=int, default=64)
    ap.add_argument("--height", type=int, default=64)
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--references", type=int, nargs="+", default=[0, 1, 3])
    ap.add_argument("--case", type=int, help=argparse.SUPPRESS)  # internal: run one case, print its JSON
    args = ap.parse_args()
    shape = (args.seconds, args.width, args.height, args.steps, args.repeats)
    if args.case is not None:
        print(json.dumps(run_case(args.case, *shape)))
        return
    cases = []
    for n in args.references:
        cmd = [sys.executable, __file__, "--case", str(n), "--seconds", str(args.seconds), "--width", str(args.width),
               "--height", str(args.height), "--steps", str(args.steps), "--repeats", str(args.repeats)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
        cases.append(json.loads(out.stdout.strip().splitlines()[-1]))
    base = next((c for c in cases if c["references"] == 0), None)
    if base is not None:
        for c in cases:
            c["time_ratio_to_no_references"] = round(c["min_render_s"] / base["min_render_s"], 3)
            if base["peak_rss_growth_mib"] > 0:
                c["memory_ratio_to_no_references"] = round(c["peak_rss_growth_mib"] / base["peak_rss_growth_mib"], 3)
    import torch

    report = {"pipeline": "build_tiny_pipeline (WanVACEPipeline, random weights)", "device": "cpu",
              "torch_threads": 1, "torch": torch.__version__, "cases": cases}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
