"""A worker loop inside the web process, for one queue: the GPU queue on a ZeroGPU Space.

On ZeroGPU a GPU is attached only inside functions decorated with `spaces.GPU`,
called from the Gradio process (pipeline.diffusion wraps its render that way), so
there the GPU queue is served by this thread rather than by worker processes. It
takes the same messages, runs the same task and writes the same job rows as a
worker process would; the CPU queue can still be served by worker processes.
"""
from __future__ import annotations

import logging
import threading

from workers.queues import JobQueue
from workers.tasks import use_studio

IDLE_WAIT_S = 0.5
log = logging.getLogger("cameo.inline")


def start_inline_worker(queue: JobQueue, studio, which: str = "gpu") -> threading.Event:
    """Serve queue `which` in a daemon thread with this process's studio; set the returned event to stop."""
    use_studio(studio)
    huey = queue.huey(which)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                task = huey.dequeue()
            except Exception:  # noqa: BLE001 - broker unreachable: wait and ask again
                log.warning("inline %s worker: queue unreachable", which)
                stop.wait(IDLE_WAIT_S * 4)
                continue
            if task is None:
                stop.wait(IDLE_WAIT_S)
                continue
            try:
                huey.execute(task)
            except Exception:  # noqa: BLE001 - run_job records its own failures; keep serving
                log.exception("inline %s worker: a task raised", which)

    threading.Thread(target=loop, name=f"inline-{which}-worker", daemon=True).start()
    return stop
