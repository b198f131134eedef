"""Loopback load test: N people use the served studio at once, through its API, one session each.

Usage:
    .venv/bin/python bench/bench_load.py [--workers 1 2] [--users 10 30] [--generate-fraction 0.25] [--client-nice 0]
                                         [--min-generators 3] [--feed-views 5] [--think 0.5] [--ramp 5]
                                         [--owners 3] [--json]

For each number of workers W and each N a fresh studio is started as a subprocess
(`app.py`) on 127.0.0.1 with a temporary CAMEO_DATA_DIR, the preview generation backend
and the dlib face backend, in the embedded mode: the web process starts W worker
processes on the GPU queue (which makes the clips; no CPU-queue worker, as nobody
enrolls here) and the SQLite queue. The run starts once every worker said it is ready.
Before it starts, cameo owners (alice and bob from tests/fixtures, carol from
../shared/fixtures when present) are created in the same SQLite database with real
cameos (tests/cameo_factory.py) open to everyone. One warm-up clip is made through
the API so the models are loaded before anything is timed.

Then N simulated people start over --ramp seconds, each a thread with its own
gradio_client.Client (its own session): a page load (GET / and /config), /sign_up,
--feed-views calls to /feed with --think seconds of pause between them; a fraction
of them (at least --min-generators) submit a 2 s 16:9 preview clip of an open cameo
(/generate: the page enqueues a job and follows its record until a worker has made
it) and /publish it. A prober GETs / and /config once a second for the whole run.

Reported per N (one JSON object): p50/p95/max wall time of each call (client.submit until
the result, as client.predict would), split into the wait in Gradio's queue (until the
job's PROCESSING status reaches the client) and the rest; the split is as fine as
gradio_client's 50 ms polling of its message stream, so for calls under ~0.1 s it is
all "queue". Also: the deepest queue position seen per endpoint, page-load times, call
and error counts, the CPU seconds of the studio and of this load generator during the
load, the server log's tracebacks and "database is locked" lines, and jobs_lost:
generations submitted minus the submitters' clips that are published in the store.
From the job records: generation throughput (clips per minute, from the first job's
creation to the last one's end), queue wait (created until a worker started it) and
run time per job; the CPU seconds of the workers; the load average before and after.
Exits non-zero on any error, lost job or server traceback. Last, a Markdown table of
every run (the README's).

Run time on a shared 2-core machine (defaults, both N): about 3.5 minutes; per N about
25 s of setup and a 10 s warm-up clip, then 20-35 s of load for N=10 (3 clips) and
70-100 s for N=50 (12 clips, made one at a time). The load generator's own 50 clients
take about as much CPU as the studio, so on 2 cores the numbers are an upper bound.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import httpx  # noqa: E402
import numpy as np  # noqa: E402
from gradio_client import Client  # noqa: E402
from gradio_client.utils import Status, StatusUpdate  # noqa: E402

ADULT = time.gmtime().tm_year - 30
PASSWORD = "load test password"
SHARED = ROOT.parent / "shared" / "fixtures"
EXTRA_OWNERS = {  # handle -> (face photos, speech), beyond tests/cameo_factory.PEOPLE, when ../shared has them
    "carol": (SHARED / "faces" / "scarlett_johansson",
              ROOT / "tests" / "fixtures" / "speech" / "librispeech" / "2414" / "2414-128291-0001.flac"),
}
PROMPTS = ["@{h} waves at the camera in a sunny park", "@{h} walks along a beach at sunset, slow pan left",
           "@{h} reads a book in a quiet library", "@{h} rides a bicycle through a city street"]
SERVER_START_TIMEOUT_S = 300


# results ---------------------------------------------------------------------------------------
@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    queue_wait: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    processing: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    max_queue_position: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    generated: list[tuple[str, str | None]] = field(default_factory=list)  # (handle, clip id or None)

    def timed(self, name: str, fn):
        start = time.perf_counter()
        try:
            out = fn()
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported, never raised
            with self.lock:
                self.errors[name].append(f"{type(exc).__name__}: {exc}"[:300])
            return None
        with self.lock:
            self.latency[name].append(time.perf_counter() - start)
        return out

    def fail(self, name: str, why: str) -> None:
        with self.lock:
            self.errors[name].append(why[:300])

    def call(self, client: Client, api_name: str, *args):
        """One API call, like client.predict, timed in total and split at the moment it left the queue.

        Every status message of a Job is also put on its communicator's `updates` queue, stamped with
        the time the client read it; once the job is done nothing else writes there, so it is read
        back here: the first PROCESSING is when the server started the handler.
        """
        submitted, submitted_at = time.perf_counter(), datetime.now()
        try:
            job = client.submit(*args, api_name=api_name)
            out = job.result()
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported, never raised
            with self.lock:
                self.errors[api_name].append(f"{type(exc).__name__}: {exc}"[:300])
            return None
        total = time.perf_counter() - submitted
        started, position = None, 0
        updates = job.communicator.updates if job.communicator else None
        while updates is not None and not updates.empty():
            u = updates.get_nowait()
            if isinstance(u, StatusUpdate):
                position = max(position, (u.rank + 1) if u.rank is not None else 0)
                if started is None and u.code == Status.PROCESSING and u.time is not None:
                    started = (u.time - submitted_at).total_seconds()
        with self.lock:
            self.latency[api_name].append(total)
            if started is not None:
                self.queue_wait[api_name].append(min(started, total))
                self.processing[api_name].append(total - min(started, total))
            self.max_queue_position[api_name] = max(self.max_queue_position[api_name], position)
        return out


def _stats(xs: list[float]) -> dict:
    if not xs:
        return {"n": 0}
    a = np.asarray(xs)
    return {"n": len(xs), "p50": round(float(np.percentile(a, 50)), 3), "p95": round(float(np.percentile(a, 95)), 3),
            "max": round(float(a.max()), 3)}


# the studio ----------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def studio_env(data_dir: Path, port: int, workers: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CAMEO_", "DATABASE_URL", "SPACE_ID"))}
    env.update(CAMEO_DATA_DIR=str(data_dir), CAMEO_GENERATION_BACKEND="preview", CAMEO_FACE_BACKEND="dlib",
               CAMEO_HOST="127.0.0.1", CAMEO_PORT=str(port), GRADIO_ANALYTICS_ENABLED="False",
               CAMEO_LOCAL_GPU_WORKERS=str(workers), CAMEO_LOCAL_CPU_WORKERS="0",
               # the load's accounts are new: lift the daily limits so that they measure speed, not limits
               CAMEO_GENERATIONS_PER_DAY="100000", CAMEO_GENERATIONS_PER_DAY_NEW="100000")
    return env


def wait_for_workers(log: Path, n: int, timeout_s: float = SERVER_START_TIMEOUT_S) -> None:
    """Until n workers have logged that they are ready (models loaded)."""
    deadline = time.monotonic() + timeout_s
    while len(re.findall(r"gpu worker \S+ ready", log.read_text(errors="replace"))) < n:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{n} workers were not ready in {timeout_s:.0f} s:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return out


def load_average() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def set_up_owners(env: dict[str, str], n_owners: int) -> list[str]:
    """Owners with a password, a real cameo and permission "everyone", written straight into the database."""
    from identity.accounts import sign_up
    from tests.cameo_factory import PEOPLE, enroll_real, real_new_cameo
    from identity.challenge import issue_challenge

    studio = studio_for(env)
    store, backend = studio.store, studio.enroller.backend
    candidates = list(PEOPLE) + [h for h, (faces, _) in EXTRA_OWNERS.items() if faces.is_dir()]
    owners = candidates[:n_owners]
    for h in owners:
        acc = sign_up(store, h, PASSWORD, ADULT)
        if h in PEOPLE:
            cameo_id = enroll_real(store, backend, h, birth_year=ADULT)
        else:
            faces, speech = EXTRA_OWNERS[h]
            ch = issue_challenge(h)
            store.save_challenge(ch)
            cameo_id = store.add_cameo(acc, ch, real_new_cameo(backend, faces, speech))
        studio.ledger.set_permission(acc, cameo_id, "everyone")
    store.engine.dispose()
    return owners


def start_server(env: dict[str, str], log: Path) -> subprocess.Popen:
    out = open(log, "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=out,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{env['CAMEO_PORT']}/"
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the studio exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"the studio did not answer within {SERVER_START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# one person ------------------------------------------------------------------------------------
# gradio_client's own default is httpx's 5 s, which a loaded server's /config and /info exceed; a browser
# waits longer. The read limit stays finite so a hung server fails the run instead of hanging it.
CLIENT_TIMEOUT = httpx.Timeout(60.0, read=600.0)


def _client(url: str, downloads: Path) -> Client:
    return Client(url, verbose=False, analytics_enabled=False, download_files=str(downloads),
                  httpx_kwargs={"timeout": CLIENT_TIMEOUT})


def page_load(res: Results, url: str, prefix: str = "") -> None:
    """What a browser fetches first: the page, then the app's config."""
    for path in ("", "config"):
        name = f"{prefix}GET /{path}"
        r = res.timed(name, lambda: httpx.get(url + path, timeout=120))
        if r is not None and r.status_code != 200:
            res.fail(name, f"HTTP {r.status_code}")


def generate(res: Results, client: Client, handle: str, owner: str, seed: int) -> str | None:
    """A 2 s 16:9 preview clip of an open cameo; the clip id from the provenance text, or None."""
    prompt = PROMPTS[seed % len(PROMPTS)].format(h=owner)
    out = res.call(client, "/generate", prompt, [owner], 2, "16:9", str(seed), "realistic", *(None, "object", "") * 2)
    match = re.search(r"Clip `([0-9a-f]+)`", (out[1] or "") if out else "")
    if out is not None and match is None:
        res.fail("/generate", f"no clip id in {out[1]!r}")
    with res.lock:
        res.generated.append((handle, match.group(1) if match else None))
    return match.group(1) if match else None


def lower_this_thread(nice: int) -> None:
    """Run the calling thread (and the threads it starts) `nice` steps below the studio (Linux: a thread is a
    task with its own priority). The simulated people stand for browsers on other machines: on one 2-core
    machine their clients would otherwise take the cores from the studio they measure. This can only make
    their own timings slower (their reading of the answers waits too), never faster."""
    if nice and hasattr(os, "setpriority"):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, 0) + nice)


def person(res: Results, url: str, downloads: Path, handle: str, owner: str | None, seed: int,
           feed_views: int, think: float, rng: np.random.Generator, nice: int = 0) -> None:
    lower_this_thread(nice)
    page_load(res, url)
    client = res.timed("client connect", lambda: _client(url, downloads))
    if client is None:
        return
    try:
        said = res.call(client, "/sign_up", handle, PASSWORD, ADULT)
        if said is None:
            return
        if f"@{handle}" not in said[0]:
            return res.fail("/sign_up", f"unexpected status {said[0]!r}")
        steps = ["feed"] * feed_views
        if owner:  # a clip after the first half of the browsing
            steps.insert(min(feed_views, feed_views // 2 + 1), "generate")
        for step in steps:
            if step == "generate":
                if generate(res, client, handle, owner, seed) is not None:
                    done = res.call(client, "/publish")
                    if done is not None and not done.startswith("Published"):
                        res.fail("/publish", f"unexpected answer {done!r}")
                continue
            time.sleep(float(rng.uniform(0, 2 * think)))
            rows = res.call(client, "/feed")
            if rows is not None and not isinstance(rows[0], dict):
                res.fail("/feed", f"unexpected table {type(rows[0]).__name__}")
    finally:
        client.close()


def prober(res: Results, url: str, stop: threading.Event, nice: int = 0) -> None:
    lower_this_thread(nice)
    while not stop.wait(1.0):
        page_load(res, url, prefix="probe ")


# one run -------------------------------------------------------------------------------------------
def generator_indices(n: int, fraction: float, minimum: int) -> set[int]:
    k = min(n, max(minimum, round(n * fraction)))
    return {round(j * n / k) for j in range(k)} if k else set()


def run_load(n: int, workers: int, args, work: Path) -> dict:
    data_dir, port = work / "data", _free_port()
    env = studio_env(data_dir, port, workers)
    t0 = time.perf_counter()
    owners = set_up_owners(env, args.owners)
    log = work / "studio.log"
    proc = start_server(env, log)
    url = f"http://127.0.0.1:{port}/"
    downloads = work / "downloads"
    try:
        wait_for_workers(log, workers)
        setup_s = time.perf_counter() - t0
        print(f"[W={workers} N={n}] studio up on {url} with owners {owners} and {workers} workers after "
              f"{setup_s:.0f} s", file=sys.stderr)
        warm = Results()  # models load on the first clip: not part of the measurement
        warm_client = _client(url, downloads)
        warm_client.predict(owners[0], PASSWORD, api_name="/log_in")
        if generate(warm, warm_client, owners[0], owners[-1], 0) is None:
            raise RuntimeError(f"the warm-up generation failed: {dict(warm.errors)}")
        warm_client.predict(api_name="/publish")
        warm_client.close()
        print(f"[N={n}] warm-up clip in {warm.latency['/generate'][0]:.1f} s", file=sys.stderr)

        res, stop = Results(), threading.Event()
        gens = generator_indices(n, args.generate_fraction, args.min_generators)
        tag = f"u{n}"
        threads = [threading.Thread(target=person, name=f"{tag}_{i}", args=(
            res, url, downloads, f"{tag}_{i:03d}", owners[i % len(owners)] if i in gens else None, 1000 + i,
            args.feed_views, args.think, np.random.default_rng(i), args.client_nice)) for i in range(n)]
        probe = threading.Thread(target=prober, args=(res, url, stop, args.client_nice), daemon=True)
        worker_pids = children(proc.pid)
        load_before = load_average()
        start, cpu_bench, cpu_studio = time.perf_counter(), time.process_time(), cpu_seconds(proc.pid)
        cpu_workers = sum(cpu_seconds(p) for p in worker_pids)
        started_at = time.time()
        probe.start()
        for i, t in enumerate(threads):
            t.start()
            if n > 1:
                time.sleep(args.ramp / (n - 1) if i < n - 1 else 0)
        for t in threads:
            t.join()
        load_s = time.perf_counter() - start
        cpu = {"studio": round(cpu_seconds(proc.pid) - cpu_studio, 1),
               "workers": round(sum(cpu_seconds(p) for p in worker_pids) - cpu_workers, 1),
               "load_generator": round(time.process_time() - cpu_bench, 1),
               "load_average_before": load_before, "load_average_after": load_average()}
        stop.set()
        probe.join()
    finally:
        stop_server(proc)
    return finish(n, workers, res, gens, owners, env, log, setup_s, load_s, cpu, started_at, args)


def studio_for(env: dict[str, str]):
    """The studio the server subprocess runs, built in this process from the same environment."""
    from pipeline.studio import build_studio
    from settings import load_settings

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        return build_studio(load_settings())
    finally:
        os.environ.clear()
        os.environ.update(saved)


def published_clips_and_jobs(env: dict[str, str], since: float) -> tuple[list, list]:
    from sqlalchemy import select

    from identity.jobs import JobRow, _to_job

    studio = studio_for(env)
    try:
        with studio.store.reader() as s:
            jobs = [_to_job(r) for r in s.scalars(select(JobRow).where(JobRow.kind == "generate",
                                                                         JobRow.created_at >= since))]
        return studio.library.feed(limit=1_000_000), jobs
    finally:
        studio.store.engine.dispose()


def job_figures(jobs: list) -> dict:
    """Throughput, queue wait and run time from the job records of one run."""
    done = [j for j in jobs if j.state == "done"]
    if not done:
        return {"jobs": len(jobs), "done": 0}
    span = max(j.finished_at for j in done) - min(j.created_at for j in jobs)
    return {"jobs": len(jobs), "done": len(done), "states": sorted({j.state for j in jobs}),
            "clips_per_minute": round(60 * len(done) / span, 2) if span > 0 else None,
            "queue_wait_s": _stats([j.queue_wait_s for j in done]),
            "run_s": _stats([j.finished_at - j.started_at for j in done]),
            "attempts_max": max(j.attempts for j in done)}


def finish(n: int, workers: int, res: Results, gens: set[int], owners: list[str], env: dict[str, str], log: Path,
           setup_s: float, load_s: float, cpu: dict, started_at: float, args) -> dict:
    clips, jobs = published_clips_and_jobs(env, started_at)
    feed = {c.id: c for c in clips}
    submitted = len(res.generated)
    mine = [cid for h, cid in res.generated if cid in feed and feed[cid].creator_handle == h]
    server_log = log.read_text(errors="replace")
    tracebacks = server_log.count("Traceback (most recent call last)")
    locked = server_log.count("database is locked")
    errors = {k: {"count": len(v), "first": sorted(set(v))[:3]} for k, v in res.errors.items() if v}
    n_errors = sum(len(v) for v in res.errors.values())
    pages = {p: _stats(res.latency.get(f"GET /{p}", []) + res.latency.get(f"probe GET /{p}", []))
             for p in ("", "config")}
    return {
        "workers": workers, "users": n, "generators": len(gens), "owners": owners, "feed_views_per_user": args.feed_views,
        "think_s": args.think, "ramp_s": args.ramp, "cpu_cores": os.cpu_count(), "client_nice": args.client_nice,
        "setup_s": round(setup_s, 1), "load_s": round(load_s, 1), "cpu_s_during_load": cpu,
        "latency_s": {k: _stats(v) for k, v in sorted(res.latency.items())
                      if not k.startswith(("GET", "probe"))},
        "generation_jobs": job_figures(jobs),
        "generate_gradio_queue_wait_s": _stats(res.queue_wait.get("/generate", [])),
        "generate_processing_s": _stats(res.processing.get("/generate", [])),
        "queue_wait_s": {k: _stats(v) for k, v in sorted(res.queue_wait.items())},
        "processing_s": {k: _stats(v) for k, v in sorted(res.processing.items())},
        "max_queue_position_seen": dict(sorted(res.max_queue_position.items())),
        "page_load_s": {"/": pages[""], "/config": pages["config"]},
        "calls": {k: len(res.latency.get(k, [])) + len(res.errors.get(k, []))
                  for k in sorted({*res.latency, *res.errors})},
        "errors": n_errors, "error_detail": errors,
        "generations_submitted": submitted, "clips_published": len(mine),
        "jobs_lost": submitted - len(mine),
        "server_log": {"tracebacks": tracebacks, "database_locked": locked},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker processes, one run per number")
    ap.add_argument("--users", type=int, nargs="+", default=[10, 30], help="simulated people, one run per number")
    ap.add_argument("--generate-fraction", type=float, default=0.25, help="share of people who make a clip")
    ap.add_argument("--min-generators", type=int, default=3, help="at least this many make a clip")
    ap.add_argument("--feed-views", type=int, default=5, help="/feed calls per person")
    ap.add_argument("--think", type=float, default=0.5, help="mean pause before each /feed call (s)")
    ap.add_argument("--ramp", type=float, default=5.0, help="people start evenly over this many seconds")
    ap.add_argument("--owners", type=int, default=3, help="cameo owners open to everyone (2 or 3)")
    ap.add_argument("--client-nice", type=int, default=0,
                    help="run the simulated people this many nice steps below the studio (Linux), as clients on "
                         "other machines would not compete with it; 0: the same priority")
    ap.add_argument("--json", action="store_true", help="indented JSON")
    args = ap.parse_args()
    failed, reports = False, []
    for w in args.workers:
        for n in args.users:
            with tempfile.TemporaryDirectory(prefix=f"cameo-load-{w}w-{n}-") as tmp:
                report = run_load(n, w, args, Path(tmp))
            reports.append(report)
            print(json.dumps(report, indent=2 if args.json else None), flush=True)
            failed |= bool(report["errors"] or report["jobs_lost"] or report["server_log"]["tracebacks"])
    print(markdown_table(reports), flush=True)
    sys.exit(1 if failed else 0)


def markdown_table(reports: list[dict]) -> str:
    """One row per run: the figures the README reports."""
    def pair(d: dict) -> str:
        return f"{d['p50']:.2f} / {d['p95']:.2f}" if d.get("n") else "n/a"

    lines = ["| workers | users (clips) | clips per minute | queue wait p50 / p95 (s) | clip total p50 / p95 (s) "
             "| page GET / p50 / p95 (s) | /config p50 / p95 (s) | errors / lost | load average before / after |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in reports:
        jobs = r["generation_jobs"]
        cpu = r["cpu_s_during_load"]
        lines.append(
            f"| {r['workers']} | {r['users']} ({r['generators']}) | {jobs.get('clips_per_minute')} "
            f"| {pair(jobs.get('queue_wait_s', {}))} | {pair(r['latency_s'].get('/generate', {}))} "
            f"| {pair(r['page_load_s']['/'])} | {pair(r['page_load_s']['/config'])} "
            f"| {r['errors']} / {r['jobs_lost']} "
            f"| {cpu['load_average_before'][0] if cpu['load_average_before'] else '?'} / "
            f"{cpu['load_average_after'][0] if cpu['load_average_after'] else '?'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
