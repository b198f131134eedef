"""Revoking a cameo really deletes its biometric data, and the audit log shows any tampering."""
from __future__ import annotations

import os
import sqlite3
import time

import numpy as np
import pytest

from identity.challenge import issue_challenge
from identity.crypto import Cipher
from identity.errors import IdentityError
from identity.store import Store
from tests.test_store import _new_cameo


def _enroll(store: Store, handle: str, seed: int) -> str:
    ch = issue_challenge(handle)
    store.save_challenge(ch)
    return store.add_cameo(store.get_or_create_account(handle), ch, _new_cameo(np.random.default_rng(seed)))


def _all_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def _stored_blobs(db_path, cameo_id: str) -> list[bytes]:
    with sqlite3.connect(db_path) as con:
        face, voice = con.execute("SELECT face_templates, voice_embedding FROM cameos WHERE id=?", (cameo_id,)).fetchone()
    return [bytes(face), bytes(voice)]


def test_no_biometric_byte_of_a_revoked_cameo_remains(sqlite_store, tmp_path):
    keep = _enroll(sqlite_store, "bob", 1)
    gone = _enroll(sqlite_store, "alice", 2)
    blobs = _stored_blobs(tmp_path / "studio.db", gone)
    crop_files = list((tmp_path / "media" / "cameos" / gone).iterdir())  # crops and the voice reference
    assert any(f.name == "voice_reference.wav.enc" for f in crop_files)
    secrets = blobs + [f.read_bytes() for f in crop_files]
    before = _all_bytes(tmp_path)
    assert all(b[:48] in before for b in secrets)  # the search below can find them

    tomb = sqlite_store.revoke_cameo(gone, actor="alice")

    after = _all_bytes(tmp_path)  # database, WAL, shared memory and media
    for blob in secrets:
        for k in range(0, len(blob) - 32, 32):  # no 32-byte stretch of any of them, anywhere
            assert blob[k : k + 32] not in after
    assert not (tmp_path / "media" / "cameos" / gone).exists()
    assert tomb.cameo_id == gone and len(tomb.record_sha256) == 64
    with pytest.raises(IdentityError):
        sqlite_store.get_cameo(gone)
    assert sqlite_store.get_cameo(keep).handle == "bob"  # others untouched


def test_revoke_leaves_a_tombstone_and_audit_events(store):
    cameo = _enroll(store, "alice", 3)
    store.revoke_cameo(cameo, actor="alice")
    assert [e.kind for e in store.audit_events(cameo)] == ["enroll", "revoke"]
    assert store.tombstone(cameo).record_sha256 == store.audit_events(cameo)[1].details["record_sha256"]
    assert store.verify_audit_chain().ok
    with pytest.raises(IdentityError):
        store.get_cameo(cameo)  # the row is gone, on every database


def test_revoking_twice_is_an_error_that_changes_nothing(store):
    cameo = _enroll(store, "alice", 4)
    store.revoke_cameo(cameo, actor="alice")
    with pytest.raises(IdentityError):
        store.revoke_cameo(cameo, actor="alice")
    assert len(store.audit_events()) == 2


def test_a_revoke_cut_short_is_finished_by_the_next_sweep(tmp_path):
    key = os.urandom(32)
    store = Store(f"sqlite:///{tmp_path / 'studio.db'}", tmp_path / "media", Cipher(key))
    alice = _enroll(store, "alice", 4)
    orphan = tmp_path / "media" / "cameos" / "deadbeef"
    orphan.mkdir(parents=True)
    (orphan / "crop_0.png.enc").write_bytes(b"left behind")
    young = tmp_path / "media" / "cameos" / "0ddba11"
    young.mkdir(parents=True)
    (young / "crop_0.png.enc").write_bytes(b"an enrollment still being saved")
    # Older than an enrollment in flight (an object store knows each object's age, not a folder's).
    for old in (orphan / "crop_0.png.enc", *(tmp_path / "media" / "cameos" / alice).iterdir()):
        os.utime(old, (time.time() - 3600, time.time() - 3600))
    assert store.purge_orphan_media() == ["deadbeef"]
    assert not orphan.exists() and young.exists()
    assert any((tmp_path / "media" / "cameos" / alice).iterdir())  # a live cameo's media stay


def test_a_store_starts_without_listing_the_bucket(tmp_path, monkeypatch):
    """Every process opens the store; walking a bucket of millions at each start would stall them all."""
    from identity.objects import MediaObjects

    def no_listing(self, prefix=""):
        raise AssertionError(f"listed {prefix!r} at start")

    monkeypatch.setattr(MediaObjects, "pages", no_listing)
    Store(f"sqlite:///{tmp_path / 'studio.db'}", tmp_path / "media", Cipher(os.urandom(32)))


def _tamper(db_path, sql: str) -> None:
    with sqlite3.connect(db_path) as con:
        con.executescript(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET actor='mallory' WHERE seq=2;",  # edited
        "DELETE FROM audit_log WHERE seq=2;",  # removed from the middle
        "DELETE FROM audit_log WHERE seq=(SELECT MAX(seq) FROM audit_log);",  # last one dropped
        "UPDATE audit_log SET seq=-1 WHERE seq=2; UPDATE audit_log SET seq=2 WHERE seq=3;"
        " UPDATE audit_log SET seq=3 WHERE seq=-1;",  # reordered
        "UPDATE audit_log SET details='{}' WHERE seq=1;",  # details edited
    ],
)
def test_tampering_with_the_audit_log_is_found(sqlite_store, tmp_path, sql):
    for k, handle in enumerate(["alice", "bob", "carol"]):
        _enroll(sqlite_store, handle, 10 + k)
    assert sqlite_store.verify_audit_chain().ok
    _tamper(tmp_path / "studio.db", sql)
    check = sqlite_store.verify_audit_chain()
    assert not check.ok and check.reason
