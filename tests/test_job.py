"""Generation jobs end to end on the preview backend: consent at both ends, safety, marks, a playable MP4.

Cameos are built from real photos and LibriSpeech speech (tests/cameo_factory.py).
Every clip the job saves is checked independently with ffprobe (H.264 + AAC of
the requested length) and read back with `safety.verify`.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from identity.consent import ConsentLedger
from identity.library import ClipLibrary
from pipeline.job import JobError, JobRunner, parse_request
from pipeline.preview import PreviewBackend
from pipeline.types import Progress
from safety.provenance import AUDIO_MARK_ALG, VIDEO_MARK_ALG, ensure_demo_certs
from safety.verify import verify_clip
from tests.cameo_factory import enroll_real

ADULT = time.gmtime().tm_year - 30


@pytest.fixture(scope="module")
def signer_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("c2pa") / "c2pa"


@pytest.fixture(scope="module")
def signer(signer_dir):
    return ensure_demo_certs(signer_dir)


@pytest.fixture()
def studio(sqlite_store, backend, signer):
    """alice (cameo open to everyone) and bob (a cameo of his own), on the preview backend."""
    ledger = ConsentLedger(sqlite_store)
    library = ClipLibrary(sqlite_store, ledger)
    runner = JobRunner(sqlite_store, ledger, library, PreviewBackend(), backend, None, signer)
    alice_cameo = enroll_real(sqlite_store, backend, "alice", birth_year=ADULT)
    enroll_real(sqlite_store, backend, "bob", birth_year=ADULT)
    ledger.set_permission(sqlite_store.account("alice"), alice_cameo, "everyone")
    return runner


def ffprobe(path: Path) -> dict:
    if shutil.which("ffprobe") is None:
        pytest.fail("ffprobe is missing: scripts/install-test-tools.sh installs it (test.sh runs it)")
    out = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _codecs_and_duration(path: Path) -> tuple[set[str], float]:
    info = ffprobe(path)
    return {s["codec_name"] for s in info["streams"]}, float(info["format"]["duration"])


# before any work --------------------------------------------------------------------------------
@pytest.mark.parametrize("args,code", [
    (("", ["alice"], 4, "16:9", 1), "empty_prompt"),
    (("x" * 501, ["alice"], 4, "16:9", 1), "prompt_too_long"),
    (("a walk", [], 4, "16:9", 1), "cameo_count"),
    (("a walk", ["a1x", "b2x", "c3x", "d4x"], 4, "16:9", 1), "cameo_count"),
    (("a walk", ["alice"], 1.5, "16:9", 1), "bad_duration"),
    (("a walk", ["alice"], 11, "16:9", 1), "bad_duration"),
    (("a walk", ["alice"], "five", "16:9", 1), "bad_duration"),
    (("a walk", ["alice"], float("nan"), "16:9", 1), "bad_duration"),
    (("a walk", ["alice"], 4, "4:3", 1), "bad_aspect"),
    (("a walk", ["alice"], 4, "16:9", "lucky"), "bad_seed"),
    (("a walk", ["alice"], 4, "16:9", -1), "bad_seed"),
])
def test_bad_requests_are_refused_before_any_work(args, code):
    with pytest.raises(JobError) as err:
        parse_request(*args)
    assert err.value.code == code and err.value.message


def test_an_unknown_cameo_handle_is_refused_before_any_work(studio):
    bob = studio.store.account("bob")
    before = len(studio.store.audit_events())
    with pytest.raises(JobError, match="@nobody has no cameo"):
        studio.run(bob, parse_request("@nobody waves", ["nobody"], 2, "16:9", 1))
    assert len(studio.store.audit_events()) == before


def test_a_cameo_the_requester_may_not_use_is_refused_with_the_reason(studio):
    carol = studio.store.get_or_create_account("carol", ADULT)
    with pytest.raises(JobError, match="@bob: @bob keeps this cameo to themselves"):
        studio.run(carol, parse_request("@bob waves", ["bob"], 2, "16:9", 1))


def test_a_harmful_prompt_is_refused_before_rendering(studio):
    bob = studio.store.account("bob")
    with pytest.raises(JobError) as err:
        studio.run(bob, parse_request("@alice stabbing @bob, blood and gore everywhere", ["alice", "bob"], 2,
                                      "16:9", 1))
    assert err.value.code == "prompt_refused"
    assert studio.store.objects.list("clips/") == []


def test_an_owners_instruction_refuses_a_prompt_against_it(studio):
    alice = studio.store.account("alice")
    cid = studio.store.active_cameo_of(alice).id
    studio.ledger.set_instructions(alice, cid, "", ["no_political"])
    with pytest.raises(JobError, match="alice"):
        studio.run(studio.store.account("bob"),
                   parse_request("@alice giving a speech at an election campaign rally", ["alice"], 2, "16:9", 1))


# a whole clip -----------------------------------------------------------------------------------
def test_a_preview_clip_with_two_cameos_and_dialogue_is_saved_marked_and_signed(studio, signer):
    bob = studio.store.account("bob")
    stages: list[str] = []
    req = parse_request('@alice and @bob on a beach at sunset, slow pan left. '
                        '@alice says "we made it all the way here, after such a long and tiring day"',
                        ["alice", "bob"], 3, "16:9", 7)
    out = studio.run(bob, req, publish=True, on_progress=lambda p: stages.append(p.stage))
    assert {"sound", "render", "safety", "marks", "save"} <= set(stages)
    codecs, duration = _codecs_and_duration(out.path)
    assert codecs == {"h264", "aac"} and abs(duration - 3.0) < 0.1
    report = verify_clip(out.path, signer.trust_anchor_pem, studio.library.get)
    assert report["c2pa"]["state"] == "Trusted"
    assert [[r["id"], r["sha256"]] for r in report["c2pa"]["consent_records"]] == out.meta["consent_records"]
    assert report["watermark"]["clip_id"] == out.clip.id and report["known_clip"] and not report["removed"]
    # The composited faces are the cameos' own: the firewall measured them above the match threshold.
    sims = out.meta["identity_similarity"]
    assert sims["alice"] >= studio.face_backend.match_threshold and sims["bob"] >= studio.face_backend.match_threshold
    assert out.meta["voice_similarity"]["alice"] is not None, out.meta["notes"]
    assert out.meta["backend"] == "preview"
    assert [c.id for c in studio.library.feed()] == [out.clip.id]
    assert any(n.kind == "used" for n in studio.library.inbox(studio.store.account("alice")))


@pytest.mark.parametrize("aspect,size", [("9:16", (480, 832)), ("1:1", (480, 480))])
def test_each_aspect_gives_its_size(studio, aspect, size):
    out = studio.run(studio.store.account("bob"), parse_request("@bob in a forest", ["bob"], 2, aspect, 3))
    video = next(s for s in ffprobe(out.path)["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"]) == size and out.clip.status == "draft"
    codecs, duration = _codecs_and_duration(out.path)
    assert codecs == {"h264", "aac"} and abs(duration - 2.0) < 0.1


# consent at the other end -----------------------------------------------------------------------
class _RevokeMidRender:
    """Wraps the preview backend: when rendering is under way, the owner revokes from another thread."""

    def __init__(self, inner, revoke):
        self.inner, self.revoke = inner, revoke
        self.name, self.model, self.fps = inner.name, inner.model, inner.fps

    def render(self, spec, on_progress):
        started = threading.Event()

        def progress(p: Progress):
            if p.step >= 2 and not started.is_set():
                started.set()
                t = threading.Thread(target=self.revoke)
                t.start()
                t.join()
                time.sleep(0.6)  # past the job's grant-polling interval
            on_progress(p)
        return self.inner.render(spec, progress)


def test_a_revoke_mid_render_ends_the_job_and_leaves_no_file(studio):
    alice = studio.store.account("alice")
    cid = studio.store.active_cameo_of(alice).id
    studio.backend = _RevokeMidRender(studio.backend, lambda: studio.ledger.revoke(alice, cid))
    with pytest.raises(JobError) as err:
        studio.run(studio.store.account("bob"), parse_request("@alice dancing in the rain", ["alice"], 3, "16:9", 1))
    assert err.value.code == "consent_revoked" and "revoked" in err.value.message
    assert studio.store.objects.list("clips/") == []
    assert studio.library.appearances(alice) == []


def test_a_remix_checks_the_remixers_own_permissions(studio):
    bob, alice = studio.store.account("bob"), studio.store.account("alice")
    first = studio.run(bob, parse_request("@bob waving in a city street", ["bob"], 2, "16:9", 1), publish=True)
    carol = studio.store.get_or_create_account("carol", ADULT)
    with pytest.raises(JobError, match="keeps this cameo to themselves"):
        studio.run(carol, studio.remix_request(first.clip.id, 2))
    bob_cameo = studio.store.active_cameo_of(bob).id
    studio.ledger.set_permission(bob, bob_cameo, "approved")
    studio.ledger.approve(bob, studio.ledger.request(carol, bob_cameo))
    remix = studio.run(carol, studio.remix_request(first.clip.id, 2))
    assert remix.clip.remix_of == first.clip.id and remix.clip.creator_handle == "carol"
    assert alice.handle not in remix.clip.cameo_handles


# verifying a clip found elsewhere ---------------------------------------------------------------
def _verify_cli(path: Path, store, tmp_path: Path, signer_dir: Path) -> tuple[int, dict | str]:
    import os
    import sys

    env = {**os.environ, "DATABASE_URL": str(store.engine.url), "CAMEO_DATA_DIR": str(store.media_dir.parent),
           "CAMEO_C2PA_TRUST_ANCHOR": str(signer_dir / "root.pem")}
    run = subprocess.run([sys.executable, "-m", "safety", "verify", str(path), "--json"], env=env,
                         cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, timeout=120)
    try:
        return run.returncode, json.loads(run.stdout)
    except json.JSONDecodeError:
        return run.returncode, run.stderr


def _remux(src: Path, dst: Path) -> None:
    import av

    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        streams = {s.index: out.add_stream_from_template(s) for s in inp.streams}
        for packet in inp.demux():
            if packet.dts is not None:
                packet.stream = streams[packet.stream.index]
                out.mux(packet)


def test_verify_command_follows_a_clip_through_a_remux_and_a_takedown(studio, signer, signer_dir, tmp_path):
    bob, alice = studio.store.account("bob"), studio.store.account("alice")
    out = studio.run(bob, parse_request("@alice on a snowy mountain at dawn", ["alice"], 2, "16:9", 5), publish=True)
    download = tmp_path / "downloaded.mp4"
    shutil.copy(out.path, download)
    code, report = _verify_cli(download, studio.store, tmp_path, signer_dir)
    assert code == 0 and report["c2pa"]["state"] == "Trusted" and report["known_clip"] and not report["removed"]
    assert {a["action"] for a in report["c2pa"]["actions"]} >= {"c2pa.created"}
    assert report["credentials"]["source"] == "embedded"
    assert {b["alg"] for b in report["credentials"]["soft_bindings"]} == {VIDEO_MARK_ALG, AUDIO_MARK_ALG}
    _remux(download, tmp_path / "remuxed.mp4")
    code, report = _verify_cli(tmp_path / "remuxed.mp4", studio.store, tmp_path, signer_dir)
    assert not report["c2pa"]["present"] and report["watermark"]["clip_id"] == out.clip.id and report["known_clip"]
    recovered = report["credentials"]
    assert recovered["source"] == "recovered" and recovered["clip_id"] == out.clip.id
    assert recovered["state_at_signing"] == "Trusted" and "carries no Content Credentials" in recovered["note"]
    assert [[r["id"], r["sha256"]] for r in recovered["consent_records"]] == out.meta["consent_records"]
    studio.ledger.revoke(alice, studio.store.active_cameo_of(alice).id)
    code, report = _verify_cli(tmp_path / "remuxed.mp4", studio.store, tmp_path, signer_dir)
    assert code == 1 and report["removed"] and report["watermark"]["found"]
    assert report["credentials"]["source"] == "recovered"  # a taken-down clip still says what it was
    code, report = _verify_cli(Path(__file__).parent / "fixtures" / "videos" / "liveportrait_woman_earrings_d3.mp4",
                               studio.store, tmp_path, signer_dir)
    assert code == 0 and not report["watermark"]["found"] and not report["known_clip"] and not report["c2pa"]["present"]
    assert report["credentials"] == {"source": "none"}
    (tmp_path / "not_a_clip.mp4").write_bytes(b"hello")
    code, message = _verify_cli(tmp_path / "not_a_clip.mp4", studio.store, tmp_path, signer_dir)
    assert code == 2 and "not a readable video" in message


def test_the_diffusion_backend_makes_a_clip_through_the_same_job(studio):
    """The real WanVACE pipeline class, tiny and random (no download), behind the same job: sound, checks,
    marks, signature and storage as for the preview. Small frames keep it quick on a CPU."""
    import torch

    from pipeline.diffusion import DiffusionBackend, build_tiny_pipeline

    torch.set_num_threads(1)
    studio.backend = DiffusionBackend(pipe=build_tiny_pipeline(), num_inference_steps=2)
    studio.sizes = {"16:9": (384, 288)}  # about the smallest both marks accept
    stages: list[str] = []
    out = studio.run(studio.store.account("bob"), parse_request('@alice says "hello from a tiny model"', ["alice"],
                                                                 2, "16:9", 11), on_progress=lambda p: stages.append(p.stage))
    codecs, duration = _codecs_and_duration(out.path)
    assert codecs == {"h264", "aac"} and abs(duration - 33 / 16) < 0.1  # 4k+1 frames at 16 fps
    assert out.meta["backend"] == "diffusion" and out.meta["model"] == "Wan-AI/Wan2.1-VACE-1.3B-diffusers"
    assert "render" in stages and out.meta["fps"] == 16.0
    assert verify_clip(out.path, None, studio.library.get)["watermark"]["clip_id"] == out.clip.id


def test_the_owner_hears_their_cameo_voice_under_a_grant(studio):
    audio, rate = studio.voice_sample(studio.store.account("alice"))
    assert audio.size > rate and rate > 8000
    assert studio.store.audit_events()[-1].details["purpose"] == "voice_sample"
    with pytest.raises(JobError, match="has no cameo"):
        studio.voice_sample(studio.store.get_or_create_account("carol", ADULT))


# styles and image references ("ingredients") ------------------------------------------------------
def _product_photo(path: Path) -> Path:
    """A synthesized product shot (no people): a red car-like shape on a grey floor."""
    import cv2
    import numpy as np

    img = np.full((360, 540, 3), 200, np.uint8)
    cv2.rectangle(img, (70, 150), (470, 260), (30, 30, 200), -1)
    cv2.rectangle(img, (150, 90), (380, 160), (40, 40, 210), -1)
    for x in (140, 400):
        cv2.circle(img, (x, 265), 45, (20, 20, 20), -1)
    cv2.imwrite(str(path), img)
    return path


def test_a_style_and_an_image_reference_reach_the_clip_and_its_credentials(studio, signer, tmp_path):
    bob = studio.store.account("bob")
    photo = _product_photo(tmp_path / "car.png")
    req = parse_request("@bob standing next to the blue car in a city street", ["bob"], 2, "16:9", 3,
                        style="vintage film", ingredients=[(photo, "product", "the blue car")])
    out = studio.run(bob, req)
    assert out.meta["style"] == "vintage_film"
    assert out.meta["ingredients"] == [{"sha256": req.ingredients[0].sha256, "kind": "product", "label": "the blue car"}]
    report = verify_clip(out.path, signer.trust_anchor_pem, studio.library.get)
    assert report["c2pa"]["state"] == "Trusted" and report["c2pa"]["style"] == "vintage_film"
    assert report["c2pa"]["image_references"] == [{"sha256": req.ingredients[0].sha256, "kind": "product"}]
    import hashlib

    assert req.ingredients[0].sha256 == hashlib.sha256(photo.read_bytes()).hexdigest()  # the file as uploaded


@pytest.mark.parametrize("photo", ["faces/angelina_jolie/deepface_img11.jpg", "spoof/silentface_image_T1.jpg"])
def test_an_image_reference_showing_someone_outside_the_grant_is_refused_before_rendering(studio, photo):
    """Jolie's photos are bob's cameo, not granted for this clip of alice; T1 is a person nobody enrolled."""
    bob = studio.store.account("bob")
    rendered = []
    studio.backend = _Spy(studio.backend, rendered)
    src = Path(__file__).parent / "fixtures" / photo
    with pytest.raises(JobError) as err:
        studio.run(bob, parse_request("@alice holds a picture", ["alice"], 2, "16:9", 1,
                                      ingredients=[(src, "object", "")]))
    assert err.value.code == "ingredient_refused" and "not one of this clip's cameos" in err.value.message
    assert rendered == [] and studio.store.objects.list("clips/") == []


def test_an_image_reference_of_a_granted_cameo_is_allowed(studio):
    bob = studio.store.account("bob")
    photo = Path(__file__).parent / "fixtures" / "faces" / "jennifer_aniston" / "deepface_img56.jpg"
    out = studio.run(bob, parse_request("@alice next to a poster of herself", ["alice"], 2, "16:9", 1,
                                        ingredients=[(photo, "object", "the poster")]))
    assert out.meta["ingredients"][0]["label"] == "the poster"


class _Spy:
    def __init__(self, inner, calls):
        self.inner, self.calls = inner, calls
        self.name, self.model, self.fps, self.limits = inner.name, inner.model, inner.fps, inner.limits

    def render(self, spec, on_progress):
        self.calls.append(spec)
        return self.inner.render(spec, on_progress)


@pytest.mark.parametrize("items,code", [
    ([("x", "object", "")] * 3, "too_many_ingredients"),
    ([(b"not an image", "object", "")], "not_an_image"),
    ([(b"", "spaceship", "")], "bad_ingredient_kind"),
])
def test_bad_image_references_are_refused_before_any_work(items, code):
    from pipeline.ingredients import IngredientError

    with pytest.raises(IngredientError) as err:
        parse_request("a walk", ["alice"], 2, "16:9", 1, ingredients=items)
    assert err.value.code == code and err.value.message


def test_the_video_models_limits_are_checked_before_any_work(studio):
    """VACE makes 2-5 s (81 frames) at 832x480 or 480x832; a 10 s or square request is refused at once."""
    from pipeline.diffusion import DiffusionBackend, build_tiny_pipeline

    studio.backend = DiffusionBackend(pipe=build_tiny_pipeline(), num_inference_steps=1)
    before = len(studio.store.audit_events())
    bob = studio.store.account("bob")
    with pytest.raises(JobError) as err:
        studio.run(bob, parse_request("@bob waves", ["bob"], 10, "16:9", 1))
    assert err.value.code == "bad_duration" and "2 to 5 seconds" in err.value.message
    with pytest.raises(JobError) as err:
        studio.run(bob, parse_request("@bob waves", ["bob"], 4, "1:1", 1))
    assert err.value.code == "bad_aspect" and "16:9, 9:16" in err.value.message
    assert len(studio.store.audit_events()) == before  # nothing authorized, nothing rendered
