"""The preview animatic: real enrolled faces on a painted set, moving mouths, captions and camera moves."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from identity.errors import IdentityError
from identity.faces import compare_templates
from identity.imageio import read_image
from pipeline.preview import PAINTERS, PreviewBackend, estimate_mouth
from pipeline.types import ASPECTS, CameoRef, DialogueLine, GenerationBackend, Progress, RenderSpec

FACES = Path(__file__).resolve().parent / "fixtures" / "faces"
W, H = ASPECTS["16:9"]
FPS = 24.0


@pytest.fixture(scope="module")
def people(backend):
    """person -> (aligned 256x256 crop, dlib template of the original photo), as enrollment stores them."""
    out = {}
    for person, photo in (("angelina_jolie", "deepface_img11.jpg"), ("jennifer_aniston", "deepface_img12.jpg")):
        rgb = read_image(FACES / person / photo)
        face = max(backend.detect(rgb), key=lambda f: f.height)
        out[person] = (backend.align(rgb, face), backend.embed(rgb, face))
    return out


def cameo(handle: str, crop: np.ndarray) -> CameoRef:
    return CameoRef(cameo_id=handle, handle=handle, crops_rgb=(crop,), voice_pitch_hz=None)


def render(prompt: str, cameos, duration_s: float = 2.0, size=(W, H), seed: int = 1, **kw) -> np.ndarray:
    spec = RenderSpec(prompt, tuple(cameos), duration_s, size[0], size[1], seed, **kw)
    return PreviewBackend().render(spec, lambda p: None).frames


def test_preview_backend_is_a_generation_backend():
    backend: GenerationBackend = PreviewBackend()
    assert (backend.name, backend.fps) == ("preview", 24.0)


@pytest.mark.parametrize("aspect", sorted(ASPECTS))
def test_renders_the_requested_frames_and_size_for_each_aspect(people, aspect):
    w, h = ASPECTS[aspect]
    crops = [people[p][0] for p in people]
    frames = render("@a and @b on the beach at sunset", [cameo("aaa", crops[0]), cameo("bbb", crops[1])], 2.5, (w, h))
    assert frames.shape == (round(2.5 * FPS), h, w, 3)
    assert frames.dtype == np.uint8


def test_the_cameos_own_face_is_in_the_frame(people, backend):
    crop, template = people["angelina_jolie"]
    frame = render("@alice in the studio, static shot", [cameo("alice", crop)])[10]
    faces = backend.detect(frame, small_faces=True)
    assert len(faces) == 1
    assert compare_templates(backend, template, backend.embed(frame, faces[0])) >= backend.match_threshold


def test_two_cameos_each_keep_their_identity_left_to_right(people, backend):
    (crop_a, tmpl_a), (crop_b, tmpl_b) = people["angelina_jolie"], people["jennifer_aniston"]
    frame = render("@alice and @bob in a park, static shot", [cameo("alice", crop_a), cameo("bob", crop_b)])[5]
    faces = sorted(backend.detect(frame, small_faces=True), key=lambda f: f.bbox[0])
    assert len(faces) == 2
    for face, own, other in ((faces[0], tmpl_a, tmpl_b), (faces[1], tmpl_b, tmpl_a)):
        emb = backend.embed(frame, face)
        assert compare_templates(backend, own, emb) > compare_templates(backend, other, emb)


def test_mouth_is_found_at_the_lips_of_an_aligned_crop(people, backend):
    crop = people["jennifer_aniston"][0]
    lips = backend.detect(crop)[0].landmarks[48:68]
    mouth = estimate_mouth(crop)
    assert abs(mouth.y - lips[:, 1].mean()) < 8
    assert abs(mouth.x - lips[:, 0].mean()) < 10


def test_open_mouth_darkens_the_mouth(people):
    crop = people["angelina_jolie"][0]
    n = int(2 * FPS)
    shut = render("@alice in the studio, static shot", [cameo("alice", crop)], mouth={"alice": np.zeros(n)})
    open_ = render("@alice in the studio, static shot", [cameo("alice", crop)], mouth={"alice": np.ones(n)})
    size = int(min(0.44 * H, 0.78 * W, 0.5 * W))
    top = 0.44 * H - size / 2
    y, x = int(top + 0.7 * size), W // 2
    box = (slice(y - int(0.1 * size), y + int(0.1 * size)), slice(x - int(0.15 * size), x + int(0.15 * size)))
    lum_shut = cv2.cvtColor(shut[20], cv2.COLOR_RGB2GRAY)[box].mean()
    lum_open = cv2.cvtColor(open_[20], cv2.COLOR_RGB2GRAY)[box].mean()
    assert lum_open < lum_shut - 8


def _white_pixels(frame: np.ndarray) -> int:
    band = frame[int(0.75 * H) :]
    return int(np.count_nonzero(np.all(band > 235, axis=-1)))


def test_caption_shows_during_its_line_only(people):
    crop = people["angelina_jolie"][0]
    line = DialogueLine("alice", "we made it all the way here", 1.0, 2.0)
    frames = render("@alice in the studio, static shot", [cameo("alice", crop)], 3.0, dialogue=(line,))
    before, during, after = (frames[int(t * FPS)] for t in (0.5, 1.5, 2.5))
    assert _white_pixels(during) > 150
    assert _white_pixels(before) < 10 and _white_pixels(after) < 10


def test_long_caption_is_wrapped_inside_the_frame(people):
    crop = people["angelina_jolie"][0]
    text = "this is a long line of dialogue that could never fit on one line of a vertical video frame"
    w, h = ASPECTS["9:16"]
    frames = render("@alice, static shot", [cameo("alice", crop)], 2.0, (w, h), dialogue=(DialogueLine("alice", text, 0.5, 1.8),))
    rows = np.nonzero(np.any(np.all(frames[24][int(0.6 * h) :] > 235, axis=-1), axis=1))[0]
    assert rows.size and rows.max() - rows.min() > 2 * 0.048 * w  # more than one line of text
    cols = np.nonzero(np.any(np.all(frames[24] > 235, axis=-1)[int(0.6 * h) :], axis=0))[0]
    assert cols.min() > 0 and cols.max() < w - 1


def _sky_band(frame: np.ndarray) -> np.ndarray:
    """Rows above the horizon: lampposts (near layer) and rooftops (far layer), and the top of the head."""
    return cv2.cvtColor(frame[int(0.1 * H) : int(0.3 * H)], cv2.COLOR_RGB2GRAY).astype(np.float32)


def test_camera_pan_moves_the_background(people):
    crop = people["angelina_jolie"][0]
    frames = render("@alice on a city street at sunset, camera pans right", [cameo("alice", crop)], 3.0)
    first, last = _sky_band(frames[0]), _sky_band(frames[-1])
    (dx, _), _ = cv2.phaseCorrelate(first, last, cv2.createHanningWindow(first.shape[::-1], cv2.CV_32F))
    assert dx < -40  # the camera turns right: the set slides left


def test_static_shot_keeps_the_background_still(people):
    crop = people["angelina_jolie"][0]
    frames = render("@alice on a city street at sunset, static shot", [cameo("alice", crop)], 3.0)
    sides = np.r_[0 : int(0.3 * W), int(0.7 * W) : W]  # away from the cameo, who sways
    assert np.abs(_sky_band(frames[0])[:, sides] - _sky_band(frames[-1])[:, sides]).mean() < 0.5


def test_zoom_in_enlarges_the_scene(people, backend):
    crop = people["angelina_jolie"][0]
    frames = render("@alice in a park, zoom in", [cameo("alice", crop)], 3.0)
    first, last = (backend.detect(frames[i], small_faces=True)[0] for i in (0, -1))
    assert last.height > 1.15 * first.height


def test_progress_is_reported_up_to_the_last_frame(people):
    crop = people["angelina_jolie"][0]
    seen: list[Progress] = []
    spec = RenderSpec("@alice on the beach", (cameo("alice", crop),), 2.0, W, H, 0)
    PreviewBackend().render(spec, seen.append)
    n = int(2.0 * FPS)
    assert seen[-1] == Progress("render", n, n)
    assert all(p.stage == "render" for p in seen)
    assert [p.step for p in seen] == sorted(p.step for p in seen)


def test_same_seed_renders_the_same_clip(people):
    crop = people["jennifer_aniston"][0]
    a = render("@alice in the snowy forest, handheld", [cameo("alice", crop)], 2.0, (480, 480), seed=5)
    b = render("@alice in the snowy forest, handheld", [cameo("alice", crop)], 2.0, (480, 480), seed=5)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("place", sorted(PAINTERS))
def test_every_place_paints_a_set(people, place):
    crop = people["jennifer_aniston"][0]
    prompt = {"city street": "a city street", "snow": "the arctic", "stage": "a concert stage"}.get(place, f"the {place}")
    frames = render(f"@alice in {prompt} at night, rain, pan left", [cameo("alice", crop)], 2.0, (320, 192))
    assert frames.shape == (48, 192, 320, 3)
    assert frames[0].std() > 10


def test_three_cameos_fit_in_a_square_frame(people, backend):
    crops = [people["angelina_jolie"][0], people["jennifer_aniston"][0], people["angelina_jolie"][0]]
    frame = render("@a and @b and @c, static shot", [cameo(h, c) for h, c in zip(("aaa", "bbb", "ccc"), crops)], 2.0, (480, 480))[0]
    assert len(backend.detect(frame, small_faces=True)) == 3


def test_a_crop_of_the_wrong_size_is_refused_before_rendering(people):
    bad = cv2.resize(people["angelina_jolie"][0], (128, 128))
    with pytest.raises(IdentityError) as err:
        render("@alice", [cameo("alice", bad)])
    assert err.value.code == "bad_face_crop"


def test_a_clip_too_long_is_refused(people):
    with pytest.raises(IdentityError) as err:
        render("@alice", [cameo("alice", people["angelina_jolie"][0])], duration_s=30.0)
    assert err.value.code == "bad_duration"


def test_mouth_track_of_another_length_is_stretched_to_the_clip(people):
    crop = people["angelina_jolie"][0]
    frames = render("@alice, static shot", [cameo("alice", crop)], 2.0, mouth={"alice": np.ones(10)})
    assert frames.shape[0] == 48


# styles and image references --------------------------------------------------------------------
def _stripes(h: int = 300, w: int = 450) -> np.ndarray:
    """A synthesized product picture with a pattern no painted set has: blue and yellow stripes."""
    img = np.zeros((h, w, 3), np.uint8)
    img[:] = (20, 40, 220)
    img[:, ::30] = (250, 220, 0)
    return img


def test_an_object_reference_stands_in_the_set_beside_the_cameo_without_covering_the_face(people, backend):
    from pipeline.types import IngredientRef

    crop, template = people["jennifer_aniston"]
    spec_kw = dict(ingredients=(IngredientRef("product", "the box", _stripes(), "0" * 64),))
    with_prop = render("@alice in a park at noon", [cameo("alice", crop)], **spec_kw)[10]
    without = render("@alice in a park at noon", [cameo("alice", crop)])[10]
    changed = np.abs(with_prop.astype(int) - without.astype(int)).sum(axis=2) > 60
    ys, xs = np.nonzero(changed)
    assert changed.mean() > 0.03 and ys.min() > H * 0.5  # a picture in the lower half of the frame
    blue = (with_prop[..., 2] > 180) & (with_prop[..., 0] < 60)
    assert blue[changed].mean() > 0.3  # it is the uploaded picture
    face = max(backend.detect(with_prop), key=lambda f: f.height)
    assert compare_templates(backend, backend.embed(with_prop, face), template) >= backend.match_threshold


def test_a_place_reference_becomes_the_backdrop(people):
    from pipeline.types import IngredientRef

    crop, _ = people["jennifer_aniston"]
    frame = render("@alice on a beach", [cameo("alice", crop)],
                   ingredients=(IngredientRef("place", "our shop", _stripes(), "0" * 64),))[5]
    sky = frame[int(0.1 * H): int(0.25 * H)]
    assert ((sky[..., 2] > 150) & (sky[..., 0] < 90)).mean() > 0.5  # the photo, not a painted sky


@pytest.mark.parametrize("style", ["cinematic", "animated", "documentary", "vintage_film"])
def test_each_style_has_a_visible_look(people, style):
    crop, _ = people["jennifer_aniston"]
    plain = render("@alice in a city at sunset", [cameo("alice", crop)])
    styled = render("@alice in a city at sunset", [cameo("alice", crop)], style=style)
    assert plain.shape == styled.shape
    assert np.abs(plain.astype(int) - styled.astype(int)).mean() > 4.0
    if style == "cinematic":  # 2.39:1 letterbox bars (the "draft preview" label stays legible on the top one)
        assert styled[:, :20, W // 3:].max() == 0 and styled[:, -20:].max() == 0
    if style == "vintage_film":  # warm, with a vignette: redder than blue, corners darker than the plain render
        warmth = lambda clip: clip[10, ..., 0].mean() - clip[10, ..., 2].mean()  # noqa: E731
        assert warmth(styled) > warmth(plain) + 10
        assert styled[10, -40:, -40:].mean() < plain[10, -40:, -40:].mean()
