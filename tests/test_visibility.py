"""Who sees a clip (public, followers-only, private) and owners who approve each publication first."""
from __future__ import annotations

import pytest

from identity.consent import ConsentLedger
from identity.errors import IdentityError
from identity.feed import Feed
from identity.library import ClipLibrary, PublicationError
from tests.social import clip, open_to_everyone, person


@pytest.fixture()
def town(store):
    """ann's cameo is open to everyone; ben makes clips of her; fay follows ben; gus follows nobody."""
    ledger = ConsentLedger(store)
    ann, ann_cameo = person(store, "ann", seed=1)
    open_to_everyone(ledger, ann, ann_cameo)
    ben, ben_cameo = person(store, "ben", seed=2)
    fay, _ = person(store, "fay", cameo=False)
    gus, _ = person(store, "gus", cameo=False)
    ledger.follow(fay, ben)
    return store, ledger, ClipLibrary(store, ledger), ann, ann_cameo, ben, ben_cameo, fay, gus


def _sees(library, viewer, clip_id) -> bool:
    try:
        library.view(viewer, clip_id)
        return True
    except PublicationError:
        return False


def test_a_public_clip_is_seen_by_everyone(town, tmp_path):
    store, ledger, library, ann, ann_cameo, ben, _, fay, gus = town
    c = clip(library, ben, [ann_cameo], tmp_path).clip
    assert c.visibility == "public" and all(_sees(library, v, c.id) for v in (ann, ben, fay, gus, None))
    assert [x.id for x in library.feed()] == [c.id]


def test_a_followers_only_clip_is_seen_by_followers_the_creator_and_the_people_in_it(town, tmp_path):
    store, ledger, library, ann, ann_cameo, ben, _, fay, gus = town
    c = clip(library, ben, [ann_cameo], tmp_path, visibility="followers").clip
    assert [_sees(library, v, c.id) for v in (ann, ben, fay, gus, None)] == [True, True, True, False, False]
    feed = Feed(store)
    assert [i.clip.id for i in feed.page(fay).items] == [c.id]
    assert feed.page(gus).items == () and library.feed() == []
    ledger.unfollow(fay, ben)
    assert not _sees(library, fay, c.id) and feed.page(fay).items == ()


def test_a_private_clip_is_seen_only_by_its_creator_and_the_people_in_it_and_is_never_listed(town, tmp_path):
    store, ledger, library, ann, ann_cameo, ben, _, fay, gus = town
    c = clip(library, ben, [ann_cameo], tmp_path, visibility="private").clip
    assert [_sees(library, v, c.id) for v in (ann, ben, fay, gus, None)] == [True, True, False, False, False]
    assert all(Feed(store).page(v).items == () for v in (ann, ben, fay))


def test_drafts_and_removed_clips_are_not_seen_by_others(town, tmp_path):
    store, ledger, library, ann, ann_cameo, ben, _, fay, gus = town
    draft = clip(library, ben, [ann_cameo], tmp_path, publish=False).clip
    assert [_sees(library, v, draft.id) for v in (ann, ben, fay)] == [True, True, False]
    library.delete(ben, draft.id)
    assert not any(_sees(library, v, draft.id) for v in (ann, ben, fay))


def test_an_unknown_visibility_is_refused_and_the_render_is_kept(town, tmp_path):
    store, ledger, library, ann, ann_cameo, ben, *_ = town
    src = tmp_path / "render.mp4"
    src.write_bytes(b"x" * 100)
    with pytest.raises(IdentityError) as err:
        library.save(ben, [ann_cameo], src, clip_id="b000000000000009", prompt="p", meta={}, publish=True,
                     visibility="friends")
    assert err.value.code == "clip_bad_visibility" and src.exists() and library.get("b000000000000009") is None
    c = clip(library, ben, [ann_cameo], tmp_path).clip
    with pytest.raises(IdentityError):
        library.set_visibility(ben, c.id, "everyone")
    with pytest.raises(IdentityError):
        library.set_visibility(ann, c.id, "private")  # only the creator sets it
    assert library.get(c.id).visibility == "public"


def test_the_creator_narrows_and_widens_a_clips_visibility(town, tmp_path):
    store, ledger, library, ann, ann_cameo, ben, _, fay, gus = town
    c = clip(library, ben, [ann_cameo], tmp_path).clip
    assert library.set_visibility(ben, c.id, "private").visibility == "private" and not _sees(library, gus, c.id)
    assert library.set_visibility(ben, c.id, "public").status == "published" and _sees(library, gus, c.id)
    assert [e.kind for e in store.audit_events(c.id)] == ["publish", "visibility", "visibility"]


# the owners' approval queue ---------------------------------------------------------------------------
def test_an_owner_who_approves_publications_gets_each_clip_in_her_queue_first(town, tmp_path):
    store, ledger, library, ann, ann_cameo, ben, _, fay, gus = town
    ledger.set_publication_approval(ann, ann_cameo, True)
    saved = clip(library, ben, [ann_cameo], tmp_path)
    assert saved.clip.status == "pending" and saved.note.code == "publish_awaiting_approval"
    assert "@ann" in saved.note.text and library.feed() == [] and not _sees(library, gus, saved.clip.id)
    assert "notice_approval_request" in [n.kind for n in library.inbox(ann)]
    [ask] = library.approvals_for(ann)
    assert (ask.clip.id, ask.creator_handle, ask.visibility) == (saved.clip.id, "ben", "public")
    assert library.approve_publication(ann, saved.clip.id).status == "published"
    assert [c.id for c in library.feed()] == [saved.clip.id] and library.approvals_for(ann) == []
    assert "notice_publication_approved" in [n.kind for n in library.inbox(ben)]
    assert [e.kind for e in store.audit_events(saved.clip.id)] == ["save", "publication", "publish"]


def test_an_owner_who_declines_sends_the_clip_back_to_a_draft(town, tmp_path):
    store, ledger, library, ann, ann_cameo, ben, *_ = town
    ledger.set_publication_approval(ann, ann_cameo, True)
    saved = clip(library, ben, [ann_cameo], tmp_path)
    assert library.decline_publication(ann, saved.clip.id).status == "draft"
    assert "notice_publication_declined" in [n.kind for n in library.inbox(ben)]
    with pytest.raises(PublicationError) as err:
        library.approve_publication(ann, saved.clip.id)
    assert err.value.code == "clip_not_waiting"
    assert library.publish(ben, saved.clip.id).status == "pending"  # asking again puts it back in her queue


def test_only_an_owner_asked_can_approve(town, tmp_path):
    store, ledger, library, ann, ann_cameo, ben, _, fay, gus = town
    ledger.set_publication_approval(ann, ann_cameo, True)
    saved = clip(library, ben, [ann_cameo], tmp_path)
    for who in (ben, fay):
        with pytest.raises(PublicationError) as err:
            library.approve_publication(who, saved.clip.id)
        assert err.value.code == "clip_not_waiting"
    with pytest.raises(IdentityError):
        ledger.set_publication_approval(ben, ann_cameo, False)  # only the owner sets her switch
    assert library.get(saved.clip.id).status == "pending"


def test_a_clip_waits_for_every_owner_who_asked(town, tmp_path):
    store, ledger, library, ann, ann_cameo, ben, ben_cameo, fay, gus = town
    ledger.set_permission(ben, ben_cameo, "everyone")
    for owner, cid in ((ann, ann_cameo), (ben, ben_cameo)):
        ledger.set_publication_approval(owner, cid, True)
    saved = clip(library, fay, [ann_cameo, ben_cameo], tmp_path)
    assert library.approve_publication(ann, saved.clip.id).status == "pending"
    assert library.approve_publication(ben, saved.clip.id).status == "published"


def test_the_creators_own_cameo_needs_no_approval_from_themselves(town, tmp_path):
    store, ledger, library, ann, ann_cameo, *_ = town
    ledger.set_publication_approval(ann, ann_cameo, True)
    assert clip(library, ann, [ann_cameo], tmp_path).clip.status == "published"


def test_consent_is_decided_again_when_the_last_approval_publishes(town, tmp_path):
    store, ledger, library, ann, ann_cameo, ben, ben_cameo, fay, gus = town
    ledger.set_permission(ben, ben_cameo, "everyone")
    ledger.set_publication_approval(ann, ann_cameo, True)
    saved = clip(library, fay, [ann_cameo, ben_cameo], tmp_path)
    ledger.set_permission(ben, ben_cameo, "only_me")  # ben changes his mind while ann decides
    assert library.approve_publication(ann, saved.clip.id).status == "draft"
    notice = next(n for n in library.inbox(fay) if n.kind == "notice_publication_refused")
    assert "@ben keeps this cameo to themselves" in notice.text


def test_widening_a_published_clip_asks_the_approving_owner_again(town, tmp_path):
    store, ledger, library, ann, ann_cameo, ben, _, fay, gus = town
    ledger.set_publication_approval(ann, ann_cameo, True)
    saved = clip(library, ben, [ann_cameo], tmp_path, visibility="followers")
    library.approve_publication(ann, saved.clip.id)
    assert library.set_visibility(ben, saved.clip.id, "private").status == "published"  # narrowing: no question
    assert library.set_visibility(ben, saved.clip.id, "followers").status == "published"  # as approved
    widened = library.set_visibility(ben, saved.clip.id, "public")
    assert widened.status == "pending" and library.approvals_for(ann)[0].visibility == "public"
    assert library.approve_publication(ann, saved.clip.id).status == "published" and _sees(library, gus, saved.clip.id)
