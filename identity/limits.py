"""Limits on what one account may do: clips started per day, a moderator's suspension, enrollment attempts.

Every generation job starts with `admit_generation` (called by the job in one
line, and by whatever queues jobs): it refuses a suspended account or one past
its daily limit, and counts the job, in one transaction that locks the account's
row, so two jobs started together cannot both take the last one. Every job
started counts, whatever becomes of it: a refused prompt too, which also slows
down anyone probing the filters. The limit is per rolling 24 hours: the studio's
figure for the kind of account (established adult, new, teen; `CommunityRules`),
or the parent's, when a linked parent set a lower one.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from sqlalchemy import Float, ForeignKey, Index, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from identity.db import Base
from identity.errors import IdentityError
from identity.family import active_controls
from identity.messages import Catalog, Message
from identity.rules import DAY_S, CommunityRules
from identity.store import Account, AccountRow, ChallengeRow, Store

TEXTS = Catalog({
    "limit_daily": "you have started {used} of your {limit} clips for the last 24 hours ({kind}); "
                   "you can start the next one at {next_at} UTC",
    "limit_suspended": "a moderator suspended your generation until {until} UTC: {reason}",
    "limit_enroll_attempts": "you have made {limit} enrollment recordings in the last 24 hours; "
                             "try again after {next_at} UTC",
    "limit_kind_adult": "an established account",
    "limit_kind_new": "a new account",
    "limit_kind_teen": "a teen account",
    "limit_kind_parent": "the limit your parent account set",
})


class LimitError(IdentityError):
    """Something an account may not do now, and when it may again."""


class GenerationUseRow(Base):
    __tablename__ = "generation_uses"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    at: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("ix_generation_uses_account_id_at", "account_id", "at"),)


class SuspensionRow(Base):
    """A moderator's suspension of an account's generation (identity.moderation); one per account."""

    __tablename__ = "suspensions"
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    until: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    moderator: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[float] = mapped_column(Float)


@dataclass(frozen=True)
class Allowance:
    limit: int
    used: int
    kind: Message  # whose figure applies (adult, new, teen, parent)
    next_at: float | None  # when the oldest counted job leaves the window (None: nothing counted)
    suspended_until: float | None = None
    suspension_reason: str | None = None

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


def _utc(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(t))


def daily_limit(s: Session, account: Account, rules: CommunityRules, now: float) -> tuple[int, Message]:
    row = s.get(AccountRow, account.id)
    if account.is_teen:
        limit, kind = rules.generations_per_day_teen, TEXTS.message("limit_kind_teen")
        controls = active_controls(s, account.id)
        if controls is not None and controls.daily_generation_limit is not None \
                and controls.daily_generation_limit < limit:
            limit, kind = controls.daily_generation_limit, TEXTS.message("limit_kind_parent")
        return limit, kind
    if row is not None and now - row.created_at < rules.new_account_days * DAY_S:
        return rules.generations_per_day_new, TEXTS.message("limit_kind_new")
    return rules.generations_per_day, TEXTS.message("limit_kind_adult")


def _allowance(s: Session, account: Account, rules: CommunityRules, now: float) -> Allowance:
    limit, kind = daily_limit(s, account, rules, now)
    since = now - DAY_S
    used, oldest = s.execute(select(func.count(), func.min(GenerationUseRow.at)).where(
        GenerationUseRow.account_id == account.id, GenerationUseRow.at > since, GenerationUseRow.at <= now)).one()
    susp = s.get(SuspensionRow, account.id)
    active = susp is not None and susp.until > now
    return Allowance(limit, used, kind, oldest + DAY_S if oldest is not None else None,
                     susp.until if active else None, susp.reason if active else None)


def allowance(store: Store, account: Account, now: float | None = None) -> Allowance:
    with store.reader() as s:
        return _allowance(s, account, store.rules, time.time() if now is None else now)


def admit_generation(store: Store, account: Account, now: float | None = None) -> Allowance:
    """Refuse (LimitError) or count one generation job for this account; the allowance after it."""
    with store.session.begin() as s:
        # Lock the account's row (PostgreSQL; SQLite's writer lock does the same) so counts do not race,
        # and read the clock once the lock is held: a job that waited must see the ones counted meanwhile.
        if s.scalar(select(AccountRow.id).where(AccountRow.id == account.id).with_for_update()) is None:
            raise IdentityError("no_account", "this account no longer exists")
        now = time.time() if now is None else now
        a = _allowance(s, account, store.rules, now)
        if a.suspended_until is not None:
            raise TEXTS.error(LimitError, "limit_suspended", until=_utc(a.suspended_until), reason=a.suspension_reason)
        if a.used >= a.limit:
            next_at = a.next_at if a.next_at is not None else now + DAY_S  # a limit of 0: no next one today
            raise TEXTS.error(LimitError, "limit_daily", used=a.used, limit=a.limit, kind=a.kind.text,
                              kind_code=a.kind.code, next_at=_utc(next_at))
        s.add(GenerationUseRow(id=uuid.uuid4().hex, account_id=account.id, at=now))
        return Allowance(a.limit, a.used + 1, a.kind, a.next_at or now + DAY_S)


def enroll_attempts_left(store: Store, handle: str, now: float | None = None) -> Message | None:
    """None while the account may make another enrollment recording; else why not and until when.

    An attempt is a challenge used up by a recording (identity.enrollment), pass or fail.
    """
    now = time.time() if now is None else now
    limit = store.rules.enroll_attempts_per_day
    with store.reader() as s:
        used, oldest = s.execute(select(func.count(), func.min(ChallengeRow.used_at)).where(
            ChallengeRow.handle == handle, ChallengeRow.used_at > now - DAY_S)).one()
    if used < limit:
        return None
    return TEXTS.message("limit_enroll_attempts", limit=limit, next_at=_utc(oldest + DAY_S))
