"""Start the studio's processes for tests, as deployed: `python app.py` (the web process, which starts its
local workers) on a free loopback port, and a Redis broker of the test's own that it may stop."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SERVER_START_S = 180


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppProcess:
    """`python app.py` with an environment; `url` once it answers."""

    def __init__(self, env: dict[str, str], log_path: Path, port: int | None = None):
        self.port = port or free_port()
        self.env = {**env, "CAMEO_HOST": "127.0.0.1", "CAMEO_PORT": str(self.port)}
        self.log_path = log_path
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "AppProcess":
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=self.env, stdout=log,
                                         stderr=subprocess.STDOUT)
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the studio exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if httpx.get(self.url, timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the studio did not answer in {SERVER_START_S} s:\n{self.log()}")
            time.sleep(0.5)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        """SIGKILL, as a crash or an out-of-memory kill would."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        """Stop it; its workers follow (they watch their parent) and are waited for, killed if slow."""
        if self.proc and self.proc.poll() is None:
            workers = worker_pids(self.proc.pid)
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)
            wait_gone(workers, 60)
            kill_all([p for p in workers if Path(f"/proc/{p}").exists()])


def worker_pids(parent_pid: int) -> list[int]:
    """The `python -m workers` children of a process (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if b"workers" in cmd and b"--one" in cmd and ppid == parent_pid:
            out.append(int(entry.name))
    return out


def wait_gone(pids: list[int], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    for pid in pids:
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            time.sleep(0.2)


def kill_all(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@contextmanager
def redis_server(folder: Path):
    """A Redis of the test's own on loopback, persisting to an append-only file so a restart keeps the queue;
    yields a controller with `url`, `stop()` and `start()`."""
    binary = shutil.which("redis-server")
    if binary is None:
        import pytest

        pytest.skip("needs redis-server (.ci/run installs Debian's)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()

    class Broker:
        url = f"redis://127.0.0.1:{port}/0"
        proc: subprocess.Popen | None = None

        def start(self) -> None:
            self.proc = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder),
                                          "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 30
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        return
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)

        def stop(self) -> None:
            if self.proc and self.proc.poll() is None:
                self.proc.terminate()  # SIGTERM: Redis flushes its append-only file and exits
                self.proc.wait(timeout=30)

    broker = Broker()
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
