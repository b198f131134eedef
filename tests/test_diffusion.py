"""The diffusion backend on the real WanVACEPipeline at toy size: seeds, references, frames, prompts, offline loading."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from identity.errors import IdentityError, ModelUnavailableError
from pipeline import diffusion
from pipeline.diffusion import (
    DEFAULT_MODEL, DiffusionBackend, build_prompt, build_tiny_pipeline, frame_count,
    latent_frame_count, load_pipeline, strip_reference_latents,
)
from pipeline.types import CameoRef, IngredientRef, Progress, RenderSpec

torch.set_num_threads(1)

FACES = Path(__file__).resolve().parent / "fixtures" / "faces"


def _crop(person: str, name: str) -> np.ndarray:
    """A 256x256 centre crop of a real face photo, as enrollment stores crops (RGB uint8)."""
    img = Image.open(FACES / person / name).convert("RGB")
    side = min(img.size)
    left, top = (img.width - side) // 2, (img.height - side) // 2
    return np.asarray(img.crop((left, top, left + side, top + side)).resize((256, 256), Image.BILINEAR))


ANISTON = _crop("jennifer_aniston", "deepface_img12.jpg")
JOLIE = _crop("angelina_jolie", "deepface_img5.jpg")


def _cameo(handle: str, crop: np.ndarray = ANISTON, instructions: str = "", switches: tuple[str, ...] = ()) -> CameoRef:
    return CameoRef(cameo_id=f"id-{handle}", handle=handle, crops_rgb=(crop,), voice_pitch_hz=None,
                    instructions=instructions, switches=switches)


def _spec(cameos: tuple[CameoRef, ...], prompt: str = "@alice waves at the camera", duration_s: float = 0.5,
          width: int = 32, height: int = 32, seed: int = 7) -> RenderSpec:
    # 0.5 s -> 9 frames; tiny sizes keep a render well under a second (the job uses ASPECTS sizes).
    return RenderSpec(prompt=prompt, cameos=cameos, duration_s=duration_s, width=width, height=height, seed=seed)


@pytest.fixture(scope="module")
def backend() -> DiffusionBackend:
    return DiffusionBackend(pipe=build_tiny_pipeline(seed=0), model_id="tiny-random-wan-vace", num_inference_steps=2)


def _ignore(_p: Progress) -> None:
    pass


# --- rendering -----------------------------------------------------------------------------------

def test_same_seed_gives_identical_frames(backend):
    spec = _spec((_cameo("alice"),))
    first = backend.render(spec, _ignore)
    second = backend.render(spec, _ignore)
    assert first.frames.dtype == np.uint8
    assert np.array_equal(first.frames, second.frames)


def test_different_cameo_crop_changes_the_video_latents(backend):
    # Same prompt, seed and handle; only the face differs. A rerun is bit-identical, so any difference
    # comes from the crop: the tiny random model moves the video latents by ~1e-4, far above float
    # rounding (~1e-7) though below what its decoder keeps in 8-bit pixels.
    with_aniston = strip_reference_latents(backend.render_latents(_spec((_cameo("alice", ANISTON),))), 1)
    again = strip_reference_latents(backend.render_latents(_spec((_cameo("alice", ANISTON),))), 1)
    with_jolie = strip_reference_latents(backend.render_latents(_spec((_cameo("alice", JOLIE),))), 1)
    assert torch.equal(with_aniston, again)
    assert with_aniston.shape == with_jolie.shape
    assert (with_aniston - with_jolie).abs().max().item() > 1e-5


@pytest.mark.parametrize("n_cameos", [1, 2, 3])
def test_one_reference_latent_frame_per_cameo(backend, n_cameos):
    cameos = tuple(_cameo(h, c) for h, c in zip(("alice", "bob", "carol"), (ANISTON, JOLIE, ANISTON)))[:n_cameos]
    spec = _spec(cameos)
    latents = backend.render_latents(spec)
    num_frames = frame_count(spec.duration_s)
    assert latents.shape[2] == latent_frame_count(num_frames, 0) + n_cameos
    assert latents.shape[2] == latent_frame_count(num_frames, n_cameos)
    assert strip_reference_latents(latents, n_cameos).shape[2] == (num_frames - 1) // 4 + 1


def test_render_has_the_asked_frame_count_fps_and_size(backend):
    video = backend.render(_spec((_cameo("alice"),), duration_s=2.0, width=48, height=32), _ignore)
    assert video.frames.shape == (33, 32, 48, 3)
    assert video.fps == 16
    assert video.backend == "diffusion" and video.model == "tiny-random-wan-vace"


def test_a_cameos_head_and_shoulders_reference_is_used_over_its_face_crop():
    with_crop = CameoRef("id-a", "alice", (ANISTON,), None)
    with_reference = CameoRef("id-a", "alice", (ANISTON,), None, references_rgb=(JOLIE,))
    assert np.array_equal(diffusion.reference_images(_spec((with_reference,)))[0], JOLIE)
    assert np.array_equal(diffusion.reference_images(_spec((with_crop,)))[0], ANISTON)


def test_ingredients_are_extra_reference_frames_after_the_cameos(backend):
    car = np.zeros((120, 200, 3), np.uint8)
    car[:, :, 0] = 200
    spec = RenderSpec("@alice sells a car", (_cameo("alice"),), 0.5, 32, 32, 7,
                      ingredients=(IngredientRef("product", "the red car", car, "0" * 64),))
    latents = backend.render_latents(spec)
    assert latents.shape[2] == latent_frame_count(frame_count(0.5), 2)
    without = backend.render_latents(_spec((_cameo("alice"),), prompt="@alice sells a car"))
    assert without.shape[2] == latent_frame_count(frame_count(0.5), 1)


def test_progress_reports_render_steps_one_to_n():
    events: list[Progress] = []
    three_steps = DiffusionBackend(pipe=build_tiny_pipeline(seed=0), model_id="tiny", num_inference_steps=3)
    three_steps.render(_spec((_cameo("alice"),)), events.append)
    assert [(p.stage, p.step, p.total) for p in events] == [("render", 1, 3), ("render", 2, 3), ("render", 3, 3)]


@pytest.mark.parametrize("seconds,frames", [(2.0, 33), (5.0, 81), (10.0, 161), (0.5, 9), (2.1, 33)])
def test_frame_count_is_4k_plus_1_at_16_fps(seconds, frames):
    assert frame_count(seconds) == frames
    assert frame_count(seconds) % 4 == 1


# --- prompts -------------------------------------------------------------------------------------

def test_mentions_are_named_by_reference_image():
    spec = _spec((_cameo("alice"), _cameo("bob")), prompt="@alice high-fives @Bob, then @alice laughs")
    prompt, _ = build_prompt(spec)
    assert prompt.startswith("the person in reference image 1 (@alice) high-fives the person in reference image 2 "
                             "(@bob), then the person in reference image 1 (@alice) laughs. ")


def test_a_handle_inside_a_longer_handle_is_not_rewritten():
    prompt, _ = build_prompt(_spec((_cameo("ali"),), prompt="@alice meets @ali"))
    assert prompt.startswith("@alice meets the person in reference image 1 (@ali)")


def test_unmentioned_cameos_are_appended():
    spec = _spec((_cameo("alice"), _cameo("bob"), _cameo("carol")), prompt="@bob rides a bike")
    prompt, _ = build_prompt(spec)
    assert prompt.startswith("the person in reference image 2 (@bob) rides a bike.")
    assert ("Featuring the person in reference image 1 (@alice) and the person in reference image 3 (@carol)."
            in prompt)


def test_switches_reach_the_negative_prompt():
    spec = _spec((_cameo("alice", switches=("no_violence",)), _cameo("bob", switches=("no_political", "no_violence"))))
    _, negative = build_prompt(spec)
    assert negative.count("weapons") == 1 and "blood" in negative
    assert "political rally" in negative and "campaign signs" in negative
    assert negative.endswith(diffusion.DEFAULT_NEGATIVE)


def test_keep_clothes_adds_a_positive_phrase():
    prompt, negative = build_prompt(_spec((_cameo("alice"), _cameo("bob", switches=("keep_clothes",)))))
    assert "wearing the same clothes as in reference image 2" in prompt
    assert "different clothes" in negative


def test_owner_instructions_are_appended_as_a_constraint():
    spec = _spec((_cameo("alice", instructions="never show me eating meat"),), prompt="@alice at a barbecue")
    prompt, _ = build_prompt(spec)
    assert prompt.endswith("Constraint for the person in reference image 1 (@alice): never show me eating meat.")


def test_users_negative_prompt_comes_first_and_default_is_always_there():
    spec = RenderSpec(prompt="@alice dances", cameos=(_cameo("alice"),), duration_s=2, width=32, height=32, seed=1,
                      negative_prompt="rain")
    _, negative = build_prompt(spec)
    assert negative.startswith("rain, ") and negative.endswith(diffusion.DEFAULT_NEGATIVE)


def test_a_style_adds_its_sentence_and_negative_terms():
    from pipeline.styles import STYLES

    plain, plain_negative = build_prompt(_spec((_cameo("alice"),)))
    spec = RenderSpec("@alice waves", (_cameo("alice"),), 2, 32, 32, 1, style="vintage_film")
    prompt, negative = build_prompt(spec)
    assert STYLES["vintage_film"].prompt in prompt and STYLES["vintage_film"].prompt not in plain
    assert STYLES["vintage_film"].negative in negative and negative.endswith(diffusion.DEFAULT_NEGATIVE)
    assert STYLES["realistic"].prompt in plain  # realistic is the default, and says so


def test_an_unknown_style_is_refused():
    from pipeline.styles import StyleError

    with pytest.raises(StyleError, match="Vintage film"):
        build_prompt(RenderSpec("@alice waves", (_cameo("alice"),), 2, 32, 32, 1, style="claymation"))


def test_ingredients_are_named_by_their_reference_image_after_the_cameos():
    thing = np.zeros((80, 80, 3), np.uint8)
    spec = RenderSpec("@alice and @bob show off the car", (_cameo("alice"), _cameo("bob")), 2, 32, 32, 1,
                      ingredients=(IngredientRef("product", "the red car", thing, "0" * 64),
                                   IngredientRef("place", "", thing, "1" * 64)))
    prompt, _ = build_prompt(spec)
    assert "The red car is exactly the product shown in reference image 3." in prompt
    assert "The place is exactly the place shown in reference image 4." in prompt


def test_every_consent_switch_is_honoured():
    from identity.consent import SWITCHES

    assert set(SWITCHES) <= diffusion.KNOWN_SWITCHES


def test_an_unknown_switch_is_refused_not_ignored():
    with pytest.raises(IdentityError) as err:
        build_prompt(_spec((_cameo("alice", switches=("no_cats",)),)))
    assert err.value.code == "bad_switch" and "no_cats" in err.value.message


# --- loading -------------------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:The `local_dir_use_symlinks` argument is deprecated")
def test_missing_model_offline_raises_model_unavailable_fast(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    start = time.perf_counter()
    with pytest.raises(ModelUnavailableError) as err:
        load_pipeline(DEFAULT_MODEL)
    assert time.perf_counter() - start < 10
    assert DEFAULT_MODEL in err.value.message
    assert "preview backend" in err.value.message and str(tmp_path / "hf") in err.value.message


@pytest.mark.filterwarnings("ignore:The `local_dir_use_symlinks` argument is deprecated")
def test_backend_loads_lazily_on_first_render(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    lazy = DiffusionBackend(model_id=diffusion.LARGE_MODEL)  # constructing never touches the cache
    with pytest.raises(ModelUnavailableError) as err:
        lazy.render(_spec((_cameo("alice"),)), _ignore)
    assert diffusion.LARGE_MODEL in err.value.message
