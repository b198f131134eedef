"""Marks benchmark: do the video and audio marks name the clip after each edit of a re-share?

Usage:
    .venv/bin/python bench/bench_marks.py [--videos DIR] [--seconds 5] [--edits a,b,...] [--out FILE]

Clips (832x480, 24 fps, `--seconds` long, marked with both carriers, encoded as the studio does, sound
from LibriSpeech speech over a quiet noise bed): every real fixture video, a letterboxed one (black
bars), a night one (dark), a static one (one frame held) and two preview renders (the studio's CPU
animatic: a day and a night scene). Each clip goes through every edit of
tests/attacks.py EDITS, done by the ffmpeg command line (remux, CRF 23-40, scale 0.5x and to 720p,
crops of 5% and 10% with and without resizing back, flip, 3 degree rotation, colour, 9:16 reframe,
screen-recording pipeline, blur, noise, 30/12 fps, 1.25x speed, trims, caption bar), and is read with
`safety.verify.verify_clip` against a studio library that holds its manifest: per edit and carrier,
found-and-right, wrong ids, coded bits worn, and the credentials' source (embedded / recovered /
none). The same edits on the unmarked clips count false positives. Prints JSON; costs per frame
and per clip are measured on the first clip; the machine's load average is reported with them.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402

from identity.clips import StoredManifest  # noqa: E402
from pipeline.export import write_mp4  # noqa: E402
from safety import audio_mark as am  # noqa: E402
from safety import invisible_mark as im  # noqa: E402
from safety import provenance as pv  # noqa: E402
from safety.verify import verify_clip  # noqa: E402
from tests.attacks import EDITS, ffmpeg_edit, load_frames  # noqa: E402

SIZE = (832, 480)
FPS = 24
RATE = 22050


def _default(rel: str) -> Path:
    shared = ROOT.parent / "shared" / "fixtures" / rel
    return shared if shared.exists() else ROOT / "tests" / "fixtures" / rel


# Preview renders (the studio's CPU animatic, a face photo as the cameo): a bright day and a night scene.
PREVIEW_PROMPTS = {"preview_beach_day": "two friends laugh on a sunny beach at noon",
                   "preview_night_street": "a person walks down a rainy city street at night"}


def previews(seconds: float) -> dict[str, np.ndarray]:
    from identity.imageio import read_image
    from pipeline.preview import PreviewBackend
    from pipeline.types import CameoRef, RenderSpec

    photo = read_image(ROOT / "tests" / "fixtures" / "faces" / "jennifer_aniston" / "deepface_img12.jpg")
    h, w = photo.shape[:2]
    side = min(h, w)
    crop = cv2.resize(photo[(h - side) // 2:(h + side) // 2, (w - side) // 2:(w + side) // 2], (256, 256))
    cameo = CameoRef(cameo_id="bench", handle="bench", crops_rgb=(crop,), voice_pitch_hz=None)
    return {name: PreviewBackend(FPS).render(RenderSpec(prompt, (cameo,), seconds, *SIZE, k + 1), lambda p: None).frames
            for k, (name, prompt) in enumerate(PREVIEW_PROMPTS.items())}


def sources(videos: Path, n: int, with_previews: bool = True) -> dict[str, np.ndarray]:
    """Real footage, the studio's preview renders, and the kinds of picture that are hardest to mark: black
    bars, night, a still."""
    clips = {p.stem: load_frames(p, n, SIZE) for p in sorted(videos.glob("*.mp4"))}
    first = next(iter(clips.values()))
    bars = np.zeros_like(first)
    bars[:, 40:440] = np.stack([cv2.resize(f, (832, 400), interpolation=cv2.INTER_AREA) for f in first])
    clips["letterboxed_2.08_to_1"] = bars
    clips["night"] = (255 * (first / 255.0) ** 2.2 * 0.35).astype(np.uint8)
    clips["static"] = np.repeat(first[n // 2][None], n, axis=0)
    if with_previews:
        clips.update(previews(n / FPS))
    return clips


def soundtrack(seconds: float, k: int) -> np.ndarray:
    speech = sorted((ROOT / "tests" / "fixtures" / "speech" / "librispeech").glob("*/*.flac"))
    audio, rate = sf.read(speech[k % len(speech)], dtype="float32")
    audio = am._resample(np.resize(audio, int(seconds * rate)), rate, RATE).astype(np.float32) * 0.7
    bed = np.random.default_rng(k).standard_normal(audio.size).astype(np.float32) * 0.01
    return audio + bed


def clip_id_for(name: str) -> str:
    return hashlib.blake2b(name.encode(), digest_size=8).hexdigest()


def make_clip(folder: Path, name: str, frames: np.ndarray, audio: np.ndarray, identity) -> tuple[Path, Path, dict]:
    """(signed marked clip, unmarked clip, its stored manifest and costs)."""
    cid = clip_id_for(name)
    start = time.perf_counter()
    marked = im.embed_frames(frames, cid)
    embed_ms = 1000 * (time.perf_counter() - start) / len(frames)
    psnr = cv2.PSNR(marked.reshape(-1, SIZE[0], 3), frames.reshape(-1, SIZE[0], 3))
    marked_audio = am.embed_audio(audio, RATE, cid)
    raw = write_mp4(folder / f"{name}.raw.mp4", marked, FPS, marked_audio, RATE)
    plain = write_mp4(folder / f"{name}.plain.mp4", frames, FPS, audio, RATE)
    info = pv.ProvenanceInfo(cid, f"bench {name}", "bench", "preview", "bench-model",
                             hashlib.sha256(name.encode()).hexdigest(),
                             (("rec1", hashlib.sha256(b"1").hexdigest()),), "bench")
    signed = folder / f"{name}.mp4"
    manifest = pv.sign_clip(raw, signed, identity, info)
    return signed, plain, {"clip_id": cid, "psnr_db": round(psnr, 2), "embed_ms_per_frame": round(embed_ms, 2),
                           "manifest": manifest}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--videos", type=Path, default=_default("videos"))
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--edits", default="")
    ap.add_argument("--no-previews", action="store_true", help="leave out the preview renders")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    edits = args.edits.split(",") if args.edits else list(EDITS)
    n = int(args.seconds * FPS)
    report: dict = {"size": f"{SIZE[0]}x{SIZE[1]}", "seconds": args.seconds, "load_average_start": os.getloadavg(),
                    "clips": {}, "edits": {}, "false_positives": {"checks": 0, "video": 0, "audio": 0,
                                                                   "credentials_not_none": 0}}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        identity = pv.ensure_demo_certs(folder / "c2pa")
        manifests: dict[str, StoredManifest] = {}
        clips = {}
        for k, (name, frames) in enumerate(sources(args.videos, n, not args.no_previews).items()):
            signed, plain, info = make_clip(folder, name, frames, soundtrack(args.seconds, k), identity)
            m = info.pop("manifest")
            manifests[m.clip_id] = StoredManifest(m.clip_id, m.manifest_store, m.report_json, time.time())
            clips[name] = (signed, plain, info["clip_id"])
            report["clips"][name] = info
        for edit in edits:
            row = {"video_right": 0, "audio_right": 0, "either_right": 0, "wrong_id": 0, "clips": 0,
                   "credentials": {}, "video_bits_worn": [], "read_ms": []}
            for name, (signed, plain, cid) in clips.items():
                copy = ffmpeg_edit(signed, folder / f"{name}.{edit}.mp4", edit)
                start = time.perf_counter()
                rep = verify_clip(copy, identity.trust_anchor_pem, None, manifests.get)
                row["read_ms"].append(round(1000 * (time.perf_counter() - start)))
                wm = rep["watermark"]
                row["clips"] += 1
                row["video_right"] += wm["video"]["clip_id"] == cid
                row["audio_right"] += wm["audio"]["clip_id"] == cid
                row["either_right"] += wm["clip_id"] == cid
                row["wrong_id"] += any(c["found"] and c["clip_id"] != cid for c in (wm["video"], wm["audio"]))
                src = rep["credentials"]["source"]
                row["credentials"][src] = row["credentials"].get(src, 0) + 1
                if wm["video"]["bit_errors"] is not None:
                    row["video_bits_worn"].append(wm["video"]["bit_errors"])
                if edit == "untouched":
                    continue
                bare = ffmpeg_edit(plain, folder / f"{name}.plain.{edit}.mp4", edit)
                rep = verify_clip(bare, identity.trust_anchor_pem, None, manifests.get)
                fp = report["false_positives"]
                fp["checks"] += 1
                fp["video"] += rep["watermark"]["video"]["found"]
                fp["audio"] += rep["watermark"]["audio"]["found"]
                fp["credentials_not_none"] += rep["credentials"]["source"] != "none"
            report["edits"][edit] = row
            print(json.dumps({edit: {k: v for k, v in row.items() if k != "read_ms"}}), file=sys.stderr, flush=True)
        report["load_average_end"] = os.getloadavg()
    text = json.dumps(report, indent=1)
    if args.out:
        args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
