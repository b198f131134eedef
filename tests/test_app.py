"""The Gradio studio starts, serves its tabs, and turns library results and errors into words.

The browser story (webcam enrollment through revoke) is tests/test_e2e.py; here the
page is driven through its API with gradio_client, one client per person, so each
has a session of their own.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import gradio as gr
import httpx
import pytest

from app import build_ui
from identity.accounts import sign_up
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


def test_a_french_challenge_asks_for_a_pause_and_the_digits_in_english():
    ch = issue_challenge("alice", language="fr")
    md = challenge_markdown(ch, "fr")
    assert ch.sentence in md and ch.spoken_digits in md and "en anglais" in md and "pause" in md
    assert "Mouvements de tête" in md and "Head turns" not in md


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


def shown(config: dict, value, lang: str = "en"):
    """A static text as the browser shows it in `lang` (Gradio sends i18n keys and their translations)."""
    if isinstance(value, str) and value.startswith("__i18n__"):
        return config["i18n_translations"][lang][json.loads(value[len("__i18n__"):])["key"]]
    return value


def test_studio_page_is_served_with_every_tab_and_a_webcam_only_recorder(served):
    assert httpx.get(served.local_url, timeout=30).status_code == 200
    config = httpx.get(served.local_url.rstrip("/") + "/config", timeout=30).json()
    labels = {shown(config, c.get("props", {}).get("label")) for c in config["components"]}
    assert {"Your recording", "Prompt", "Who may use my cameo", "A clip to verify"} <= labels
    tabs = {shown(config, c.get("props", {}).get("label")) for c in config["components"] if c.get("type") == "tabitem"}
    assert {"Account", "My cameo", "People", "Create", "Feed", "Appearances & inbox", "Verify"} <= tabs
    video = next(c for c in config["components"] if shown(config, c.get("props", {}).get("label")) == "Your recording")
    assert video["props"]["sources"] == ["webcam"]


def test_the_page_carries_its_french_for_every_static_text(served):
    config = httpx.get(served.local_url.rstrip("/") + "/config", timeout=30).json()
    tabs = {shown(config, c["props"].get("label"), "fr") for c in config["components"] if c.get("type") == "tabitem"}
    assert {"Compte", "Mon caméo", "Personnes", "Créer", "Fil", "Apparitions et messages", "Vérifier"} <= tabs
    labels = {shown(config, c.get("props", {}).get("label"), "fr") for c in config["components"]}
    assert {"Votre enregistrement", "Qui peut utiliser mon caméo", "Langue"} <= labels
    assert set(config["i18n_translations"]["fr"]) == set(config["i18n_translations"]["en"])


def test_a_french_browser_reads_our_errors_in_french_and_the_switch_changes_it(served):
    from gradio_client import Client

    french = Client(served.local_url, verbose=False, headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"})
    with pytest.raises(Exception, match="pseudo ou mot de passe incorrect"):
        french.predict("nobody", "not a password", api_name="/log_in")
    with pytest.raises(Exception, match="Connectez-vous d'abord"):
        french.predict("@alice", api_name="/request")
    english = Client(served.local_url, verbose=False, headers={"Accept-Language": "en-GB,en;q=0.9"})
    with pytest.raises(Exception, match="wrong handle or password"):
        english.predict("nobody", "not a password", api_name="/log_in")
    assert english.predict("fr", api_name="/set_language") == "Non connecté."
    with pytest.raises(Exception, match="pseudo ou mot de passe incorrect"):
        english.predict("nobody", "not a password", api_name="/log_in")
    assert french.predict("en", api_name="/set_language") == "Not signed in."
    with pytest.raises(Exception, match="wrong handle or password"):
        french.predict("nobody", "not a password", api_name="/log_in")


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


def test_hearing_my_cameo_voice_is_a_worker_job_the_page_follows(studio, served):
    import wave

    from gradio_client import Client

    alice_c = Client(served.local_url, verbose=False)
    alice_c.predict("alice", "alice's long password", ADULT, api_name="/sign_up")
    enroll_real(studio.store, studio.enroller.backend, "alice")
    stop = start_inline_worker(JobQueue(studio.settings, studio.store), studio, "gpu")
    try:
        path = alice_c.predict(api_name="/voice_sample")
    finally:
        stop.set()
    with wave.open(path, "rb") as w:
        assert w.getnframes() > w.getframerate() // 2  # a spoken line, not silence or an error
    assert studio.store.objects.list("uploads/") == []


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


# the social studio through the page: reports, the feed, moderation ----------------------------------------
def _signed_in(url: str, handle: str):
    from gradio_client import Client

    client = Client(url, verbose=False)
    client.predict(handle, f"{handle}'s long password", ADULT, api_name="/sign_up")
    return client


def _logged_in(url: str, handle: str):
    from gradio_client import Client

    client = Client(url, verbose=False)
    client.predict(handle, f"{handle}'s long password", api_name="/log_in")
    return client


def _moderator(studio):
    from identity.roles import grant_role

    sign_up(studio.store, "moira", "moira's long password", ADULT)
    return grant_role(studio.store, "moira")


def _feed_ids(client) -> list[str]:
    table = client.predict(False, api_name="/feed")[0]
    return [row[0] for row in table["data"]]


@pytest.fixture()
def reported_clip(studio, tmp_path):
    """ann's cameo is open to everyone; ben made a public clip with it (a stand-in file: no rule looks inside)."""
    from tests.social import clip, open_to_everyone, person

    ann, cameo = person(studio.store, "ann", seed=1)
    open_to_everyone(studio.ledger, ann, cameo)
    ben = sign_up(studio.store, "ben", "ben's long password", ADULT)
    return clip(studio.library, ben, [cameo], tmp_path).clip


def test_a_clip_reported_by_several_accounts_leaves_everyone_elses_feed(studio, served, reported_clip):
    cat, dan, eve, fay = (_signed_in(served.local_url, h) for h in ("cat", "dan", "eve", "fay"))
    assert reported_clip.id in _feed_ids(fay)
    said = [c.predict(reported_clip.id, "hate", "mocks a religion", api_name="/report")[0] for c in (cat, dan, eve)]
    assert said[0].startswith("Thank you: your report about clip") and "is hidden while a moderator" in said[2]
    assert reported_clip.id not in _feed_ids(fay)
    [mine] = cat.predict(api_name="/my_reports")["data"]
    assert mine[0] == reported_clip.id and mine[3] == "in review"


def test_a_moderators_take_down_deletes_the_clips_object_and_its_creator_appeals_once(studio, served, reported_clip):
    _moderator(studio)
    cat, mo = _signed_in(served.local_url, "cat"), _logged_in(served.local_url, "moira")
    cat.predict(reported_clip.id, "fake_evidence", "shows ann at a crime she never committed", api_name="/report")
    rows, pick = mo.predict(api_name="/mod_queue")
    case_id = pick["value"]  # a dropdown comes back as its update: the cases listed, the first picked
    assert rows["data"][0][4] == reported_clip.id
    video, details, _, verdicts = mo.predict(case_id, api_name="/mod_item")
    assert [v for _, v in verdicts["choices"]] == ["keep", "take_down"]
    assert video and "fake evidence against a person" in details and "@ben" in details and "@ann" in details
    assert studio.store.objects.exists(reported_clip.file)
    said = mo.predict(case_id, "take_down", "staged crime footage of a real person", "", "", "",
                      api_name="/mod_decide")[0]
    assert said.startswith("Decided: **take down**")
    assert not studio.store.objects.exists(reported_clip.file)
    assert studio.library.get(reported_clip.id).status == "removed"
    [mine] = cat.predict(api_name="/my_reports")["data"]
    assert mine[3:5] == ["decided", "take down"]

    ben = _logged_in(served.local_url, "ben")
    decisions = ben.predict(api_name="/appearances")[4]["data"]
    assert [d[1:3] for d in decisions] == [[reported_clip.id, "take down"]] and decisions[0][6] == "yes"
    assert ben.predict(decisions[0][0], "it was a parody", api_name="/appeal")[-1].startswith("Your appeal was received")
    rows, _ = mo.predict(api_name="/mod_queue")
    assert [r[1] for r in rows["data"]] == ["appeal"]
    with pytest.raises(Exception, match="already appealed"):
        ben.predict(decisions[0][0], "please", api_name="/appeal")


def test_only_moderators_see_the_moderation_tab_and_the_library_refuses_everyone_else(studio, served, reported_clip):
    config = httpx.get(served.local_url.rstrip("/") + "/config", timeout=30).json()
    [tab] = [c for c in config["components"] if c.get("type") == "tabitem"
              and shown(config, c["props"].get("label")) == "Moderation"]
    assert tab["props"]["visible"] is False  # shown only when a moderator signs in
    cat = _signed_in(served.local_url, "cat")
    cat.predict(reported_clip.id, "hate", "", api_name="/report")
    case_id = studio.moderation.queue(_moderator(studio))[0].case_id
    for call in (lambda: cat.predict(api_name="/mod_queue"), lambda: cat.predict(case_id, api_name="/mod_item"),
                 lambda: cat.predict(case_id, "take_down", "no", "", "", "", api_name="/mod_decide")):
        with pytest.raises(Exception, match="only moderators can do this"):
            call()
    assert studio.library.get(reported_clip.id).status == "published"
    from ui.moderation import shown_to

    assert not shown_to(studio, studio.store.account("cat")).visible
    assert shown_to(studio, studio.store.account("moira")).visible  # what signing in as a moderator shows


def test_a_teen_confirms_a_parent_link_is_told_what_the_parent_controls_and_the_feed_follows_it(served):
    from gradio_client import Client

    pam, tia = _signed_in(served.local_url, "pam"), Client(served.local_url, verbose=False)
    tia.predict("tia", "tia's long password", time.gmtime().tm_year - 15, api_name="/sign_up")
    assert pam.predict("@tia", api_name="/family_ask")[2].startswith("Asked")
    [link] = tia.predict(api_name="/family")[0]["data"]
    assert link[1:4] == ["@pam", "@tia", "pending"]
    _, told, said = tia.predict(link[0], api_name="/family_confirm")
    assert said == "Confirmed." and told.startswith("**@pam is linked as your parent account")
    with pytest.raises(Exception, match="only the linked parent can change these controls"):
        tia.predict(link[0], "", False, "", True, api_name="/family_controls")
    pam.predict(link[0], "mutuals", True, "2", False, api_name="/family_controls")
    told = tia.predict(api_name="/family")[1]
    for line in ("who may use your cameo: at most your mutual followers", "your feed shows only accounts you follow",
                 "you may start 2 clips a day", "your clips, and clips featuring your cameo, stay unpublished"):
        assert line in told
    _, _, notice, switch = tia.predict(False, api_name="/feed")  # asks for everything; the parent's switch holds
    assert "your parent account keeps your feed to accounts you follow" in notice
    assert switch["value"] is True and switch["interactive"] is False


def test_an_owner_who_approves_each_clip_finds_it_in_the_inbox_tab_and_her_approval_publishes_it(studio, served,
                                                                                                 tmp_path):
    from tests.social import clip, open_to_everyone, person

    ann_c = _signed_in(served.local_url, "ann")
    ann, cameo = person(studio.store, "ann")
    open_to_everyone(studio.ledger, ann, cameo)
    assert "wait for your approval" in ann_c.predict("everyone", "", [], True, api_name="/save_settings")
    ben = sign_up(studio.store, "ben", "ben's long password", ADULT)
    waiting = clip(studio.library, ben, [cameo], tmp_path, visibility="followers").clip
    assert waiting.status == "pending"
    approvals = ann_c.predict(api_name="/appearances")[3]["data"]
    assert [a[:3] for a in approvals] == [[waiting.id, "@ben", "followers"]]
    assert ann_c.predict(waiting.id, api_name="/approve_publication")[-1] == f"Clip {waiting.id} is now published."
    assert studio.library.get(waiting.id).status == "published"


def _hugging_face_session(url: str) -> dict[str, str]:
    """A Hugging Face sign-in through the page's OAuth routes (Gradio's local stand-in for the Hub, which
    puts the profile `_get_mocked_oauth_info` gives in the session): the session cookie, as headers."""
    login = httpx.get(url.rstrip("/") + "/login/callback", follow_redirects=False, timeout=30)
    assert login.status_code in (302, 307), login.text
    return {"Cookie": login.headers["set-cookie"].split(";")[0]}


def test_a_hugging_face_sign_in_on_an_invitation_only_studio_joins_with_a_code_once(studio, monkeypatch):
    """On a Space the person signs in with Hugging Face; a first sign-in needs an unused code, a second none."""
    import dataclasses

    import gradio.oauth
    from gradio_client import Client

    from identity.invites import operator_codes

    profile = {"sub": "1", "name": "Dee", "preferred_username": "Dee-HF", "profile": "https://huggingface.co/Dee-HF",
               "picture": ""}
    monkeypatch.setattr(gradio.oauth, "_get_mocked_oauth_info", lambda: {
        "access_token": "not a token", "token_type": "bearer", "scope": "openid profile", "userinfo": profile})
    studio.store.rules = dataclasses.replace(studio.store.rules, invite_only=True)
    [code] = operator_codes(studio.store, 1)
    demo = build_ui(studio, allow_upload=False, oauth=True)
    demo.queue().launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True, quiet=True)
    try:
        config = httpx.get(demo.local_url.rstrip("/") + "/config", timeout=30).json()
        shown = {c["props"].get("elem_id"): c["props"].get("visible") for c in config["components"]}
        assert shown["login-invite"] is True and shown["join-btn"] is True
        with pytest.raises(Exception, match="Sign in with Hugging Face first"):
            Client(demo.local_url, verbose=False).predict(code.code, api_name="/join")

        dee = Client(demo.local_url, headers=_hugging_face_session(demo.local_url), verbose=False)
        said = dee.predict("", api_name="/join")
        assert "Signed in with Hugging Face as **Dee-HF**, but this studio is invitation-only" in said
        with pytest.raises(Exception, match="the invitation code ZZZZZ-ZZZZZ is not valid"):
            dee.predict("zzzzz zzzzz", api_name="/join")
        assert studio.store.count_rows("accounts") == 0
        assert "Signed in as **@dee_hf**" in dee.predict(code.code.lower(), api_name="/join")
        again = Client(demo.local_url, headers=_hugging_face_session(demo.local_url), verbose=False)
        assert "Signed in as **@dee_hf**" in again.predict("", api_name="/join")  # returning: no code needed
        assert studio.store.count_rows("accounts") == 1
    finally:
        demo.close()
