"""When a clip may go public: the owners' approval queue and the parent's publishing switch.

Publishing a clip (at any visibility) is decided here, inside the transaction
that publishes it, after the ledger has decided consent again:

- a teen whose linked parent turned publishing off cannot publish, and nobody can
  publish a clip featuring such a teen's cameo: the clip stays a draft and the
  creator is told why;
- an owner who asked to approve publications (`ConsentLedger.set_publication_approval`)
  gets the clip in their approval queue; it waits ("pending") until every such owner
  approved, and goes back to a draft if one declines. Widening a published clip's
  visibility asks them again.
"""
from __future__ import annotations

import time

from sqlalchemy import Float, ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from identity.clips import ClipCameoRow, ClipRow, notify_message
from identity.db import Base
from identity.family import active_controls
from identity.messages import Catalog, Message
from identity.store import Account, AccountRow
from identity.visibility import wider

TEXTS = Catalog({
    "publish_awaiting_approval": "this clip waits for {owners} to approve it before it is published",
    "publish_parent_off": "publishing is turned off for @{teen} by their parent account, so this clip stays a draft",
    "notice_approval_request": "@{creator} wants to publish a clip featuring your cameo ({visibility}); "
                               "approve or decline it in your approval queue",
    "notice_publication_approved": "your clip {clip} was approved by everyone in it and is published",
    "notice_publication_declined": "@{owner} did not approve publishing your clip {clip}; it stays a draft",
    "notice_publication_refused": "your clip {clip} could not be published: {reason}",
})


class PublicationApprovalRow(Base):
    __tablename__ = "publication_approvals"
    clip_id: Mapped[str] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"), primary_key=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True,
                                          index=True)
    status: Mapped[str] = mapped_column(String(16))  # pending | approved | declined
    visibility: Mapped[str] = mapped_column(String(16))  # what the owner is asked to approve
    requested_at: Mapped[float] = mapped_column(Float)
    decided_at: Mapped[float | None] = mapped_column(Float, nullable=True)


def _handle(s: Session, account_id: str) -> str:
    return s.get(AccountRow, account_id).handle


def publishing_blocked(s: Session, creator: Account, owner_ids: list[str]) -> Message | None:
    """A parent's "no publishing" for the creator or for any teen in the clip; None when publishing may go on."""
    people = [(creator.id, creator.is_teen)]
    for oid in dict.fromkeys(owner_ids):
        row = s.get(AccountRow, oid)
        if row is not None and oid != creator.id:
            people.append((oid, Account(row.id, row.handle, row.birth_year).is_teen))
    for account_id, is_teen in people:
        controls = active_controls(s, account_id) if is_teen else None
        if controls is not None and not controls.publishing_allowed:
            return TEXTS.message("publish_parent_off", teen=_handle(s, account_id))
    return None


def ask_owners(s: Session, row: ClipRow, creator: Account, owner_ids: list[str]) -> Message:
    """Put the clip in each owner's approval queue; it waits as "pending"."""
    now = time.time()
    for oid in owner_ids:
        ask = s.get(PublicationApprovalRow, (row.id, oid))
        if ask is None:
            ask = PublicationApprovalRow(clip_id=row.id, owner_id=oid)
            s.add(ask)
        ask.status, ask.visibility, ask.requested_at, ask.decided_at = "pending", row.visibility, now, None
        notify_message(s, oid, TEXTS.message("notice_approval_request", creator=creator.handle,
                                             visibility=row.visibility), row.id)
    row.status = "pending"
    owners = ", ".join(f"@{_handle(s, o)}" for o in owner_ids)
    return TEXTS.message("publish_awaiting_approval", owners=owners)


def still_waiting(s: Session, clip_id: str) -> list[str]:
    return list(s.scalars(select(PublicationApprovalRow.owner_id).where(
        PublicationApprovalRow.clip_id == clip_id, PublicationApprovalRow.status == "pending")))


def not_yet_approved(s: Session, clip_id: str, owner_ids: list[str], visibility: str) -> list[str]:
    """The owners among `owner_ids` who have not yet approved this clip at this visibility (or wider)."""
    missing = []
    for oid in owner_ids:
        ask = s.get(PublicationApprovalRow, (clip_id, oid))
        if ask is None or ask.status != "approved" or wider(visibility, ask.visibility):
            missing.append(oid)
    return missing


def featured_owner_ids(s: Session, clip_id: str) -> list[str]:
    return list(s.scalars(select(ClipCameoRow.owner_id).where(ClipCameoRow.clip_id == clip_id)))
