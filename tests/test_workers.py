"""Worker processes and their faults, with the studio as deployed: `python app.py` starts its local workers.

Two deployments: the embedded default (SQLite database, SQLite queue, a media folder) and, where .ci/run
provides them, the multi-machine mode on loopback (PostgreSQL, a Redis broker, an S3-compatible bucket
served by moto). Each test has at least two worker processes or restarts them; the test process plays
the person (gradio_client over the page's API) and reads the job rows and the media store directly.

Faults: a worker killed with SIGKILL mid-render (its job is tried again on the other worker, the page keeps
serving, no partial clip is stored); a revoke while a worker renders (it stops, nothing of the cameo
remains); the web process killed with jobs queued and running (they complete after it is started again);
the broker stopped for a few seconds (the page says so, nothing is lost, jobs resume).
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest

from identity.accounts import sign_up
from identity.jobs import JobRecords
from pipeline.preview import PreviewBackend
from pipeline.studio import build_studio
from tests.cameo_factory import enroll_real
from tests.processes import AppProcess, kill_all, redis_server, wait_gone, worker_pids
from tests.studio_env import settings_from, studio_env

ADULT = time.gmtime().tm_year - 30
PASSWORD = "bob's long password!"
JOB_S = 300  # a preview clip takes 5-20 s here; workers start in 10-40 s under load


@pytest.fixture()
def deployment(tmp_path: Path, deployment_urls) -> dict[str, str]:
    """The environment of one studio: embedded, or database + broker + bucket on loopback."""
    return studio_env(tmp_path, *deployment_urls)


class People:
    """alice (cameo open to everyone) and bob, made in the studio's own store by the test."""

    def __init__(self, env: dict[str, str]):
        self.studio = build_studio(settings_from(env), backend=PreviewBackend())
        store = self.studio.store
        self.cameo = enroll_real(store, self.studio.enroller.backend, "alice", birth_year=ADULT)
        self.studio.ledger.set_permission(store.account("alice"), self.cameo, "everyone")
        self.bob = sign_up(store, "bob", PASSWORD, ADULT)
        self.records = JobRecords(store.session, store.reader)

    def jobs(self):
        return sorted(self.records.of(self.bob.id, limit=100), key=lambda j: j.created_at)

    def wait(self, predicate, timeout_s: float = JOB_S, what: str = ""):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            jobs = self.jobs()
            if predicate(jobs):
                return jobs
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}: {self.jobs()}")

    def close(self):
        self.studio.store.engine.dispose()


@pytest.fixture()
def people(deployment):
    p = People(deployment)
    yield p
    p.close()


def _client(url: str):
    from gradio_client import Client

    client = Client(url, verbose=False)
    client.predict("bob", PASSWORD, api_name="/log_in")
    return client


NO_IMAGE_REFERENCES = (None, "object", "") * 2  # the Create tab's two optional image references


def _generate(client, seconds: int, seed: int):
    return client.submit("@alice waves on a beach at sunset", ["alice"], seconds, "16:9", str(seed), "realistic",
                         *NO_IMAGE_REFERENCES, api_name="/generate")


def _pid(job) -> int:
    return int(job.worker.rsplit(":", 1)[1])


def _app(env: dict[str, str], tmp_path: Path, gpu_workers: int, name: str = "app") -> AppProcess:
    env = {**env, "CAMEO_LOCAL_GPU_WORKERS": str(gpu_workers), "CAMEO_LOCAL_CPU_WORKERS": "0",
           "GRADIO_TEMP_DIR": str(tmp_path / f"gradio-{name}")}
    return AppProcess(env, tmp_path / f"{name}.log").start()


def test_a_worker_killed_mid_render_is_replaced_and_its_job_retried_with_no_partial_clip(deployment, people,
                                                                                          tmp_path):
    app = _app(deployment, tmp_path, gpu_workers=2)
    try:
        client = _client(app.url)
        long_job = _generate(client, 10, 1)
        people.wait(lambda js: js and js[0].state == "running" and js[0].stage in ("sound", "render", "safety"),
                    what="a render")
        short_job = _generate(client, 2, 2)
        victim = people.jobs()[0]
        kill_all([_pid(victim)])
        assert httpx.get(app.url, timeout=10).status_code == 200  # the page keeps serving
        jobs = people.wait(lambda js: len(js) == 2 and all(j.finished for j in js), what="both jobs")
        first, second = jobs
        assert first.state == "done" and first.attempts == 2, first
        assert second.state == "done" and second.attempts == 1, second
        # The page that asked for the clip followed the job through its retry.
        assert first.result["clip_id"] in long_job.result(timeout=60)[1]  # the provenance names the clip
        assert second.result["clip_id"] in short_job.result(timeout=60)[1]
        stored = {o.key for o in people.studio.store.objects.list("clips/")}
        assert stored == {f"clips/{j.result['clip_id']}.mp4" for j in jobs}  # nothing of the killed attempt
        deadline = time.monotonic() + 120
        while len(worker_pids(app.proc.pid)) < 2:  # the killed worker was replaced
            assert time.monotonic() < deadline, app.log()
            time.sleep(0.5)
    finally:
        app.stop()


def test_a_revoke_stops_a_render_on_a_worker_and_no_object_of_the_cameo_remains(deployment, people, tmp_path):
    app = _app(deployment, tmp_path, gpu_workers=2)
    try:
        client = _client(app.url)
        pending = _generate(client, 10, 3)
        people.wait(lambda js: js and js[0].state == "running" and js[0].stage in ("sound", "render"),
                    what="a render")
        revoked_at = time.monotonic()
        people.studio.ledger.revoke(people.studio.store.account("alice"), people.cameo)
        (job,) = people.wait(lambda js: js[0].finished, timeout_s=60, what="the revoke to stop the job")
        assert job.state == "failed" and job.code == "consent_revoked", job
        assert time.monotonic() - revoked_at < 30
        with pytest.raises(Exception, match="revoked"):
            pending.result(timeout=60)
        keys = [o.key for o in people.studio.store.objects.list()]
        assert not any(people.cameo in k for k in keys) and not any(k.startswith("clips/") for k in keys), keys
    finally:
        app.stop()


def test_a_web_process_killed_with_jobs_queued_and_running_loses_none(deployment, people, tmp_path):
    app = _app(deployment, tmp_path, gpu_workers=1)
    try:
        client = _client(app.url)
        for seed in range(3):
            _generate(client, 2, seed)
        people.wait(lambda js: len(js) == 3 and any(j.state == "running" for j in js), what="one running")
        old_workers = worker_pids(app.proc.pid)
        app.kill()
        assert old_workers
        # Its workers see their parent gone and stop after the job they are running.
        wait_gone(old_workers, 120)
        assert sum(j.state == "queued" for j in people.jobs()) >= 1
        app = _app(deployment, tmp_path, gpu_workers=1, name="app-restarted")
        jobs = people.wait(lambda js: all(j.finished for j in js), what="every job after the restart")
        assert [j.state for j in jobs] == ["done"] * 3, jobs
        assert len(people.studio.store.objects.list("clips/")) == 3
    finally:
        app.stop()


def test_a_broker_stopped_for_seconds_loses_nothing_the_page_says_so_and_jobs_resume(tmp_path):
    with redis_server(tmp_path / "redis") as broker:
        env = studio_env(tmp_path, f"sqlite:///{tmp_path / 'studio.db'}", broker.url, str(tmp_path / "media"))
        people = People(env)
        app = _app(env, tmp_path, gpu_workers=1)
        try:
            client = _client(app.url)
            _generate(client, 2, 1).result(timeout=JOB_S)
            broker.stop()
            during = _generate(client, 2, 2)
            people.wait(lambda js: len(js) == 2, what="the second job's row")
            deadline = time.monotonic() + 30
            while "unreachable" not in client.predict(api_name="/jobs")[1]:
                assert time.monotonic() < deadline
                time.sleep(0.5)
            assert httpx.get(app.url, timeout=10).status_code == 200
            second = people.jobs()[1]
            assert second.state == "queued" and second.dispatched_at is None
            time.sleep(3)
            broker.start()
            jobs = people.wait(lambda js: all(j.finished for j in js), what="the job after the broker is back")
            assert [j.state for j in jobs] == ["done", "done"], jobs
            assert jobs[1].result["clip_id"] in during.result(timeout=60)[1]
            deadline = time.monotonic() + 30
            while not client.predict(api_name="/jobs")[1].startswith("Job queue:"):
                assert time.monotonic() < deadline
                time.sleep(0.5)
        finally:
            app.stop()
            people.close()
