"""Reports and human moderation: each rule passes where it should and refuses where it should."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from identity.consent import ConsentLedger
from identity.errors import IdentityError
from identity.feed import Feed
from identity.gallery import ProtectedGallery
from identity.library import ClipLibrary, PublicationError
from identity.limits import LimitError, admit_generation
from identity.moderation import REPORT_CATEGORIES, Moderation, ModerationError
from identity.roles import grant_role, is_moderator, revoke_role
from identity.rules import CommunityRules
from tests.social import ADULT, TEEN, clip, open_to_everyone, person

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture()
def world(store, tmp_path):
    """ann's cameo is open to everyone; ben made a public clip of her; cat, dan, eve watch; mo moderates."""
    ledger, library = ConsentLedger(store), None
    library = ClipLibrary(store, ledger)
    ann, ann_cameo = person(store, "ann", seed=1)
    open_to_everyone(ledger, ann, ann_cameo)
    ben, _ = person(store, "ben", cameo=False)
    viewers = [person(store, h, cameo=False)[0] for h in ("cat", "dan", "eve")]
    mo, _ = person(store, "mo", cameo=False)
    grant_role(store, "mo")
    saved = clip(library, ben, [ann_cameo], tmp_path)
    return dataclasses.make_dataclass("World", ["store", "ledger", "library", "mod", "ann", "ann_cameo", "ben",
                                                "cat", "dan", "eve", "mo", "clip", "path", "tmp"])(
        store, ledger, library, Moderation(store), ann, ann_cameo, ben, *viewers, mo, saved.clip, saved.path,
        tmp_path)


def _kinds(library, account) -> list[str]:
    return [n.kind for n in library.inbox(account)]


# reports --------------------------------------------------------------------------------------------------
def test_a_report_is_acknowledged_and_the_reporter_sees_it_in_review(world):
    receipt = world.mod.report(world.cat, world.clip.id, "hate", "mocks a religion")
    assert not receipt.duplicate and not receipt.hidden and receipt.message.code == "notice_report_received"
    assert "notice_report_received" in _kinds(world.library, world.cat)
    [status] = world.mod.my_reports(world.cat)
    assert (status.report_id, status.state, status.outcome) == (receipt.report_id, "in_review", None)
    assert [e.kind for e in world.store.audit_events(world.clip.id)][-1] == "report"


@pytest.mark.parametrize("category,text,code", [
    ("spam-ish", "", "report_bad_category"),
    ("other", "  ", "report_needs_text"),
    ("hate", "x" * 1001, "report_too_long"),
])
def test_a_malformed_report_is_refused_and_changes_nothing(world, category, text, code):
    before = len(world.store.audit_events())
    with pytest.raises(ModerationError) as err:
        world.mod.report(world.cat, world.clip.id, category, text)
    assert err.value.code == code and len(world.store.audit_events()) == before
    assert world.mod.my_reports(world.cat) == []


def test_a_clip_the_reporter_cannot_see_cannot_be_reported(world):
    private = clip(world.library, world.ben, [world.ann_cameo], world.tmp, visibility="private").clip
    with pytest.raises(ModerationError) as err:
        world.mod.report(world.cat, private.id, "hate")
    assert err.value.code == "report_no_clip"


def test_a_creator_cannot_report_their_own_clip(world):
    with pytest.raises(ModerationError) as err:
        world.mod.report(world.ben, world.clip.id, "hate")
    assert err.value.code == "report_own_clip"


def test_a_clip_reported_by_enough_distinct_accounts_is_hidden_at_once(world):
    assert world.store.rules.report_hide_threshold == 3
    for who in (world.cat, world.dan):
        assert not world.mod.report(who, world.clip.id, "violence").hidden
    assert world.library.view(world.eve, world.clip.id).hidden is False
    assert world.mod.report(world.eve, world.clip.id, "violence").hidden
    assert world.library.feed() == [] and Feed(world.store).page(world.cat).items == ()
    with pytest.raises(PublicationError):
        world.library.view(world.cat, world.clip.id)
    assert world.library.view(world.ben, world.clip.id).hidden  # its creator still sees it, marked hidden
    assert "notice_clip_hidden" in _kinds(world.library, world.ben)


def test_duplicate_reports_by_one_account_count_once(world):
    first = world.mod.report(world.cat, world.clip.id, "violence")
    for _ in range(3):
        again = world.mod.report(world.cat, world.clip.id, "hate")
        assert again.duplicate and again.report_id == first.report_id and not again.hidden
    assert len(world.mod.my_reports(world.cat)) == 1
    assert [e.kind for e in world.store.audit_events(world.clip.id)].count("report") == 1


def test_the_owner_of_a_face_in_the_clip_hides_it_with_one_report(world):
    receipt = world.mod.report(world.ann, world.clip.id, "likeness", "I never agreed to this")
    assert receipt.hidden and world.library.get(world.clip.id).hidden
    [item] = world.mod.queue(world.mo)
    assert item.reports[0].by_featured


def test_reporting_is_rate_limited_per_account_and_window(world):
    world.store.rules = CommunityRules(reports_per_window=2, report_window_s=3600)
    clips = [clip(world.library, world.ben, [world.ann_cameo], world.tmp).clip for _ in range(2)]
    world.mod.report(world.cat, world.clip.id, "hate")
    world.mod.report(world.cat, clips[0].id, "hate")
    with pytest.raises(ModerationError) as err:
        world.mod.report(world.cat, clips[1].id, "hate")
    assert err.value.code == "report_rate_limited" and err.value.params["limit"] == 2
    assert world.mod.report(world.dan, clips[1].id, "hate")  # another account is not limited by cat's reports
    with world.store.engine.begin() as conn:  # an hour later
        conn.exec_driver_sql("UPDATE reports SET created_at = created_at - 3700")
    assert not world.mod.report(world.cat, clips[1].id, "hate").duplicate


# the moderator role and the queue ---------------------------------------------------------------------------
def test_grant_moderator_command_is_audit_logged(store, database_url, tmp_path):
    person(store, "zoe", cameo=False)
    env = {**os.environ, "DATABASE_URL": database_url, "CAMEO_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run([sys.executable, "-m", "identity", "grant-moderator", "zoe", "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"ok": True, "handle": "zoe", "role": "moderator", "granted": True}
    zoe = store.account("zoe")
    assert is_moderator(store, zoe)
    assert [(e.kind, e.actor, e.details["grant"]) for e in store.audit_events(zoe.id)] == [
        ("role", "operator", "moderator")]
    run = subprocess.run([sys.executable, "-m", "identity", "revoke-moderator", "zoe", "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and not is_moderator(store, zoe)
    assert [e.kind for e in store.audit_events(zoe.id)] == ["role", "role"]


def test_a_grant_for_an_unknown_handle_or_a_teen_is_refused(store):
    person(store, "kid", TEEN, cameo=False)
    with pytest.raises(IdentityError):
        grant_role(store, "nobody")
    with pytest.raises(IdentityError) as err:
        grant_role(store, "kid")
    assert err.value.code == "role_teen" and store.audit_events() == []


def test_only_moderators_see_the_queue_or_decide(world):
    world.mod.report(world.cat, world.clip.id, "hate")
    for call in (lambda: world.mod.queue(world.cat),
                 lambda: world.mod.decide(world.cat, "x", "keep", "fine")):
        with pytest.raises(IdentityError) as err:
            call()
        assert err.value.code == "role_not_moderator"
    revoke_role(world.store, "mo")
    with pytest.raises(IdentityError):
        world.mod.queue(world.mo)


def test_the_queue_is_ordered_by_severity_then_age(world):
    mild = clip(world.library, world.ben, [world.ann_cameo], world.tmp).clip
    worst = clip(world.library, world.ben, [world.ann_cameo], world.tmp).clip
    world.mod.report(world.cat, mild.id, "humiliation")
    world.mod.report(world.cat, world.clip.id, "violence")
    world.mod.report(world.dan, worst.id, "sexual_minors")
    older_mild = clip(world.library, world.ben, [world.ann_cameo], world.tmp).clip
    world.mod.report(world.dan, older_mild.id, "humiliation")
    with world.store.engine.begin() as conn:  # the last report's case is the oldest
        conn.exec_driver_sql(f"UPDATE review_cases SET opened_at = opened_at - 600 WHERE clip_id = '{older_mild.id}'")
    order = [i.clip.id for i in world.mod.queue(world.mo)]
    assert order == [worst.id, world.clip.id, older_mild.id, mild.id]


def test_a_review_item_carries_what_the_review_needs_and_no_biometric_data(world):
    meta = {"backend": "preview", "nudity_max_scores": {"FACE_FEMALE": 0.8}, "identity_similarity": {"ann": 0.71},
            "voice_pitch_hz": 181.0, "consent_records": [[f"{world.ann_cameo}:1.0", "ab" * 32]], "strict": False}
    reported = clip(world.library, world.ben, [world.ann_cameo], world.tmp, meta=meta, prompt="ann juggles").clip
    world.mod.report(world.cat, reported.id, "violence", "looks like a knife")
    [item] = world.mod.queue(world.mo)
    assert item.clip.prompt == "ann juggles" and item.clip.file_present and item.creator.handle == "ben"
    assert [(p.handle, p.level_now, p.consent_record_id) for p in item.people] == [
        ("ann", "everyone", f"{world.ann_cameo}:1.0")]
    assert item.safety["identity_similarity"] == {"ann": 0.71} and "voice_pitch_hz" not in item.safety
    assert [(r.category, r.text, r.reporter_handle) for r in item.reports] == [("violence", "looks like a knife", "cat")]
    assert [h.kind for h in item.history] == ["publish", "report"]
    assert world.mod.clip_file(world.mo, item.case_id) == world.library.path(reported)

    def walk(x):
        assert not isinstance(x, (bytes, bytearray, np.ndarray)), type(x)
        if dataclasses.is_dataclass(x):
            for f in dataclasses.fields(x):
                walk(getattr(x, f.name))
        elif isinstance(x, dict):
            assert not set(map(str, x)) & {"templates", "voice", "crops_png", "embedding", "voice_pitch_hz"}
            for v in x.values():
                walk(v)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v)
    walk(item)


# decisions --------------------------------------------------------------------------------------------------
def _case(world) -> str:
    return world.mod.queue(world.mo)[0].case_id


def test_keep_shows_the_clip_again_and_tells_the_creator_and_reporters(world):
    for who in (world.cat, world.dan, world.eve):
        world.mod.report(who, world.clip.id, "violence")
    decision = world.mod.decide(world.mo, _case(world), "keep", "a stage fight, no one is hurt")
    assert decision.verdict == "keep" and not world.library.get(world.clip.id).hidden
    assert [c.id for c in world.library.feed()] == [world.clip.id]
    assert "notice_creator_kept" in _kinds(world.library, world.ben)
    for who in (world.cat, world.dan, world.eve):
        assert "notice_outcome_kept" in _kinds(world.library, who)
        assert world.mod.my_reports(who)[0].outcome == "keep"
    assert world.mod.queue(world.mo) == []
    assert world.store.audit_events(world.clip.id)[-1].details["reason"] == "a stage fight, no one is hurt"


def test_take_down_deletes_the_file_as_a_revoke_does_and_tells_everyone(world):
    world.mod.report(world.cat, world.clip.id, "hate", "slur at 0:02")
    world.mod.decide(world.mo, _case(world), "take_down", "a slur is spoken")
    got = world.library.get(world.clip.id)
    assert got.status == "removed" and "a slur is spoken" in got.removed_reason and not world.path.exists()
    assert [e.kind for e in world.store.audit_events(world.clip.id)][-2:] == ["delete", "moderate"]
    assert "notice_creator_taken_down" in _kinds(world.library, world.ben)
    assert "removed" not in _kinds(world.library, world.ben)  # one notice, the moderator's, not two
    status = world.mod.my_reports(world.cat)[0]
    assert (status.state, status.outcome, status.reason) == ("decided", "take_down", "a slur is spoken")
    assert "notice_outcome_taken_down" in _kinds(world.library, world.cat)
    assert world.store.verify_audit_chain().ok


def test_a_decided_case_cannot_be_decided_again_and_a_verdict_needs_a_reason(world):
    world.mod.report(world.cat, world.clip.id, "hate")
    case = _case(world)
    for verdict, reason, code in [("keep", " ", "mod_needs_reason"), ("uphold", "x", "mod_bad_verdict"),
                                  ("keep", "x" * 1001, "mod_needs_reason")]:
        with pytest.raises(ModerationError) as err:
            world.mod.decide(world.mo, case, verdict, reason)
        assert err.value.code == code
    world.mod.decide(world.mo, case, "keep", "fine")
    with pytest.raises(ModerationError) as err:
        world.mod.decide(world.mo, case, "take_down", "changed my mind")
    assert err.value.code == "mod_case_closed" and world.library.get(world.clip.id).status == "published"


def test_a_moderator_cannot_review_a_clip_they_made_or_appear_in(world):
    grant_role(world.store, "ann")
    world.mod.report(world.cat, world.clip.id, "hate")
    with pytest.raises(ModerationError) as err:
        world.mod.decide(world.ann, _case(world), "keep", "looks fine to me")
    assert err.value.code == "mod_conflict"


def test_a_suspension_stops_the_creators_generation_until_it_ends(world):
    assert admit_generation(world.store, world.ben).used == 1
    world.mod.report(world.cat, world.clip.id, "hate")
    decision = world.mod.decide(world.mo, _case(world), "take_down", "repeated slurs", suspend_days=7)
    assert decision.suspended_until is not None
    with pytest.raises(LimitError) as err:
        admit_generation(world.store, world.ben)
    assert err.value.code == "limit_suspended" and "repeated slurs" in err.value.message
    assert "notice_creator_suspended" in _kinds(world.library, world.ben)
    assert admit_generation(world.store, world.ben, now=decision.suspended_until + 1).used == 1  # it ends
    world.mod.lift_suspension(world.mo, "ben", "suspended by mistake")
    assert admit_generation(world.store, world.ben).used == 2


@pytest.mark.parametrize("kwargs,code", [
    ({"verdict": "keep", "suspend_days": 3}, "mod_bad_suspension"),
    ({"verdict": "take_down", "suspend_days": 0}, "mod_bad_suspension"),
    ({"verdict": "take_down", "suspend_days": 400}, "mod_bad_suspension"),
    ({"verdict": "keep", "protect_face": 0}, "mod_protect_needs_takedown"),
    ({"verdict": "take_down", "protect_face": 0}, "mod_no_gallery"),
])
def test_a_suspension_or_protection_out_of_bounds_is_refused_and_changes_nothing(world, kwargs, code):
    world.mod.report(world.cat, world.clip.id, "hate")
    with pytest.raises(ModerationError) as err:
        world.mod.decide(world.mo, _case(world), reason="because", protect_as="someone", **kwargs)
    assert err.value.code == code
    assert world.library.get(world.clip.id).status == "published" and world.path.exists()
    assert admit_generation(world.store, world.ben).used == 1


# appeals -----------------------------------------------------------------------------------------------------
def test_an_appeal_goes_back_to_the_queue_once_and_overturning_lifts_the_suspension(world):
    world.mod.report(world.cat, world.clip.id, "violence")
    case = _case(world)
    world.mod.decide(world.mo, case, "take_down", "gore", suspend_days=3)
    [summary] = world.mod.decisions_about(world.ben)
    assert summary.appealable and summary.case_id == case
    appeal = world.mod.appeal(world.ben, case, "it was ketchup, a cooking show")
    assert "notice_appeal_received" in _kinds(world.library, world.ben)
    [item] = world.mod.queue(world.mo)
    assert (item.case_id, item.kind, item.verdicts) == (appeal, "appeal", ("uphold", "overturn"))
    assert item.appeal.text == "it was ketchup, a cooking show" and item.appeal.verdict == "take_down"
    assert [r.category for r in item.reports] == ["violence"]
    with pytest.raises(ModerationError) as err:
        world.mod.appeal(world.ben, case, "again")
    assert err.value.code == "appeal_once"
    world.mod.decide(world.mo, appeal, "overturn", "it was ketchup")
    assert admit_generation(world.store, world.ben).used == 1  # suspension lifted
    assert "notice_appeal_overturned" in _kinds(world.library, world.ben)
    assert "notice_outcome_appeal_overturned" in _kinds(world.library, world.cat)
    assert world.mod.my_reports(world.cat)[0].outcome == "overturn"
    assert not world.mod.decisions_about(world.ben)[0].appealable
    assert world.mod.queue(world.mo) == []
    assert world.library.get(world.clip.id).status == "removed"  # the file was deleted at the takedown


def test_an_upheld_appeal_is_final(world):
    world.mod.report(world.cat, world.clip.id, "violence")
    case = _case(world)
    world.mod.decide(world.mo, case, "take_down", "gore", suspend_days=3)
    world.mod.decide(world.mo, world.mod.appeal(world.ben, case, "please"), "uphold", "it is gore")
    assert "notice_appeal_upheld" in _kinds(world.library, world.ben)
    with pytest.raises(LimitError):
        admit_generation(world.store, world.ben)
    with pytest.raises(ModerationError) as err:
        world.mod.appeal(world.ben, case, "once more")
    assert err.value.code == "appeal_once"


def test_only_the_creator_appeals_and_only_a_decision_against_them(world):
    world.mod.report(world.cat, world.clip.id, "violence")
    case = _case(world)
    with pytest.raises(ModerationError) as err:
        world.mod.appeal(world.ben, case, "not decided yet")
    assert err.value.code == "appeal_open"
    world.mod.decide(world.mo, case, "keep", "fine")
    with pytest.raises(ModerationError) as err:
        world.mod.appeal(world.ben, case, "?")
    assert err.value.code == "appeal_nothing"
    with pytest.raises(ModerationError) as err:
        world.mod.appeal(world.cat, case, "I disagree")
    assert err.value.code == "appeal_not_yours"


def test_a_report_whose_clip_was_deleted_meanwhile_leaves_the_queue(world):
    world.mod.report(world.cat, world.clip.id, "likeness")
    world.library.delete(world.ann, world.clip.id)  # the person in it deleted it herself
    assert world.mod.queue(world.mo) == []
    assert world.mod.my_reports(world.cat)[0].state == "removed"


def test_report_categories_are_the_prompt_policys_plus_likeness_and_other():
    from safety.policy import CATEGORIES

    people_report = [c for c in CATEGORIES if c != "moderation"]  # the guard model's verdict, not a person's
    assert set(REPORT_CATEGORIES) == set(people_report) | {"likeness", "other"}
    severity = [c for c in REPORT_CATEGORIES if c in CATEGORIES]
    assert severity == people_report  # the policy's order of severity, kept


# the protected gallery ------------------------------------------------------------------------------------
def _frames_dir(video: Path, folder: Path, every: int = 15) -> Path:
    folder.mkdir(parents=True)
    cap, k = cv2.VideoCapture(str(video)), 0
    while True:
        ok, bgr = cap.read()
        if not ok:
            break
        if k % every == 0:
            cv2.imwrite(str(folder / f"{k:04d}.jpg"), bgr)
        k += 1
    return folder


def test_a_face_seen_in_a_clip_joins_the_protected_gallery(sqlite_store, backend, tmp_path):
    """The clip is real footage of a woman (LivePortrait fixture) published as bob's clip of alice's cameo
    (alice's cameo is another person's photos). The moderator protects the woman's face; the gallery then
    recognises her in frames of another video of the same footage, and the face that is alice's cameo
    could not have been chosen instead."""
    from tests.cameo_factory import enroll_real

    ledger, gallery = ConsentLedger(sqlite_store), ProtectedGallery(tmp_path / "gallery", backend)
    library, mod = ClipLibrary(sqlite_store, ledger), Moderation(sqlite_store, gallery)
    cid = enroll_real(sqlite_store, backend, "alice", birth_year=ADULT)
    ledger.set_permission(sqlite_store.account("alice"), cid, "everyone")
    bob, _ = person(sqlite_store, "bob", cameo=False)
    cat, _ = person(sqlite_store, "cat", cameo=False)
    mo, _ = person(sqlite_store, "mo", cameo=False)
    grant_role(sqlite_store, "mo")
    video = FIXTURES / "videos" / "liveportrait_woman_earrings_d3.mp4"
    saved = library.save(bob, [cid], Path(_copy(video, tmp_path)), clip_id="aa00000000000001", prompt="@alice waves",
                         meta={}, publish=True)
    mod.report(cat, saved.clip.id, "real_person", "this is my neighbour, not alice")
    case = mod.queue(mo)[0].case_id
    faces = mod.faces_in_clip(mo, case)
    assert len(faces) >= 1 and faces[0].cameo_handle is None and faces[0].sightings >= 5
    mod.decide(mo, case, "take_down", "a real person who did not consent", protect_face=0, protect_as="neighbour d3")
    assert [p.name for p in (tmp_path / "gallery" / "neighbour_d3").iterdir()][0].endswith(".png")
    assert not saved.path.exists()
    # a fresh gallery (another process) reads the new photo, and knows her face
    fresh = ProtectedGallery(tmp_path / "gallery", backend)
    frame = cv2.cvtColor(cv2.imread(str(next(iter(sorted(_frames_dir(video, tmp_path / "frames").iterdir()))))),
                         cv2.COLOR_BGR2RGB)
    faces_now = backend.detect(frame)
    match = fresh.best_match([backend.embed(frame, max(faces_now, key=lambda f: f.height))])
    assert match is not None and match.person == "neighbour_d3"


def test_the_clips_own_cameo_cannot_be_put_in_the_protected_gallery(sqlite_store, backend, tmp_path):
    from tests.cameo_factory import PEOPLE, real_new_cameo
    from identity.challenge import issue_challenge

    video = FIXTURES / "videos" / "liveportrait_woman_earrings_d3.mp4"
    ledger, gallery = ConsentLedger(sqlite_store), ProtectedGallery(tmp_path / "gallery", backend)
    library, mod = ClipLibrary(sqlite_store, ledger), Moderation(sqlite_store, gallery)
    dee = sqlite_store.get_or_create_account("dee", ADULT)  # dee's cameo is the woman in the footage
    ch = issue_challenge("dee")
    sqlite_store.save_challenge(ch)
    cid = sqlite_store.add_cameo(dee, ch, real_new_cameo(backend, _frames_dir(video, tmp_path / "dee"),
                                                         FIXTURES / PEOPLE["alice"][1]))
    ledger.set_permission(dee, cid, "everyone")
    bob, _ = person(sqlite_store, "bob", cameo=False)
    cat, _ = person(sqlite_store, "cat", cameo=False)
    mo, _ = person(sqlite_store, "mo", cameo=False)
    grant_role(sqlite_store, "mo")
    saved = library.save(bob, [cid], Path(_copy(video, tmp_path)), clip_id="aa00000000000002", prompt="@dee waves",
                         meta={}, publish=True)
    mod.report(cat, saved.clip.id, "hate")
    case = mod.queue(mo)[0].case_id
    assert mod.faces_in_clip(mo, case)[0].cameo_handle == "dee"
    with pytest.raises(ModerationError) as err:
        mod.decide(mo, case, "take_down", "hateful", protect_face=0, protect_as="dee")
    assert err.value.code == "mod_face_is_cameo"
    assert saved.path.exists() and not (tmp_path / "gallery").exists()


def _copy(video: Path, folder: Path) -> Path:
    dst = folder / f"render-{os.urandom(4).hex()}.mp4"
    dst.write_bytes(video.read_bytes())
    return dst
