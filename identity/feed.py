"""The feed a person steers: people they follow first, remixes of and by them, then what is new.

Each page is built from a few small candidate lists read with indexes (clips by
accounts the viewer follows, remixes of their clips, clips featuring them or the
viewer, recent clips), all under `identity.visibility.listed`, so a clip the
viewer may not see is never a candidate. Candidates are ranked by one score, a
boost for the strongest reason the viewer has to see the clip plus its freshness,
and each item says why it is there (a message code a UI can translate). The
"following only" switch keeps the first list alone; a linked parent can set it
for a teen. After `CommunityRules.feed_break_after` clips in one session the page
carries a gentle take-a-break notice (the seeds' stance against doomscrolling);
it never blocks. Remix chains come with each item ("remix of @x's clip").

Pages are anchored to the moment the first one was built (the cursor keeps it),
so the ranking does not shift under someone scrolling; the candidate lists hold
`POOL` clips each, which bounds how far one can scroll before refreshing.
"""
from __future__ import annotations

import base64
import functools
import json
import time
from dataclasses import dataclass

from sqlalchemy import CompoundSelect, Float, ForeignKey, Integer, Select, Text, bindparam, exists, literal, select, \
    union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column

from identity.clips import Clip, ClipCameoRow, ClipRow, to_clips
from identity.consent import FollowRow
from identity.db import Base
from identity.errors import IdentityError
from identity.family import active_controls
from identity.messages import Catalog, Message
from identity.store import Account, Store
from identity.visibility import listed, viewable

PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
SEEN_IDS_KEPT = 1000  # a session's distinct clips remembered for the take-a-break count
POOL = 200  # candidates per list
REMIX_DEPTH = 3  # links of a remix chain shown with an item
REMIX_PARENT_DAYS = 7  # remixes of clips people you follow published in the last week
FRESH_HOURS = 12.0  # a clip this old has half its freshness
BOOST = {  # how much each reason weighs against freshness (a brand-new clip scores 1.0 of freshness)
    "why_following": 1.0, "why_remix_of_following": 0.8, "why_features_you": 0.7, "why_features_following": 0.6,
    "why_yours": 0.2, "why_recent": 0.0,
}

TEXTS = Catalog({
    "why_following": "you follow @{creator}",
    "why_remix_of_following": "a remix of a clip by @{original}, whom you follow",
    "why_features_you": "you appear in it",
    "why_features_following": "it features @{handle}, whom you follow",
    "why_yours": "your own clip",
    "why_recent": "recent on the studio",
    "feed_take_a_break": "You have watched {clips} clips in {minutes} minutes. Maybe take a break: make "
                         "something of your own, or come back later.",
    "feed_parent_following_only": "your parent account keeps your feed to accounts you follow",
    "remix_of": "remix of @{creator}'s clip",
    "remix_of_unavailable": "remix of a clip that is no longer available",
    "feed_bad_cursor": "this feed page is out of date; refresh the feed",
})


class FeedSessionRow(Base):
    """Clips seen since the viewer last came back after a pause: for the take-a-break notice."""

    __tablename__ = "feed_sessions"
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    started_at: Mapped[float] = mapped_column(Float)
    last_at: Mapped[float] = mapped_column(Float)
    clips_seen: Mapped[int] = mapped_column(Integer)
    breaks_shown: Mapped[int] = mapped_column(Integer)
    # the session's clips so far (JSON list of ids, the newest SEEN_IDS_KEPT): a refresh that shows the
    # same clips again is not more scrolling
    seen_ids: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")


@dataclass(frozen=True)
class RemixLink:
    clip_id: str | None  # None when the viewer may not see it (or it was removed)
    creator_handle: str | None
    message: Message


@dataclass(frozen=True)
class FeedItem:
    clip: Clip
    why: Message
    remix_chain: tuple[RemixLink, ...]  # the clip it remixes first, then that one's source, ...
    creator_followed: bool


@dataclass(frozen=True)
class FeedPage:
    items: tuple[FeedItem, ...]
    following_only: bool
    locked_by_parent: Message | None  # "following only" was set by a parent and cannot be switched off
    next_cursor: str | None
    take_a_break: Message | None
    session_clips: int


@dataclass(frozen=True)
class _Candidate:
    id: str
    creator_id: str | None
    creator_handle: str
    published_at: float
    remix_of: str | None


@functools.cache
def _candidate_query(anonymous: bool, following_only: bool) -> CompoundSelect | Select:
    """Every candidate list in one query (one round trip), built once with bound parameters (viewer, anchor,
    since): the newest POOL clips of each list, with the list's reason code. The remixes are found through
    the remix index and cut to POOL in Python (a list small by construction), rather than by walking every
    clip in time order."""
    viewer, anchor, since = bindparam("viewer"), bindparam("anchor"), bindparam("since")
    seen = listed(None if anonymous else viewer)

    def columns(why: str) -> tuple:
        return (ClipRow.id, ClipRow.creator_id, ClipRow.creator_handle, ClipRow.published_at, ClipRow.remix_of,
                literal(why).label("why"))

    def newest(q: Select) -> Select:
        inner = q.where(ClipRow.published_at <= anchor).order_by(ClipRow.published_at.desc()).limit(POOL).subquery()
        return select(*inner.c)

    if anonymous:
        return newest(select(*columns("why_recent")).where(seen))
    followed = select(FollowRow.followee_id).where(FollowRow.follower_id == viewer)
    lists = [newest(select(*columns("why_following")).where(seen, ClipRow.creator_id.in_(followed)))]
    if not following_only:
        source = aliased(ClipRow)  # the remixed clip: by someone followed, recent, and visible to the viewer
        parents = select(source.id).where(source.creator_id.in_(followed), source.published_at > since,
                                          listed(viewer, source))
        lists += [
            select(*columns("why_remix_of_following")).where(seen, ClipRow.remix_of.in_(parents),
                                                              ClipRow.published_at <= anchor),
            newest(select(*columns("why_features_you")).join(ClipCameoRow, ClipCameoRow.clip_id == ClipRow.id)
                   .where(seen, ClipCameoRow.owner_id == viewer)),
            newest(select(*columns("why_features_following")).where(seen, exists().where(
                ClipCameoRow.clip_id == ClipRow.id, ClipCameoRow.owner_id.in_(followed)))),
            newest(select(*columns("why_recent")).where(seen)),
        ]
    return union_all(*lists) if len(lists) > 1 else lists[0]


def _cursor(anchor: float, offset: int, following_only: bool) -> str:
    raw = json.dumps({"a": anchor, "o": offset, "f": following_only}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _read_cursor(cursor: str) -> tuple[float, int, bool]:
    try:
        d = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        anchor, offset, fo = float(d["a"]), int(d["o"]), bool(d["f"])
        if offset < 0:
            raise ValueError
        return anchor, offset, fo
    except (ValueError, KeyError, TypeError):
        raise TEXTS.error(IdentityError, "feed_bad_cursor") from None


class Feed:
    def __init__(self, store: Store):
        self.store = store

    def page(self, viewer: Account | None, *, following_only: bool = False, cursor: str | None = None,
             limit: int = PAGE_SIZE, now: float | None = None) -> FeedPage:
        """One page of the viewer's feed (`viewer` None: someone not signed in sees recent public clips)."""
        limit = max(1, min(int(limit), MAX_PAGE_SIZE))
        now = time.time() if now is None else now
        anchor, offset = now, 0
        if cursor:
            anchor, offset, following_only = _read_cursor(cursor)
        with self.store.reader() as s:
            locked = None
            if viewer is not None and viewer.is_teen:
                controls = active_controls(s, viewer.id)
                if controls is not None and controls.feed_following_only:
                    following_only, locked = True, TEXTS.message("feed_parent_following_only")
            ranked = self._ranked(s, viewer, following_only, anchor)
            chosen = ranked[offset:offset + limit]
            followed = (ClipRow.creator_id.in_(select(FollowRow.followee_id).where(FollowRow.follower_id == viewer.id))
                        if viewer is not None else literal(False))
            rows = {r.id: (r, bool(f)) for r, f in s.execute(select(ClipRow, followed.label("followed"))
                                                            .where(ClipRow.id.in_([c.id for c, _ in chosen])))}
            clips = to_clips(s, [rows[c.id][0] for c, _ in chosen])
            chains = self._chains(s, viewer, [c.remix_of for c in clips])
            whys = self._whys(s, viewer, chosen, chains)
            items = tuple(FeedItem(clip, why, chain, rows[clip.id][1])
                          for clip, why, chain in zip(clips, whys, chains))
        more = offset + limit < len(ranked)
        pause, seen = self._count_session(viewer, [i.clip.id for i in items], now)
        return FeedPage(items, following_only, locked, _cursor(anchor, offset + limit, following_only) if more else None,
                        pause, seen)

    # candidates and ranking ----------------------------------------------------------------------------
    def _ranked(self, s: Session, viewer: Account | None, following_only: bool,
                anchor: float) -> list[tuple[_Candidate, str]]:
        """Every candidate once, best first, with the code of its strongest reason."""
        params = {"viewer": viewer.id if viewer else None, "anchor": anchor,
                  "since": anchor - REMIX_PARENT_DAYS * 86400}
        rows = s.connection().execute(_candidate_query(viewer is None, following_only), params).all()
        lists: dict[str, list[_Candidate]] = {}
        for row in rows:
            lists.setdefault(row.why, []).append(_Candidate(*row[:5]))
        if "why_remix_of_following" in lists:
            lists["why_remix_of_following"] = sorted(lists["why_remix_of_following"],
                                                     key=lambda c: -c.published_at)[:POOL]
        if viewer is None:
            return [(c, "why_recent") for c in lists.get("why_recent", [])]
        best: dict[str, tuple[float, _Candidate, str]] = {}
        for why, candidates in lists.items():
            for c in candidates:
                reason = "why_yours" if c.creator_id == viewer.id and why == "why_recent" else why
                fresh = 1.0 / (1.0 + max(0.0, anchor - c.published_at) / 3600.0 / FRESH_HOURS)
                score = BOOST[reason] + fresh
                if c.id not in best or score > best[c.id][0]:
                    best[c.id] = (score, c, reason)
        order = sorted(best.values(), key=lambda t: (-t[0], -t[1].published_at, t[1].id))
        return [(c, reason) for _, c, reason in order]

    @staticmethod
    def _whys(s: Session, viewer: Account | None, chosen: list[tuple[_Candidate, str]],
              chains: list[tuple[RemixLink, ...]]) -> list[Message]:
        """The reason of each item on the page, with the names it needs (one query at most, for the people
        followed in clips; a remix's source is the first link of its chain)."""
        featured = [c.id for c, why in chosen if why == "why_features_following"]
        followed_in: dict[str, str] = {}
        if featured and viewer is not None:
            q = (select(ClipCameoRow.clip_id, ClipCameoRow.owner_handle)
                 .join(FollowRow, FollowRow.followee_id == ClipCameoRow.owner_id)
                 .where(ClipCameoRow.clip_id.in_(featured), FollowRow.follower_id == viewer.id)
                 .order_by(ClipCameoRow.owner_handle))
            for clip_id, handle in s.execute(q):
                followed_in.setdefault(clip_id, handle)
        out = []
        for (c, why), chain in zip(chosen, chains):
            if why == "why_following":
                out.append(TEXTS.message(why, creator=c.creator_handle))
            elif why == "why_remix_of_following":
                out.append(TEXTS.message(why, original=chain[0].creator_handle if chain else ""))
            elif why == "why_features_following":
                out.append(TEXTS.message(why, handle=followed_in.get(c.id, "")))
            else:
                out.append(TEXTS.message(why))
        return out

    @staticmethod
    def _chains(s: Session, viewer: Account | None, parents: list[str | None]) -> list[tuple[RemixLink, ...]]:
        """Each clip's remix chain, up to REMIX_DEPTH links, read level by level for the whole page (one query a
        level, which also says whether the viewer may see each source)."""
        chains: list[list[RemixLink]] = [[] for _ in parents]
        current = list(parents)
        visible = viewable(viewer.id if viewer else None).label("visible")
        for _ in range(REMIX_DEPTH):
            wanted = {p for p in current if p}
            if not wanted:
                break
            q = select(ClipRow.id, ClipRow.creator_handle, ClipRow.remix_of, visible).where(ClipRow.id.in_(wanted))
            found = {row.id: row for row in s.execute(q)}
            nxt: list[str | None] = []
            for k, pid in enumerate(current):
                row = found.get(pid) if pid else None
                if pid is None:
                    nxt.append(None)
                elif row is not None and row.visible:
                    chains[k].append(RemixLink(row.id, row.creator_handle,
                                               TEXTS.message("remix_of", creator=row.creator_handle)))
                    nxt.append(row.remix_of)
                else:
                    chains[k].append(RemixLink(None, None, TEXTS.message("remix_of_unavailable")))
                    nxt.append(None)
            current = nxt
        return [tuple(c) for c in chains]

    # the take-a-break notice ---------------------------------------------------------------------------
    def _count_session(self, viewer: Account | None, shown: list[str], now: float) -> tuple[Message | None, int]:
        """Count the clips this session has shown for the first time (distinct clips, not page views)."""
        if viewer is None:
            return None, 0
        rules = self.store.rules
        try:
            with self.store.session.begin() as s:
                row = s.get(FeedSessionRow, viewer.id, with_for_update=True)
                if row is None:
                    row = FeedSessionRow(account_id=viewer.id, started_at=now, last_at=now, clips_seen=0,
                                         breaks_shown=0, seen_ids="[]")
                    s.add(row)
                elif now - row.last_at > rules.feed_session_gap_s:
                    row.started_at, row.clips_seen, row.breaks_shown, row.seen_ids = now, 0, 0, "[]"
                before = json.loads(row.seen_ids or "[]")
                new = [c for c in dict.fromkeys(shown) if c not in set(before)]
                row.clips_seen += len(new)
                row.seen_ids = json.dumps((before + new)[-SEEN_IDS_KEPT:])
                row.last_at = now
                seen, pause = row.clips_seen, None
                if seen >= rules.feed_break_after * (row.breaks_shown + 1):
                    row.breaks_shown = seen // rules.feed_break_after
                    minutes = max(1, round((now - row.started_at) / 60))
                    pause = TEXTS.message("feed_take_a_break", clips=seen, minutes=minutes)
        except IntegrityError:  # the account was deleted while its owner scrolled
            return None, 0
        return pause, seen
