"""The Gradio studio starts, serves its tabs, and turns library results and errors into words.

The browser story (webcam enrollment through revoke) is tests/test_e2e.py; here the
page is driven through its API with gradio_client, one client per person, so each
has a session of their own.
"""
from __future__ import annotations

import time
from pathlib import Path

import gradio as gr
import httpx
import pytest

from app import build_ui
from identity.challenge import issue_challenge
from identity.enrollment import Check, Verdict
from identity.errors import IdentityError
from pipeline.preview import PreviewBackend
from pipeline.studio import build_studio
from settings import Settings
from tests.cameo_factory import enroll_real
from ui.cameo import challenge_markdown, start_enrollment, submit_recording, verdict_markdown, verdict_of
from ui.common import friendly
from ui.jobs import wait_sync
from workers.inline import start_inline_worker
from workers.queues import JobQueue

ADULT = time.gmtime().tm_year - 30


@pytest.fixture()
def studio(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'data' / 'studio.db'}",
                        face_backend="dlib", insightface_root=tmp_path / "insightface", allow_upload=False,
                        secret_key=None)
    s = build_studio(settings, backend=PreviewBackend())
    yield s
    s.store.engine.dispose()


@pytest.fixture()
def served(studio):
    demo = build_ui(studio, allow_upload=False)
    demo.queue().launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True, quiet=True)
    yield demo
    demo.close()


def test_challenge_is_shown_with_digits_turns_and_sentence():
    ch = issue_challenge("alice")
    md = challenge_markdown(ch)
    assert ch.sentence in md and ch.spoken_digits in md and " → ".join(ch.turns) in md


def test_refusal_lists_every_reason():
    v = Verdict(False, [Check("digits", False, "we heard 1 2 _ 4 5, expected 1 2 3 4 5"), Check("one_face", True)])
    assert "we heard 1 2 _ 4 5" in verdict_markdown(v)


def test_our_errors_reach_the_person_as_their_message_and_others_as_an_apology():
    @friendly
    def ours():
        raise IdentityError("bad_handle", "use 3 to 32 characters")

    @friendly
    def bug():
        raise KeyError("internal detail")

    with pytest.raises(gr.Error, match="use 3 to 32 characters"):
        ours()
    with pytest.raises(gr.Error, match="Something went wrong on our side") as err:
        bug()
    assert "internal detail" not in str(err.value)


def test_enrollment_needs_a_signed_in_account(studio):
    with pytest.raises(gr.Error, match="Sign in first"):
        start_enrollment(studio, None)


def test_a_recording_is_judged_by_a_worker_deleted_here_and_the_challenge_spent(studio, tmp_path):
    queue = JobQueue(studio.settings, studio.store)
    acc = studio.store.get_or_create_account("alice", ADULT)
    _, ch = start_enrollment(studio, acc)
    recording = tmp_path / "upload.webm"
    recording.write_bytes(b"not a video at all")
    job = submit_recording(queue, acc, "webcam", str(recording), ch)
    assert not recording.exists() and queue.get(job.id).state == "queued"  # the web process does not judge it
    stop = start_inline_worker(queue, studio, "cpu")
    try:
        md = verdict_of(wait_sync(queue, job.id, timeout_s=300))
    finally:
        stop.set()
    assert "could not be read as a video" in md and studio.store.challenge_used(ch.id)


def test_studio_page_is_served_with_every_tab_and_a_webcam_only_recorder(served):
    assert httpx.get(served.local_url, timeout=30).status_code == 200
    config = httpx.get(served.local_url.rstrip("/") + "/config", timeout=30).json()
    labels = {c.get("props", {}).get("label") for c in config["components"]}
    assert {"Your recording", "Prompt", "Who may use my cameo", "A clip to verify"} <= labels
    tabs = {c.get("props", {}).get("label") for c in config["components"] if c.get("type") == "tabitem"}
    assert {"Account", "My cameo", "People", "Create", "Feed", "Appearances & inbox", "Verify"} <= tabs
    video = next(c for c in config["components"] if c.get("props", {}).get("label") == "Your recording")
    assert video["props"]["sources"] == ["webcam"]


def test_two_local_accounts_sign_in_set_a_permission_request_and_approve(studio, served):
    from gradio_client import Client

    alice_c, bob_c = Client(served.local_url, verbose=False), Client(served.local_url, verbose=False)
    status, _ = alice_c.predict("alice", "alice's long password", ADULT, api_name="/sign_up")
    assert "@alice" in status and "adult" in status
    enroll_real(studio.store, studio.enroller.backend, "alice")  # the webcam enrollment is the browser test's
    assert "People I approve" in alice_c.predict("approved", "", [], api_name="/save_settings")
    bob_c.predict("bob", "bob's long password!", ADULT, api_name="/sign_up")
    with pytest.raises(Exception, match="wrong handle or password"):
        Client(served.local_url, verbose=False).predict("bob", "not his password", api_name="/log_in")
    said = bob_c.predict("@alice", api_name="/request")[0]
    assert "Asked @alice" in said
    alice = studio.store.account("alice")
    short = studio.ledger.requests_for(alice)[0].id[:8]
    assert alice_c.predict(short, api_name="/approve")[0] == "Approved."
    cameo = studio.store.active_cameo_of(alice)
    assert studio.ledger.still_holds(studio.store.account("bob"), [cameo.id]) is None
    kinds = [e.kind for e in studio.store.audit_events()]
    assert kinds[-3:] == ["permission_change", "request", "approve"]


def test_the_challenge_countdown_runs_down_and_says_when_it_expired():
    from ui.cameo import countdown

    ch = issue_challenge("alice", ttl_s=300)
    assert countdown(ch, now=ch.issued_at + 61) == "Time left for this challenge: **3:59**"
    assert "expired" in countdown(ch, now=ch.issued_at + 301)
    assert countdown(None) == ""


def test_cached_copies_of_a_taken_down_clip_are_swept_from_gradios_cache(studio, tmp_path):
    from ui.takedown import sweep_cached_clips

    cache = tmp_path / "gradio-cache"
    (cache / "a1").mkdir(parents=True)
    (cache / "b2").mkdir()
    gone = cache / "a1" / "0123456789abcdef.mp4"
    gone.write_bytes(b"x")  # no such clip: unknown to the studio (or removed)
    other = cache / "b2" / "recording.mp4"
    other.write_bytes(b"y")  # not a clip file: left alone
    assert sweep_cached_clips(studio.library, cache) == [gone]
    assert not gone.exists() and other.exists()
