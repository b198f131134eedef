"""Who may see a clip: the one rule, for a single clip and for lists read from the database.

A removed clip is seen by nobody. Its creator and the people featured in it see
it in every other state (a draft, one waiting for their approval, one hidden
pending review). Anyone else sees it only once published and not hidden by
reports: a public clip by everyone signed in, a followers-only clip by the
creator's followers, a private clip by nobody else. `listed` is the same rule as
a SQL condition for lists of published clips (the feed), and a property-based
test checks that it never shows a clip `may_view` would not.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from identity.clips import VISIBILITIES, ClipCameoRow, ClipRow
from identity.consent import FollowRow
from identity.errors import IdentityError
from identity.messages import Catalog

TEXTS = Catalog({
    "clip_bad_visibility": "visibility must be one of {choices}",
})

WIDTH = {v: k for k, v in enumerate(reversed(VISIBILITIES))}  # private 0 < followers 1 < public 2


def check_visibility(visibility: str) -> str:
    if visibility not in VISIBILITIES:
        raise TEXTS.error(IdentityError, "clip_bad_visibility", choices=", ".join(VISIBILITIES))
    return visibility


def wider(new: str, old: str) -> bool:
    return WIDTH[new] > WIDTH[old]


def is_featured(s: Session, clip_id: str, account_id: str) -> bool:
    return s.scalar(select(ClipCameoRow.clip_id).where(ClipCameoRow.clip_id == clip_id,
                                                       ClipCameoRow.owner_id == account_id)) is not None


def _follows(s: Session, follower_id: str, followee_id: str | None) -> bool:
    return followee_id is not None and s.get(FollowRow, (follower_id, followee_id)) is not None


def may_view(s: Session, viewer_id: str | None, row: ClipRow, *, unless_hidden: bool = False) -> bool:
    """The rule for one clip. `viewer_id` None: someone not signed in (public clips only).

    `unless_hidden`: whether the viewer could see it but for reports hiding it (who may still report it).
    """
    if row.status == "removed":
        return False
    if viewer_id is not None and (row.creator_id == viewer_id or is_featured(s, row.id, viewer_id)):
        return True
    if row.status != "published" or (row.hidden_at is not None and not unless_hidden):
        return False
    if row.visibility == "public":
        return True
    if row.visibility == "followers":
        return viewer_id is not None and _follows(s, viewer_id, row.creator_id)
    return False


def listed(viewer_id: str | ColumnElement | None, clips=ClipRow) -> ColumnElement[bool]:
    """Published clips the viewer may see, as a WHERE condition (private clips are never listed).

    `viewer_id` may be a bound parameter, so that a query built once serves every viewer; `clips` may be an
    alias of the clips table.
    """
    shown = and_(clips.status == "published", clips.hidden_at.is_(None))
    if viewer_id is None:
        return and_(shown, clips.visibility == "public")
    # An IN over the viewer's followees is read once per query (an EXISTS would be probed per clip).
    follows_creator = clips.creator_id.in_(select(FollowRow.followee_id).where(FollowRow.follower_id == viewer_id))
    return and_(shown, or_(clips.visibility == "public",
                           and_(clips.visibility == "followers", or_(clips.creator_id == viewer_id, follows_creator))))


def viewable(viewer_id: str | ColumnElement | None, clips=ClipRow) -> ColumnElement[bool]:
    """`may_view` as SQL, for reading many clips at once (a property test keeps the two the same)."""
    if viewer_id is None:
        return listed(None, clips)
    own = or_(clips.creator_id == viewer_id,
              clips.id.in_(select(ClipCameoRow.clip_id).where(ClipCameoRow.owner_id == viewer_id)))
    return and_(clips.status != "removed", or_(own, listed(viewer_id, clips)))
