"""Shared fixtures: a real store in a temp dir, the dlib backend, and synthesized recordings."""
from __future__ import annotations

import os
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


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'studio.db'}"
    return Store(url, tmp_path / "media", Cipher(os.urandom(32)))


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
