"""Preview benchmark: render, sound and encode time for a 480p clip with 1, 2 and 3 cameos, and peak memory.

Usage:
    .venv/bin/python bench/bench_preview.py [--seconds 5] [--repeats 3] [--json]

Each case runs in its own process so its peak memory (ru_maxrss) is its own;
models and calibrations are warmed up once per process, then each stage is
timed `repeats` times and the median reported. Target: a 5 s 832x480 clip with
two cameos renders, with sound, in at most 5 s on 2 CPU cores (render + sound
+ encode; the voice-similarity check, which loads Resemblyzer, is timed apart).
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")

TARGET_S = 5.0
PROMPTS = {
    1: '@cam_a says "We made it to the beach, finally!" at sunset, the camera pans right',
    2: '@cam_a says "We made it to the beach!" and @cam_b replies "Look at those waves." at sunset, the camera pans right',
    3: '@cam_a says "We made it!" @cam_b says "Look at the waves." and @cam_c shouts "Race you!" on the beach at sunset, the camera pans right',
}
PHOTOS = ("angelina_jolie/deepface_img11.jpg", "jennifer_aniston/deepface_img12.jpg", "angelina_jolie/deepface_img5.jpg")
VOICES = ("2414/2414-128291-0001.flac", "533/533-1066-0003.flac", "367/367-130732-0004.flac")


def _fixtures(rel: str) -> Path:
    return ROOT / "tests" / "fixtures" / rel


def prepare_fixtures(path: Path) -> None:
    """What enrollment would have stored for three cameos: face crops, voice embeddings and pitches.

    Made once, in a process of its own, so a case's process loads neither dlib
    nor torch before its memory is read.
    """
    import cv2
    import numpy as np

    from identity.audio import read_audio
    from identity.faces import get_face_backend
    from identity.voices import embed_voice, median_pitch_hz

    backend = get_face_backend("dlib")
    crops = []
    for photo in PHOTOS:
        rgb = cv2.cvtColor(cv2.imread(str(_fixtures("faces") / photo)), cv2.COLOR_BGR2RGB)
        crops.append(backend.align(rgb, max(backend.detect(rgb), key=lambda f: f.height)))
    audio = [read_audio(_fixtures("speech/librispeech") / v) for v in VOICES]
    np.savez(path, crops=np.stack(crops), embeddings=np.stack([embed_voice(a).vector for a in audio]),
             pitches=np.array([median_pitch_hz(a) for a in audio]))


def _timed(fn, repeats: int):
    times, result = [], None
    for _ in range(repeats):
        result = None  # let the previous result go before the next run: memory is of one clip
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_case(n: int, seconds: float, repeats: int, fixtures: Path) -> dict:
    import numpy as np

    from identity.voices import VOICE_BACKEND, VOICE_MODEL, VoiceEmbedding
    from pipeline.export import write_mp4
    from pipeline.preview import PreviewBackend
    from pipeline.scene import parse_scene
    from pipeline.sound import make_soundtrack
    from pipeline.types import ASPECTS, CameoRef, RenderSpec

    data = np.load(fixtures)
    w, h = ASPECTS["16:9"]
    fps = 24.0
    handles = ("cam_a", "cam_b", "cam_c")[:n]
    cameos = tuple(CameoRef(f"id{k}", handles[k], (data["crops"][k],), float(data["pitches"][k])) for k in range(n))
    voices = {hd: VoiceEmbedding(VOICE_BACKEND, VOICE_MODEL, data["embeddings"][k]) for k, hd in enumerate(handles)}
    scene = parse_scene(PROMPTS[n])
    backend = PreviewBackend(fps)
    import av, librosa, PIL.ImageFont, scipy.signal  # noqa: E401,F401 - the stages import these lazily; count them here
    rss_ready = _rss_mb()

    def sound():
        return make_soundtrack(scene, cameos, seconds, fps, seed=1)

    def render(track):
        spec = RenderSpec(PROMPTS[n], cameos, seconds, w, h, 1, dialogue=track.dialogue, mouth=track.mouth)
        return backend.render(spec, lambda p: None)

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "clip.mp4"

        def encode(video, track):
            return write_mp4(out, video.frames, video.fps, track.audio, track.sample_rate)

        track = sound()  # warm-up: espeak start, pitch calibration, librosa's first calls
        encode(render(track), track)
        rss_warm = _rss_mb()
        sound_s, _, track = _timed(sound, repeats)
        render_s, _, video = _timed(lambda: render(track), repeats)
        frames = int(video.frames.shape[0])
        encode_s, _, _ = _timed(lambda: encode(video, track), repeats)
        del video
        total_s, total_min, _ = _timed(lambda: _all(sound, render, encode), repeats)
        size_kb = out.stat().st_size / 1024
    rss_clip = _rss_mb()
    make_soundtrack(scene, cameos, seconds, fps, voices=voices)  # warm-up: loads Resemblyzer (torch)
    sim_s, _, with_sim = _timed(lambda: make_soundtrack(scene, cameos, seconds, fps, voices=voices), repeats)
    return {
        "cameos": n,
        "size": f"{w}x{h}",
        "clip_seconds": seconds,
        "frames": frames,
        "sound_s": round(sound_s, 3),
        "render_s": round(render_s, 3),
        "render_s_per_clip_second": round(render_s / seconds, 3),
        "encode_s": round(encode_s, 3),
        "total_with_sound_s": round(total_s, 3),
        "total_min_s": round(total_min, 3),
        "meets_target": total_s <= TARGET_S,
        "sound_with_voice_similarity_s": round(sim_s, 3),
        "voice_similarity": {k: (round(v, 3) if v is not None else None) for k, v in with_sim.voice_similarity.items()},
        "pitch_hz": {k: round(v, 1) for k, v in with_sim.pitch_hz.items() if v},
        "target_pitch_hz": {k: round(v, 1) for k, v in with_sim.target_pitch_hz.items() if v},
        "mp4_kb": round(size_kb, 1),
        "rss_mb_after_imports": rss_ready,
        "peak_rss_mb_one_clip": rss_warm,
        "peak_rss_mb_clip_work": rss_clip,
        "peak_rss_mb_with_voice_similarity": _rss_mb(),
        "notes": list(with_sim.notes),
    }


def _all(sound, render, encode):
    track = sound()
    return encode(render(track), track)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--case", type=int, help=argparse.SUPPRESS)  # internal: one case in this process
    ap.add_argument("--fixtures", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.prepare:
        prepare_fixtures(args.prepare)
        return
    if args.case:
        print(json.dumps(run_case(args.case, args.seconds, args.repeats, args.fixtures)))
        return
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        fixtures = Path(tmp) / "cameos.npz"
        # In its own process too: Linux carries a parent's peak RSS into the children it forks,
        # so this process must stay small for the cases' ru_maxrss to be their own.
        subprocess.run([sys.executable, __file__, "--prepare", str(fixtures)], check=True, capture_output=True)
        for n in (1, 2, 3):
            cmd = [sys.executable, __file__, "--case", str(n), "--seconds", str(args.seconds),
                   "--repeats", str(args.repeats), "--fixtures", str(fixtures)]
            done = subprocess.run(cmd, capture_output=True, text=True, check=True)
            cases.append(json.loads(done.stdout.strip().splitlines()[-1]))
    report = {"target": f"{args.seconds:g} s 832x480 clip, 2 cameos, with sound, in <= {TARGET_S:g} s", "cases": cases}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(report["target"])
    for c in cases:
        print(f"  {c['cameos']} cameo(s): sound {c['sound_s']:.2f} s + render {c['render_s']:.2f} s "
              f"({c['render_s_per_clip_second']:.2f} s per clip-second) + encode {c['encode_s']:.2f} s "
              f"= {c['total_with_sound_s']:.2f} s together ({'meets' if c['meets_target'] else 'MISSES'} target); "
              f"voice similarity adds {c['sound_with_voice_similarity_s'] - c['sound_s']:.2f} s; "
              f"peak RSS {c['peak_rss_mb_clip_work']:.0f} MB ({c['rss_mb_after_imports']:.0f} MB after imports; "
              f"{c['peak_rss_mb_with_voice_similarity']:.0f} MB with Resemblyzer)")


if __name__ == "__main__":
    main()
