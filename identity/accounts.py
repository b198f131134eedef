"""Local accounts: sign-up with a birth year, and passwords kept only as Argon2id hashes.

On a Hugging Face Space people sign in with Hugging Face instead (the app maps
the OAuth profile to an account with no password). The birth year decides
whether an account is a teen account, and with it the stricter consent rules.
"""
from __future__ import annotations

import os
import threading
import time
import uuid

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from identity.audit import append_event
from identity.challenge import validate_handle
from identity.clips import ClipRow, delete_files, remove_clip
from identity.jobs import cancel_jobs_of
from identity.errors import IdentityError
from identity.invites import claim_invite
from identity.store import Account, AccountRow, RetiredHandleRow, Store, ensure_handle_free

MIN_PASSWORD_CHARS = 10
OLDEST_BIRTH_YEAR = 1900
MIN_AGE = 13  # the youngest a studio account may be (teen rules apply from 13 to 17)

class _BoundedHasher:
    """Argon2id with at most a few hashes at a time in this process.

    Each hash is built to be expensive (argon2-cffi's defaults follow RFC 9106: 64 MiB and 4 threads), so
    a burst of sign-ins or of password guesses would otherwise take every core and gigabytes from the web
    process's pages; beyond the bound, callers wait their turn."""

    def __init__(self, at_once: int):
        self._argon2 = PasswordHasher()
        self._turns = threading.BoundedSemaphore(at_once)

    def hash(self, password: str) -> str:
        with self._turns:
            return self._argon2.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        with self._turns:
            return self._argon2.verify(stored, password)

    def check_needs_rehash(self, stored: str) -> bool:
        return self._argon2.check_needs_rehash(stored)


HASHES_AT_ONCE = max(1, (os.cpu_count() or 1) // 4)  # each hash runs 4 threads
_hasher = _BoundedHasher(HASHES_AT_ONCE)


def _check_birth_year(birth_year: int) -> None:
    this_year = time.gmtime().tm_year
    if not OLDEST_BIRTH_YEAR <= birth_year <= this_year - MIN_AGE:
        raise IdentityError("bad_birth_year", f"birth year must be between {OLDEST_BIRTH_YEAR} and {this_year - MIN_AGE}",
                            {"oldest": OLDEST_BIRTH_YEAR, "latest": this_year - MIN_AGE})


def sign_up(store: Store, handle: str, password: str, birth_year: int, invite_code: str | None = None) -> Account:
    """A new local account; in an invitation-only studio (`store.rules.invite_only`) it uses up a code."""
    handle = validate_handle(handle)
    _check_birth_year(birth_year)
    if len(password) < MIN_PASSWORD_CHARS:
        raise IdentityError("weak_password", f"use a password of at least {MIN_PASSWORD_CHARS} characters",
                            {"least": MIN_PASSWORD_CHARS})
    # Argon2 takes ~0.2 s of CPU and 64 MiB: hash before the transaction, which on SQLite holds the
    # database's one write lock (BEGIN IMMEDIATE) that every other request waits for.
    password_hash = _hasher.hash(password)
    with store.session.begin() as s:
        ensure_handle_free(s, handle, store.rules)
        if store.rules.invite_only:
            claim_invite(s, invite_code, handle)
        row = AccountRow(id=uuid.uuid4().hex, handle=handle, birth_year=birth_year,
                         password_hash=password_hash, created_at=time.time())
        s.add(row)
        return Account(row.id, row.handle, row.birth_year)


def log_in(store: Store, handle: str, password: str) -> Account:
    """The account, or one error for both unknown handle and wrong password (no account probing).

    The Argon2 work happens outside any transaction: on SQLite a writing one holds the only write lock.
    """
    wrong = IdentityError("bad_login", "wrong handle or password")
    try:
        handle = validate_handle(handle)
    except IdentityError:
        raise wrong from None
    with store.reader() as s:
        row = s.scalar(select(AccountRow).where(AccountRow.handle == handle))
        found = (row.id, row.handle, row.birth_year, row.password_hash) if row else None
    if found is None or found[3] is None:
        _hasher.hash(password)  # same work either way, so timing does not tell which
        raise wrong
    account_id, handle, birth_year, stored = found
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        raise wrong from None
    if _hasher.check_needs_rehash(stored):
        fresh = _hasher.hash(password)
        with store.session.begin() as s:
            row = s.get(AccountRow, account_id)
            if row is not None and row.password_hash == stored:
                row.password_hash = fresh
    return Account(account_id, handle, birth_year)


def delete_account(store: Store, account: Account) -> None:
    """Delete an account: its cameo is revoked (biometric data deleted), its clips removed, the row gone.

    Follows, requests and notices go with the row (ON DELETE CASCADE); removed
    clips keep their row, with the creator's handle, so `safety verify` can still
    say a copy found elsewhere was taken down.
    """
    cameo = store.active_cameo_of(account)
    if cameo is not None:
        store.revoke_cameo(cameo.id, actor=account.handle)
    with store.session.begin() as s:
        row = s.get(AccountRow, account.id)
        if row is None:
            raise IdentityError("no_account", "this account no longer exists")
        clips = s.scalars(select(ClipRow).where(ClipRow.creator_id == account.id))
        files = [remove_clip(s, clip, "its creator deleted their account", account.handle) for clip in clips]
        cancel_jobs_of(s, account.id, "cancelled: the account that asked for it was deleted")
        append_event(s, "delete", account.handle, account.id, {"account": True})
        retired = s.get(RetiredHandleRow, row.handle)  # a handle reused after an earlier cooling-off
        if retired is None:
            retired = RetiredHandleRow(handle=row.handle)
            s.add(retired)
        retired.account_id, retired.deleted_at = row.id, time.time()
        s.delete(row)
    delete_files(store.objects, [f for f in files if f])


def hugging_face_account(store: Store, username: str, invite_code: str | None = None) -> Account:
    """The account of a Hugging Face user signed in through OAuth (no password here; HF vouches).

    The first sign-in creates the account: in an invitation-only studio it needs a code.
    """
    handle = validate_handle(username.lower().replace("-", "_").replace(".", "_")[:32])
    with store.session.begin() as s:
        row = s.scalar(select(AccountRow).where(AccountRow.handle == handle))
        if row is not None and row.password_hash is not None:
            raise IdentityError("handle_taken", f"@{handle} is a local account; sign in with its password",
                                {"local_handle": handle})
        if row is None:
            ensure_handle_free(s, handle, store.rules)
            if store.rules.invite_only:
                claim_invite(s, invite_code, handle)
            row = AccountRow(id=uuid.uuid4().hex, handle=handle, birth_year=None, password_hash=None,
                             created_at=time.time())
            s.add(row)
        return Account(row.id, row.handle, row.birth_year)


def set_birth_year(store: Store, account: Account, birth_year: int) -> Account:
    """Declare a birth year once (Hugging Face accounts, which start without one and count as teens)."""
    _check_birth_year(birth_year)
    with store.session.begin() as s:
        row = s.get(AccountRow, account.id)
        if row is None:
            raise IdentityError("no_account", "this account no longer exists")
        if row.birth_year is not None:
            raise IdentityError("birth_year_set", "the birth year was already declared and cannot be changed")
        row.birth_year = birth_year
        return Account(row.id, row.handle, row.birth_year)
