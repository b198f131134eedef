"""What a worker does with a job id: claim the row, run the library code of its kind, record how it ended.

The library code is the same the studio always ran (identity.enrollment.Enroller,
pipeline.job.JobRunner); this module only wraps it: a heartbeat thread proves the
worker alive while it runs, progress goes to the row (throttled), and the row is
polled for a cancel on every progress report, so a cancel reaches a render within
about a second, on whichever machine it runs. How the job ended (a result, our
error's message, a cancel, or an unexpected error) is written to the row only
while it is still this attempt's.
"""
from __future__ import annotations

import logging
import os
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from identity.challenge import challenge_from_json
from identity.errors import IdentityError, StudioError
from identity.jobs import Job, JobCancelled, JobRecords
from pipeline.types import Progress, ProgressFn
from pipeline.wav import to_wav

PROGRESS_EVERY_S = 0.5
log = logging.getLogger("cameo.worker")


@dataclass
class WorkerContext:
    """What one worker process holds: the settings, the studio's services (models loaded once), its name."""

    settings: object  # settings.Settings
    studio: object  # pipeline.studio.Studio
    records: JobRecords
    name: str


_context: WorkerContext | None = None
_context_lock = threading.RLock()


def use_studio(studio) -> WorkerContext:
    """Run jobs with an existing studio (the inline GPU worker in the web process, tests)."""
    global _context
    with _context_lock:
        _context = WorkerContext(studio.settings, studio, JobRecords(studio.store.session, studio.store.reader),
                                 f"{socket.gethostname()}:{os.getpid()}")
        return _context


def context(queue: str = "gpu") -> WorkerContext:
    """This process's worker context, built from the settings on first use; a worker of the GPU queue
    loads the video and voice models now (a CPU worker never renders, so it never loads them)."""
    if _context is None:
        from pipeline.studio import build_studio
        from settings import load_settings

        studio = build_studio(load_settings(), warm_up="now" if queue == "gpu" else "off")
        with _context_lock:
            if _context is None:
                use_studio(studio)
    return _context


def warm_up() -> None:
    """Load the models a job loads lazily (the prompt classifier), so the first job does not wait for them."""
    from safety.policy import check_prompt

    check_prompt("a walk on the beach at sunset", [])


class Heartbeat:
    """A thread that keeps the job row's heartbeat fresh while the job runs; notes when the row is lost."""

    def __init__(self, records: JobRecords, job: Job, every_s: float):
        self.records, self.job, self.every_s = records, job, every_s
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{job.id[:8]}", daemon=True)

    def _beat(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                if not self.records.heartbeat(self.job):
                    self.lost.set()
                    return
            except Exception:  # noqa: BLE001 - a busy database: try again at the next beat
                log.exception("heartbeat of job %s failed", self.job.id)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every_s + 5)


def progress_reporter(records: JobRecords, job: Job, heartbeat: Heartbeat | None = None) -> ProgressFn:
    """Progress into the row, at most every PROGRESS_EVERY_S; raises JobCancelled when the job must stop."""
    last = [0.0]

    def report(p: Progress) -> None:
        now = time.monotonic()
        if heartbeat is not None and heartbeat.lost.is_set():
            raise JobCancelled("job_cancelled", "this job was taken over by another attempt")
        if now - last[0] < PROGRESS_EVERY_S and p.step < p.total:
            return
        last[0] = now
        if not records.progress(job, p.stage, p.step, p.total):
            raise JobCancelled("job_cancelled", records.should_stop(job) or "cancelled")
    return report


def _requester(ctx: WorkerContext, job: Job):
    try:
        account = ctx.studio.store.account(job.requester_handle)
    except IdentityError:
        account = None
    if account is None or account.id != job.requester_id:
        raise JobCancelled("no_account", "cancelled: the account that asked for this job no longer exists")
    return account


def run_enrollment(ctx: WorkerContext, job: Job, report: ProgressFn) -> dict:
    """Judge the uploaded recording against its challenge (identity.enrollment.Enroller.enroll)."""
    key = job.payload["upload_key"]
    try:
        requester = _requester(ctx, job)
        challenge = challenge_from_json(job.payload["challenge"])
        if challenge.handle != requester.handle:
            raise IdentityError("wrong_challenge", "this challenge was issued to another account; start a new "
                                                   "enrollment")
        report(Progress("analysing", 1, 2))
        store = ctx.studio.store
        with tempfile.TemporaryDirectory(prefix="cameo-enroll-") as tmp:
            path = Path(tmp) / ("recording" + Path(key).suffix)
            path.write_bytes(store.read_upload(key))
            rerecord = store.active_cameo_of(requester) is not None
            verdict = ctx.studio.enroller.enroll(path, challenge, source=job.payload.get("source", "webcam"),
                                                 rerecord=rerecord)
    finally:
        ctx.studio.store.delete_upload(key)  # the raw recording is never kept
    return verdict.to_dict()


def run_generation(ctx: WorkerContext, job: Job, report: ProgressFn) -> dict:
    """Make, check, mark, sign and store one clip (pipeline.job.JobRunner.run) under this job's guard."""
    from pipeline.ingredients import Ingredient
    from pipeline.job import JobRequest

    store = ctx.studio.store
    fields = dict(job.payload["request"])
    fields["handles"] = tuple(fields["handles"])
    try:
        fields["ingredients"] = tuple(Ingredient(i["kind"], i["label"], store.read_upload(i["upload_key"]), i["sha256"])
                                      for i in fields.get("ingredients", ()))
        request = JobRequest(**fields)
        out = ctx.studio.jobs.run(_requester(ctx, job), request, publish=bool(job.payload.get("publish")),
                                  on_progress=report, guard=ctx.records.guard(job))
    finally:  # the attempt that ends the job deletes them; a dead worker's are the reaper's
        if not ctx.records.retried(job):  # an attempt presumed dead that ran on: its retry still needs them
            for key in job.payload.get("upload_keys", ()):
                store.delete_upload(key)
    return {"clip_id": out.clip.id}


def run_voice_sample(ctx: WorkerContext, job: Job, report: ProgressFn) -> dict:
    """The requester's cameo voice saying a line (pipeline.job.JobRunner.voice_sample, under a grant), as a
    WAV in the media store: a finished job's row holds its key, never the audio."""
    report(Progress("speaking", 1, 2))
    audio, rate = ctx.studio.jobs.voice_sample(_requester(ctx, job))
    return {"upload_key": ctx.studio.store.put_upload(f"{job.id}-voice.wav", to_wav(audio, rate))}


HANDLERS = {"enroll": run_enrollment, "generate": run_generation, "voice_sample": run_voice_sample}


def run_job(job_id: str) -> None:
    """The queue's one task: run the job with this id, if it is still queued."""
    ctx = context()
    job = ctx.records.claim(job_id, ctx.name)
    if job is None:
        log.info("job %s is not queued (done, cancelled or taken): skipped", job_id)
        return
    log.info("job %s (%s, attempt %d) started", job.id, job.kind, job.attempts)
    with Heartbeat(ctx.records, job, ctx.settings.job_heartbeat_s) as beat:
        try:
            result = HANDLERS[job.kind](ctx, job, progress_reporter(ctx.records, job, beat))
        except JobCancelled as exc:
            ctx.records.mark_cancelled(job, exc.message)
            log.info("job %s stopped: %s", job.id, exc.message)
        except StudioError as exc:
            ctx.records.fail(job, exc.code, exc.message)
            log.info("job %s failed: %s", job.id, exc.message)
        except Exception as exc:  # noqa: BLE001 - the person gets a message, the log gets the trace
            log.exception("job %s failed unexpectedly", job.id)
            ctx.records.fail(job, "internal_error", f"Something went wrong on our side ({type(exc).__name__}); "
                                                    "nothing was stored. Please try again.")
        else:
            if not ctx.records.finish(job, result):
                log.warning("job %s finished, but it was no longer this attempt's", job.id)
            else:
                log.info("job %s done", job.id)
