"""Jobs through the task queue, in one process: the test plays the web process and serves the queues with
the inline worker loop (workers.inline, as on a ZeroGPU Space). Worker processes, their deaths and the
broker's are tests/test_workers.py.

Job rows are the truth: queued, running with stage and progress, done with the clip, failed with a
reason, cancelled; a cancel reaches a running render and nothing of it is stored.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from identity.jobs import JobCancelled, JobRecords
from pipeline.job import parse_request
from pipeline.preview import PreviewBackend
from pipeline.studio import build_studio
from tests.cameo_factory import enroll_real
from tests.studio_env import settings_from, studio_env
from ui.jobs import wait_sync
from workers.inline import start_inline_worker
from workers.maintenance import maintain_once
from workers.queues import JobQueue

ADULT = time.gmtime().tm_year - 30


@pytest.fixture()
def web(tmp_path: Path, deployment_urls):
    """A studio, its JobQueue, alice (cameo open to everyone) and bob; no worker yet."""
    settings = settings_from(studio_env(tmp_path, *deployment_urls))
    studio = build_studio(settings, backend=PreviewBackend())
    queue = JobQueue(settings, studio.store)
    cameo = enroll_real(studio.store, studio.enroller.backend, "alice", birth_year=ADULT)
    studio.ledger.set_permission(studio.store.account("alice"), cameo, "everyone")
    studio.store.get_or_create_account("bob", ADULT)
    stops = []
    yield studio, queue, stops
    for stop in stops:
        stop.set()
    time.sleep(0.6)
    studio.store.engine.dispose()


def _serve(studio, queue, stops, which=("gpu",)):
    for q in which:
        stops.append(start_inline_worker(queue, studio, q))


def _request(seconds=2):
    return parse_request("@alice waves on a beach at sunset", ["alice"], seconds, "16:9", 7)


def test_a_generation_job_is_queued_then_run_by_a_worker_and_its_clip_stored(web):
    studio, queue, stops = web
    bob = studio.store.account("bob")
    job = queue.submit_generation(bob, _request(), publish=False)
    assert queue.get(job.id).state == "queued" and queue.get(job.id).dispatched_at is not None
    _serve(studio, queue, stops)
    done = wait_sync(queue, job.id, timeout_s=300)
    assert done.state == "done", done
    assert done.attempts == 1 and done.started_at >= done.created_at and done.fraction == 1.0
    clip = studio.library.get(done.result["clip_id"])
    assert clip.status == "draft" and clip.creator_handle == "bob"
    assert studio.store.objects.exists(clip.file)


def test_an_image_reference_reaches_the_worker_through_the_media_store_and_is_not_kept(web, tmp_path):
    from tests.test_job import _product_photo

    studio, queue, stops = web
    photo = _product_photo(tmp_path / "car.png")
    req = parse_request("@alice waves next to the blue car", ["alice"], 2, "16:9", 7, style="vintage film",
                        ingredients=[(photo, "product", "the blue car")])
    job = queue.submit_generation(studio.store.account("bob"), req, publish=False)
    row = queue.get(job.id)
    assert "image_png" not in str(row.payload) and len(row.payload["upload_keys"]) == 1  # a key, not the picture
    assert studio.store.read_upload(row.payload["upload_keys"][0]) == req.ingredients[0].image_png  # encrypted there
    _serve(studio, queue, stops)
    done = wait_sync(queue, job.id, timeout_s=300)
    assert done.state == "done", done
    clip = studio.library.get(done.result["clip_id"])
    assert clip.meta["ingredients"] == [{"sha256": req.ingredients[0].sha256, "kind": "product", "label": "the blue car"}]
    assert clip.meta["style"] == "vintage_film"
    assert studio.store.objects.list("uploads/") == []  # the reference went with the job


def test_a_refused_job_fails_with_the_reason_a_person_can_act_on(web):
    studio, queue, stops = web
    studio.ledger.set_permission(studio.store.account("alice"), studio.store.active_cameo_of(
        studio.store.account("alice")).id, "only_me")
    _serve(studio, queue, stops)
    job = queue.submit_generation(studio.store.account("bob"), _request(), publish=False)
    done = wait_sync(queue, job.id, timeout_s=300)
    assert done.state == "failed" and done.code == "consent_refused" and "@alice" in done.reason
    assert studio.store.objects.list("clips/") == []


def test_a_job_cancelled_while_queued_never_runs(web):
    studio, queue, stops = web
    bob = studio.store.account("bob")
    job = queue.submit_generation(bob, _request(), publish=False)
    assert queue.cancel(bob, job.id).state == "cancelled"
    _serve(studio, queue, stops)
    time.sleep(3)
    after = queue.get(job.id)
    assert after.state == "cancelled" and after.attempts == 0 and after.reason == "cancelled by you"
    assert studio.store.objects.list("clips/") == []


def test_a_cancel_stops_a_running_render_within_seconds_and_nothing_is_stored(web):
    studio, queue, stops = web
    bob = studio.store.account("bob")
    _serve(studio, queue, stops)
    job = queue.submit_generation(bob, _request(seconds=10), publish=False)
    deadline = time.monotonic() + 300
    while queue.get(job.id).state != "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    asked = time.monotonic()
    queue.cancel(bob, job.id)
    done = wait_sync(queue, job.id, timeout_s=120)
    assert done.state == "cancelled" and done.reason == "cancelled by you", done
    assert time.monotonic() - asked < 15
    assert studio.store.objects.list("clips/") == [] and studio.library.made_by(bob) == []


def test_another_account_cannot_cancel_my_job(web):
    studio, queue, _ = web
    job = queue.submit_generation(studio.store.account("bob"), _request(), publish=False)
    with pytest.raises(JobCancelled, match="no such job"):
        queue.cancel(studio.store.account("alice"), job.id)
    assert queue.get(job.id).state == "queued"


def test_deleting_an_account_cancels_its_jobs(web):
    from identity.accounts import delete_account

    studio, queue, _ = web
    bob = studio.store.account("bob")
    job = queue.submit_generation(bob, _request(), publish=False)
    delete_account(studio.store, bob)
    after = queue.get(job.id)
    assert after.state == "cancelled" and "deleted" in after.reason


def test_an_enrollment_job_judges_the_recording_and_the_recording_is_not_kept(web, tmp_path):
    from identity.enrollment import Verdict

    studio, queue, stops = web
    carol = studio.store.get_or_create_account("carol", ADULT)
    ch = studio.enroller.new_challenge("carol")
    bad = tmp_path / "upload.webm"
    bad.write_bytes(b"not a video at all")
    job = queue.submit_enrollment(carol, bad, ch.to_json(), "webcam")
    assert [o.key for o in studio.store.objects.list("uploads/")] == [job.payload["upload_key"]]
    assert b"not a video" not in studio.store.objects.get(job.payload["upload_key"])  # encrypted at rest
    _serve(studio, queue, stops, ("cpu",))
    done = wait_sync(queue, job.id, timeout_s=300)
    verdict = Verdict.from_dict(done.result)
    assert done.state == "done" and not verdict.ok and "could not be read as a video" in verdict.reasons[0]
    assert studio.store.challenge_used(ch.id)
    assert studio.store.objects.list("uploads/") == []


# the records on their own ------------------------------------------------------------------------
@pytest.fixture()
def records(store):
    return JobRecords(store.session, store.reader)


def test_only_one_worker_claims_a_job(records):
    job = records.create("generate", "gpu", "a" * 32, "bob", {})
    first, second = records.claim(job.id, "w1"), records.claim(job.id, "w2")
    assert first is not None and first.state == "running" and first.worker == "w1" and second is None


def test_a_job_whose_worker_went_silent_is_tried_once_more_then_failed(records):
    job = records.create("generate", "gpu", "a" * 32, "bob", {}, max_attempts=2)
    first = records.claim(job.id, "w1")
    later = time.time() + 100
    assert records.reap(stale_after_s=30, now=later).requeued == [job.id]
    again = records.get(job.id)
    assert again.state == "queued" and again.dispatched_at is None and "stopped" in again.reason
    assert records.heartbeat(first) is False  # the old attempt lost the job
    assert records.finish(first, {"clip_id": "x"}) is False
    second = records.claim(job.id, "w2")
    assert second.attempts == 2
    assert records.reap(stale_after_s=30, now=time.time() + 100).failed == [job.id]
    dead = records.get(job.id)
    assert dead.state == "failed" and dead.code == "worker_died" and "2 times" in dead.reason


def test_a_live_worker_is_not_reaped(records):
    job = records.create("enroll", "cpu", "a" * 32, "bob", {})
    running = records.claim(job.id, "w1")
    assert records.heartbeat(running)
    assert records.reap(stale_after_s=30) == type(records.reap(stale_after_s=30))()
    assert records.get(job.id).state == "running"


def test_the_storing_transaction_refuses_a_cancelled_job(records, store):
    job = records.create("generate", "gpu", "a" * 32, "bob", {})
    running = records.claim(job.id, "w1")
    guard = records.guard(running)
    with store.session.begin() as s:
        guard(s)  # not cancelled: passes
    records.cancel("a" * 32, job.id)
    with pytest.raises(JobCancelled, match="cancelled by you"):
        with store.session.begin() as s:
            guard(s)
    assert records.progress(running, "render", 1, 10) is False


def test_a_job_handed_to_a_broker_that_is_down_stays_queued_and_the_page_says_so(tmp_path, store):
    from settings import Settings

    settings = Settings(data_dir=tmp_path, database_url=str(store.engine.url), face_backend="dlib",
                        insightface_root=tmp_path, allow_upload=True, secret_key=None,
                        queue_url="redis://127.0.0.1:9/0")  # nothing listens on the discard port
    queue = JobQueue(settings, store)
    bob = store.get_or_create_account("bob", ADULT)
    job = queue.submit_generation(bob, _request(), publish=False)
    row = queue.get(job.id)
    assert row.state == "queued" and row.dispatched_at is None
    status = queue.status()
    assert not status.reachable and "unreachable" in status.message and "nothing is lost" in status.message
    assert maintain_once(queue, 60).requeued == [] and queue.get(job.id).dispatched_at is None


def test_an_attempt_presumed_dead_that_runs_on_leaves_the_references_to_its_retry(web, tmp_path):
    """A worker that lost its heartbeat but kept rendering must not delete the image its retry reads."""
    from tests.test_job import _product_photo
    from workers.tasks import WorkerContext, run_generation

    studio, queue, stops = web
    photo = _product_photo(tmp_path / "car.png")
    req = parse_request("@alice waves next to the blue car", ["alice"], 2, "16:9", 7,
                        ingredients=[(photo, "product", "the blue car")])
    job = queue.submit_generation(studio.store.account("bob"), req, publish=False)
    first = queue.records.claim(job.id, "slow-worker")
    assert queue.records.reap(0, now=time.time() + 10).requeued == [job.id]  # its heartbeat looked dead
    ctx = WorkerContext(studio.settings, studio, queue.records, "slow-worker")
    with pytest.raises(JobCancelled):  # it rendered on, but may not store: the job is another attempt's
        run_generation(ctx, first, lambda p: None)
    key = job.payload["upload_keys"][0]
    assert studio.store.read_upload(key) == req.ingredients[0].image_png  # still there for the retry
    _serve(studio, queue, stops)
    done = wait_sync(queue, job.id, timeout_s=300)
    assert done.state == "done" and done.attempts == 2, done
    assert studio.store.objects.list("uploads/") == []  # the attempt that ended the job deleted it


def test_the_reaper_deletes_the_references_of_a_generation_it_fails(web, tmp_path):
    from tests.test_job import _product_photo

    studio, queue, _ = web
    req = parse_request("@alice waves next to the blue car", ["alice"], 2, "16:9", 7,
                        ingredients=[(_product_photo(tmp_path / "car.png"), "product", "the blue car")])
    job = queue.submit_generation(studio.store.account("bob"), req, publish=False)
    for n in range(studio.settings.generate_attempts):
        assert queue.records.claim(job.id, f"worker-{n}") is not None
        maintain_once(queue, stale_after_s=-1)  # every attempt's worker dies
    assert queue.get(job.id).state == "failed"
    assert studio.store.objects.list("uploads/") == []


def test_the_web_process_sweeps_media_that_no_row_owns(web, monkeypatch):
    from workers.maintenance import start_maintenance

    studio, queue, stops = web
    monkeypatch.setattr("identity.store.ORPHAN_GRACE_S", -60)  # every object counts as old enough
    studio.store.objects.put("clips/0123456789abcdef.mp4", b"a save cut short")
    alice = studio.store.active_cameo_of(studio.store.account("alice")).id
    stops.append(start_maintenance(queue, 60, every_s=0.1, sweep_media_every_s=3600))
    deadline = time.monotonic() + 30
    while studio.store.objects.exists("clips/0123456789abcdef.mp4") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not studio.store.objects.exists("clips/0123456789abcdef.mp4")
    assert studio.store.objects.list(f"cameos/{alice}/")  # a live cameo's media stay


def test_a_voice_sample_is_made_by_a_worker_and_handed_over_once(web):
    """"Hear my cameo voice" runs where the voice model lives (a GPU-queue worker), never in the web process."""
    from pipeline.wav import from_wav

    studio, queue, stops = web
    _serve(studio, queue, stops)
    job = queue.submit_voice_sample(studio.store.account("alice"))
    assert job.queue == "gpu"
    done = wait_sync(queue, job.id, timeout_s=300)
    assert done.state == "done", done
    rate, samples = from_wav(queue.take_voice_sample(done))
    assert rate > 8000 and len(samples) > rate // 2 and samples.std() > 100  # about a second of real speech
    assert studio.store.objects.list("uploads/") == []  # not kept once read
    assert studio.store.audit_events()[-1].details["purpose"] == "voice_sample"


def test_a_voice_sample_of_someone_without_a_cameo_fails_in_words(web):
    studio, queue, stops = web
    _serve(studio, queue, stops)
    done = wait_sync(queue, queue.submit_voice_sample(studio.store.account("bob")).id, timeout_s=300)
    assert done.state == "failed" and done.reason and "upload_key" not in (done.result or {})
