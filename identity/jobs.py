"""Job records: the truth about every job (queued, running with stage and progress, done, failed, cancelled).

The task queue only carries a job's id; this table says what the job is, who asked,
where it stands and why it ended. Every change is a conditional UPDATE, so the
web process, any number of workers and the reaper can act on the same row without
a lock manager: a worker runs a job only if it moved it from queued to running
itself (`claim`), and its later writes hold only while the row still carries its
attempt token (a job taken back by the reaper cannot be finished by the old
attempt). Cancellation is a flag the worker polls, like the consent grant, and
checks once more inside the transaction that would store the result (`guard`).

A worker proves it is alive by a heartbeat in the row; `reap` turns a running job
whose heartbeat stopped (SIGKILL, segfault, out of memory, a lost machine) into a
queued one for one more attempt, or into a failed one with a message saying so.

These rows live with the other tables in identity/ (one database, one migration
chain); nothing here depends on the queue engine.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy import Boolean, Float, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from identity.db import Base
from identity.errors import StudioError

JOB_STATES = ("queued", "running", "done", "failed", "cancelled")
FINISHED = ("done", "failed", "cancelled")
QUEUES = ("cpu", "gpu")
# A worker that stopped: failed, or queued again while attempts remain.
DIED = ("the worker running this job stopped (killed, crashed or out of memory) {n} time{s}; nothing of it was "
        "stored")


class JobCancelled(StudioError):
    """The job was cancelled, or taken over by another attempt: stop, and store nothing."""


class JobRow(Base):
    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # enroll | generate
    queue: Mapped[str] = mapped_column(String(16))  # cpu | gpu
    requester_id: Mapped[str] = mapped_column(String(32), index=True)  # no foreign key: rows outlive accounts
    requester_handle: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # JSON: what the worker needs (ids and parameters, no media)
    state: Mapped[str] = mapped_column(String(16), index=True)
    stage: Mapped[str] = mapped_column(String(32), default="")
    step: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str | None] = mapped_column(String(64), nullable=True)  # why it failed, for programs
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # why it failed or stopped, for people
    result: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON: clip id, enrollment verdict, ...
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=1)
    token: Mapped[str | None] = mapped_column(String(32), nullable=True)  # the running attempt's
    worker: Mapped[str | None] = mapped_column(String(128), nullable=True)  # host:pid of the running attempt
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[float] = mapped_column(Float, index=True)
    dispatched_at: Mapped[float | None] = mapped_column(Float, nullable=True)  # last handed to the queue
    started_at: Mapped[float | None] = mapped_column(Float, nullable=True)  # first attempt's start
    heartbeat_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    finished_at: Mapped[float | None] = mapped_column(Float, nullable=True)


@dataclass(frozen=True)
class Job:
    id: str
    kind: str
    queue: str
    requester_id: str
    requester_handle: str
    payload: dict
    state: str
    stage: str
    step: int
    total: int
    code: str | None
    reason: str | None
    result: dict | None
    attempts: int
    max_attempts: int
    token: str | None
    worker: str | None
    cancel_requested: bool
    created_at: float
    dispatched_at: float | None
    started_at: float | None
    heartbeat_at: float | None
    finished_at: float | None

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def fraction(self) -> float:
        return min(1.0, self.step / self.total) if self.total else 0.0

    @property
    def queue_wait_s(self) -> float | None:
        return self.started_at - self.created_at if self.started_at else None


def _to_job(row: JobRow) -> Job:
    return Job(row.id, row.kind, row.queue, row.requester_id, row.requester_handle, json.loads(row.payload),
               row.state, row.stage or "", row.step or 0, row.total or 0, row.code, row.reason,
               json.loads(row.result) if row.result else None, row.attempts or 0, row.max_attempts or 1, row.token,
               row.worker, bool(row.cancel_requested), row.created_at, row.dispatched_at, row.started_at,
               row.heartbeat_at, row.finished_at)


@dataclass(frozen=True)
class Reaped:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def cancel_jobs_of(s: Session, account_id: str, reason: str) -> list[str]:
    """Inside another transaction (an account deletion): cancel every unfinished job the account asked for."""
    ids = list(s.scalars(select(JobRow.id).where(JobRow.requester_id == account_id,
                                                 JobRow.state.in_(("queued", "running")))))
    _cancel(s, ids, reason)
    return ids


def _cancel(s: Session, ids: list[str], reason: str) -> None:
    now = time.time()
    if not ids:
        return
    # Queued jobs end here; running ones are told to stop (their worker polls the flag and ends them).
    s.execute(update(JobRow).where(JobRow.id.in_(ids), JobRow.state == "queued")
              .values(state="cancelled", reason=reason, code="cancelled", finished_at=now, cancel_requested=True))
    s.execute(update(JobRow).where(JobRow.id.in_(ids), JobRow.state == "running")
              .values(cancel_requested=True, reason=reason))


def upload_keys_of(payload: dict) -> list[str]:
    """Every upload a job's payload names: an enrollment's recording, a generation's image references."""
    return [k for k in [payload.get("upload_key"), *payload.get("upload_keys", ())] if k]


def live_upload_names(s: Session) -> set[str]:
    """Object names under uploads/ that an unfinished job still needs (the rest are orphans)."""
    names = set()
    for payload in s.scalars(select(JobRow.payload).where(JobRow.state.in_(("queued", "running")))):
        names.update(key.removeprefix("uploads/") for key in upload_keys_of(json.loads(payload)))
    return names


class JobRecords:
    """Every read and write of job rows; `writer` and `reader` are the store's session makers."""

    def __init__(self, writer: sessionmaker, reader: sessionmaker):
        self._session, self._reader = writer, reader

    # the web process ----------------------------------------------------------------------------
    def create(self, kind: str, queue: str, requester_id: str, requester_handle: str, payload: dict,
               max_attempts: int = 1) -> Job:
        if queue not in QUEUES:
            raise ValueError(f"queue must be one of {QUEUES}, not {queue!r}")
        row = JobRow(id=uuid.uuid4().hex, kind=kind, queue=queue, requester_id=requester_id,
                     requester_handle=requester_handle, payload=json.dumps(payload, sort_keys=True), state="queued",
                     stage="queued", step=0, total=0, attempts=0, max_attempts=max_attempts, cancel_requested=False,
                     created_at=time.time())
        with self._session.begin() as s:
            s.add(row)
        return _to_job(row)

    def mark_dispatched(self, job_id: str) -> None:
        with self._session.begin() as s:
            s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == "queued")
                      .values(dispatched_at=time.time()))

    def get(self, job_id: str) -> Job | None:
        with self._reader() as s:
            row = s.get(JobRow, job_id)
            return _to_job(row) if row else None

    def of(self, requester_id: str, limit: int = 20) -> list[Job]:
        with self._reader() as s:
            rows = s.scalars(select(JobRow).where(JobRow.requester_id == requester_id)
                             .order_by(JobRow.created_at.desc()).limit(limit))
            return [_to_job(r) for r in rows]

    def undispatched(self, older_than_s: float = 0.0, redispatch_after_s: float | None = None) -> list[Job]:
        """Queued jobs never handed to the queue (it was down), or handed over long ago and still waiting."""
        now = time.time()
        with self._reader() as s:
            cond = JobRow.dispatched_at.is_(None)
            if redispatch_after_s is not None:
                cond = cond | (JobRow.dispatched_at < now - redispatch_after_s)
            rows = s.scalars(select(JobRow).where(JobRow.state == "queued", cond,
                                                  JobRow.created_at <= now - older_than_s)
                             .order_by(JobRow.created_at))
            return [_to_job(r) for r in rows]

    def cancel(self, requester_id: str, job_id: str, reason: str = "cancelled by you") -> Job:
        with self._session.begin() as s:
            row = s.get(JobRow, job_id)
            if row is None or row.requester_id != requester_id:
                raise JobCancelled("no_job", "no such job among yours")
            if row.state in FINISHED:
                raise JobCancelled("job_finished", f"this job is already {row.state}")
            _cancel(s, [job_id], reason)
        return self.get(job_id)

    def counts(self) -> dict[str, int]:
        with self._reader() as s:
            out = {state: 0 for state in JOB_STATES}
            for state in s.scalars(select(JobRow.state).where(JobRow.state.in_(("queued", "running")))):
                out[state] += 1
            return out

    # the worker ----------------------------------------------------------------------------------
    def claim(self, job_id: str, worker: str) -> Job | None:
        """queued -> running for this attempt; None if the job is not queued (done, cancelled, taken)."""
        token, now = uuid.uuid4().hex, time.time()
        with self._session.begin() as s:
            row = s.get(JobRow, job_id)
            if row is None or row.state != "queued":
                return None
            res = s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == "queued")
                            .values(state="running", token=token, worker=worker, attempts=JobRow.attempts + 1,
                                    started_at=row.started_at or now, heartbeat_at=now, stage="starting"))
            if res.rowcount != 1:
                return None
        return self.get(job_id)

    def _mine(self, job: Job):
        return (JobRow.id == job.id) & (JobRow.token == job.token) & (JobRow.state == "running")

    def heartbeat(self, job: Job) -> bool:
        """Still alive; False if the job is no longer this attempt's (reaped, or ended elsewhere)."""
        with self._session.begin() as s:
            return s.execute(update(JobRow).where(self._mine(job)).values(heartbeat_at=time.time())).rowcount == 1

    def progress(self, job: Job, stage: str, step: int, total: int) -> bool:
        """Record progress; False if the job should stop (cancel asked, or not this attempt's any more)."""
        with self._session.begin() as s:
            res = s.execute(update(JobRow).where(self._mine(job))
                            .values(stage=stage, step=step, total=total, heartbeat_at=time.time()))
            if res.rowcount != 1:
                return False
            return not s.scalar(select(JobRow.cancel_requested).where(JobRow.id == job.id))

    def should_stop(self, job: Job) -> str | None:
        """Why this attempt must stop now (cancelled, or taken over), or None."""
        with self._reader() as s:
            row = s.get(JobRow, job.id)
            return _stop_reason(row, job)

    def retried(self, job: Job) -> bool:
        """Another attempt has this job now (queued again, or running under another token): the job's
        uploads are that attempt's to use and to delete, not this one's."""
        with self._reader() as s:
            row = s.get(JobRow, job.id)
            return row is not None and row.state in ("queued", "running") and row.token != job.token

    def guard(self, job: Job):
        """A check for the storing transaction: lock the job row, refuse if cancelled or taken over."""
        def check(s: Session) -> None:
            row = s.scalar(select(JobRow).where(JobRow.id == job.id).with_for_update())
            why = _stop_reason(row, job)
            if why:
                raise JobCancelled("job_cancelled", why)
        return check

    def finish(self, job: Job, result: dict) -> bool:
        return self._end(job, "done", result=result)

    def fail(self, job: Job, code: str, reason: str) -> bool:
        return self._end(job, "failed", code=code, reason=reason)

    def mark_cancelled(self, job: Job, reason: str | None = None) -> bool:
        with self._session.begin() as s:
            row = s.get(JobRow, job.id)
            why = reason or (row.reason if row is not None else None) or "cancelled"
        return self._end(job, "cancelled", code="cancelled", reason=why)

    def _end(self, job: Job, state: str, *, result: dict | None = None, code: str | None = None,
             reason: str | None = None) -> bool:
        values = dict(state=state, finished_at=time.time(), token=None, code=code, reason=reason)
        if result is not None:
            values["result"] = json.dumps(result, sort_keys=True)
        if state == "done":
            values["stage"] = "done"
            values["step"] = values["total"] = 1
        with self._session.begin() as s:
            return s.execute(update(JobRow).where(self._mine(job)).values(**values)).rowcount == 1

    # the reaper ----------------------------------------------------------------------------------
    def reap(self, stale_after_s: float, now: float | None = None) -> Reaped:
        """Running jobs whose heartbeat is older than `stale_after_s`: queued again for one more attempt
        while attempts remain, else failed saying the worker stopped."""
        now = time.time() if now is None else now
        out = Reaped()
        with self._reader() as s:  # the common case, nothing stale, takes no write lock
            if s.scalar(select(JobRow.id).where(JobRow.state == "running",
                                                JobRow.heartbeat_at < now - stale_after_s).limit(1)) is None:
                return out
        with self._session.begin() as s:
            stale = list(s.scalars(select(JobRow).where(JobRow.state == "running",
                                                        JobRow.heartbeat_at < now - stale_after_s)))
            for row in stale:
                mine = (JobRow.id == row.id) & (JobRow.token == row.token) & (JobRow.state == "running")
                n = row.attempts or 1
                died = DIED.format(n=n, s="" if n == 1 else "s")
                if row.cancel_requested:
                    values = dict(state="cancelled", code="cancelled", finished_at=now, token=None)
                    bucket = out.failed
                elif n < (row.max_attempts or 1):
                    values = dict(state="queued", stage="queued", step=0, total=0, token=None, worker=None,
                                  dispatched_at=None, reason="queued again: " + died)
                    bucket = out.requeued
                else:
                    values = dict(state="failed", code="worker_died", reason=died, finished_at=now, token=None)
                    bucket = out.failed
                if s.execute(update(JobRow).where(mine).values(**values)).rowcount == 1:
                    bucket.append(row.id)
        return out


def _stop_reason(row: JobRow | None, job: Job) -> str | None:
    if row is None:
        return "this job no longer exists"
    if row.cancel_requested:
        return row.reason or "cancelled"
    if row.state != "running" or row.token != job.token:
        return "this job was taken over by another attempt"
    return None
