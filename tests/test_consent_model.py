"""Random sequences of ledger operations from several users, checked against a small model of the rules.

The model below is written from the issue's rules, not from the ledger's code:
each step either both succeed or both refuse, and `authorize` must agree with the
model every time it is asked.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from identity.accounts import delete_account
from identity.consent import LEVELS, ConsentLedger, Grant
from identity.crypto import Cipher
from identity.errors import IdentityError
from identity.store import Store
from tests.conftest import _database_kinds, fresh_database
from tests.test_revocation import _enroll

USERS = ("ann", "ben", "tia")  # tia is a teen
BIRTH = {"ann": time.gmtime().tm_year - 30, "ben": time.gmtime().tm_year - 40, "tia": time.gmtime().tm_year - 15}
user = st.sampled_from(USERS)


class Model:
    """The rules, as plainly as they can be written."""

    def __init__(self):
        self.alive = set(USERS)
        self.cameo: dict[str, str | None] = dict.fromkeys(USERS)
        self.level: dict[str, str] = {}
        self.follows: set[tuple[str, str]] = set()
        self.request: dict[tuple[str, str], str] = {}  # (requester, owner) -> status of the latest request

    @staticmethod
    def teen(u: str) -> bool:
        return u == "tia"

    def teen_blocks(self, r: str, o: str) -> bool:
        return self.teen(o) and not self.teen(r) and (o, r) not in self.follows

    def may_use(self, r: str, o: str) -> bool:
        if r not in self.alive or self.cameo[o] is None:
            return False
        if r == o:
            return True
        if self.teen_blocks(r, o) or self.level[o] == "only_me":
            return False
        return (self.request.get((r, o)) == "approved" or self.level[o] == "everyone"
                or (self.level[o] == "mutuals" and (r, o) in self.follows and (o, r) in self.follows))

    def forget_cameo(self, o: str) -> None:
        self.cameo[o] = None
        self.request = {k: v for k, v in self.request.items() if k[1] != o}


class Harness:
    """Runs each step on the real ledger and on the model, and compares."""

    def __init__(self, kind: str):
        self._open(kind)
        self.acc = {u: self.store.get_or_create_account(u, BIRTH[u]) for u in USERS}
        self.req_ids: dict[tuple[str, str], str] = {}
        self.m = Model()

    def _open(self, kind: str) -> None:
        """A fresh database of this kind, its store and ledger (tests/test_social_model.py builds on it)."""
        self.folder = Path(tempfile.mkdtemp())
        self._db = fresh_database(kind, self.folder)
        self.store = Store(self._db.__enter__(), self.folder / "media", Cipher(os.urandom(32)))
        self.ledger = ConsentLedger(self.store)

    def close(self):
        self.store.engine.dispose()
        self._db.__exit__(None, None, None)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _both(self, valid: bool, call) -> bool:
        """Run the ledger's operation; it must succeed exactly when the model says the step is valid."""
        if valid:
            call()
            return True
        with pytest.raises(IdentityError):
            call()
        return False

    def enroll(self, u):
        if u in self.m.alive and self.m.cameo[u] is None:
            self.m.cameo[u] = _enroll(self.store, u, seed=len(self.m.request) + 7)
            self.m.level[u] = "only_me"

    def set_level(self, u, level):
        cid = self.m.cameo[u] or "0" * 32
        valid = self.m.cameo[u] is not None and u in self.m.alive and not (level == "everyone" and self.m.teen(u))
        if self._both(valid, lambda: self.ledger.set_permission(self.acc[u], cid, level)):
            self.m.level[u] = level

    def follow(self, a, b):
        valid = a != b and a in self.m.alive and b in self.m.alive
        if self._both(valid, lambda: self.ledger.follow(self.acc[a], self.acc[b])):
            self.m.follows.add((a, b))

    def unfollow(self, a, b):
        self.ledger.unfollow(self.acc[a], self.acc[b])
        self.m.follows.discard((a, b))

    def request(self, r, o):
        cid = self.m.cameo[o] or "0" * 32
        valid = (r in self.m.alive and self.m.cameo[o] is not None and r != o and not self.m.teen_blocks(r, o)
                 and self.m.request.get((r, o)) not in ("pending", "approved"))
        box: list[str] = []
        if self._both(valid, lambda: box.append(self.ledger.request(self.acc[r], cid))):
            self.m.request[(r, o)], self.req_ids[(r, o)] = "pending", box[0]

    def _decide(self, o, r, method, allowed_from, new_status):
        status = self.m.request.get((r, o))
        rid = self.req_ids.get((r, o), "no-such-request")
        valid = status in allowed_from and o in self.m.alive
        if self._both(valid, lambda: method(self.acc[o], rid)):
            self.m.request[(r, o)] = new_status

    def approve(self, o, r):
        self._decide(o, r, self.ledger.approve, ("pending", "denied"), "approved")

    def deny(self, o, r):
        self._decide(o, r, self.ledger.deny, ("pending",), "denied")

    def withdraw(self, o, r):
        self._decide(o, r, self.ledger.withdraw, ("approved",), "withdrawn")

    def revoke(self, o):
        cid = self.m.cameo[o] or "0" * 32
        if self._both(self.m.cameo[o] is not None, lambda: self.ledger.revoke(self.acc[o], cid)):
            self.m.forget_cameo(o)

    def delete_account(self, u):
        if u not in self.m.alive:
            return
        delete_account(self.store, self.acc[u])
        self.m.forget_cameo(u)
        self.m.alive.discard(u)
        self.m.follows = {f for f in self.m.follows if u not in f}
        self.m.request = {k: v for k, v in self.m.request.items() if u not in k}

    def authorize(self, r, owners):
        cids = [self.m.cameo[o] or f"{o:0>32}" for o in owners]
        expected = all(self.m.may_use(r, o) for o in owners)
        result = self.ledger.authorize(self.acc[r], cids, "generate")
        assert isinstance(result, Grant) == expected, (r, owners, result)

    def audit_chain_holds(self):
        assert self.store.verify_audit_chain().ok


STEP = st.one_of(
    st.tuples(st.just("enroll"), user),
    st.tuples(st.just("set_level"), user, st.sampled_from(LEVELS)),
    *[st.tuples(st.just(name), user, user)
      for name in ("follow", "unfollow", "request", "approve", "deny", "withdraw")],
    st.tuples(st.just("revoke"), user),
    st.tuples(st.just("delete_account"), user),
    st.tuples(st.just("authorize"), user, st.lists(user, min_size=1, max_size=3, unique=True)),
)


def _run(kind: str, steps: list[tuple]) -> None:
    h = Harness(kind)
    try:
        for name, *args in steps:
            getattr(h, name)(*args)
        h.audit_chain_holds()
    finally:
        h.close()


# Long sequences, so that enroll, open, request, approve and authorize meet often.
SEQUENCES = st.lists(STEP, min_size=20, max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=SEQUENCES)
def test_authorize_agrees_with_the_model_on_sqlite(steps):
    _run("sqlite", steps)


@pytest.mark.skipif("postgresql" not in _database_kinds(), reason="TEST_POSTGRES_URL not set (.ci/run sets it)")
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=SEQUENCES)
def test_authorize_agrees_with_the_model_on_postgresql(steps):
    _run("postgresql", steps)
