"""The feed people steer: follows first, remixes of and by them, then what is new, each with its reason; a
following-only switch; a take-a-break notice; remix chains."""
from __future__ import annotations

import time

import pytest

from identity.consent import ConsentLedger
from identity.errors import IdentityError
from identity.feed import Feed
from identity.library import ClipLibrary
from identity.rules import CommunityRules
from tests.social import clip, open_to_everyone, person


@pytest.fixture()
def net(store):
    """vic watches; vic follows bob; sam is a stranger to vic; ann's cameo is open to everyone (vic's too)."""
    ledger = ConsentLedger(store)
    ann, ann_cameo = person(store, "ann", seed=1)
    vic, vic_cameo = person(store, "vic", seed=2)
    for owner, cid in ((ann, ann_cameo), (vic, vic_cameo)):
        open_to_everyone(ledger, owner, cid)
    bob, _ = person(store, "bob", cameo=False)
    sam, _ = person(store, "sam", cameo=False)
    ledger.follow(vic, bob)
    return store, ledger, ClipLibrary(store, ledger), Feed(store), vic, vic_cameo, ann, ann_cameo, bob, sam


def _aged(store, clip_id: str, hours: float) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE clips SET published_at = {time.time() - hours * 3600} WHERE id = '{clip_id}'")


def _ids(page) -> list[str]:
    return [i.clip.id for i in page.items]


def test_clips_by_people_you_follow_come_first_and_say_why(net, tmp_path):
    store, ledger, library, feed, vic, _, ann, ann_cameo, bob, sam = net
    by_sam = clip(library, sam, [ann_cameo], tmp_path).clip
    by_bob = clip(library, bob, [ann_cameo], tmp_path).clip
    _aged(store, by_bob.id, 30)  # older, but followed
    page = feed.page(vic)
    assert _ids(page) == [by_bob.id, by_sam.id]
    assert [(i.why.code, i.why.params) for i in page.items] == [("why_following", {"creator": "bob"}),
                                                                ("why_recent", {})]
    assert page.items[0].why.text == "you follow @bob" and page.items[0].creator_followed
    assert not page.items[1].creator_followed


def test_among_strangers_newer_clips_come_first(net, tmp_path):
    store, ledger, library, feed, vic, _, ann, ann_cameo, bob, sam = net
    older, newer = (clip(library, sam, [ann_cameo], tmp_path).clip for _ in range(2))
    _aged(store, older.id, 5)
    assert _ids(feed.page(vic)) == [newer.id, older.id]


def test_remixes_of_people_you_follow_rank_above_strangers_and_show_their_chain(net, tmp_path):
    store, ledger, library, feed, vic, _, ann, ann_cameo, bob, sam = net
    original = clip(library, bob, [ann_cameo], tmp_path).clip
    remix = clip(library, sam, [ann_cameo], tmp_path, remix_of=original.id).clip
    remix2 = clip(library, ann, [ann_cameo], tmp_path, remix_of=remix.id).clip
    stranger = clip(library, sam, [ann_cameo], tmp_path).clip
    for c, hours in ((original, 40), (remix, 2), (remix2, 1)):
        _aged(store, c.id, hours)
    page = feed.page(vic)
    assert _ids(page) == [remix.id, original.id, stranger.id, remix2.id]  # a fresh remix before bob's old clip
    item = page.items[0]
    assert item.why.code == "why_remix_of_following" and item.why.params == {"original": "bob"}
    assert [(link.clip_id, link.creator_handle) for link in item.remix_chain] == [(original.id, "bob")]
    chain = page.items[3].remix_chain
    assert [link.creator_handle for link in chain] == ["sam", "bob"]
    assert chain[0].message.text == "remix of @sam's clip"


def test_a_remix_chain_hides_a_source_the_viewer_may_not_see(net, tmp_path):
    store, ledger, library, feed, vic, _, ann, ann_cameo, bob, sam = net
    private = clip(library, sam, [ann_cameo], tmp_path, visibility="private").clip
    remix = clip(library, bob, [ann_cameo], tmp_path, remix_of=private.id).clip
    [item] = feed.page(vic).items
    assert item.clip.id == remix.id
    assert [(link.clip_id, link.creator_handle, link.message.code) for link in item.remix_chain] == [
        (None, None, "remix_of_unavailable")]


def test_clips_featuring_you_or_people_you_follow_say_so(net, tmp_path):
    store, ledger, library, feed, vic, vic_cameo, ann, ann_cameo, bob, sam = net
    ledger.follow(vic, ann)
    of_vic = clip(library, sam, [vic_cameo], tmp_path).clip
    of_ann = clip(library, sam, [ann_cameo], tmp_path).clip
    whys = {i.clip.id: i.why for i in feed.page(vic).items}
    assert whys[of_vic.id].code == "why_features_you"
    assert (whys[of_ann.id].code, whys[of_ann.id].params) == ("why_features_following", {"handle": "ann"})


def test_following_only_shows_only_the_people_you_follow(net, tmp_path):
    store, ledger, library, feed, vic, vic_cameo, ann, ann_cameo, bob, sam = net
    by_bob = clip(library, bob, [ann_cameo], tmp_path).clip
    clip(library, sam, [vic_cameo], tmp_path)
    clip(library, vic, [vic_cameo], tmp_path)
    page = feed.page(vic, following_only=True)
    assert _ids(page) == [by_bob.id] and page.following_only and page.locked_by_parent is None
    assert len(feed.page(vic).items) == 3


def test_someone_not_signed_in_sees_recent_public_clips(net, tmp_path):
    store, ledger, library, feed, vic, _, ann, ann_cameo, bob, sam = net
    public = clip(library, bob, [ann_cameo], tmp_path).clip
    clip(library, bob, [ann_cameo], tmp_path, visibility="followers")
    page = feed.page(None)
    assert _ids(page) == [public.id] and page.items[0].why.code == "why_recent" and page.take_a_break is None


def test_pages_follow_each_other_without_overlap_and_a_bad_cursor_is_refused(net, tmp_path):
    store, ledger, library, feed, vic, _, ann, ann_cameo, bob, sam = net
    made = {clip(library, sam if k % 2 else bob, [ann_cameo], tmp_path).clip.id for k in range(7)}
    first = feed.page(vic, limit=3)
    late = clip(library, bob, [ann_cameo], tmp_path).clip  # published after the first page: waits for a refresh
    second = feed.page(vic, cursor=first.next_cursor, limit=3)
    third = feed.page(vic, cursor=second.next_cursor, limit=3)
    seen = _ids(first) + _ids(second) + _ids(third)
    assert len(seen) == len(set(seen)) == 7 and set(seen) == made and third.next_cursor is None
    assert late.id in _ids(feed.page(vic))
    with pytest.raises(IdentityError) as err:
        feed.page(vic, cursor="not-a-cursor")
    assert err.value.code == "feed_bad_cursor"


def test_a_take_a_break_notice_comes_after_the_configured_number_of_clips_in_a_session(net, tmp_path):
    store, ledger, library, feed, vic, _, ann, ann_cameo, bob, sam = net
    store.rules = CommunityRules(feed_break_after=5, feed_session_gap_s=600)
    for _ in range(12):
        clip(library, bob, [ann_cameo], tmp_path)
    t0, cursor, notices = time.time(), None, []
    for k in range(4):  # scrolling on, 3 new clips a page: 3, 6, 9, 12
        page = feed.page(vic, cursor=cursor, limit=3, now=t0 + k)
        notices.append(page.take_a_break)
        cursor = page.next_cursor
    assert [n is not None for n in notices] == [False, True, False, True]
    assert notices[1].code == "feed_take_a_break" and notices[1].params["clips"] == 6
    after_a_pause = feed.page(vic, limit=3, now=t0 + 4 + 601)
    assert after_a_pause.take_a_break is None and after_a_pause.session_clips == 3


def test_refreshing_the_same_clips_is_not_more_scrolling(net, tmp_path):
    store, ledger, library, feed, vic, _, ann, ann_cameo, bob, sam = net
    store.rules = CommunityRules(feed_break_after=5, feed_session_gap_s=600)
    for _ in range(3):
        clip(library, bob, [ann_cameo], tmp_path)
    t0 = time.time()
    pages = [feed.page(vic, now=t0 + k) for k in range(10)]  # the same 3 clips, refreshed 10 times
    assert [p.session_clips for p in pages] == [3] * 10
    assert all(p.take_a_break is None for p in pages)
