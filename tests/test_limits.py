"""Limits: clips per day by kind of account, enrollment attempts, invitation-only sign-up, and deleted handles
that nobody else may take for a while. Each passes where it should and refuses where it should."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from identity.accounts import delete_account, hugging_face_account, sign_up
from identity.consent import ConsentLedger
from identity.errors import IdentityError, StudioError
from identity.invites import InviteError, invite_codes
from identity.library import ClipLibrary
from identity.limits import LimitError, admit_generation, allowance
from identity.rules import DAY_S, CommunityRules
from pipeline.job import JobRunner, parse_request
from tests.social import ADULT, TEEN, person

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"


def _use_up(store, account, n, now=None):
    for _ in range(n):
        admit_generation(store, account, now=now)


# daily generation limits ------------------------------------------------------------------------------------
def test_a_new_adult_account_has_the_new_account_limit_then_the_full_one(store):
    ann, _ = person(store, "ann", cameo=False)
    rules = store.rules
    _use_up(store, ann, rules.generations_per_day_new)
    with pytest.raises(LimitError) as err:
        admit_generation(store, ann)
    assert err.value.code == "limit_daily" and err.value.params["kind_code"] == "limit_kind_new"
    later = time.time() + rules.new_account_days * DAY_S + 60  # a week on: established, and yesterday's uses gone
    a = allowance(store, ann, now=later)
    assert (a.limit, a.used, a.kind.code) == (rules.generations_per_day, 0, "limit_kind_adult")
    _use_up(store, ann, rules.generations_per_day, now=later)
    with pytest.raises(LimitError):
        admit_generation(store, ann, now=later)


def test_a_teen_account_has_the_teen_limit(store):
    tia, _ = person(store, "tia", TEEN, cameo=False)
    store.rules = CommunityRules(generations_per_day_teen=2, generations_per_day_new=10)
    _use_up(store, tia, 2)
    with pytest.raises(LimitError) as err:
        admit_generation(store, tia)
    assert err.value.params["kind_code"] == "limit_kind_teen" and "teen account" in err.value.message


def test_the_limit_is_per_rolling_day(store):
    ann, _ = person(store, "ann", cameo=False)
    store.rules = CommunityRules(generations_per_day_new=1)
    t0 = time.time()
    admit_generation(store, ann, now=t0)
    with pytest.raises(LimitError) as err:
        admit_generation(store, ann, now=t0 + DAY_S - 5)
    assert err.value.params["next_at"] == time.strftime("%Y-%m-%d %H:%M", time.gmtime(t0 + DAY_S))
    assert admit_generation(store, ann, now=t0 + DAY_S + 1).used == 1


def test_a_job_past_the_limit_is_refused_before_any_work(store):
    """The job's first line is the library's check: no cameo lookup, consent decision or render happens."""
    ann, _ = person(store, "ann", cameo=False)
    store.rules = CommunityRules(generations_per_day_new=1)
    ledger = ConsentLedger(store)
    runner = JobRunner(store, ledger, ClipLibrary(store, ledger), backend=None, face_backend=None, gallery=None,
                       signer=None)
    req = parse_request("@ann waves", ["ann"], 2, "16:9", 1)
    with pytest.raises(StudioError) as err:  # counted, then refused for a reason of its own: ann has no cameo
        runner.run(ann, req)
    assert err.value.code == "unknown_cameo"
    with pytest.raises(LimitError) as err:
        runner.run(ann, req)
    assert err.value.code == "limit_daily"
    assert [e.kind for e in store.audit_events()] == []  # no authorize, no refuse: nothing got that far


# enrollment attempts ----------------------------------------------------------------------------------------
def test_enrollment_attempts_are_limited_per_day_and_a_refused_one_keeps_its_challenge(enroller, tmp_path):
    enroller.store.rules = CommunityRules(enroll_attempts_per_day=2)
    junk = tmp_path / "not-a-video.mp4"
    junk.write_bytes(b"this is not a video" * 100)
    for _ in range(2):
        ch = enroller.new_challenge("ann")
        verdict = enroller.enroll(junk, ch, source="upload")
        assert not verdict.ok and verdict.checks[0].name == "media" and enroller.store.challenge_used(ch.id)
    ch = enroller.new_challenge("ann")
    verdict = enroller.enroll(junk, ch, source="upload")
    assert [(c.name, c.passed) for c in verdict.checks] == [("attempts", False)]
    assert "2 enrollment recordings" in verdict.checks[0].reason and not enroller.store.challenge_used(ch.id)
    other = enroller.new_challenge("ben")  # per account
    assert enroller.enroll(junk, other, source="upload").checks[0].name == "media"
    later = time.time() + DAY_S + 1
    assert enroller.enroll(junk, ch, source="upload", now=later).checks[0].name != "attempts"


# invitation-only --------------------------------------------------------------------------------------------
def test_an_invitation_only_studio_signs_up_with_a_code_once(store):
    ann = sign_up(store, "ann", PASSWORD, ADULT)  # the first member joins before the switch
    store.rules = CommunityRules(invite_only=True, invites_per_account=2)
    codes = invite_codes(store, ann)
    assert len(codes) == 2 and invite_codes(store, ann) == codes  # made once, then the same
    ben = sign_up(store, "ben", PASSWORD, ADULT, invite_code=codes[0].code.lower().replace("-", " "))
    assert ben.handle == "ben" and invite_codes(store, ann)[0].used_by == "ben"
    with pytest.raises(InviteError) as err:
        sign_up(store, "cat", PASSWORD, ADULT, invite_code=codes[0].code)
    assert err.value.code == "invite_used"


@pytest.mark.parametrize("code,error", [(None, "invite_required"), ("", "invite_required"),
                                        ("ZZZZZ-ZZZZZ", "invite_unknown")])
def test_an_invitation_only_studio_refuses_sign_up_without_a_valid_code(store, code, error):
    store.rules = CommunityRules(invite_only=True)
    with pytest.raises(InviteError) as err:
        sign_up(store, "cat", PASSWORD, ADULT, invite_code=code)
    assert err.value.code == error and store.count_rows("accounts") == 0
    with pytest.raises(InviteError):
        hugging_face_account(store, "cat", invite_code=code)
    assert store.count_rows("accounts") == 0


def test_a_hugging_face_sign_in_needs_a_code_only_the_first_time(store, database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url, "CAMEO_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run([sys.executable, "-m", "identity", "invite", "--count", "2", "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    codes = json.loads(run.stdout)["codes"]
    store.rules = CommunityRules(invite_only=True)
    first = hugging_face_account(store, "Dee", invite_code=codes[1])
    assert hugging_face_account(store, "Dee").id == first.id


def test_a_hugging_face_sign_in_cannot_reuse_a_code_and_a_refused_one_spends_none(store):
    ann = sign_up(store, "ann", PASSWORD, ADULT)
    store.rules = CommunityRules(invite_only=True, invites_per_account=2)
    used, unused = invite_codes(store, ann)
    sign_up(store, "ben", PASSWORD, ADULT, invite_code=used.code)
    with pytest.raises(InviteError) as err:
        hugging_face_account(store, "Dee", invite_code=used.code)
    assert err.value.code == "invite_used" and store.count_rows("accounts") == 2
    assert invite_codes(store, ann)[1].used_by is None  # nothing spent by the refusal
    dee = hugging_face_account(store, "Dee", invite_code=unused.code)
    assert invite_codes(store, ann)[1].used_by == dee.handle == "dee"


# handles of deleted accounts --------------------------------------------------------------------------------
def test_a_deleted_accounts_handle_is_nobodys_for_the_cooling_off_period(store):
    ann = sign_up(store, "ann", PASSWORD, ADULT)
    delete_account(store, ann)
    for claim in (lambda: sign_up(store, "ann", "another long password", ADULT),
                  lambda: hugging_face_account(store, "ann"),
                  lambda: store.get_or_create_account("ann", ADULT)):
        with pytest.raises(IdentityError) as err:
            claim()
        assert err.value.code == "handle_cooling_off" and "until" in err.value.message
    with store.engine.begin() as conn:  # the period passes
        conn.exec_driver_sql(f"UPDATE retired_handles SET deleted_at = deleted_at - {91 * DAY_S}")
    assert sign_up(store, "ann", "another long password", ADULT).id != ann.id


def test_a_studio_may_set_no_cooling_off(store):
    store.rules = CommunityRules(handle_cooling_off_days=0)
    delete_account(store, sign_up(store, "ann", PASSWORD, ADULT))
    assert sign_up(store, "ann", PASSWORD, ADULT).handle == "ann"


def test_community_rules_refuse_nonsense():
    with pytest.raises(ValueError):
        CommunityRules(report_hide_threshold=0)
    with pytest.raises(ValueError):
        CommunityRules(generations_per_day=-1)
