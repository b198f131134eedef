"""Invitation codes for an invitation-only studio (`CAMEO_INVITE_ONLY`).

Each account may hand out a few codes (`CommunityRules.invites_per_account`),
issued when first asked for; the operator makes codes from nothing with
`python -m identity invite`. A code signs up one account, once, and the new
account's row remembers nothing of it: the invite row keeps who used it.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Float, ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from identity.db import Base
from identity.errors import IdentityError
from identity.messages import Catalog
from identity.store import Account, AccountRow, Store

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and typed
CODE_CHARS = 10
MAX_ADMIN_CODES = 1000

TEXTS = Catalog({
    "invite_required": "this studio is invitation-only: enter the invitation code someone gave you",
    "invite_unknown": "the invitation code {code} is not valid; check it with the person who gave it to you",
    "invite_used": "the invitation code {code} was already used; ask for another one",
    "invite_count": "make 1 to {most} codes at a time",
})


class InviteError(IdentityError):
    """An invitation code that cannot be used."""


class InviteRow(Base):
    __tablename__ = "invites"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    inviter_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True,
                                                   nullable=True)  # None: made by the operator
    created_at: Mapped[float] = mapped_column(Float)
    used_by: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the handle it signed up
    used_at: Mapped[float | None] = mapped_column(Float, nullable=True)


@dataclass(frozen=True)
class Invite:
    code: str
    created_at: float
    used_by: str | None
    used_at: float | None


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_CHARS))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{raw[:5]}-{raw[5:]}" if len(raw) == CODE_CHARS else raw


def _record(row: InviteRow) -> Invite:
    return Invite(row.code, row.created_at, row.used_by, row.used_at)


def invite_codes(store: Store, account: Account) -> list[Invite]:
    """The account's codes, used or not; the missing ones up to the allowance are made now."""
    with store.session.begin() as s:
        if s.get(AccountRow, account.id) is None:
            raise IdentityError("no_account", "this account no longer exists")
        have = s.scalar(select(func.count()).select_from(InviteRow).where(InviteRow.inviter_id == account.id))
        for _ in range(store.rules.invites_per_account - have):
            s.add(InviteRow(code=_new_code(), inviter_id=account.id, created_at=time.time()))
        s.flush()
        rows = s.scalars(select(InviteRow).where(InviteRow.inviter_id == account.id).order_by(InviteRow.created_at))
        return [_record(r) for r in rows]


def operator_codes(store: Store, count: int) -> list[Invite]:
    """Codes from the operator (the first members of an invitation-only studio)."""
    if not 1 <= count <= MAX_ADMIN_CODES:
        raise TEXTS.error(InviteError, "invite_count", most=MAX_ADMIN_CODES)
    with store.session.begin() as s:
        rows = [InviteRow(code=_new_code(), inviter_id=None, created_at=time.time()) for _ in range(count)]
        s.add_all(rows)
        return [_record(r) for r in rows]


def claim_invite(s: Session, code: str | None, handle: str) -> None:
    """Inside the sign-up transaction: use the code up for `handle`, or refuse with what to do."""
    if not code or not code.strip():
        raise TEXTS.error(InviteError, "invite_required")
    code = normalise_code(code)
    row = s.get(InviteRow, code, with_for_update=True)
    if row is None:
        raise TEXTS.error(InviteError, "invite_unknown", code=code)
    if row.used_at is not None:
        raise TEXTS.error(InviteError, "invite_used", code=code)
    row.used_by, row.used_at = handle, time.time()
