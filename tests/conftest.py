"""Shared fixtures: a real store in a temp dir, the dlib backend, and synthesized recordings."""
from __future__ import annotations

import os
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from identity.crypto import Cipher
from identity.faces import DlibBackend
from identity.store import Store
from tests.clip_synth import compliant_recording, write_clip

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def backend() -> DlibBackend:
    return DlibBackend()


def _database_kinds() -> list[str]:
    # .ci/run starts a PostgreSQL server on loopback and sets TEST_POSTGRES_URL (scripts/start-postgres.sh).
    return ["sqlite"] + (["postgresql"] if os.environ.get("TEST_POSTGRES_URL") else [])


@contextmanager
def fresh_database(kind: str, folder: Path):
    """A new, empty database: a SQLite file in `folder`, or a PostgreSQL database dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'studio.db'}"
        return
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin_url = os.environ["TEST_POSTGRES_URL"]
    name = f"cameo_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        for attempt in range(10):  # a background worker of the server's own (autovacuum) may hold it a moment
            try:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
                break
            except Exception:  # noqa: BLE001 - retried, then raised
                if attempt == 9:
                    raise
                time.sleep(1)
        admin.dispose()


@pytest.fixture(params=_database_kinds())
def database_kind(request) -> str:
    return request.param


@pytest.fixture()
def database_url(database_kind: str, tmp_path: Path):
    """A fresh, empty database per test, of each kind CI runs."""
    with fresh_database(database_kind, tmp_path) as url:
        yield url


@pytest.fixture()
def store(database_url: str, tmp_path: Path):
    s = Store(database_url, tmp_path / "media", Cipher(os.urandom(32)))
    yield s
    s.engine.dispose()


@pytest.fixture()
def sqlite_store(tmp_path: Path):
    """For tests that read the database file's raw bytes."""
    s = Store(f"sqlite:///{tmp_path / 'studio.db'}", tmp_path / "media", Cipher(os.urandom(32)))
    yield s
    s.engine.dispose()


@pytest.fixture()
def enroller(store: Store, backend: DlibBackend):
    from identity.enrollment import Enroller

    return Enroller(store, backend, gallery=None)


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def make_clip(clip_dir: Path):
    """Write (once per session) a challenge-compliant recording for turns and digits."""
    cache: dict = {}

    def make(turns: tuple[str, ...], digits: str, container: str = "mp4") -> Path:
        key = (turns, digits, container)
        if key not in cache:
            frames, audio = compliant_recording(list(turns), digits)
            name = f"{'-'.join(turns)}_{digits}.{container}"
            cache[key] = write_clip(clip_dir / name, frames, audio, container=container)
        return cache[key]

    return make


# Jobs and media on more than one machine: .ci/run starts a Redis broker and an S3-compatible server (moto)
# on loopback and sets these; locally the embedded queue (SQLite) and a media folder are used.
def _media_kinds() -> list[str]:
    return ["local"] + (["s3"] if os.environ.get("TEST_S3_URL") else [])


def s3_prefix() -> str:
    """A fresh prefix in the CI bucket (credentials from the AWS_* variables)."""
    return f"{os.environ['TEST_S3_URL'].rstrip('/')}/{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=_media_kinds())
def media_url(request, tmp_path: Path) -> str:
    """A media folder, or a fresh prefix in the CI bucket."""
    return str(tmp_path / "media") if request.param == "local" else s3_prefix()


def _deployments() -> list[str]:
    both = os.environ.get("TEST_REDIS_URL") and os.environ.get("TEST_S3_URL")
    return ["embedded"] + (["distributed"] if both else [])


@pytest.fixture(params=_deployments())
def deployment_urls(request, tmp_path: Path):
    """(database, queue, media) URLs of one studio: the embedded default (SQLite, the SQLite queue, a folder),
    or the multi-machine mode on loopback (PostgreSQL where CI has it, the Redis broker emptied first, a bucket)."""
    if request.param == "embedded":
        yield f"sqlite:///{tmp_path / 'studio.db'}", f"sqlite:///{tmp_path / 'queue.db'}", str(tmp_path / "media")
        return
    import redis

    redis.Redis.from_url(os.environ["TEST_REDIS_URL"]).flushdb()
    kind = "postgresql" if os.environ.get("TEST_POSTGRES_URL") else "sqlite"
    with fresh_database(kind, tmp_path) as db:
        yield db, os.environ["TEST_REDIS_URL"], s3_prefix()
