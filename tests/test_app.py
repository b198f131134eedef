"""The Gradio page starts, serves, and turns library results into words (no rule lives in the UI)."""
from __future__ import annotations

import httpx

import gradio as gr
import pytest

from app import build_ui, challenge_markdown, start_enrollment, verdict_markdown, verify_recording
from identity.challenge import issue_challenge
from identity.enrollment import Check, Verdict


def test_challenge_is_shown_with_digits_turns_and_sentence():
    ch = issue_challenge("alice")
    md = challenge_markdown(ch)
    assert ch.sentence in md and ch.spoken_digits in md and " → ".join(ch.turns) in md


def test_refusal_lists_every_reason():
    v = Verdict(False, [Check("digits", False, "we heard 1 2 _ 4 5, expected 1 2 3 4 5"), Check("one_face", True)])
    assert "we heard 1 2 _ 4 5" in verdict_markdown(v)


def test_studio_page_is_served_on_loopback(enroller):
    demo = build_ui(enroller, allow_upload=False)
    demo.queue().launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True, quiet=True)
    try:
        page = httpx.get(demo.local_url, timeout=30)
        assert page.status_code == 200
        config = httpx.get(demo.local_url.rstrip("/") + "/config", timeout=30).json()
        labels = {c.get("props", {}).get("label") for c in config["components"]}
        assert {"Your handle", "Your recording"} <= labels
        video = next(c for c in config["components"] if c.get("props", {}).get("label") == "Your recording")
        assert video["props"]["sources"] == ["webcam"]
    finally:
        demo.close()


def test_a_bad_handle_reaches_the_person_as_a_message(enroller):
    with pytest.raises(gr.Error, match="3 to 32 characters"):
        start_enrollment(enroller, "no spaces allowed")


def test_recording_is_deleted_after_verification_and_the_challenge_spent(enroller, tmp_path):
    _, ch = start_enrollment(enroller, "alice")
    recording = tmp_path / "upload.mp4"
    recording.write_bytes(b"not a video at all")
    md, crops, state = verify_recording(enroller, "upload", str(recording), ch)
    assert "could not be read as a video" in md and crops == [] and state is None
    assert not recording.exists()
