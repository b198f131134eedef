"""Start workers on this machine: `python -m workers --queue cpu|gpu [--processes N]`.

A worker machine needs the same DATABASE_URL, CAMEO_QUEUE_URL, CAMEO_MEDIA_URL and
CAMEO_SECRET_KEY as the web process (README, "One studio, many machines").
`--processes N` starts N worker processes and restarts any that dies; `--one` is one
worker in this process (what each of those runs).
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time

from settings import load_settings


def _one(queue: str) -> int:
    from huey.consumer import Consumer

    from workers.local import watch_parent
    from workers.maintenance import start_maintenance
    from workers.queues import JobQueue, make_huey, register
    from workers.tasks import context, warm_up

    settings = load_settings()
    stop = {"asked": False}

    def parent_gone() -> None:
        stop["asked"] = True
        os.kill(os.getpid(), signal.SIGINT)  # Huey's graceful stop: the job in hand is finished first

    watch_parent(parent_gone)
    ctx = context(queue)  # models load now, not in the first job
    if stop["asked"]:
        return 0
    huey = make_huey(settings, queue)
    register(huey)
    start_maintenance(JobQueue(settings, ctx.studio.store), settings.job_stale_s)
    warm_up()
    logging.getLogger("cameo.worker").info("%s worker %s ready on %s", queue, ctx.name, settings.queue_location
                                           if settings.queue_url is None else "the broker")
    # One worker thread per process; more throughput is more processes (or machines).
    Consumer(huey, workers=1, periodic=False, max_delay=1.0, check_worker_health=True).run()
    # Stopped gracefully (the job in hand is finished and recorded). Some libraries leave non-daemon
    # threads behind that would keep the process alive: leave now.
    logging.shutdown()
    os._exit(0)


def _many(queue: str, n: int) -> int:
    from workers.local import LocalWorkers

    workers = LocalWorkers({queue: n}, nice=0).start()
    signal.signal(signal.SIGTERM, lambda *_: (workers.stop(), sys.exit(0)))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        workers.stop(timeout_s=30)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workers", description=__doc__.splitlines()[0])
    parser.add_argument("--queue", choices=("cpu", "gpu"), required=True)
    parser.add_argument("--processes", type=int, default=1, help="worker processes to start and keep running")
    parser.add_argument("--one", action="store_true", help="be one worker, in this process")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(name)s %(levelname)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if args.one:
        return _one(args.queue)
    return _many(args.queue, max(1, args.processes))


if __name__ == "__main__":
    sys.exit(main())
