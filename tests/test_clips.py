"""Clips under consent: saved only while every grant holds, taken down on revoke, and the owner's view."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from identity.accounts import delete_account, log_in, sign_up
from identity.consent import ConsentLedger, Grant, Refusal
from identity.errors import IdentityError
from identity.library import ClipLibrary, SavedClip
from tests.test_revocation import _enroll

ADULT = time.gmtime().tm_year - 30
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def ledger(store) -> ConsentLedger:
    return ConsentLedger(store)


@pytest.fixture()
def library(store, ledger) -> ClipLibrary:
    return ClipLibrary(store, ledger)


@pytest.fixture()
def alice_and_bob(store, ledger):
    """alice has a cameo open to everyone; bob has an account."""
    store.get_or_create_account("alice", ADULT)
    cid = _enroll(store, "alice", 1)
    alice = store.account("alice")
    ledger.set_permission(alice, cid, "everyone")
    return alice, store.get_or_create_account("bob", ADULT), cid


def _file(tmp_path: Path, name: str = "render.mp4") -> Path:
    p = tmp_path / name
    p.write_bytes(os.urandom(2048))  # the library stores files; what is in them is the pipeline's business
    return p


def _save(library, who, cids, tmp_path, clip_id, publish=True):
    return library.save(who, cids, _file(tmp_path, f"{clip_id}.tmp"), clip_id=clip_id, prompt="@alice waves",
                        meta={"backend": "preview"}, publish=publish)


def test_saved_clip_is_in_the_feed_and_in_the_owners_appearances_and_inbox(store, library, alice_and_bob, tmp_path):
    alice, bob, cid = alice_and_bob
    saved = _save(library, bob, [cid], tmp_path, "a1b2c3d4e5f60001")
    assert isinstance(saved, SavedClip) and saved.path.is_file()
    assert [c.id for c in library.feed()] == ["a1b2c3d4e5f60001"]
    assert [c.id for c in library.appearances(alice)] == ["a1b2c3d4e5f60001"]
    assert library.appearances(alice)[0].creator_handle == "bob"
    notices = library.inbox(alice)
    assert notices[0].kind == "used" and "@bob" in notices[0].text
    assert [e.kind for e in store.audit_events("a1b2c3d4e5f60001")] == ["publish"]


def test_a_draft_stays_out_of_the_feed_until_published(library, alice_and_bob, tmp_path):
    alice, bob, cid = alice_and_bob
    _save(library, bob, [cid], tmp_path, "d0000000000000aa", publish=False)
    assert library.feed() == [] and [c.status for c in library.appearances(alice)] == ["draft"]
    assert library.publish(bob, "d0000000000000aa").status == "published"
    assert [c.id for c in library.feed()] == ["d0000000000000aa"]


def test_a_clip_whose_grant_no_longer_holds_is_discarded_with_its_file(store, ledger, library, alice_and_bob,
                                                                         tmp_path):
    alice, bob, cid = alice_and_bob
    assert isinstance(ledger.authorize(bob, [cid], "generate"), Grant)  # the job starts...
    ledger.set_permission(alice, cid, "only_me")  # ...and the owner changes her mind before it is saved
    src = _file(tmp_path)
    refusal = library.save(bob, [cid], src, clip_id="e000000000000001", prompt="x", meta={}, publish=True)
    assert isinstance(refusal, Refusal) and "keeps this cameo" in refusal.reasons[cid]
    assert not src.exists() and library.get("e000000000000001") is None
    assert list((store.media_dir / "clips").iterdir()) == []


def test_publishing_a_draft_rechecks_consent(ledger, library, alice_and_bob, tmp_path):
    alice, bob, cid = alice_and_bob
    _save(library, bob, [cid], tmp_path, "d0000000000000bb", publish=False)
    ledger.set_permission(alice, cid, "approved")
    assert isinstance(library.publish(bob, "d0000000000000bb"), Refusal)
    assert library.get("d0000000000000bb").status == "draft"


def test_revoke_takes_down_every_clip_featuring_the_cameo(store, ledger, library, alice_and_bob, tmp_path):
    alice, bob, cid = alice_and_bob
    paths = [_save(library, bob, [cid], tmp_path, f"f00000000000000{i}", publish=i == 0).path for i in range(2)]
    ledger.revoke(alice, cid)
    assert library.feed() == [] and not any(p.exists() for p in paths)
    for i in range(2):
        clip = library.get(f"f00000000000000{i}")
        assert clip.status == "removed" and "revoked" in clip.removed_reason
    assert [n.kind for n in library.inbox(bob)][:2] == ["removed", "removed"]
    assert store.verify_audit_chain().ok


def test_only_the_owner_revokes_a_cameo(ledger, alice_and_bob):
    _, bob, cid = alice_and_bob
    with pytest.raises(IdentityError, match="only the owner"):
        ledger.revoke(bob, cid)


def test_someone_in_a_clip_can_delete_it_and_a_stranger_cannot(store, library, alice_and_bob, tmp_path):
    alice, bob, cid = alice_and_bob
    saved = _save(library, bob, [cid], tmp_path, "c000000000000001")
    carol = store.get_or_create_account("carol", ADULT)
    with pytest.raises(IdentityError, match="creator or someone in it"):
        library.delete(carol, saved.clip.id)
    library.delete(alice, saved.clip.id)
    assert not saved.path.exists()
    assert library.get(saved.clip.id).removed_reason == "deleted by @alice, who appears in it"
    with pytest.raises(IdentityError, match="no such clip"):
        library.delete(bob, saved.clip.id)


def test_deleting_an_account_revokes_its_cameo_and_removes_its_clips(store, ledger, library, tmp_path):
    alice = sign_up(store, "alice", "correct horse battery", ADULT)
    cid = _enroll(store, "alice", 1)
    bob = sign_up(store, "bob", "another long password", ADULT)
    ledger.set_permission(alice, cid, "everyone")
    ledger.follow(alice, bob)
    by_bob = _save(library, bob, [cid], tmp_path, "b000000000000001")
    by_alice = _save(library, alice, [cid], tmp_path, "a000000000000001")
    delete_account(store, alice)
    assert store.tombstone(cid) is not None and isinstance(ledger.authorize(bob, [cid], "generate"), Refusal)
    assert not by_bob.path.exists() and not by_alice.path.exists()
    assert library.get("a000000000000001").removed_reason in ("its creator deleted their account",
                                                              "a cameo in it was revoked by its owner")
    with pytest.raises(IdentityError, match="wrong handle or password"):
        log_in(store, "alice", "correct horse battery")
    with pytest.raises(IdentityError, match="no longer has an account"):
        ledger.follow(alice, bob)
    assert store.verify_audit_chain().ok


def test_requests_and_decisions_reach_the_inbox(store, ledger, library):
    store.get_or_create_account("alice", ADULT)
    cid = _enroll(store, "alice", 1)
    alice, bob = store.account("alice"), store.get_or_create_account("bob", ADULT)
    ledger.set_permission(alice, cid, "approved")
    ledger.approve(alice, ledger.request(bob, cid))
    assert [n.kind for n in library.inbox(alice)] == ["request"]
    assert [n.kind for n in library.inbox(bob)] == ["approved"]


# bad input: a clear error and no change ---------------------------------------------------------
def test_a_requester_cannot_approve_their_own_request(store, ledger, alice_and_bob):
    alice, bob, cid = alice_and_bob
    ledger.set_permission(alice, cid, "approved")
    req = ledger.request(bob, cid)
    before = len(store.audit_events())
    with pytest.raises(IdentityError, match="only the owner"):
        ledger.approve(bob, req)
    assert len(store.audit_events()) == before and isinstance(ledger.authorize(bob, [cid], "g"), Refusal)


def test_a_duplicate_request_is_refused(store, ledger, alice_and_bob):
    alice, bob, cid = alice_and_bob
    ledger.request(bob, cid)
    with pytest.raises(IdentityError, match="already have a pending request"):
        ledger.request(bob, cid)
    assert [e.kind for e in store.audit_events(cid)].count("request") == 1


@pytest.mark.parametrize("call", [
    lambda l, a, b, c: l.request(b, "0" * 32),
    lambda l, a, b, c: l.approve(a, "no-such-request"),
    lambda l, a, b, c: l.set_permission(a, "0" * 32, "everyone"),
    lambda l, a, b, c: l.set_permission(a, c, "friends"),
    lambda l, a, b, c: l.set_instructions(a, c, "x" * 501, []),
    lambda l, a, b, c: l.set_instructions(a, c, "", ["no_cats"]),
    lambda l, a, b, c: l.request(a, c),
    lambda l, a, b, c: l.follow(a, a),
], ids=["unknown cameo", "unknown request", "unknown cameo to set", "unknown level", "overlong instructions",
        "unknown switch", "own cameo", "self follow"])
def test_bad_ledger_input_is_an_error_that_changes_nothing(store, ledger, alice_and_bob, call):
    alice, bob, cid = alice_and_bob
    before = [(e.seq, e.kind) for e in store.audit_events()]
    with pytest.raises(IdentityError):
        call(ledger, alice, bob, cid)
    assert [(e.seq, e.kind) for e in store.audit_events()] == before


@pytest.mark.parametrize("handle", ["ａlice", "al ice", "alice\u200b", "Ålice", "al\u0000ice", "a" * 40, "👀👀👀"])
def test_odd_unicode_handles_are_refused_at_sign_up(store, handle):
    with pytest.raises(IdentityError):
        sign_up(store, handle, "a long enough password", ADULT)
    assert store.count_rows("accounts") == 0


# schema and command line ------------------------------------------------------------------------
def test_migrations_build_exactly_the_schema_the_code_declares(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from identity.schema import metadata

    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0005"


def test_audit_command_verifies_the_configured_database(store, database_url, alice_and_bob, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url, "CAMEO_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run([sys.executable, "-m", "identity", "audit", "--verify", "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out == {"entries": len(store.audit_events()), "chain_ok": True, "first_bad_entry": None}
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_log SET actor='mallory' WHERE seq=2")
    run = subprocess.run([sys.executable, "-m", "identity", "audit", "--verify", "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and json.loads(run.stdout)["first_bad_entry"] == 2
