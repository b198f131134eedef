"""Worker processes on this machine, started and kept running by a parent (the web process, or
`python -m workers --processes N`).

Each worker is a fresh interpreter (`python -m workers --queue Q --one`), never a
fork, so no model, thread or connection is shared by accident. A worker that exits
(killed, crashed, out of memory) is started again; its job is the reaper's
(workers.maintenance). Workers are told their parent's pid and stop, after the job
they are running, when the parent is gone, so a web process that is restarted
leaves no stray workers behind and loses no job: the queue keeps what is waiting.
In the embedded mode they run at a lower CPU priority than the web process, so
pages stay quick while they work.
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESTART_BACKOFF_S = (1.0, 2.0, 5.0, 10.0, 30.0)
PARENT_ENV = "CAMEO_PARENT_PID"
log = logging.getLogger("cameo.local_workers")


@dataclass
class _Slot:
    queue: str
    proc: subprocess.Popen | None = None
    restarts: int = 0
    started_at: float = 0.0
    history: list[int] = field(default_factory=list)  # exit codes, newest last


class LocalWorkers:
    """Start `counts[queue]` worker processes per queue and keep them running until `stop`."""

    def __init__(self, counts: dict[str, int], env: dict[str, str] | None = None, nice: int = 10,
                 check_every_s: float = 1.0):
        self.slots = [_Slot(q) for q, n in counts.items() for _ in range(n)]
        self.env = {**os.environ, **(env or {}), PARENT_ENV: str(os.getpid())}
        self.nice, self.check_every_s = nice, check_every_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _spawn(self, slot: _Slot) -> None:
        nice = self.nice
        slot.proc = subprocess.Popen([sys.executable, "-m", "workers", "--queue", slot.queue, "--one"], cwd=ROOT,
                                     env=self.env, preexec_fn=(lambda: os.nice(nice)) if nice else None)
        slot.started_at = time.monotonic()
        log.info("started a %s worker (pid %d)", slot.queue, slot.proc.pid)

    def start(self) -> "LocalWorkers":
        for slot in self.slots:
            self._spawn(slot)
        self._thread = threading.Thread(target=self._watch, name="local-workers", daemon=True)
        self._thread.start()
        return self

    def pids(self, queue: str | None = None) -> list[int]:
        return [s.proc.pid for s in self.slots if s.proc and s.proc.poll() is None and queue in (None, s.queue)]

    def _watch(self) -> None:
        while not self._stop.wait(self.check_every_s):
            for slot in self.slots:
                code = slot.proc.poll() if slot.proc else 0
                if code is None:
                    continue
                if time.monotonic() - slot.started_at > 60:
                    slot.restarts = 0  # it ran a good while: a fresh failure starts the backoff again
                wait = RESTART_BACKOFF_S[min(slot.restarts, len(RESTART_BACKOFF_S) - 1)]
                slot.history.append(code)
                log.warning("a %s worker (pid %d) exited with %s; starting another in %.0f s", slot.queue,
                            slot.proc.pid, code, wait)
                if self._stop.wait(wait):
                    return
                slot.restarts += 1
                self._spawn(slot)

    def stop(self, timeout_s: float = 0.0) -> None:
        """Ask every worker to stop after its current job (SIGINT: Huey's graceful stop); wait up to timeout_s."""
        self._stop.set()
        for slot in self.slots:
            if slot.proc and slot.proc.poll() is None:
                slot.proc.send_signal(2)
        deadline = time.monotonic() + timeout_s
        for slot in self.slots:
            if slot.proc is None:
                continue
            try:
                slot.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass


def watch_parent(on_gone) -> threading.Thread | None:
    """In a worker: call `on_gone` once the process that started it (CAMEO_PARENT_PID) has exited."""
    raw = os.environ.get(PARENT_ENV)
    if not raw:
        return None
    parent = int(raw)

    def loop() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                log.info("the parent process %d is gone: stopping after the current job", parent)
                on_gone()
                return

    thread = threading.Thread(target=loop, name="parent-watch", daemon=True)
    thread.start()
    return thread
