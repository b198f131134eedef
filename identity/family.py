"""Parental controls: a parent account linked to a teen account, and what the link lets the parent do.

The parent asks, the teen confirms; either may end the link and the other is told.
While it lasts (and while the teen is a teen) the parent may narrow who may use
the teen's cameo (never wider than mutuals), keep the teen's feed to accounts the
teen follows, set a daily generation limit, and turn publishing off. Those rules
are applied where they belong: the cameo cap in `ConsentLedger._permission`, the
feed in `identity.feed`, the limit in `identity.limits`, publishing in
`identity.publication`; this module only keeps the link and its settings. The
parent sees a summary of the teen's appearances (who made clips with the teen,
when, in what state; never the clips or their prompts), and the teen sees
exactly what the parent sees (`parent_view`).
"""
from __future__ import annotations

import time
import uuid
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from identity.audit import append_event
from identity.clips import ClipCameoRow, ClipRow, notify_message
from identity.db import Base
from identity.errors import IdentityError
from identity.messages import Catalog, Message
from identity.store import Account, AccountRow, Store

CAP_LEVELS = ("only_me", "approved", "mutuals")  # a parent may narrow the teen's cameo to these, never wider
MAX_PARENT_DAILY_LIMIT = 100
RECENT_APPEARANCES = 20

TEXTS = Catalog({
    "family_not_adult": "only an adult account can be a parent account",
    "family_not_teen": "@{teen} is not a teen account; parental controls are for teen accounts",
    "family_self": "you cannot link to your own account",
    "family_teen_linked": "@{teen} is already linked to a parent account",
    "family_pending": "you already asked to link with @{teen}; they have not answered yet",
    "family_no_link": "no such parental link",
    "family_not_pending": "this link was already answered",
    "family_not_parent": "only the linked parent can change these controls",
    "family_bad_cap": "a parent may narrow a teen's cameo to {levels}; 'everyone' is never allowed",
    "family_bad_limit": "the daily generation limit must be a whole number from 0 to {most}",
    "notice_family_invite": "@{parent} asked to link as your parent account; confirm or decline in your account",
    "notice_family_confirmed": "@{teen} confirmed the parental link",
    "notice_family_declined": "@{teen} declined the parental link",
    "notice_family_ended": "@{by} ended the parental link between @{parent} and @{teen}",
    "notice_family_controls": "@{parent} changed your parental controls; see what they can see and do in your account",
    # What the link lets the parent see and do, shown to the teen (and the parent) as a list.
    "parent_sees_appearances": "a summary of the clips that feature your cameo: who made them, when, and whether "
                               "they are published (not the clips or their prompts)",
    "parent_sees_controls": "these controls, which they can change at any time",
    # One text per cap: a level's id ("only_me") is not something to show a person.
    "parent_controls_cameo_only_me": "who may use your cameo: only you",
    "parent_controls_cameo_approved": "who may use your cameo: at most the people you approve",
    "parent_controls_cameo_mutuals": "who may use your cameo: at most your mutual followers (you follow each "
                                     "other)",
    "parent_controls_feed": "your feed shows only accounts you follow",
    "parent_controls_limit": "you may start {limit} clips a day",
    "parent_controls_no_publishing": "your clips, and clips featuring your cameo, stay unpublished",
})


class FamilyError(IdentityError):
    """A parental link or control that cannot be set."""


class FamilyLinkRow(Base):
    __tablename__ = "family_links"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    parent_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    teen_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # pending | active | declined | ended
    created_at: Mapped[float] = mapped_column(Float)
    decided_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    cameo_cap: Mapped[str | None] = mapped_column(String(16), nullable=True)  # one of CAP_LEVELS
    feed_following_only: Mapped[bool] = mapped_column(Boolean, default=False)
    daily_generation_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    publishing_allowed: Mapped[bool] = mapped_column(Boolean, default=True)


@dataclass(frozen=True)
class ParentalControls:
    parent_handle: str
    cameo_cap: str | None
    feed_following_only: bool
    daily_generation_limit: int | None
    publishing_allowed: bool


@dataclass(frozen=True)
class FamilyLink:
    id: str
    parent_handle: str
    teen_handle: str
    status: str
    created_at: float
    controls: ParentalControls


@dataclass(frozen=True)
class AppearanceLine:
    clip_id: str
    creator_handle: str
    created_at: float
    status: str
    visibility: str


@dataclass(frozen=True)
class AppearanceSummary:
    teen_handle: str
    total: int
    by_status: dict[str, int]
    creators: tuple[tuple[str, int], ...]  # (handle, clips), most first
    recent: tuple[AppearanceLine, ...]


@dataclass(frozen=True)
class ParentView:
    """What the linked parent can see and do, as the teen is shown it (and the parent too)."""

    link: FamilyLink
    can: tuple[Message, ...]
    summary: AppearanceSummary


def _controls(row: FamilyLinkRow, parent_handle: str) -> ParentalControls:
    return ParentalControls(parent_handle, row.cameo_cap, bool(row.feed_following_only),
                            row.daily_generation_limit, bool(row.publishing_allowed))


def active_controls(s: Session, teen_id: str) -> ParentalControls | None:
    """The controls a linked parent set for this account, read inside the caller's decision.

    The callers apply them only while the account is a teen account.
    """
    row = s.scalar(select(FamilyLinkRow).where(FamilyLinkRow.teen_id == teen_id, FamilyLinkRow.status == "active"))
    if row is None:
        return None
    return _controls(row, s.get(AccountRow, row.parent_id).handle)


def _account(s: Session, account_id: str) -> Account:
    row = s.get(AccountRow, account_id)
    return Account(row.id, row.handle, row.birth_year)


class Family:
    def __init__(self, store: Store):
        self.store = store

    def _link(self, s: Session, link_id: str) -> FamilyLinkRow:
        row = s.get(FamilyLinkRow, link_id)
        if row is None:
            raise TEXTS.error(FamilyError, "family_no_link")
        return row

    def _view(self, s: Session, row: FamilyLinkRow) -> FamilyLink:
        parent, teen = _account(s, row.parent_id), _account(s, row.teen_id)
        return FamilyLink(row.id, parent.handle, teen.handle, row.status, row.created_at,
                          _controls(row, parent.handle))

    def invite(self, parent: Account, teen_handle: str) -> FamilyLink:
        """The parent asks to link; the teen is told and must confirm."""
        if parent.is_teen:
            raise TEXTS.error(FamilyError, "family_not_adult")
        with self.store.session.begin() as s:
            if s.get(AccountRow, parent.id) is None:
                raise IdentityError("no_account", "this account no longer exists")
            teen_row = s.scalar(select(AccountRow).where(AccountRow.handle == teen_handle.strip().lstrip("@")))
            if teen_row is None:
                raise IdentityError("no_account", f"there is no account @{teen_handle}", {"handle": teen_handle})
            teen = Account(teen_row.id, teen_row.handle, teen_row.birth_year)
            if teen.id == parent.id:
                raise TEXTS.error(FamilyError, "family_self")
            if not teen.is_teen:
                raise TEXTS.error(FamilyError, "family_not_teen", teen=teen.handle)
            if active_controls(s, teen.id) is not None:
                raise TEXTS.error(FamilyError, "family_teen_linked", teen=teen.handle)
            if s.scalar(select(FamilyLinkRow).where(FamilyLinkRow.parent_id == parent.id,
                                                    FamilyLinkRow.teen_id == teen.id,
                                                    FamilyLinkRow.status == "pending")) is not None:
                raise TEXTS.error(FamilyError, "family_pending", teen=teen.handle)
            row = FamilyLinkRow(id=uuid.uuid4().hex, parent_id=parent.id, teen_id=teen.id, status="pending",
                                created_at=time.time(), feed_following_only=False, publishing_allowed=True)
            s.add(row)
            append_event(s, "family", parent.handle, row.id, {"step": "invite", "teen": teen.handle})
            notify_message(s, teen.id, TEXTS.message("notice_family_invite", parent=parent.handle))
            s.flush()
            return self._view(s, row)

    def _answer(self, teen: Account, link_id: str, status: str) -> FamilyLink:
        with self.store.session.begin() as s:
            row = self._link(s, link_id)
            if row.teen_id != teen.id:
                raise TEXTS.error(FamilyError, "family_no_link")
            if row.status != "pending":
                raise TEXTS.error(FamilyError, "family_not_pending")
            if status == "active" and active_controls(s, teen.id) is not None:
                raise TEXTS.error(FamilyError, "family_teen_linked", teen=teen.handle)
            row.status, row.decided_at = status, time.time()
            append_event(s, "family", teen.handle, row.id, {"step": "confirm" if status == "active" else "decline"})
            code = "notice_family_confirmed" if status == "active" else "notice_family_declined"
            notify_message(s, row.parent_id, TEXTS.message(code, teen=teen.handle))
            return self._view(s, row)

    def confirm(self, teen: Account, link_id: str) -> FamilyLink:
        return self._answer(teen, link_id, "active")

    def decline(self, teen: Account, link_id: str) -> FamilyLink:
        return self._answer(teen, link_id, "declined")

    def unlink(self, account: Account, link_id: str) -> None:
        """Either side ends an active link; the other is told (the controls stop at once)."""
        with self.store.session.begin() as s:
            row = self._link(s, link_id)
            if account.id not in (row.parent_id, row.teen_id) or row.status != "active":
                raise TEXTS.error(FamilyError, "family_no_link")
            link = self._view(s, row)
            row.status, row.decided_at = "ended", time.time()
            append_event(s, "family", account.handle, row.id, {"step": "end"})
            other = row.teen_id if account.id == row.parent_id else row.parent_id
            notify_message(s, other, TEXTS.message("notice_family_ended", by=account.handle,
                                                   parent=link.parent_handle, teen=link.teen_handle))

    def set_controls(self, parent: Account, link_id: str, *, cameo_cap: str | None, feed_following_only: bool,
                     daily_generation_limit: int | None, publishing_allowed: bool) -> ParentalControls:
        if cameo_cap is not None and cameo_cap not in CAP_LEVELS:
            raise TEXTS.error(FamilyError, "family_bad_cap", levels=", ".join(CAP_LEVELS))
        if daily_generation_limit is not None and (
                isinstance(daily_generation_limit, bool) or not isinstance(daily_generation_limit, int)
                or not 0 <= daily_generation_limit <= MAX_PARENT_DAILY_LIMIT):
            raise TEXTS.error(FamilyError, "family_bad_limit", most=MAX_PARENT_DAILY_LIMIT)
        with self.store.session.begin() as s:
            row = self._link(s, link_id)
            if row.parent_id != parent.id or row.status != "active":
                raise TEXTS.error(FamilyError, "family_not_parent")
            row.cameo_cap, row.feed_following_only = cameo_cap, bool(feed_following_only)
            row.daily_generation_limit, row.publishing_allowed = daily_generation_limit, bool(publishing_allowed)
            append_event(s, "family", parent.handle, row.id, {
                "step": "controls", "cameo_cap": cameo_cap, "feed_following_only": bool(feed_following_only),
                "daily_generation_limit": daily_generation_limit, "publishing_allowed": bool(publishing_allowed)})
            notify_message(s, row.teen_id, TEXTS.message("notice_family_controls", parent=parent.handle))
            return _controls(row, parent.handle)

    # what each side sees -----------------------------------------------------
    def links(self, account: Account) -> list[FamilyLink]:
        """Links where the account is the parent or the teen, pending ones included, newest first."""
        with self.store.reader() as s:
            rows = s.scalars(select(FamilyLinkRow).where(or_(FamilyLinkRow.parent_id == account.id,
                                                             FamilyLinkRow.teen_id == account.id))
                             .order_by(FamilyLinkRow.created_at.desc()))
            return [self._view(s, r) for r in rows]

    def teen_summary(self, parent: Account, link_id: str) -> AppearanceSummary:
        with self.store.reader() as s:
            row = self._link(s, link_id)
            if row.parent_id != parent.id or row.status != "active":
                raise TEXTS.error(FamilyError, "family_not_parent")
            return _summary(s, _account(s, row.teen_id))

    def parent_view(self, teen: Account) -> ParentView | None:
        """What the teen's linked parent can see and do; None when no parent is linked."""
        with self.store.reader() as s:
            row = s.scalar(select(FamilyLinkRow).where(FamilyLinkRow.teen_id == teen.id,
                                                       FamilyLinkRow.status == "active"))
            if row is None:
                return None
            link = self._view(s, row)
            return ParentView(link, what_the_parent_can(link.controls), _summary(s, teen))


def what_the_parent_can(c: ParentalControls) -> tuple[Message, ...]:
    out = [TEXTS.message("parent_sees_appearances"), TEXTS.message("parent_sees_controls")]
    if c.cameo_cap:
        out.append(TEXTS.message(f"parent_controls_cameo_{c.cameo_cap}"))
    if c.feed_following_only:
        out.append(TEXTS.message("parent_controls_feed"))
    if c.daily_generation_limit is not None:
        out.append(TEXTS.message("parent_controls_limit", limit=c.daily_generation_limit))
    if not c.publishing_allowed:
        out.append(TEXTS.message("parent_controls_no_publishing"))
    return tuple(out)


def _summary(s: Session, teen: Account) -> AppearanceSummary:
    rows = list(s.scalars(select(ClipRow).join(ClipCameoRow, ClipCameoRow.clip_id == ClipRow.id)
                          .where(ClipCameoRow.owner_id == teen.id).order_by(ClipRow.created_at.desc())))
    recent = tuple(AppearanceLine(r.id, r.creator_handle, r.created_at, r.status, r.visibility)
                   for r in rows[:RECENT_APPEARANCES])
    return AppearanceSummary(teen.handle, len(rows), dict(Counter(r.status for r in rows)),
                             tuple(Counter(r.creator_handle for r in rows).most_common()), recent)
