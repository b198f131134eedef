"""Revoke racing with authorize-and-publish never leaves a published clip of a revoked cameo.

Publishers keep authorizing and saving clips of alice's cameo while alice revokes
it, from other threads (SQLite and PostgreSQL) and other processes (PostgreSQL).
Whoever wins, the end state must hold no live clip of the revoked cameo and no
file of a removed clip.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import random
import threading
import time
from pathlib import Path

import pytest

from identity.consent import ConsentLedger, Grant
from identity.crypto import Cipher
from identity.library import ClipLibrary, SavedClip
from identity.store import Store
from tests.conftest import _database_kinds
from tests.test_revocation import _enroll

ADULT = time.gmtime().tm_year - 30


def _publish_until_refused(url: str, media: str, key: bytes, tag: str, stop_after_s: float = 20.0) -> int:
    """Authorize, 'render', re-check and publish, again and again, until consent is refused."""
    store = Store(url, Path(media), Cipher(key))
    library = ClipLibrary(store, ConsentLedger(store))
    bob = store.account("bob")
    cid = store.active_cameo_of(store.account("alice"))
    cid = cid.id if cid else "gone"
    saved, deadline, n = 0, time.time() + stop_after_s, 0
    while time.time() < deadline:
        if not isinstance(library.ledger.authorize(bob, [cid], "generate"), Grant):
            break
        src = Path(media) / f"render-{tag}-{n}.tmp"
        src.write_bytes(os.urandom(1024))
        result = library.save(bob, [cid], src, clip_id=f"{tag}{n:0>{16 - len(tag)}}", prompt="p", meta={},
                              publish=True)
        n += 1
        if not isinstance(result, SavedClip):
            break
        saved += 1
    store.engine.dispose()
    return saved


def _setup(url: str, media: Path, key: bytes) -> tuple[Store, str]:
    store = Store(url, media, Cipher(key))
    store.get_or_create_account("alice", ADULT)
    cid = _enroll(store, "alice", 1)
    ConsentLedger(store).set_permission(store.account("alice"), cid, "everyone")
    store.get_or_create_account("bob", ADULT)
    return store, cid


def _assert_nothing_of_the_revoked_cameo_is_live(store: Store, cid: str) -> int:
    library = ClipLibrary(store, ConsentLedger(store))
    clips = library.appearances(store.account("alice"))
    assert store.tombstone(cid) is not None
    assert all(c.status == "removed" for c in clips), [c.id for c in clips if c.status != "removed"]
    assert library.feed() == []
    assert not any(o.key.endswith(".mp4") for o in store.objects.list("clips/"))
    assert store.verify_audit_chain().ok
    return len(clips)


@pytest.mark.parametrize("delay_s", [0.0, 0.05, 0.2])
def test_revoke_racing_publishers_in_threads(database_url, tmp_path, delay_s):
    key = os.urandom(32)
    store, cid = _setup(database_url, tmp_path / "media", key)
    results: list[int] = []
    workers = [threading.Thread(target=lambda t=t: results.append(
        _publish_until_refused(database_url, str(tmp_path / "media"), key, t))) for t in ("a", "b")]
    for w in workers:
        w.start()
    time.sleep(delay_s + random.random() * 0.05)
    ConsentLedger(store).revoke(store.account("alice"), cid)
    for w in workers:
        w.join(60)
    assert len(results) == 2
    assert _assert_nothing_of_the_revoked_cameo_is_live(store, cid) == sum(results)


@pytest.mark.skipif("postgresql" not in _database_kinds(), reason="TEST_POSTGRES_URL not set (.ci/run sets it)")
@pytest.mark.parametrize("database_kind", ["postgresql"], indirect=False)
def test_revoke_racing_publishers_in_other_processes(database_url, tmp_path):
    key = os.urandom(32)
    store, cid = _setup(database_url, tmp_path / "media", key)
    ctx = mp.get_context("spawn")
    with ctx.Pool(2) as pool:
        pending = [pool.apply_async(_publish_until_refused, (database_url, str(tmp_path / "media"), key, t))
                   for t in ("p", "q")]
        time.sleep(1.5)  # spawn start-up: let the publishers get going
        ConsentLedger(store).revoke(store.account("alice"), cid)
        saved = [p.get(90) for p in pending]
    assert _assert_nothing_of_the_revoked_cameo_is_live(store, cid) == sum(saved)
    assert sum(saved) > 0  # the race really happened: clips were published, then taken down
