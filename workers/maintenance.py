"""Keeping the queue honest: hand over jobs the broker missed, and reap jobs whose worker died.

Runs as a thread in the web process and in every worker process; every step is a
conditional update on the job rows, so any number of them can run at once.
"""
from __future__ import annotations

import logging
import threading
import time

from identity.jobs import Reaped, upload_keys_of
from workers.queues import JobQueue

EVERY_S = 2.0
log = logging.getLogger("cameo.maintenance")


def maintain_once(queue: JobQueue, stale_after_s: float) -> Reaped:
    reaped = queue.records.reap(stale_after_s)
    for job_id in reaped.requeued:
        log.warning("job %s lost its worker: queued again", job_id)
    for job_id in reaped.failed:
        log.warning("job %s lost its worker: failed", job_id)
        job = queue.get(job_id)
        for key in upload_keys_of(job.payload) if job else ():
            queue.store.delete_upload(key)  # a recording or a reference nobody will use now is not kept
    if not queue.dispatch_pending():
        queue.ping()
    return reaped


def sweep_orphan_media(queue: JobQueue) -> list[str]:
    """Media left behind by a revoke, an enrollment or a save cut short (identity.store.purge_orphan_media)."""
    removed = queue.store.purge_orphan_media()
    if removed:
        log.info("removed the media of %d cameos, clips or uploads that no longer exist", len(removed))
    return removed


def start_maintenance(queue: JobQueue, stale_after_s: float, every_s: float = EVERY_S,
                      sweep_media_every_s: float | None = None) -> threading.Event:
    """Run `maintain_once` every `every_s` in a daemon thread, and with `sweep_media_every_s` also sweep
    orphaned media (first soon after start, in this thread, so nothing waits for a bucket's listing);
    set the returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        next_sweep = time.monotonic() + every_s
        while not stop.wait(every_s):
            try:
                maintain_once(queue, stale_after_s)
                if sweep_media_every_s is not None and time.monotonic() >= next_sweep:
                    next_sweep = time.monotonic() + sweep_media_every_s
                    sweep_orphan_media(queue)
            except Exception:  # noqa: BLE001 - a database, bucket or broker hiccup: the next pass retries
                log.exception("queue maintenance failed")

    threading.Thread(target=loop, name="queue-maintenance", daemon=True).start()
    return stop
