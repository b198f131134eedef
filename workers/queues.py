"""The task queues (Huey) and the web process's side of them: submit a job, read it, cancel it.

Two queues, by name: "cpu" (enrollment analysis) and "gpu" (rendering with its sound
and the post-generation chain). The embedded default keeps both in one SQLite file
beside the database (SqliteHuey: no server); a `redis://` URL puts them on a Redis or
Valkey broker that workers on any number of machines consume (RedisHuey).

A message carries a job id and nothing else: the job row (identity.jobs) is the
truth. A job is written first and handed to the queue second, so a broker that is
down loses nothing: the row stays queued and undispatched, `dispatch_pending`
hands it over once the broker answers again, and a duplicate message is harmless
(a worker runs a job only if it moves the row from queued to running itself).
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey

from identity.jobs import Job, JobRecords
from identity.store import Account, Store
from settings import Settings

TASK_NAME = "cameo.run_job"
KIND_QUEUE = {"enroll": "cpu", "generate": "gpu", "voice_sample": "gpu"}  # voices are cloned where clips are made
REDISPATCH_AFTER_S = 900.0  # a queued job handed over this long ago is handed over again (a lost message)
log = logging.getLogger("cameo.queue")


def make_huey(settings: Settings, queue: str) -> Huey:
    """The Huey instance of one queue ("cpu" or "gpu"), on the configured broker."""
    location = settings.queue_location
    name = f"cameo-{queue}"
    if location.startswith(("redis://", "rediss://", "unix://")):
        # Short socket timeouts: a broker that is down must not hold a page or a worker for long.
        from redis import ConnectionPool

        pool = ConnectionPool.from_url(location, socket_timeout=5, socket_connect_timeout=3, health_check_interval=10)
        return RedisHuey(name, connection_pool=pool, results=False)
    if location.startswith("sqlite:///"):
        path = Path(location.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), results=False, timeout=30)
    raise ValueError(f"CAMEO_QUEUE_URL={location!r}: expected redis://host:port/db (or unset for the embedded queue)")


def register(huey: Huey):
    """The one task: run the job with this id (workers.tasks.run_job)."""
    from workers.tasks import run_job

    return huey.task(name=TASK_NAME)(run_job)


@dataclass(frozen=True)
class QueueStatus:
    reachable: bool
    queued: int
    running: int
    message: str


class JobQueue:
    """What the web process does with jobs: write them, hand them to the queue, read them, cancel them."""

    def __init__(self, settings: Settings, store: Store):
        self.settings, self.store = settings, store
        self.records = JobRecords(store.session, store.reader)
        self._tasks = {q: register(make_huey(settings, q)) for q in ("cpu", "gpu")}
        self._reachable = True
        self._lock = threading.Lock()

    def huey(self, queue: str) -> Huey:
        return self._tasks[queue].huey

    # submitting -------------------------------------------------------------------------------------
    def submit(self, kind: str, requester: Account, payload: dict, max_attempts: int = 1) -> Job:
        job = self.records.create(kind, KIND_QUEUE[kind], requester.id, requester.handle, payload, max_attempts)
        self.dispatch(job)
        return job

    def submit_generation(self, requester: Account, request, publish: bool) -> Job:
        """A generation job from a validated `pipeline.job.JobRequest`.

        Its image references travel like recordings: encrypted in the media store, named in the payload
        (a job row holds text, and a worker on another machine reads the same store)."""
        fields = asdict(request)
        keys: list[str] = []
        try:
            fields["ingredients"] = []
            for k, item in enumerate(request.ingredients):
                keys.append(self.store.put_upload(f"{time.time_ns():x}-{requester.id[:8]}-ref{k}.png", item.image_png))
                fields["ingredients"].append({"kind": item.kind, "label": item.label, "sha256": item.sha256,
                                              "upload_key": keys[-1]})
            payload = {"request": fields, "publish": publish, "upload_keys": keys}
            return self.submit("generate", requester, payload, max_attempts=self.settings.generate_attempts)
        except BaseException:
            for key in keys:
                self.store.delete_upload(key)
            raise

    def submit_enrollment(self, requester: Account, recording: Path, challenge_json: str, source: str) -> Job:
        """An enrollment job: the recording goes, encrypted, to the media store for the worker."""
        name = f"{time.time_ns():x}-{requester.id[:8]}{recording.suffix.lower()[:8]}"
        key = self.store.put_upload(name, recording.read_bytes())
        try:
            return self.submit("enroll", requester, {"challenge": challenge_json, "source": source,
                                                     "upload_key": key})
        except BaseException:
            self.store.delete_upload(key)
            raise

    def submit_voice_sample(self, requester: Account) -> Job:
        """The requester's cameo voice saying a line, made by a GPU-queue worker (where the voice-cloning
        model lives), never in the web process; the result is a WAV in the media store for the page to fetch."""
        return self.submit("voice_sample", requester, {})

    def take_voice_sample(self, job: Job) -> bytes:
        """A finished voice sample's WAV; it is not kept once read (the media sweep takes one never read)."""
        key = (job.result or {}).get("upload_key")
        if job.state != "done" or not key:
            raise ValueError(f"job {job.id} has no voice sample")
        try:
            return self.store.read_upload(key)
        finally:
            self.store.delete_upload(key)

    def dispatch(self, job: Job) -> bool:
        """Hand a queued job to its queue; False (and the job stays queued) if the broker is unreachable."""
        try:
            self._tasks[job.queue](job.id)
        except Exception as exc:  # noqa: BLE001 - any broker error: the row is kept, dispatch_pending retries
            self._set_reachable(False, exc)
            return False
        self._set_reachable(True)
        self.records.mark_dispatched(job.id)
        return True

    def dispatch_pending(self) -> int:
        """Hand over every queued job the broker never got (it was down) or lost; returns how many."""
        n = 0
        for job in self.records.undispatched(redispatch_after_s=REDISPATCH_AFTER_S):
            if not self.dispatch(job):
                break
            n += 1
        return n

    def _set_reachable(self, ok: bool, exc: Exception | None = None) -> None:
        with self._lock:
            if ok != self._reachable:
                log.warning("job queue %s", "reachable again" if ok else f"unreachable: {exc!r}")
            self._reachable = ok

    # reading ---------------------------------------------------------------------------------------
    def get(self, job_id: str) -> Job | None:
        return self.records.get(job_id)

    def cancel(self, requester: Account, job_id: str) -> Job:
        return self.records.cancel(requester.id, job_id)

    def ping(self) -> bool:
        """Ask the broker (cheap); remembers the answer for `status`."""
        try:
            self.huey("gpu").pending_count()
        except Exception as exc:  # noqa: BLE001 - unreachable, whatever the reason
            self._set_reachable(False, exc)
            return False
        self._set_reachable(True)
        return True

    @property
    def reachable(self) -> bool:
        """Whether the broker answered the last time it was asked (no query)."""
        return self._reachable

    def status(self) -> QueueStatus:
        counts = self.records.counts()
        if not self._reachable:
            message = ("The job queue is unreachable right now. Your jobs are saved and start as soon as it is "
                       "back; nothing is lost.")
        else:
            message = f"Job queue: {counts['queued']} waiting, {counts['running']} running."
        return QueueStatus(self._reachable, counts["queued"], counts["running"], message)
