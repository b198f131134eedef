"""Jobs as the web process sees them: wait for one with live progress, list mine, cancel, say if the queue is down.

The web process never runs a job: it reads the job's row (written by a worker) every
half second and turns it into the progress bar. A page that is closed or a web
process that restarts does not stop a job; its result is in "My jobs".
"""
from __future__ import annotations

import asyncio
import time

import anyio
import gradio as gr

from identity.jobs import Job
from identity.store import Account
from workers.queues import JobQueue
from ui.words import current_language, refuse, say, titled
from identity.locale import render

POLL_S = 0.5
STAGES = {"queued": "Waiting for a worker", "starting": "Starting", "analysing": "Checking your recording",
          "sound": "Voices and sound", "render": "Rendering", "safety": "Safety checks", "marks": "Watermarks",
          "save": "Signing and saving", "speaking": "Speaking in your cameo's voice", "done": "Done"}
KINDS = {"enroll": "enrollment", "generate": "clip", "voice_sample": "voice sample"}
JOB_COLUMNS = ["when", "job", "what", "state", "progress", "note"]


def describe(job: Job, queue: JobQueue) -> str:
    """One line on where a job stands, for the progress bar and the jobs table."""
    if job.state == "queued":
        if not queue.reachable or job.dispatched_at is None:
            return say("The job queue is unreachable right now: your job is saved and starts as soon as it is back")
        note = f" ({job.reason})" if job.reason else ""
        return say("Waiting for a worker") + note
    if job.state == "running":
        stage = say(STAGES.get(job.stage, job.stage))
        return stage + (say(" (attempt {n})", n=job.attempts) if job.attempts > 1 else "")
    return _reason(job) or say(STAGES.get(job.state, job.state))


def _reason(job: Job) -> str:
    """Why a job failed, in the session's language where its code says it without parameters (a job keeps
    its code and its English reason, not the parameters)."""
    return render(job.code or "", {}, job.reason, current_language()) if job.reason else ""


async def wait_for(queue: JobQueue, job_id: str, progress: gr.Progress | None = None) -> Job:
    """Poll the job's row until it has finished, showing its stage and progress."""
    while True:
        job = await anyio.to_thread.run_sync(queue.get, job_id)
        if job is None:
            raise refuse("This job no longer exists.")
        if job.finished:
            return job
        if progress is not None:
            progress((job.step, job.total) if job.total else 0.0, desc=describe(job, queue))
        await asyncio.sleep(POLL_S)


def wait_sync(queue: JobQueue, job_id: str, timeout_s: float = 600.0) -> Job:
    """The same, blocking (commands and tests)."""
    deadline = time.monotonic() + timeout_s
    while True:
        job = queue.get(job_id)
        if job is not None and job.finished:
            return job
        if time.monotonic() > deadline:
            raise TimeoutError(f"job {job_id} did not finish in {timeout_s:.0f} s (last seen: {job})")
        time.sleep(POLL_S / 2)


def outcome(job: Job) -> dict:
    """A finished job's result, or the error a person reads (failed or cancelled)."""
    if job.state == "done":
        return job.result or {}
    if job.state == "cancelled":
        raise refuse("Stopped: {why}. Nothing was stored.", why=_reason(job) or say("cancelled"))
    raise gr.Error(_reason(job) or say("The job failed; nothing was stored."))


def _when(t: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(t))


def job_rows(queue: JobQueue, acc: Account | None) -> list[list]:
    if acc is None:
        return []
    rows = []
    for job in queue.records.of(acc.id):
        done = f"{round(100 * job.fraction)}%" if job.state == "running" else ""
        clip = (job.result or {}).get("clip_id") or ""
        note = say("clip {clip}", clip=clip) if clip else ("" if job.state == "done" else describe(job, queue))
        rows.append([_when(job.created_at), job.id[:8], say(KINDS.get(job.kind, job.kind)), say(job.state), done, note])
    return rows


def jobs_view(queue: JobQueue, acc: Account | None):
    return titled(job_rows(queue, acc), JOB_COLUMNS), queue.status().message


def cancel_mine(queue: JobQueue, acc: Account, kind: str = "generate", job_id: str | None = None) -> int:
    """Cancel one job of mine (by id or its first characters) or, without one, every unfinished job of a kind."""
    jobs = [j for j in queue.records.of(acc.id, limit=50) if not j.finished]
    if job_id:
        jobs = [j for j in jobs if j.id.startswith(job_id.strip())]
        if not jobs:
            raise refuse("No unfinished job of yours has that id.")
    else:
        jobs = [j for j in jobs if j.kind == kind]
    for job in jobs:
        queue.cancel(acc, job.id)
    return len(jobs)
