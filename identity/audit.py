"""The append-only, tamper-evident audit log.

Each event stores the hash of the one before it, and a head row holds the hash
of the last; editing, removing or reordering any entry (or dropping the last)
breaks the chain, and `verify_audit_chain` says where. Events hold ids, dates
and hashes, never biometric data.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass

from sqlalchemy import insert, Float, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from identity.db import Base

GENESIS = "0" * 64
EVENT_KINDS = {
    "enroll", "permission_change", "request", "approve", "deny", "revoke",
    "authorize", "refuse", "save", "publish", "delete",
    # the social studio: visibility and owners' approvals, parental links, reports and moderation, staff roles
    "visibility", "publication", "family", "report", "moderate", "appeal", "role",
}


class AuditRow(Base):
    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text)  # one id, or several joined by commas
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    at: float
    kind: str
    actor: str
    subject: str
    details: dict


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str | None = None


def _entry_hash(seq: int, at: float, kind: str, actor: str, subject: str, details: str, prev: str) -> str:
    payload = json.dumps([seq, repr(at), kind, actor, subject, details, prev], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def append_event(session: Session, kind: str, actor: str, subject: str, details: dict | None = None) -> AuditEvent:
    """Append an event inside the caller's transaction, so it commits (or not) with the change it records."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown audit event kind {kind!r}")
    # Lock the head row (PostgreSQL; SQLite serialises writers anyway) so appends never interleave.
    head = session.scalar(select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update())
    if head is None:
        head = AuditHeadRow(id=1, seq=0, hash=GENESIS)
        session.add(head)
    seq, at = head.seq + 1, time.time()
    text = json.dumps(details or {}, sort_keys=True, separators=(",", ":"))
    digest = _entry_hash(seq, at, kind, actor, subject, text, head.hash)
    session.add(AuditRow(seq=seq, at=at, kind=kind, actor=actor, subject=subject, details=text,
                         prev_hash=head.hash, hash=digest))
    head.seq, head.hash = seq, digest
    session.flush()
    return AuditEvent(seq, at, kind, actor, subject, details or {})


def append_events(session: Session, events: list[tuple[str, str, str, dict]]) -> None:
    """Append many (kind, actor, subject, details) events in order, locking the head once (bulk imports)."""
    if any(kind not in EVENT_KINDS for kind, *_ in events):
        raise ValueError("unknown audit event kind")
    head = session.scalar(select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update())
    if head is None:
        head = AuditHeadRow(id=1, seq=0, hash=GENESIS)
        session.add(head)
    seq, prev, rows = head.seq, head.hash, []
    for kind, actor, subject, details in events:
        seq, at = seq + 1, time.time()
        text = json.dumps(details or {}, sort_keys=True, separators=(",", ":"))
        digest = _entry_hash(seq, at, kind, actor, subject, text, prev)
        rows.append(dict(seq=seq, at=at, kind=kind, actor=actor, subject=subject, details=text, prev_hash=prev,
                         hash=digest))
        prev = digest
    if rows:
        session.execute(insert(AuditRow), rows)
    head.seq, head.hash = seq, prev
    session.flush()


def verify_audit_chain(session: Session) -> ChainCheck:
    """Walk the log in order and recompute every link."""
    prev, expected_seq, n = GENESIS, 1, 0
    for row in session.scalars(select(AuditRow).order_by(AuditRow.seq)):
        n += 1
        if row.seq != expected_seq:
            return ChainCheck(False, n, row.seq, f"entry {expected_seq} is missing")
        if row.prev_hash != prev:
            return ChainCheck(False, n, row.seq, f"entry {row.seq} does not follow entry {row.seq - 1}")
        if _entry_hash(row.seq, row.at, row.kind, row.actor, row.subject, row.details, row.prev_hash) != row.hash:
            return ChainCheck(False, n, row.seq, f"entry {row.seq} was altered")
        prev, expected_seq = row.hash, expected_seq + 1
    head = session.get(AuditHeadRow, 1)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (expected_seq - 1, prev):
        return ChainCheck(False, n, expected_seq, f"the log ends at entry {expected_seq - 1} but was written up to {head_seq}")
    return ChainCheck(True, n)


def read_events(session: Session, subject: str | None = None) -> list[AuditEvent]:
    q = select(AuditRow).order_by(AuditRow.seq)
    if subject is not None:
        q = q.where(AuditRow.subject == subject)
    return [AuditEvent(r.seq, r.at, r.kind, r.actor, r.subject, json.loads(r.details)) for r in session.scalars(q)]
