"""Local accounts: strong salted hashes only, one vague error for bad logins, birth year decides teen."""
from __future__ import annotations

import sqlite3
import time

import pytest

from identity.accounts import log_in, sign_up
from identity.errors import IdentityError


def test_sign_up_then_log_in(store):
    acc = sign_up(store, "alice", "correct horse battery", time.gmtime().tm_year - 30)
    assert log_in(store, "@Alice", "correct horse battery") == acc
    assert not acc.is_teen


def test_password_is_stored_only_as_an_argon2id_hash(tmp_path, sqlite_store):
    sign_up(sqlite_store, "alice", "correct horse battery", 1990)
    with sqlite3.connect(tmp_path / "studio.db") as con:
        (stored,) = con.execute("SELECT password_hash FROM accounts WHERE handle='alice'").fetchone()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert b"correct horse battery" not in (tmp_path / "studio.db").read_bytes()


@pytest.mark.parametrize("handle, password", [("alice", "wrong password!"), ("nobody", "correct horse battery")])
def test_bad_login_says_the_same_thing_either_way(store, handle, password):
    sign_up(store, "alice", "correct horse battery", 1990)
    with pytest.raises(IdentityError, match="wrong handle or password"):
        log_in(store, handle, password)


def test_teen_account_from_birth_year(store):
    assert sign_up(store, "tina", "correct horse battery", time.gmtime().tm_year - 15).is_teen


@pytest.mark.parametrize("handle, password, year, code", [
    ("alice", "short", 1990, "weak_password"),
    ("alice", "correct horse battery", 1850, "bad_birth_year"),
    ("alice", "correct horse battery", time.gmtime().tm_year - 5, "bad_birth_year"),
    ("a", "correct horse battery", 1990, "bad_handle"),
])
def test_bad_sign_up_is_explained_and_stores_nothing(store, handle, password, year, code):
    with pytest.raises(IdentityError) as err:
        sign_up(store, handle, password, year)
    assert err.value.code == code
    assert store.count_rows("accounts") == 0


def test_handle_cannot_be_taken_twice(store):
    sign_up(store, "alice", "correct horse battery", 1990)
    with pytest.raises(IdentityError, match="taken"):
        sign_up(store, "alice", "another long password", 1991)


def test_a_hugging_face_user_gets_an_account_that_counts_as_teen_until_a_birth_year(store):
    from identity.accounts import hugging_face_account, set_birth_year

    acc = hugging_face_account(store, "Alice-Smith.HF")
    assert acc.handle == "alice_smith_hf" and acc.is_teen
    assert hugging_face_account(store, "Alice-Smith.HF").id == acc.id
    adult = set_birth_year(store, acc, time.gmtime().tm_year - 40)
    assert not adult.is_teen
    with pytest.raises(IdentityError, match="cannot be changed"):
        set_birth_year(store, acc, time.gmtime().tm_year - 15)


def test_a_hugging_face_sign_in_cannot_take_over_a_local_account(store):
    from identity.accounts import hugging_face_account

    sign_up(store, "alice", "a long enough password", time.gmtime().tm_year - 30)
    with pytest.raises(IdentityError, match="local account"):
        hugging_face_account(store, "alice")


def test_password_hashes_run_a_bounded_number_at_once():
    """A burst of sign-ins waits its turn instead of taking every core (and 64 MiB a hash) from the pages."""
    import threading

    from argon2 import PasswordHasher

    from identity.accounts import _BoundedHasher

    real, running, most = PasswordHasher(), [0], [0]
    lock = threading.Lock()

    class Counting:
        def hash(self, password):
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            try:
                return real.hash(password)
            finally:
                with lock:
                    running[0] -= 1

    hasher = _BoundedHasher(1)
    hasher._argon2 = Counting()
    threads = [threading.Thread(target=hasher.hash, args=(f"password {i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1
