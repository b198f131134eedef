"""The first run on a real GPU: render fixture cameos through the whole job and print what matters, as JSON.

Usage (scripts/gpu-check.sh wraps it):
    python bench/gpu_check.py [--model auto|vace-1.3b|vace-14b|vace-14b-4step] [--steps N] [--out FILE]
    python bench/gpu_check.py --tiny      # the same flow with the tiny random pipeline on the CPU (tests)

Three clips, each through the real job (consent, sound, render, safety chain, marks, C2PA, storage):
a 2 s and a 5 s clip of one cameo (Jennifer Aniston's fixture photos) and a 5 s clip of two (with
Angelina Jolie's). For each: seconds per denoising step, total seconds, peak GPU memory, whether the
safety chain passed (and why not), the likeness firewall's identity similarity per cameo, and, from the
signed MP4's own frames, how similar the generated faces are to the cameo that is NOT supposed to be
there (the one left out of the single-cameo clips, and for the two-cameo clip each face against the
other person), to catch identity swaps. Also the time and memory estimates the backend used, so the
throughput table in pipeline/gpu.py can be corrected from the measurements.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402

CASES = (("one cameo, 2 s", ("alice",), 2.0), ("one cameo, 5 s", ("alice",), 5.0),
         ("two cameos, 5 s", ("alice", "bob"), 5.0))
PROMPTS = {("alice",): "@alice walks along a beach at sunset and waves at the camera, medium shot",
           ("alice", "bob"): "@alice and @bob talk and laugh together at a cafe table, medium shot"}


def _cuda():
    import torch

    return torch.cuda if torch.cuda.is_available() else None


def _new_cameo_with_references(backend, person: str):
    """A cameo as enrollment makes it (tests/cameo_factory.py), with head-and-shoulders references."""
    from identity.imageio import read_image
    from identity.references import build_references
    from identity.store import NewCameo
    from tests.cameo_factory import FIXTURES, PEOPLE, real_new_cameo

    faces_dir, speech = PEOPLE[person]
    base = real_new_cameo(backend, FIXTURES / faces_dir, FIXTURES / speech)
    sources = []
    for photo in sorted((FIXTURES / faces_dir).glob("*.jpg")):
        rgb = read_image(photo)
        sources.append((rgb, max(backend.detect(rgb) or backend.detect(rgb, small_faces=True), key=lambda f: f.height)))
    refs = build_references(sources, backend, base.templates)
    return NewCameo(base.templates, base.voice, base.crops_png, base.quality, base.liveness,
                    references_png=refs.png), refs.similarities


def _faces_vs_cameos(path: Path, backend, cameos) -> list[dict]:
    """Every face in 2 frames per second of the signed clip, with its similarity to each cameo."""
    import av

    from identity.faces import compare_templates

    out = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate)
        for i, frame in enumerate(container.decode(stream)):
            if i % max(1, int(fps / 2)):
                continue
            rgb = frame.to_ndarray(format="rgb24")
            for face in backend.detect(rgb):
                t = backend.embed(rgb, face)
                out.append({"time_s": round(i / fps, 2), "similarity": {
                    c.handle: round(max(compare_templates(backend, t, r) for r in c.templates), 4) for c in cameos}})
    return out


def _backend(args):
    from pipeline.diffusion import DiffusionBackend, build_tiny_pipeline

    if args.tiny:
        return DiffusionBackend(pipe=build_tiny_pipeline(), model_id="tiny-random-wan-vace",
                                num_inference_steps=args.steps or 2), 0.0
    backend = DiffusionBackend(model_id=args.model, num_inference_steps=args.steps)
    start = time.monotonic()
    backend.warm_up(background=False)
    return backend, time.monotonic() - start


def run(args) -> dict:
    from identity.challenge import issue_challenge
    from identity.consent import ConsentLedger
    from identity.crypto import Cipher
    from identity.faces import get_face_backend
    from identity.library import ClipLibrary
    from identity.store import Store
    from pipeline import gpu
    from pipeline.job import JobError, JobRunner, parse_request
    from pipeline.voice_clone import voice_synth
    from safety.provenance import ensure_demo_certs

    report: dict = {"machine": {"python": platform.python_version()}, "runs": []}
    import torch

    report["machine"]["torch"] = torch.__version__
    cuda = _cuda()
    host = gpu.detect_host()
    report["machine"]["gpu"] = host.name
    report["machine"]["gpu_memory_gb"] = None if host.memory_gb is None else round(host.memory_gb, 1)
    if cuda is None and not args.tiny:
        report["error"] = "no CUDA GPU: this check needs one (use --tiny to exercise the flow on a CPU)"
        return report
    backend, load_s = _backend(args)
    report["model"] = {"model": backend.model, "steps": backend.num_inference_steps,
                       "placement": backend.placement.reason, "fetch_and_load_s": round(load_s, 1)}
    face_backend = get_face_backend(args.face_backend, str(ROOT / "data" / "insightface"))
    report["face_backend"] = f"{face_backend.name}/{face_backend.model}"

    with tempfile.TemporaryDirectory(prefix="cameo-gpu-check-") as tmp:
        work = Path(tmp)
        store = Store(f"sqlite:///{work / 'studio.db'}", work / "media", Cipher(bytes(32)))
        ledger = ConsentLedger(store)
        library = ClipLibrary(store, ledger)
        signer = ensure_demo_certs(work / "c2pa")
        adult = time.gmtime().tm_year - 30
        ids = {}
        report["references"] = {}
        for handle in ("alice", "bob"):
            account = store.get_or_create_account(handle, adult)
            ch = issue_challenge(handle)
            store.save_challenge(ch)
            new, sims = _new_cameo_with_references(face_backend, handle)
            ids[handle] = store.add_cameo(account, ch, new)
            report["references"][handle] = {"kept": len(new.references_png), "similarity_to_cameo": sims}
            ledger.set_permission(account, ids[handle], "everyone")
        runner = JobRunner(store, ledger, library, backend, face_backend, None, signer,
                           synth=voice_synth("auto", cuda is not None))
        if args.tiny:
            runner.sizes = {"16:9": (384, 288), "9:16": (288, 384)}
        requester = store.get_or_create_account("checker", adult)
        cameos = {c.handle: c for c in store.active_cameos()}
        for label, handles, seconds in CASES[: args.only]:
            steps: list[float] = []

            def progress(p, steps=steps):
                if p.stage == "render":
                    steps.append(time.perf_counter())

            entry: dict = {"case": label, "duration_s": seconds}
            width, height = runner.sizes["16:9"]
            if not args.tiny:  # the backend's own estimate for this GPU, to compare with the measurement
                entry["estimated_gpu_s"] = round(backend.estimate_seconds(seconds, "16:9", len(handles)), 1)
            if cuda is not None:
                cuda.reset_peak_memory_stats()
            start = time.perf_counter()
            try:
                out = runner.run(requester, parse_request(PROMPTS[handles], list(handles), seconds, "16:9", 7),
                                 on_progress=progress)
            except JobError as exc:
                entry.update(passed_safety_chain=False, refused=exc.code, reason=exc.message)
                out = None
            entry["total_s"] = round(time.perf_counter() - start, 1)
            if len(steps) > 1:
                entry["seconds_per_step"] = round((steps[-1] - steps[0]) / (len(steps) - 1), 3)
                entry["steps"] = len(steps)
            if cuda is not None:
                entry["peak_vram_gb"] = round(cuda.max_memory_allocated() / 1e9, 2)
            if out is not None:
                entry["passed_safety_chain"] = True
                entry["identity_similarity"] = out.meta["identity_similarity"]
                faces = _faces_vs_cameos(out.path, face_backend, list(cameos.values()))
                others = [h for h in cameos if h not in handles]
                entry["faces_found"] = len(faces)
                entry["best_similarity_to_absent_cameo"] = {
                    h: max((f["similarity"][h] for f in faces), default=None) for h in others}
                if len(handles) == 2:  # each face: its best match and how close the other person comes
                    a, b = handles
                    entry["faces_matching"] = {h: sum(1 for f in faces if f["similarity"][h] >= face_backend.match_threshold)
                                               for h in handles}
                    entry["faces_matching_both"] = sum(1 for f in faces if min(f["similarity"][a], f["similarity"][b])
                                                       >= face_backend.match_threshold)
                entry["size"] = [width, height]
            report["runs"].append(entry)
        store.engine.dispose()
    report["match_threshold"] = face_backend.match_threshold
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="auto")
    parser.add_argument("--steps", type=int, default=None, help="denoising steps (default: the profile's)")
    parser.add_argument("--face-backend", default="auto", choices=("auto", "dlib", "insightface"))
    parser.add_argument("--tiny", action="store_true", help="the tiny random pipeline on the CPU (tests the flow)")
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    parser.add_argument("--only", type=int, default=len(CASES), help="run the first N cases (tests use 1)")
    args = parser.parse_args()
    start = time.perf_counter()
    report = run(args)
    report["check_s"] = round(time.perf_counter() - start, 1)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0 if "error" not in report else 1


if __name__ == "__main__":
    sys.exit(main())
