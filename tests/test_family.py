"""Parental controls: a parent links to a teen who confirms; each control holds in the ledger, feed, limits and
publishing, and refuses what it should; the teen sees what the parent sees."""
from __future__ import annotations

import pytest

from identity.consent import ConsentLedger, Grant, Refusal
from identity.family import CAP_LEVELS, Family, FamilyError
from identity.feed import Feed
from identity.library import ClipLibrary, PublicationError
from identity.limits import LimitError, admit_generation
from identity.store import Account
from tests.social import TEEN, YEAR, clip, mutuals, open_to_everyone, person


@pytest.fixture()
def home(store):
    """pam is tia's parent-to-be; tia (15) has a cameo for mutuals and is mutual with ann; ben is a stranger."""
    ledger = ConsentLedger(store)
    pam, _ = person(store, "pam", cameo=False)
    tia, tia_cameo = person(store, "tia", TEEN, seed=2)
    ann, ann_cameo = person(store, "ann", seed=3)
    ben, _ = person(store, "ben", cameo=False)
    ledger.set_permission(tia, tia_cameo, "mutuals")
    open_to_everyone(ledger, ann, ann_cameo)
    mutuals(ledger, tia, ann)
    return store, ledger, ClipLibrary(store, ledger), Family(store), pam, tia, tia_cameo, ann, ann_cameo, ben


def _linked(family: Family, pam: Account, tia: Account) -> str:
    link = family.invite(pam, "tia")
    family.confirm(tia, link.id)
    return link.id


def _set(family, pam, link, **changes):
    controls = dict(cameo_cap=None, feed_following_only=False, daily_generation_limit=None, publishing_allowed=True)
    controls.update(changes)
    return family.set_controls(pam, link, **controls)


def test_a_parent_links_only_once_the_teen_confirms(home):
    store, ledger, library, family, pam, tia, *_ = home
    link = family.invite(pam, "@tia")
    assert link.status == "pending" and [n.kind for n in library.inbox(tia)][0] == "notice_family_invite"
    with pytest.raises(FamilyError) as err:  # no controls before the teen says yes
        _set(family, pam, link.id, cameo_cap="only_me")
    assert err.value.code == "family_not_parent"
    assert family.confirm(tia, link.id).status == "active"
    assert [n.kind for n in library.inbox(pam)][0] == "notice_family_confirmed"
    assert _set(family, pam, link.id, cameo_cap="only_me").cameo_cap == "only_me"
    assert [e.details["step"] for e in store.audit_events(link.id)] == ["invite", "confirm", "controls"]


@pytest.mark.parametrize("who,teen,code", [
    ("tia", "tia", "family_not_adult"),
    ("pam", "ann", "family_not_teen"),
    ("ben", "ben", "family_self"),
])
def test_a_link_between_the_wrong_accounts_is_refused(home, who, teen, code):
    store, *_ = home
    with pytest.raises(FamilyError) as err:
        Family(store).invite(store.account(who), teen)
    assert err.value.code == code and store.audit_events(None)[-1].kind != "family"


def test_a_teen_has_one_parent_link_and_answers_each_request_once(home):
    store, ledger, library, family, pam, tia, *_ , ben = home
    link = family.invite(pam, "tia")
    with pytest.raises(FamilyError) as err:
        family.invite(pam, "tia")
    assert err.value.code == "family_pending"
    with pytest.raises(FamilyError) as err:
        family.confirm(ben, link.id)  # only the teen confirms
    assert err.value.code == "family_no_link"
    family.confirm(tia, link.id)
    with pytest.raises(FamilyError) as err:
        family.confirm(tia, link.id)
    assert err.value.code == "family_not_pending"
    with pytest.raises(FamilyError) as err:
        family.invite(ben, "tia")
    assert err.value.code == "family_teen_linked"


def test_a_teen_may_decline_and_nothing_applies(home):
    store, ledger, library, family, pam, tia, tia_cameo, ann, *_ = home
    link = family.invite(pam, "tia")
    family.decline(tia, link.id)
    assert [n.kind for n in library.inbox(pam)][0] == "notice_family_declined"
    assert family.parent_view(tia) is None


def test_a_parent_narrows_who_may_use_the_teens_cameo(home):
    store, ledger, library, family, pam, tia, tia_cameo, ann, *_ = home
    assert isinstance(ledger.authorize(ann, [tia_cameo], "generate"), Grant)  # mutuals
    link = _linked(family, pam, tia)
    _set(family, pam, link, cameo_cap="approved")
    refused = ledger.authorize(ann, [tia_cameo], "generate")
    assert isinstance(refused, Refusal) and refused.messages[tia_cameo].code == "consent_parent_limit"
    assert "parent" in refused.reasons[tia_cameo]
    ledger.approve(tia, ledger.request(ann, tia_cameo))  # the teen approves ann herself: allowed under "approved"
    assert isinstance(ledger.authorize(ann, [tia_cameo], "generate"), Grant)
    _set(family, pam, link, cameo_cap="only_me")
    assert isinstance(ledger.authorize(ann, [tia_cameo], "generate"), Refusal)
    assert isinstance(ledger.authorize(tia, [tia_cameo], "generate"), Grant)  # her own cameo stays hers
    family.unlink(tia, link)
    assert isinstance(ledger.authorize(ann, [tia_cameo], "generate"), Grant)
    assert [n.kind for n in library.inbox(pam)][0] == "notice_family_ended"


@pytest.mark.parametrize("changes,code", [
    ({"cameo_cap": "everyone"}, "family_bad_cap"),
    ({"cameo_cap": "friends"}, "family_bad_cap"),
    ({"daily_generation_limit": -1}, "family_bad_limit"),
    ({"daily_generation_limit": 101}, "family_bad_limit"),
    ({"daily_generation_limit": "3"}, "family_bad_limit"),
])
def test_a_parent_cannot_open_the_cameo_wider_than_mutuals_or_set_a_bad_limit(home, changes, code):
    store, ledger, library, family, pam, tia, *_ = home
    link = _linked(family, pam, tia)
    before = len(store.audit_events(link))
    with pytest.raises(FamilyError) as err:
        _set(family, pam, link, **changes)
    assert err.value.code == code and len(store.audit_events(link)) == before


def test_only_the_linked_parent_changes_the_controls(home):
    store, ledger, library, family, pam, tia, tia_cameo, ann, ann_cameo, ben = home
    link = _linked(family, pam, tia)
    for who in (tia, ben):
        with pytest.raises(FamilyError) as err:
            _set(family, who, link, cameo_cap="only_me")
        assert err.value.code == "family_not_parent"
        with pytest.raises(FamilyError):
            family.teen_summary(who, link)


def test_a_parent_keeps_the_teens_feed_to_accounts_the_teen_follows(home, tmp_path):
    store, ledger, library, family, pam, tia, tia_cameo, ann, ann_cameo, ben = home
    from_ann = clip(library, ann, [ann_cameo], tmp_path).clip
    from_ben = clip(library, ben, [ann_cameo], tmp_path).clip
    feed = Feed(store)
    assert {i.clip.id for i in feed.page(tia).items} == {from_ann.id, from_ben.id}
    link = _linked(family, pam, tia)
    _set(family, pam, link, feed_following_only=True)
    page = feed.page(tia, following_only=False)
    assert [i.clip.id for i in page.items] == [from_ann.id]
    assert page.following_only and page.locked_by_parent.code == "feed_parent_following_only"
    assert {i.clip.id for i in feed.page(ann).items} >= {from_ann.id, from_ben.id}  # nobody else is affected


def test_a_parent_sets_a_lower_daily_generation_limit(home):
    store, ledger, library, family, pam, tia, *_ = home
    link = _linked(family, pam, tia)
    _set(family, pam, link, daily_generation_limit=2)
    assert admit_generation(store, tia).limit == 2
    admit_generation(store, tia)
    with pytest.raises(LimitError) as err:
        admit_generation(store, tia)
    assert err.value.code == "limit_daily" and err.value.params["kind_code"] == "limit_kind_parent"
    _set(family, pam, link, daily_generation_limit=50)  # never above the studio's own limit for teens
    assert admit_generation(store, tia).limit == store.rules.generations_per_day_teen


def test_publishing_off_keeps_the_teens_clips_and_clips_of_her_as_drafts(home, tmp_path):
    store, ledger, library, family, pam, tia, tia_cameo, ann, ann_cameo, ben = home
    link = _linked(family, pam, tia)
    _set(family, pam, link, publishing_allowed=False)
    own = clip(library, tia, [tia_cameo], tmp_path)
    assert own.clip.status == "draft" and own.note.code == "publish_parent_off"
    with pytest.raises(PublicationError) as err:
        library.publish(tia, own.clip.id)
    assert err.value.code == "publish_parent_off"
    by_ann = clip(library, ann, [tia_cameo, ann_cameo], tmp_path)  # a mutual's clip featuring her
    assert by_ann.clip.status == "draft" and by_ann.note.params == {"teen": "tia"}
    assert clip(library, ann, [ann_cameo], tmp_path).clip.status == "published"  # ann's other clips go out
    assert library.feed()[0].cameo_handles == ("ann",)
    _set(family, pam, link, publishing_allowed=True)
    assert library.publish(tia, own.clip.id).status == "published"


def test_the_parent_sees_a_summary_of_appearances_and_the_teen_sees_exactly_that(home, tmp_path):
    store, ledger, library, family, pam, tia, tia_cameo, ann, ann_cameo, ben = home
    link = _linked(family, pam, tia)
    _set(family, pam, link, cameo_cap="mutuals", daily_generation_limit=3)
    clip(library, ann, [tia_cameo], tmp_path, prompt="secret prompt")
    clip(library, ann, [tia_cameo, ann_cameo], tmp_path, publish=False)
    clip(library, tia, [tia_cameo], tmp_path)
    summary = family.teen_summary(pam, link)
    assert (summary.total, summary.by_status) == (3, {"published": 2, "draft": 1})
    assert summary.creators == (("ann", 2), ("tia", 1))
    assert "secret prompt" not in repr(summary)  # a summary, not the clips
    view = family.parent_view(tia)
    assert view.summary == summary
    assert [m.code for m in view.can] == ["parent_sees_appearances", "parent_sees_controls",
                                          "parent_controls_cameo_mutuals", "parent_controls_limit"]
    assert family.parent_view(ann) is None


def test_the_controls_stop_when_the_teen_comes_of_age(home):
    store, ledger, library, family, pam, tia, tia_cameo, ann, *_ = home
    link = _linked(family, pam, tia)
    _set(family, pam, link, cameo_cap="only_me")
    with store.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE accounts SET birth_year = {YEAR - 18} WHERE handle = 'tia'")
    assert isinstance(ledger.authorize(ann, [tia_cameo], "generate"), Grant)


@pytest.mark.parametrize("cap", CAP_LEVELS)
def test_the_teen_reads_the_parents_cameo_cap_in_words_not_as_a_level_id(cap):
    from identity.family import ParentalControls, what_the_parent_can

    [line] = [m for m in what_the_parent_can(ParentalControls("pam", cap, False, None, True))
              if m.code.startswith("parent_controls_cameo")]
    assert line.text.startswith("who may use your cameo: ") and cap not in line.text
