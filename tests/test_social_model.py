"""Random sequences of follows, permissions, parental links and controls, clips, approvals and visibility
changes, checked against a small model of who may use a cameo, what state a clip is in, who may see it, and
what each person's feed lists.

The model is written from the issue's rules, not from the library's code (the sibling of
tests/test_consent_model.py, which covers the ledger's requests, revokes and deletions).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from identity.clips import VISIBILITIES, ClipRow
from identity.consent import LEVELS, Grant, Refusal
from identity.family import CAP_LEVELS, Family
from identity.feed import Feed
from identity.library import ClipLibrary, PublicationError
from identity.visibility import viewable
from tests.conftest import _database_kinds
from tests.social import ADULT, TEEN, clip
from tests.test_consent_model import Harness as LedgerHarness
from tests.test_revocation import _enroll

USERS = ("ann", "ben", "tia", "pam")  # tia is a teen; pam may become her parent
user = st.sampled_from(USERS)
WIDTH = {"private": 0, "followers": 1, "public": 2}


@dataclass
class MClip:
    creator: str
    owners: tuple[str, ...]
    status: str
    visibility: str
    asks: dict[str, tuple[str, str]] = field(default_factory=dict)  # owner -> (pending|approved|declined, visibility)


class Model:
    def __init__(self):
        self.level = dict.fromkeys(USERS, "only_me")
        self.follows: set[tuple[str, str]] = set()
        self.approved: set[tuple[str, str]] = set()  # (requester, owner)
        self.approval_switch = dict.fromkeys(USERS, False)
        self.linked = False
        self.cap: str | None = None
        self.feed_following_only = False
        self.publishing = True
        self.clips: list[MClip] = []

    @staticmethod
    def teen(u: str) -> bool:
        return u == "tia"

    def may_use(self, r: str, o: str) -> bool:
        if r == o:
            return True
        if self.teen(o) and not self.teen(r) and (o, r) not in self.follows:
            return False
        level = self.level[o]
        if self.teen(o) and self.linked and self.cap is not None:
            level = min(level, self.cap, key=LEVELS.index)
        if level == "only_me":
            return False
        return ((r, o) in self.approved or level == "everyone"
                or (level == "mutuals" and (r, o) in self.follows and (o, r) in self.follows))

    def blocked(self, creator: str, owners: tuple[str, ...]) -> bool:
        return self.linked and not self.publishing and "tia" in (creator, *owners)

    def needs(self, c: MClip) -> list[str]:
        return [o for o in c.owners if o != c.creator and self.approval_switch[o]]

    def waiting(self, c: MClip, visibility: str) -> list[str]:
        return [o for o in self.needs(c)
                if not (c.asks.get(o, ("", ""))[0] == "approved" and WIDTH[visibility] <= WIDTH[c.asks[o][1]])]

    def go_out(self, c: MClip) -> None:
        if self.blocked(c.creator, c.owners):
            c.status = "draft"
            return
        waiting = self.waiting(c, c.visibility)
        if waiting:
            for o in waiting:
                c.asks[o] = ("pending", c.visibility)
            c.status = "pending"
        else:
            c.status = "published"

    def may_view(self, viewer: str, c: MClip) -> bool:
        if c.status == "removed":
            return False
        if viewer == c.creator or viewer in c.owners:
            return True
        if c.status != "published":
            return False
        return c.visibility == "public" or (c.visibility == "followers" and (viewer, c.creator) in self.follows)

    def feed(self, viewer: str, following_only: bool) -> set[int]:
        if viewer == "tia" and self.linked and self.feed_following_only:
            following_only = True
        out = set()
        for k, c in enumerate(self.clips):
            if c.status != "published" or c.visibility == "private":
                continue
            if c.visibility == "followers" and not (c.creator == viewer or (viewer, c.creator) in self.follows):
                continue
            if following_only and (viewer, c.creator) not in self.follows:
                continue
            out.add(k)
        return out


class Harness(LedgerHarness):
    """Runs each step on the real library and on the model, and compares (the ledger's harness, more people)."""

    def __init__(self, kind: str):
        self._open(kind)
        self.library = ClipLibrary(self.store, self.ledger)
        self.family, self.feed_ = Family(self.store), Feed(self.store)
        self.acc = {u: self.store.get_or_create_account(u, TEEN if u == "tia" else ADULT) for u in USERS}
        self.cameo = {u: _enroll(self.store, u, seed=k + 1) for k, u in enumerate(USERS)}
        self.clip_ids: list[str] = []
        self.link_id: str | None = None
        self.m = Model()

    def _clip(self, k: int) -> tuple[int, MClip] | None:
        if not self.m.clips:
            return None
        k %= len(self.m.clips)
        return k, self.m.clips[k]

    def _agree(self, k: int) -> None:
        c = self.m.clips[k]
        got = self.library.get(self.clip_ids[k])
        assert (got.status, got.visibility) == (c.status, c.visibility), (k, got, c)

    # steps ----------------------------------------------------------------------------------------------
    def follow(self, a, b):
        if self._both(a != b, lambda: self.ledger.follow(self.acc[a], self.acc[b])):
            self.m.follows.add((a, b))

    def unfollow(self, a, b):
        self.ledger.unfollow(self.acc[a], self.acc[b])
        self.m.follows.discard((a, b))

    def set_level(self, u, level):
        valid = not (level == "everyone" and self.m.teen(u))
        if self._both(valid, lambda: self.ledger.set_permission(self.acc[u], self.cameo[u], level)):
            self.m.level[u] = level

    def grant(self, r, o):
        """r asks to use o's cameo and o approves (when asking is allowed at all)."""
        allowed = r != o and not (self.m.teen(o) and not self.m.teen(r) and (o, r) not in self.m.follows) \
            and (r, o) not in self.m.approved
        if allowed:
            self.ledger.approve(self.acc[o], self.ledger.request(self.acc[r], self.cameo[o]))
            self.m.approved.add((r, o))

    def approval_switch(self, u, on):
        self.ledger.set_publication_approval(self.acc[u], self.cameo[u], on)
        self.m.approval_switch[u] = on

    def link(self):
        if self._both(not self.m.linked, lambda: setattr(self, "link_id", self.family.invite(self.acc["pam"], "tia").id)):
            self.family.confirm(self.acc["tia"], self.link_id)
            self.m.linked, self.m.cap, self.m.feed_following_only, self.m.publishing = True, None, False, True

    def unlink(self, by):
        who = "tia" if by in ("tia", "ann") else "pam"
        if self._both(self.m.linked, lambda: self.family.unlink(self.acc[who], self.link_id or "none")):
            self.m.linked = False

    def controls(self, cap, following_only, publishing):
        call = lambda: self.family.set_controls(self.acc["pam"], self.link_id or "none", cameo_cap=cap,  # noqa: E731
                                                feed_following_only=following_only, daily_generation_limit=None,
                                                publishing_allowed=publishing)
        if self._both(self.m.linked, call):
            self.m.cap, self.m.feed_following_only, self.m.publishing = cap, following_only, publishing

    def make(self, creator, picks, visibility, publish):
        """A clip with cameos the creator may use (as the model sees it: the ledger is asked too)."""
        usable = [o for o in USERS if self.m.may_use(creator, o)]
        self.try_make(creator, [usable[p % len(usable)] for p in picks], visibility, publish)

    def try_make(self, creator, owners, visibility, publish):
        owners = tuple(dict.fromkeys(owners))
        ids = [self.cameo[o] for o in owners]
        allowed = all(self.m.may_use(creator, o) for o in owners)
        assert isinstance(self.ledger.authorize(self.acc[creator], ids, "generate"), Grant) == allowed
        if not allowed:
            return
        saved = clip(self.library, self.acc[creator], ids, self.folder, publish=publish, visibility=visibility)
        c = MClip(creator, owners, "draft", visibility)
        if publish:
            self.m.go_out(c)
        self.m.clips.append(c)
        self.clip_ids.append(saved.clip.id)
        self._agree(len(self.m.clips) - 1)

    def publish(self, k):
        got = self._clip(k)
        if got is None:
            return
        k, c = got
        acc, cid = self.acc[c.creator], self.clip_ids[k]
        if c.status != "draft":
            with pytest.raises(PublicationError):
                self.library.publish(acc, cid)
            return
        consent = all(self.m.may_use(c.creator, o) for o in c.owners)
        if consent and self.m.blocked(c.creator, c.owners):
            with pytest.raises(PublicationError):
                self.library.publish(acc, cid)
        else:
            result = self.library.publish(acc, cid)
            assert isinstance(result, Refusal) == (not consent)
            if consent:
                self.m.go_out(c)
        self._agree(k)

    def decide(self, owner, k, approve):
        got = self._clip(k)
        if got is None:
            return
        k, c = got
        valid = c.status == "pending" and c.asks.get(owner, ("", ""))[0] == "pending"
        call = self.library.approve_publication if approve else self.library.decline_publication
        if not self._both(valid, lambda: call(self.acc[owner], self.clip_ids[k])):
            return
        if approve:
            c.asks[owner] = ("approved", c.asks[owner][1])
            if not any(s == "pending" for s, _ in c.asks.values()):
                ok = all(self.m.may_use(c.creator, o) for o in c.owners) and not self.m.blocked(c.creator, c.owners)
                c.status = "published" if ok else "draft"
        else:
            c.asks = {o: ("declined", v) if s == "pending" or o == owner else (s, v) for o, (s, v) in c.asks.items()}
            c.status = "draft"
        self._agree(k)

    def set_visibility(self, k, visibility):
        got = self._clip(k)
        if got is None:
            return
        k, c = got
        self.library.set_visibility(self.acc[c.creator], self.clip_ids[k], visibility)
        before, c.visibility = c.visibility, visibility
        if c.status in ("published", "pending") and WIDTH[visibility] > WIDTH[before]:
            waiting = self.m.waiting(c, visibility)
            if waiting:
                for o in waiting:
                    c.asks[o] = ("pending", visibility)
                c.status = "pending"
        self._agree(k)

    def check_use(self):
        """Every person's permission on every cameo agrees with the model (parental cap included)."""
        for r in USERS:
            for o in USERS:
                got = self.ledger.authorize(self.acc[r], [self.cameo[o]], "check")
                assert isinstance(got, Grant) == self.m.may_use(r, o), (r, o, got)

    def check_views(self, viewer):
        for k, c in enumerate(self.m.clips):
            try:
                self.library.view(self.acc[viewer], self.clip_ids[k])
                seen = True
            except PublicationError:
                seen = False
            assert seen == self.m.may_view(viewer, c), (viewer, k, c)
        with self.store.reader() as s:  # the same rule as SQL, for lists (remix chains)
            ids = set(s.scalars(select(ClipRow.id).where(viewable(self.acc[viewer].id))))
        assert ids == {self.clip_ids[k] for k, c in enumerate(self.m.clips) if self.m.may_view(viewer, c)}

    def check_feed(self, viewer, following_only):
        page = self.feed_.page(self.acc[viewer], following_only=following_only, limit=50)
        got = {self.clip_ids.index(i.clip.id) for i in page.items}
        assert got == self.m.feed(viewer, following_only), (viewer, following_only)
        assert all(self.m.may_view(viewer, self.m.clips[k]) for k in got)


clip_index = st.integers(0, 20)
STEP = st.one_of(
    st.tuples(st.just("follow"), user, user),
    st.tuples(st.just("unfollow"), user, user),
    st.tuples(st.just("set_level"), user, st.sampled_from(LEVELS)),
    st.tuples(st.just("grant"), user, user),
    st.tuples(st.just("approval_switch"), user, st.booleans()),
    st.tuples(st.just("link")),
    st.tuples(st.just("unlink"), user),
    st.tuples(st.just("controls"), st.sampled_from((None, *CAP_LEVELS)), st.booleans(), st.booleans()),
    *[st.tuples(st.just("make"), user, st.lists(st.integers(0, 3), min_size=1, max_size=3),
                st.sampled_from(VISIBILITIES), st.booleans())] * 3,
    st.tuples(st.just("try_make"), user, st.lists(user, min_size=1, max_size=3), st.sampled_from(VISIBILITIES),
              st.booleans()),
    st.tuples(st.just("publish"), clip_index),
    st.tuples(st.just("decide"), user, clip_index, st.booleans()),
    st.tuples(st.just("set_visibility"), clip_index, st.sampled_from(VISIBILITIES)),
    st.tuples(st.just("check_use")),
    st.tuples(st.just("check_views"), user),
    st.tuples(st.just("check_feed"), user, st.booleans()),
)
SEQUENCES = st.lists(STEP, min_size=20, max_size=60)
# A random starting point, so that sequences begin where the rules meet (a linked parent with controls, open
# cameos, follows both ways, owners who approve publications) instead of having to stumble on it.
FAMILY = st.one_of(st.just([]), st.tuples(st.sampled_from((None, *CAP_LEVELS)), st.booleans(), st.booleans()).map(
    lambda c: [("link",), ("controls", *c)]))
START = st.lists(st.one_of(
    st.tuples(st.just("set_level"), user, st.sampled_from(LEVELS[1:])),
    st.tuples(st.just("set_level"), st.just("tia"), st.sampled_from(("approved", "mutuals"))),
    st.tuples(st.just("follow"), st.just("tia"), user),
    st.tuples(st.just("follow"), user, st.just("tia")),
    st.tuples(st.just("follow"), user, user),
    st.tuples(st.just("approval_switch"), user, st.booleans()),
    st.tuples(st.just("link")),
    st.tuples(st.just("controls"), st.sampled_from((None, *CAP_LEVELS)), st.booleans(), st.booleans()),
), min_size=6, max_size=16)


def _run(kind: str, family: list[tuple], start: list[tuple], steps: list[tuple]) -> None:
    h = Harness(kind)
    try:
        for name, *args in family + start + steps:
            getattr(h, name)(*args)
        h.check_use()
        for u in USERS:
            h.check_views(u)
            h.check_feed(u, False)
        assert h.store.verify_audit_chain().ok
    finally:
        h.close()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(family=FAMILY, start=START, steps=SEQUENCES)
def test_visibility_publication_and_parental_rules_agree_with_the_model_on_sqlite(family, start, steps):
    _run("sqlite", family, start, steps)


@pytest.mark.skipif("postgresql" not in _database_kinds(), reason="TEST_POSTGRES_URL not set (.ci/run sets it)")
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(family=FAMILY, start=START, steps=SEQUENCES)
def test_visibility_publication_and_parental_rules_agree_with_the_model_on_postgresql(family, start, steps):
    _run("postgresql", family, start, steps)
