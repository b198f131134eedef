"""Identity at scale: the dedupe and the likeness firewall with 1e3, 1e4 and 1e5 cameos in the store.

Usage:
    .venv/bin/python bench/bench_scale.py [--sizes 1000,10000,100000] [--repeats 7] [--json]

Synthetic cameos are written through the store (`Store.add_cameos_in_bulk`: the
same encrypted rows, audit events and change log as an enrollment) with random
face templates of the studio's default backend (dlib+sface) and random voices;
two real cameos (tests/cameo_factory.py, real photos and speech) are among them
and appear in a 5 s preview clip of two faces. The store grows from one size to
the next; at each size the bench reports, per request:

- `dedupe_ms`: the enrollment dedupe of a new real person (index search, plus the
  voice of each shortlisted look-alike), the index already loaded;
- `firewall_search_ms`: the firewall's search part on the two-face clip (tracks,
  one batch search of every face and track, the decision), after detection and
  embedding, which do not depend on N and are reported once (`firewall_embed_s`);
- `sync_one_change_ms`: the cost for an index to take in one enrollment made
  elsewhere (another process or machine), and `revoked_gone`: a revoke made
  through another store object is out of the index at the next search;
- `load_s` and memory: a process's first load (decrypting every cameo once),
  the index's bytes and the process's resident memory.

At 1e5 the approximate index (usearch HNSW) is also built and its top-1 agreement
with the exact search measured.
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
import psutil  # noqa: E402

from identity.challenge import issue_challenge  # noqa: E402
from identity.crypto import Cipher  # noqa: E402
from identity.enrollment import Registry, _registry_failure  # noqa: E402
from identity.faces import FaceTemplate, get_face_backend  # noqa: E402
from identity.index import IdentityIndex  # noqa: E402
from identity.store import NewCameo, Store  # noqa: E402
from identity.voices import VOICE_BACKEND, VOICE_MODEL, VoiceEmbedding  # noqa: E402
from pipeline.preview import PreviewBackend  # noqa: E402
from pipeline.types import CameoRef, RenderSpec  # noqa: E402
from safety.firewall import embed_faces, judge_faces  # noqa: E402
from tests.cameo_factory import FIXTURES, PEOPLE, as_rgb, enroll_real  # noqa: E402


def synthetic_cameos(store: Store, backend, n: int, rng: np.random.Generator, start: int) -> list[str]:
    """n cameos with random templates shaped like the backend's (5 per cameo) and random voices."""
    chunk, ids = 5000, []
    for lo in range(0, n, chunk):
        k = min(chunk, n - lo)
        accounts = store.create_accounts_in_bulk([f"synthetic_{start + lo + j}" for j in range(k)])
        batch = []
        for a in accounts:
            base = np.concatenate([rng.normal(0, 0.09, 128), rng.normal(0, 1, 128)]).astype(np.float32)
            tpl = []
            for _ in range(5):
                v = base + rng.normal(0, 0.02, 256).astype(np.float32)
                v[128:] /= np.linalg.norm(v[128:])
                tpl.append(FaceTemplate(backend.name, backend.model, v))
            voice = rng.normal(size=256).astype(np.float32)
            voice /= np.linalg.norm(voice)
            ch = issue_challenge(a.handle)
            batch.append((a, ch, NewCameo(tpl, VoiceEmbedding(VOICE_BACKEND, VOICE_MODEL, voice), [], {}, {})))
        ids += store.add_cameos_in_bulk(batch)
        if n > chunk:
            print(f"built {start + lo + k} cameos", file=sys.stderr, flush=True)
    return ids


def _newcomer(backend) -> NewCameo:
    """A person who is not enrolled: the d10 woman's face (five frames) and LibriSpeech speaker 2414's voice."""
    from identity.audio import read_audio
    from identity.voices import embed_voice
    from tests.clip_synth import D10, segment

    frames = segment(D10, 1.0, 3.0)[::12][:5]
    templates = [backend.embed(f, max(backend.detect(f), key=lambda x: x.height)) for f in frames]
    voice = embed_voice(read_audio(FIXTURES / "speech" / "librispeech" / "2414" / "2414-128291-0001.flac"))
    return NewCameo(templates, voice, [], {}, {})


def _median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return round(1000 * statistics.median(times), 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = np.random.default_rng(12)
    proc = psutil.Process()
    report: dict = {"load_average": os.getloadavg(), "cpus": os.cpu_count(), "sizes": {}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        backend = get_face_backend("dlib+sface")
        cipher = Cipher(os.urandom(32))
        store = Store(f"sqlite:///{work / 'db.sqlite'}", work / "media", cipher)
        other_process = Store(f"sqlite:///{work / 'db.sqlite'}", work / "media", cipher)  # stands for another worker
        ids = {h: enroll_real(store, backend, h) for h in PEOPLE}
        refs = tuple(CameoRef(cid, h, tuple(as_rgb(p) for p in store.crops_png(cid, 2)), None) for h, cid in ids.items())
        video = PreviewBackend().render(RenderSpec("friends in a park at noon", refs, 5.0, 832, 480, 1),
                                        lambda p: None)
        start = time.perf_counter()
        seen, boxes, n_frames = embed_faces(video.frames, video.fps, backend)
        report["firewall_embed_s"] = round(time.perf_counter() - start, 2)
        report["clip"] = {"seconds": 5.0, "size": "832x480", "frames_checked": n_frames, "faces": len(seen)}
        newcomer = _newcomer(backend)
        granted = {ids["alice"]: "alice", ids["bob"]: "bob"}
        have = len(ids)
        for n in sizes:
            synthetic_cameos(store, backend, n - have, rng, have)
            have = n
            rss0 = proc.memory_info().rss
            index = IdentityIndex(store, backend)
            start = time.perf_counter()
            index.sync()
            row: dict = {"cameos": index.size, "load_s": round(time.perf_counter() - start, 2),
                         "search": "approximate (usearch HNSW, exact rescoring)" if index.approximate else "exact",
                         "index_mb": round(index.memory_bytes() / 1e6, 1),
                         "process_rss_growth_mb": round((proc.memory_info().rss - rss0) / 1e6, 1)}
            registry = Registry(index, None)
            verdict = _registry_failure(newcomer.templates, newcomer.voice, backend, registry)
            row["dedupe_refused"] = verdict is not None
            row["dedupe_ms"] = _median_ms(lambda: _registry_failure(newcomer.templates, newcomer.voice, backend,
                                                                    registry), args.repeats)
            result = judge_faces(seen, boxes, n_frames, backend, granted, index, None)
            row["firewall_allowed_granted"] = result.allowed
            row["firewall_tracks"] = result.tracks
            row["firewall_search_ms"] = _median_ms(
                lambda: judge_faces(seen, boxes, n_frames, backend, granted, index, None), args.repeats)
            blocked = judge_faces(seen, boxes, n_frames, backend, {ids["bob"]: "bob"}, index, None)
            row["firewall_blocks_ungranted"] = list(blocked.blocked_by)
            row["sync_unchanged_ms"] = _median_ms(index.sync, args.repeats)
            (added,) = synthetic_cameos(other_process, backend, 1, rng, have)
            have += 1
            start = time.perf_counter()
            index.sync()
            row["sync_one_change_ms"] = round(1000 * (time.perf_counter() - start), 2)
            own = backend.centroid(np.stack([t.vector for t in other_process.get_cameo(added).templates]))
            found_before = index.search(own[None], k=1)[0][0].cameo_id == added
            other_process.revoke_cameo(added, actor="bench")
            row["revoked_gone"] = found_before and all(m.cameo_id != added for m in index.search(own[None], k=5)[0])
            row["process_rss_mb"] = round(proc.memory_info().rss / 1e6, 1)
            if n == sizes[-1]:
                # The same probes through both kinds of search, each index forced to one kind whatever N is
                # (the default index above switches to the approximate one past identity.index.EXACT_MAX).
                approx = IdentityIndex(store, backend, exact_max=1000)
                start = time.perf_counter()
                approx.sync()
                row["approximate_build_s"] = round(time.perf_counter() - start, 2)
                row["approximate_index_mb"] = round(approx.memory_bytes() / 1e6, 1)
                exact = IdentityIndex(store, backend, exact_max=10**12)
                exact.sync()
                assert approx.approximate and not exact.approximate
                probes = np.stack([np.asarray(s.template.vector) for s in seen])
                row["approximate_search_ms"] = _median_ms(lambda: approx.search(probes, k=10), args.repeats)
                row["exact_search_same_probes_ms"] = _median_ms(lambda: exact.search(probes, k=10), args.repeats)
                stored = np.stack([exact._matrix[i] for i in rng.choice(exact.size, 200, replace=False)])
                noisy = stored + rng.normal(0, 0.01, stored.shape).astype(np.float32)
                exact_top = [m[0].cameo_id for m in exact.search(noisy, k=1)]
                approx_top = [m[0].cameo_id for m in approx.search(noisy, k=1)]
                row["approximate_top1_agreement"] = float(np.mean([a == b for a, b in zip(exact_top, approx_top)]))
                del approx, exact
            row["load_average"] = [round(x, 2) for x in os.getloadavg()]
            report["sizes"][str(n)] = row
            print(json.dumps({str(n): row}), file=sys.stderr, flush=True)
            del index
        first, last = report["sizes"][str(sizes[0])], report["sizes"][str(sizes[-1])]
        report["search_growth_firewall"] = round(last["firewall_search_ms"] / max(first["firewall_search_ms"], 1e-3), 2)
        report["search_growth_dedupe"] = round(last["dedupe_ms"] / max(first["dedupe_ms"], 1e-3), 2)
        report["n_growth"] = sizes[-1] / sizes[0]
        report["load_average_after"] = os.getloadavg()
    print(json.dumps(report, indent=2) if args.json else report)


if __name__ == "__main__":
    main()
