"""The consent ledger: permission levels, requests, follows, teen rules, and authorize as the only door."""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from identity.consent import LEVELS, ConsentLedger, Grant, Refusal
from identity.errors import IdentityError
from tests.test_revocation import _enroll

ADULT = time.gmtime().tm_year - 30
TEEN = time.gmtime().tm_year - 15


@pytest.fixture()
def ledger(store) -> ConsentLedger:
    return ConsentLedger(store)


def _people(store, **births):
    return {h: store.get_or_create_account(h, birth_year=y) for h, y in births.items()}


def _cameo(store, handle, birth, seed=1):
    store.get_or_create_account(handle, birth_year=birth)
    return _enroll(store, handle, seed)


def test_a_new_cameo_is_usable_by_its_owner_only(store, ledger):
    cid = _cameo(store, "alice", ADULT)
    p = _people(store, bob=ADULT)
    assert isinstance(ledger.authorize(store.account("alice"), [cid], "generate"), Grant)
    refusal = ledger.authorize(p["bob"], [cid], "generate")
    assert isinstance(refusal, Refusal) and "keeps this cameo to themselves" in refusal.reasons[cid]


def test_approved_request_grants_and_withdrawal_takes_it_back(store, ledger):
    cid = _cameo(store, "alice", ADULT)
    alice, bob = store.account("alice"), _people(store, bob=ADULT)["bob"]
    ledger.set_permission(alice, cid, "approved")
    assert isinstance(ledger.authorize(bob, [cid], "generate"), Refusal)
    req = ledger.request(bob, cid)
    ledger.approve(alice, req)
    grant = ledger.authorize(bob, [cid], "generate")
    assert isinstance(grant, Grant)
    cg = grant.cameos[0]
    assert cg.crops_png and cg.voice.vector.shape == (256,) and len(cg.consent.sha256) == 64
    assert req in cg.consent.id
    ledger.withdraw(alice, req)
    assert "has not approved" in ledger.authorize(bob, [cid], "save").reasons[cid]


def test_mutuals_need_both_follows(store, ledger):
    cid = _cameo(store, "alice", ADULT)
    alice, bob = store.account("alice"), _people(store, bob=ADULT)["bob"]
    ledger.set_permission(alice, cid, "mutuals")
    ledger.follow(bob, alice)
    assert isinstance(ledger.authorize(bob, [cid], "generate"), Refusal)
    ledger.follow(alice, bob)
    assert isinstance(ledger.authorize(bob, [cid], "generate"), Grant)


def test_revoke_ends_every_authorization_at_once(store, ledger):
    cid = _cameo(store, "alice", ADULT)
    alice, bob = store.account("alice"), _people(store, bob=ADULT)["bob"]
    ledger.set_permission(alice, cid, "everyone")
    first = ledger.authorize(bob, [cid], "generate")
    assert isinstance(first, Grant)
    store.revoke_cameo(cid, actor="alice")
    again = ledger.authorize(bob, [cid], "save")  # the check just before a clip is saved
    assert isinstance(again, Refusal) and "revoked" in again.reasons[cid]


def test_one_refused_cameo_refuses_the_clip_naming_it(store, ledger):
    a = _cameo(store, "alice", ADULT, 1)
    c = _cameo(store, "carol", ADULT, 2)
    ledger.set_permission(store.account("alice"), a, "everyone")
    bob = _people(store, bob=ADULT)["bob"]
    refusal = ledger.authorize(bob, [a, c], "generate")
    assert isinstance(refusal, Refusal) and list(refusal.reasons) == [c]


def test_teen_cameo_cannot_be_open_to_everyone(store, ledger):
    cid = _cameo(store, "tina", TEEN)
    with pytest.raises(IdentityError, match="teen"):
        ledger.set_permission(store.account("tina"), cid, "everyone")


def test_adults_a_teen_has_not_approved_cannot_request_the_teen(store, ledger):
    cid = _cameo(store, "tina", TEEN)
    tina, adult = store.account("tina"), _people(store, adam=ADULT)["adam"]
    ledger.set_permission(tina, cid, "approved")
    with pytest.raises(IdentityError, match="has not approved you"):
        ledger.request(adult, cid)
    ledger.follow(tina, adult)  # the teen chooses this adult
    req = ledger.request(adult, cid)
    ledger.approve(tina, req)
    assert isinstance(ledger.authorize(adult, [cid], "generate"), Grant)


def test_only_the_owner_changes_a_cameo(store, ledger):
    cid = _cameo(store, "alice", ADULT)
    bob = _people(store, bob=ADULT)["bob"]
    with pytest.raises(IdentityError, match="only the owner"):
        ledger.set_permission(bob, cid, "everyone")


def test_every_decision_is_in_the_audit_chain(store, ledger):
    cid = _cameo(store, "alice", ADULT)
    alice, bob = store.account("alice"), _people(store, bob=ADULT)["bob"]
    ledger.set_permission(alice, cid, "approved")
    ledger.authorize(bob, [cid], "generate")
    ledger.approve(alice, ledger.request(bob, cid))
    ledger.authorize(bob, [cid], "generate")
    kinds = [e.kind for e in store.audit_events()]
    assert kinds == ["enroll", "permission_change", "refuse", "request", "approve", "authorize"]
    assert store.verify_audit_chain().ok


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(level=st.sampled_from(LEVELS), approved=st.booleans(), owner_follows=st.booleans(),
       requester_follows=st.booleans(), owner_teen=st.booleans(), requester_teen=st.booleans())
def test_permission_rule_matches_its_specification(tmp_path_factory, level, approved, owner_follows,
                                                   requester_follows, owner_teen, requester_teen):
    import os

    from identity.crypto import Cipher
    from identity.store import Store

    d = tmp_path_factory.mktemp("perm")
    store = Store(f"sqlite:///{d / 'db.sqlite'}", d / "media", Cipher(os.urandom(32)))
    ledger = ConsentLedger(store)
    cid = _cameo(store, "owner", TEEN if owner_teen else ADULT)
    owner = store.account("owner")
    req_acc = _people(store, req=TEEN if requester_teen else ADULT)["req"]
    if level == "everyone" and owner_teen:
        level = "approved"
    ledger.set_permission(owner, cid, level)
    if owner_follows:
        ledger.follow(owner, req_acc)
    if requester_follows:
        ledger.follow(req_acc, owner)
    teen_blocks = owner_teen and not requester_teen and not owner_follows
    if approved and not teen_blocks:
        ledger.approve(owner, ledger.request(req_acc, cid))
    expected = not teen_blocks and level != "only_me" and (
        approved or level == "everyone" or (level == "mutuals" and owner_follows and requester_follows)
    )
    assert isinstance(ledger.authorize(req_acc, [cid], "generate"), Grant) == expected
