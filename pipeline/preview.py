"""The offline preview: an animatic of the prompt with the cameos' real enrolled faces, on CPU.

It is a draft and says so: a painted set for the place and time of day, the
camera moves the prompt asks for, and each cameo's aligned face crop on a simple
body, breathing, swaying and moving its mouth to the dialogue's loudness, with
captions. It shows who is in the clip, where, saying what, in seconds, before
anyone spends GPU minutes on the diffusion backend.

Speed comes from doing the expensive work once per clip: the set is painted
into wide layers that the camera slides across (parallax), each face is
resized, lit and masked once, and per frame only slices, small remaps and
blends of the regions that change are done.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from identity.errors import IdentityError
from pipeline.looks import prepare_look
from pipeline.scene import Scene, parse_scene
from pipeline.types import ASPECTS, MAX_CAMEOS, MAX_SECONDS, MIN_SECONDS, ClipLimits, DialogueLine, IngredientRef, \
    Progress, ProgressFn, RenderedVideo, RenderSpec

CROP = 256  # the aligned crops' size (identity.faces._align_by_eyes)
# Where _align_by_eyes puts the eyes: their midpoint at (0.5, 0.38) of the crop, 0.30 of its width apart.
EYE_Y, EYE_DIST = 0.38 * CROP, 0.30 * CROP
# A typical face's mouth is ~1.05 eye distances below the eye line and ~0.9 of it wide
# (measured on the fixture crops with dlib's landmarks 48-67: 175-185 px, 67-72 px wide).
MOUTH_BELOW_EYES, MOUTH_WIDTH = 1.05, 0.9
PROGRESS_EVERY = 8


# ---- the renderer ----


class PreviewBackend:
    """GenerationBackend for CPU: the draft animatic."""

    name = "preview"
    model = "cameo-animatic-v1"
    limits = ClipLimits(MIN_SECONDS, MAX_SECONDS, dict(ASPECTS))

    def __init__(self, fps: float = 24.0, draft_label: bool = True) -> None:
        self.fps = float(fps)
        self.draft_label = draft_label

    def render(self, spec: RenderSpec, on_progress: ProgressFn) -> RenderedVideo:
        check_spec(spec)
        scene = parse_scene(spec.prompt)
        w, h = spec.width, spec.height
        n = frame_count(spec.duration_s, self.fps)
        rng = np.random.default_rng(spec.seed)
        camera = plan_camera(scene, n, self.fps, w, h, spec.seed)
        world = paint_set(scene, w, h, camera.travel_px, rng)
        places = [i for i in spec.ingredients if i.kind == "place"]
        if places:  # a photo of the place becomes the backdrop behind the painted ground
            world = with_backdrop(world, places[0].rgb)
        actors = [
            prepare_actor(c.crops_rgb[0], c.handle, k, len(spec.cameos), scene, w, h, spec.seed)
            for k, c in enumerate(spec.cameos)
        ]
        mouths = {a.handle: _per_frame(spec.mouth.get(a.handle), n) for a in actors}
        weather = prepare_weather(scene, w, h, rng)
        # Every other ingredient (a second place too) stands in the set as a framed picture.
        props = prepare_props([i for i in spec.ingredients if not (places and i is places[0])], [a.x for a in actors], w, h)
        look = prepare_look(spec.style, w, h, n, spec.seed)
        captions = prepare_captions(spec.dialogue, w, h, scene.palette.accent)
        label = Sprite.from_rgba(_text_patch("draft preview", _font_size(w, h) * 0.6, (255, 255, 255), None), 0.55) if self.draft_label else None

        frames = np.empty((n, h, w, 3), np.uint8)
        scratch = np.empty((h, w, 3), np.uint8)
        for i in range(n):
            t = i / self.fps
            warp = camera.frame_warp(i)
            canvas = scratch if warp is not None else frames[i]
            world.compose(canvas, camera.near_x[i], camera.far_x[i])
            for actor in _draw_order(actors):
                actor.draw(canvas, t, mouths[actor.handle][i], camera.actor_dx[i], camera.walking)
            for sprite, px, py in props:
                composite(canvas, sprite, int(px + camera.actor_dx[i]), py)
            weather.apply(canvas, i)
            if warp is not None:
                cv2.warpAffine(scratch, warp, (w, h), dst=frames[i], flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
            look.apply(frames[i], i)
            captions.apply(frames[i], t)
            if label is not None:
                composite(frames[i], label, 8, 6)
            if (i + 1) % PROGRESS_EVERY == 0 or i + 1 == n:
                on_progress(Progress("render", i + 1, n))
        return RenderedVideo(frames=frames, fps=self.fps, backend=self.name, model=self.model)


def frame_count(duration_s: float, fps: float) -> int:
    return int(round(duration_s * fps))


def check_spec(spec: RenderSpec) -> None:
    """Refuse a spec the renderer cannot honour, naming the field, before any work."""
    if not MIN_SECONDS <= spec.duration_s <= MAX_SECONDS:
        raise IdentityError("bad_duration", f"duration_s is {spec.duration_s}; a clip is {MIN_SECONDS:g}-{MAX_SECONDS:g} s",
                            {"least": f"{MIN_SECONDS:g}", "most": f"{MAX_SECONDS:g}"})
    if spec.width <= 0 or spec.height <= 0 or spec.width % 2 or spec.height % 2:
        raise IdentityError(
            "bad_size", f"size {spec.width}x{spec.height} must be positive and even (H.264); e.g. {sorted(ASPECTS.values())}"
        )
    if len(spec.cameos) > MAX_CAMEOS:
        raise IdentityError("too_many_cameos", f"{len(spec.cameos)} cameos; a clip holds at most {MAX_CAMEOS}",
                            {"most": MAX_CAMEOS})
    for c in spec.cameos:
        if not c.crops_rgb:
            raise IdentityError("no_face_crop", f"@{c.handle} has no face crop; the cameo must be re-enrolled",
                                {"handle": c.handle})
        crop = c.crops_rgb[0]
        if crop.dtype != np.uint8 or crop.shape != (CROP, CROP, 3):
            raise IdentityError(
                "bad_face_crop", f"@{c.handle}'s face crop is {crop.dtype} {crop.shape}; expected uint8 ({CROP}, {CROP}, 3)",
                {"handle": c.handle},
            )


# ---- image references ("ingredients") ----

PROP_HEIGHT = 0.34  # of the frame height
PROP_SLOTS = (0.12, 0.3, 0.5, 0.7, 0.88)


def prepare_props(ingredients: list[IngredientRef], actor_xs: list[float], w: int, h: int) -> list[tuple["Sprite", int, int]]:
    """Each object, product or outfit as a framed picture standing in the lower third of the set, at the
    slots furthest from the cameos, so it is seen next to them without covering a face."""
    out: list[tuple[Sprite, int, int]] = []
    taken = list(actor_xs)
    for ingredient in ingredients:
        x = max(PROP_SLOTS, key=lambda s: min((abs(s * w - t) for t in taken), default=w))
        taken.append(x * w)
        sprite = _prop_sprite(ingredient.rgb, int(PROP_HEIGHT * h), max(2, h // 120))
        left = int(np.clip(x * w - sprite.width / 2, 0.02 * w, max(0.02 * w, 0.98 * w - sprite.width)))
        out.append((sprite, left, int(h - sprite.pre.shape[0] - 0.04 * h)))
    return out


def _prop_sprite(rgb: np.ndarray, height: int, border: int) -> "Sprite":
    ih, iw = rgb.shape[:2]
    width = max(8, int(round(iw * height / ih)))
    pic = cv2.resize(np.ascontiguousarray(rgb), (width, height), interpolation=cv2.INTER_AREA)
    framed = cv2.copyMakeBorder(pic, border, border, border, border, cv2.BORDER_CONSTANT, value=(250, 250, 245))
    fh, fw = framed.shape[:2]
    shadow = 2 * border
    rgba = np.zeros((fh + shadow, fw + shadow, 4), np.uint8)
    rgba[shadow:, shadow:, 3] = 90  # a soft drop shadow behind the frame
    rgba[shadow:, shadow:, 3] = cv2.GaussianBlur(rgba[shadow:, shadow:, 3], (0, 0), max(1, border))
    rgba[:fh, :fw, :3] = framed
    rgba[:fh, :fw, 3] = 255
    return Sprite.from_rgba(rgba)


def with_backdrop(world: World, rgb: np.ndarray) -> World:
    """The world with a photo of the place as its far layer (cover-fitted, softly blurred like the set)."""
    h, wc = world.far.shape[:2]
    ih, iw = rgb.shape[:2]
    scale = max(wc / iw, h / ih)
    resized = cv2.resize(np.ascontiguousarray(rgb), (max(wc, int(round(iw * scale))), max(h, int(round(ih * scale)))),
                         interpolation=cv2.INTER_AREA)
    y0, x0 = (resized.shape[0] - h) // 2, (resized.shape[1] - wc) // 2
    far = cv2.GaussianBlur(np.ascontiguousarray(resized[y0:y0 + h, x0:x0 + wc]), (0, 0), 1.2)
    out = World(far, world.near, world.near_over, world.rows_far, world.rows_near, None)
    if world.flat is not None:
        flat = np.empty((h, world.flat.shape[1], 3), np.uint8)
        out.compose(flat, 0, 0)
        out.flat = flat
    return out


def _per_frame(values: np.ndarray | None, n: int) -> np.ndarray:
    """Mouth openness per output frame; a track of another length is stretched onto this clip's frames."""
    if values is None or len(values) == 0:
        return np.zeros(n, np.float32)
    v = np.clip(np.asarray(values, np.float32).reshape(-1), 0.0, 1.0)
    if v.size == n:
        return v
    return np.interp(np.linspace(0, v.size - 1, n), np.arange(v.size), v).astype(np.float32)


def _draw_order(actors):
    """Outer cameos first, the middle one last: in a group the centre stands in front."""
    mid = (len(actors) - 1) / 2
    return sorted(actors, key=lambda a: -abs(a.slot - mid))


# ---- camera ----


@dataclass(frozen=True)
class CameraPath:
    """Per frame: where the near and far layers are cut (px), how the cameos shift, and a whole-frame warp."""

    near_x: np.ndarray  # int, left edge of the window into the near layer
    far_x: np.ndarray
    actor_dx: np.ndarray  # float px added to each cameo's x
    zoom: np.ndarray  # whole-frame scale about the zoom centre
    shake: np.ndarray  # (n, 3): dx, dy px and degrees of handheld shake
    center: tuple[float, float]
    travel_px: int  # how much wider than the frame the layers must be
    walking: bool

    def frame_warp(self, i: int) -> np.ndarray | None:
        z, (dx, dy, rot) = float(self.zoom[i]), self.shake[i]
        if abs(z - 1.0) < 1e-4 and abs(dx) < 1e-3 and abs(dy) < 1e-3 and abs(rot) < 1e-4:
            return None
        m = cv2.getRotationMatrix2D(self.center, float(rot), z)
        m[0, 2] += dx
        m[1, 2] += dy
        return m


# Per move: pan and travel are in frame widths over the clip (travel: per second), zoom is (start, end).
PAN_FRACTION = 0.45
TRACK_SPEED = 0.3  # frame widths per second
FAR_PARALLAX = 0.3  # the far layer moves this fraction of the near layer
ACTOR_FOLLOW = 0.2  # cameos drift this fraction of a pan: the camera pans with them
ZOOMS = {"zoom_in": (1.0, 1.3), "zoom_out": (1.3, 1.0), "dolly": (1.0, 1.2), "orbit": (1.0, 1.08), None: (1.0, 1.04)}


def _smooth_noise(n: int, rng: np.random.Generator, per_second: float, fps: float) -> np.ndarray:
    k = max(3, int(n / fps * per_second) + 3)
    pts = rng.standard_normal(k)
    x = np.linspace(0, k - 1, n)
    return np.interp(x, np.arange(k), pts)


def plan_camera(scene: Scene, n: int, fps: float, w: int, h: int, seed: int) -> CameraPath:
    moves = set(scene.camera)
    u = np.linspace(0.0, 1.0, n) if n > 1 else np.zeros(n)
    ease = u * u * (3 - 2 * u)
    t = np.arange(n) / fps
    near = np.zeros(n)
    actor = np.zeros(n)
    far_factor = FAR_PARALLAX
    if moves & {"pan_left", "pan_right"}:
        sign = 1.0 if "pan_right" in moves else -1.0
        near += sign * PAN_FRACTION * w * ease
        actor -= sign * ACTOR_FOLLOW * PAN_FRACTION * w * ease
    if "tracking" in moves:
        near += TRACK_SPEED * w * t
    if "orbit" in moves:
        near += 0.6 * w * ease
        far_factor = -0.15  # the far side turns the other way round the subject
        actor += 0.04 * w * np.sin(np.pi * ease)
    zoom_key = next((m for m in ("zoom_in", "zoom_out", "dolly", "orbit") if m in moves), None)
    if zoom_key is None and moves & {"static", "pan_left", "pan_right", "tracking", "handheld"}:
        z0 = z1 = 1.0  # a move was asked for: no extra drift on top of it
    else:
        z0, z1 = ZOOMS[zoom_key]
    zoom = z0 + (z1 - z0) * ease
    shake = np.zeros((n, 3))
    if "handheld" in moves:
        rng = np.random.default_rng(seed + 7)
        shake[:, 0] = 0.006 * w * _smooth_noise(n, rng, 2.5, fps)
        shake[:, 1] = 0.006 * h * _smooth_noise(n, rng, 2.5, fps)
        shake[:, 2] = 0.5 * _smooth_noise(n, rng, 1.5, fps)
        zoom = np.maximum(zoom, 1.04)  # hide the edges the shake would show
    far = near * far_factor
    lo = min(near.min(), far.min(), 0.0)
    travel = int(math.ceil(max(near.max(), far.max(), 0.0) - lo)) + 2
    return CameraPath(
        near_x=np.round(near - lo).astype(int),
        far_x=np.round(far - lo).astype(int),
        actor_dx=actor,
        zoom=zoom,
        shake=shake,
        center=(w / 2.0, 0.45 * h),
        travel_px=travel,
        walking="tracking" in moves,
    )


# ---- the set ----


@dataclass
class World:
    """The painted set as two layers wider than the frame; near over far with its alpha."""

    far: np.ndarray  # (H, Wc, 3) uint8
    near: np.ndarray  # (H, Wc, 3) uint8
    near_over: "Sprite"  # the near layer ready to composite over the far one
    rows_far: slice  # rows where the near layer is empty everywhere
    rows_near: slice  # rows where it is opaque everywhere
    flat: np.ndarray | None  # near over far, when the layers never move apart

    def compose(self, out: np.ndarray, near_x: int, far_x: int) -> None:
        h, w = out.shape[:2]
        if self.flat is not None:
            out[:] = self.flat
            return
        far = self.far[:, far_x : far_x + w]
        near = self.near[:, near_x : near_x + w]
        out[self.rows_far] = far[self.rows_far]
        out[self.rows_near] = near[self.rows_near]
        band = slice(self.rows_far.stop, self.rows_near.start)
        if band.start < band.stop:
            pre = self.near_over.pre[band, near_x : near_x + w]
            inv = self.near_over.inv[band, near_x : near_x + w]
            out[band] = cv2.add(cv2.multiply(far[band], inv, scale=1 / 255.0), pre)


class _Layer:
    """One layer being painted: colour, and (for the near layer) coverage."""

    def __init__(self, rgb: np.ndarray, alpha: np.ndarray | None = None):
        self.rgb, self.alpha = rgb, alpha

    def poly(self, pts, color) -> None:
        p = [np.round(np.asarray(pts)).astype(np.int32)]
        cv2.fillPoly(self.rgb, p, _c(color), cv2.LINE_AA)
        if self.alpha is not None:
            cv2.fillPoly(self.alpha, p, 255, cv2.LINE_AA)

    def rect(self, x0, y0, x1, y1, color) -> None:
        self.poly([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], color)

    def ellipse(self, cx, cy, ax, ay, color, angle: float = 0.0) -> None:
        args = ((int(cx), int(cy)), (max(1, int(ax)), max(1, int(ay))), angle, 0, 360)
        cv2.ellipse(self.rgb, *args, _c(color), -1, cv2.LINE_AA)
        if self.alpha is not None:
            cv2.ellipse(self.alpha, *args, 255, -1, cv2.LINE_AA)

    def line(self, p0, p1, color, thickness: int) -> None:
        a, b = tuple(int(v) for v in p0), tuple(int(v) for v in p1)
        cv2.line(self.rgb, a, b, _c(color), max(1, int(thickness)), cv2.LINE_AA)
        if self.alpha is not None:
            cv2.line(self.alpha, a, b, 255, max(1, int(thickness)), cv2.LINE_AA)


def _c(color) -> tuple[int, int, int]:
    return tuple(int(np.clip(v, 0, 255)) for v in color)  # type: ignore[return-value]


def _mix(a, b, t: float):
    return tuple(x + (y - x) * t for x, y in zip(a, b))


def _shade(color, k: float):
    return tuple(v * k for v in color)


def _gradient(h: int, w: int, top, bottom, y0: int = 0, y1: int | None = None) -> np.ndarray:
    y1 = h if y1 is None else y1
    t = np.clip((np.arange(h) - y0) / max(1, y1 - y0), 0, 1)[:, None, None]
    col = np.asarray(top, np.float32) * (1 - t) + np.asarray(bottom, np.float32) * t
    return np.broadcast_to(col, (h, w, 3)).astype(np.uint8)


INDOOR = {"office", "kitchen", "stage", "cafe", "underwater", "studio"}
HORIZON = 0.58  # of the frame height, for outdoor sets


@dataclass(frozen=True)
class SetGeometry:
    w: int  # frame
    h: int
    wc: int  # layer width
    horizon: int

    @property
    def u(self) -> float:
        """The size unit for props: a tree is as tall in a vertical frame as in a wide one."""
        return float(min(self.w, self.h))


def paint_set(scene: Scene, w: int, h: int, travel_px: int, rng: np.random.Generator) -> World:
    """Paint the place once: sky or walls on the far layer, ground and props on the near one."""
    g = SetGeometry(w, h, w + travel_px, int(HORIZON * h))
    pal = scene.palette
    far = _Layer(_gradient(h, g.wc, pal.sky_top, pal.sky_horizon, 0, g.horizon).copy())
    near = _Layer(np.zeros((h, g.wc, 3), np.uint8), np.zeros((h, g.wc), np.uint8))
    if scene.place not in INDOOR:
        _sky(far, scene, g, rng)
    PAINTERS.get(scene.place, _studio)(far, near, scene, g, rng)
    far_rgb = cv2.GaussianBlur(far.rgb, (0, 0), 1.2)  # a little depth of field: the cameos stay the subject
    # Anti-aliased shapes drawn onto black colour and zero coverage leave the colour premultiplied
    # by the coverage (each shape is composited "over" the ones before), so it is used as is.
    near_pre = cv2.GaussianBlur(near.rgb, (0, 0), 0.6)
    alpha = cv2.GaussianBlur(near.alpha, (0, 0), 0.6)
    if scene.weather in ("rain", "fog", "snow"):  # overcast light
        far_rgb = (far_rgb * 0.8 + 30).astype(np.uint8)
        near_pre = (near_pre * 0.85).astype(np.uint8)
    some = np.nonzero(alpha.max(axis=1) > 0)[0]
    partial = np.nonzero(alpha.min(axis=1) < 255)[0]
    rows_far = slice(0, int(some[0]) if some.size else h)
    rows_near = slice(int(partial[-1]) + 1 if partial.size else 0, h)
    if rows_near.start < rows_far.stop:
        rows_near = slice(rows_far.stop, h)
    inv = cv2.bitwise_not(cv2.cvtColor(alpha, cv2.COLOR_GRAY2RGB))
    world = World(far_rgb, near_pre, Sprite(near_pre, inv), rows_far, rows_near, None)
    if travel_px <= 2:  # nothing moves apart: compose once
        flat = np.empty((h, w, 3), np.uint8)
        world.compose(flat, 0, 0)
        world.flat = flat
    return world


def _sky(far: _Layer, scene: Scene, g: SetGeometry, rng) -> None:
    tod = scene.time_of_day
    if scene.weather != "clear" and scene.place != "space":  # overcast: no sun, moon or stars
        return
    if tod == "night" or scene.place == "space":
        n = int(g.wc * g.horizon / (900 if scene.place != "space" else 300))
        xs, ys = rng.integers(0, g.wc, n), rng.integers(0, g.horizon, n)
        bright = rng.uniform(120, 255, n)
        for x, y, b in zip(xs, ys, bright):
            cv2.circle(far.rgb, (int(x), int(y)), 1 if b < 230 else 2, (int(b), int(b), int(min(255, b + 20))), -1, cv2.LINE_AA)
        if scene.place != "space":
            _glow_disc(far.rgb, int(0.78 * g.w), int(0.18 * g.h), int(0.05 * g.h), (235, 235, 215), 0.35)
    elif tod in ("sunset", "dawn"):
        _glow_disc(far.rgb, int(0.3 * g.w), g.horizon - int(0.04 * g.h), int(0.09 * g.h), (255, 200, 110), 0.6)
    else:
        _glow_disc(far.rgb, int(0.82 * g.w), int(0.12 * g.h), int(0.05 * g.h), (255, 250, 225), 0.5)
        for _ in range(int(g.wc / g.w * 3)):  # a few clouds
            cx, cy = rng.uniform(0, g.wc), rng.uniform(0.08, 0.35) * g.h
            for k in range(4):
                far.ellipse(cx + k * 0.035 * g.w, cy + rng.uniform(-1, 1) * 0.015 * g.h, 0.05 * g.w, 0.03 * g.h,
                            _mix(scene.palette.sky_horizon, (255, 255, 255), 0.75))


def _glow_disc(img: np.ndarray, cx: int, cy: int, r: int, color, glow: float) -> None:
    h, w = img.shape[:2]
    x0, x1, y0, y1 = max(0, cx - 4 * r), min(w, cx + 4 * r), max(0, cy - 4 * r), min(h, cy + 4 * r)
    if x0 >= x1 or y0 >= y1:
        return
    yy, xx = np.mgrid[y0:y1, x0:x1]
    d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / max(r, 1)
    a = np.clip(1.2 - d, 0, 1) + glow * np.exp(-((d - 1).clip(0)) * 1.2) * (d > 1)
    a = np.clip(a, 0, 1)[..., None]
    roi = img[y0:y1, x0:x1].astype(np.float32)
    img[y0:y1, x0:x1] = (roi + (np.asarray(color, np.float32) - roi) * a).astype(np.uint8)


def _ground(near: _Layer, g: SetGeometry, top, bottom, y0: int | None = None) -> None:
    y0 = g.horizon if y0 is None else y0
    near.rgb[y0:] = _gradient(g.h - y0, g.wc, top, bottom)
    near.alpha[y0:] = 255


def _spaced(g: SetGeometry, rng, every: float, jitter: float = 0.35):
    """x positions across the layer about `every` frame widths apart."""
    step = every * g.w
    x = rng.uniform(0, step)
    while x < g.wc + step:
        yield x + rng.uniform(-jitter, jitter) * step
        x += step


def _beach(far, near, scene, g, rng):
    pal = scene.palette
    sea_end = g.horizon + int(0.13 * g.h)
    deep = _mix((20, 70, 120), pal.sky_top, 0.3)
    far.rgb[g.horizon : sea_end] = _gradient(sea_end - g.horizon, g.wc, deep, _mix(deep, (120, 200, 210), 0.5))
    for _ in range(int(g.wc / 12)):
        x, y = rng.uniform(0, g.wc), rng.uniform(g.horizon + 3, sea_end)
        far.line((x, y), (x + rng.uniform(8, 30), y), _mix(deep, (255, 255, 255), 0.5), 1)
    xs = np.arange(0, g.wc + 8, 8)
    shore = sea_end + 0.02 * g.h * np.sin(xs / g.w * 9 + rng.uniform(0, 6))
    sand = [(x, y) for x, y in zip(xs, shore)] + [(g.wc, g.h), (0, g.h)]
    near.poly(sand, pal.ground)
    near.rgb[:] = np.where(near.alpha[..., None] > 0, _tint_rows(near.rgb, sea_end, g.h, 0.85), near.rgb)
    cv2.polylines(near.rgb, [np.stack([xs, shore], 1).astype(np.int32)], False, (245, 245, 240), 3, cv2.LINE_AA)
    for x in _spaced(g, rng, 0.9):
        _palm(near, x, sea_end + 0.08 * g.h, g.u * 0.55, _shade(pal.accent, 0.5), rng)


def _tint_rows(rgb: np.ndarray, y0: int, y1: int, k: float) -> np.ndarray:
    """Darker towards y0 (the distance), full colour at y1."""
    h = rgb.shape[0]
    t = np.clip((np.arange(h) - y0) / max(1, y1 - y0), 0, 1)
    f = (k + (1 - k) * t)[:, None, None]
    return (rgb * f).astype(np.uint8)


def _palm(layer, x, base, height, leaf, rng):
    top = (x + rng.uniform(-0.08, 0.08) * height, base - height)
    ss = np.linspace(0, 1, 12)
    trunk = [(x + (top[0] - x) * s ** 1.5, base + (top[1] - base) * s) for s in ss]
    for (p0, p1, s) in zip(trunk, trunk[1:], ss):
        layer.line(p0, p1, (110, 80, 50), int(0.05 * height * (1.1 - 0.5 * s)))
    for ang in np.linspace(-160, -20, 6):
        a = math.radians(ang + rng.uniform(-8, 8))
        tip = (top[0] + math.cos(a) * 0.45 * height, top[1] + math.sin(a) * 0.25 * height + 0.12 * height)
        mid = ((top[0] + tip[0]) / 2, (top[1] + tip[1]) / 2 - 0.05 * height)
        layer.poly([top, mid, tip, (mid[0], mid[1] + 0.06 * height)], leaf)


def _city(far, near, scene, g, rng):
    night = scene.time_of_day == "night"
    base = _mix(scene.palette.sky_top, (60, 60, 70), 0.6)
    x = 0.0
    while x < g.wc:
        bw, bh = rng.uniform(0.07, 0.16) * g.u * 1.7, rng.uniform(0.15, 0.45) * g.u
        col = _shade(base, rng.uniform(0.6, 1.0) * (0.45 if night else 1.0))
        far.rect(x, g.horizon - bh, x + bw, g.horizon + 2, col)
        for wy in np.arange(g.horizon - bh + 8, g.horizon - 6, 12):
            for wx in np.arange(x + 5, x + bw - 6, 10):
                lit = rng.random() < (0.45 if night else 0.1)
                wc = (250, 215, 120) if (lit and night) else _mix(col, (200, 220, 240), 0.35 if not night else 0.08)
                far.rect(wx, wy, wx + 5, wy + 6, wc)
        x += bw + rng.uniform(0, 0.02) * g.w
    _ground(near, g, _shade(scene.palette.ground, 0.8), scene.palette.ground)
    walk = g.horizon + int(0.07 * g.h)
    near.rect(0, g.horizon, g.wc, walk, _mix(scene.palette.ground, (160, 160, 160), 0.4))
    for lx in np.arange(0, g.wc, 0.12 * g.w):
        near.rect(lx, g.h * 0.86, lx + 0.05 * g.w, g.h * 0.875, (230, 220, 180))
    for x in _spaced(g, rng, 0.7, 0.1):
        near.rect(x - 3, g.horizon - 0.35 * g.u, x + 3, walk, (40, 40, 45))
        near.ellipse(x + 10, g.horizon - 0.35 * g.u, 16, 6, (60, 60, 65))
        if night:
            _glow_disc(near.rgb, int(x + 10), int(g.horizon - 0.34 * g.u), 7, (255, 230, 160), 0.5)


def _forest(far, near, scene, g, rng):
    pal = scene.palette
    dark = _shade(pal.accent, 0.8)
    for x in np.arange(-20, g.wc + 20, 14):
        hgt = rng.uniform(0.08, 0.18) * g.u
        far.poly([(x - 14, g.horizon + 2), (x, g.horizon - hgt), (x + 14, g.horizon + 2)], _mix(dark, pal.sky_horizon, 0.45))
    _ground(near, g, _shade(pal.ground, 0.75), pal.ground)
    for x in _spaced(g, rng, 0.28):
        _pine(near, x, g.horizon + rng.uniform(0.02, 0.08) * g.h, rng.uniform(0.5, 0.75) * g.u, dark)


def _pine(layer, x, base, height, color, snow: bool = False):
    layer.rect(x - 0.025 * height, base - 0.2 * height, x + 0.025 * height, base, (80, 55, 35))
    for k in range(3):
        y0 = base - 0.15 * height - k * 0.27 * height
        wdt = 0.32 * height * (1 - 0.25 * k)
        layer.poly([(x - wdt, y0), (x, y0 - 0.42 * height), (x + wdt, y0)], _shade(color, 1 - 0.08 * k))
        if snow:
            layer.poly([(x - 0.3 * wdt, y0 - 0.3 * height), (x, y0 - 0.42 * height), (x + 0.3 * wdt, y0 - 0.3 * height)], (240, 245, 250))


def _ridge(layer, g, rng, y_base, amp, color, cap=None, step=0.08):
    xs = np.arange(-step * g.w, g.wc + step * g.w, step * g.w)
    ys = y_base - amp * (0.4 + 0.6 * rng.random(xs.size))
    pts = list(zip(xs, ys)) + [(g.wc, g.h), (0, g.h)]
    layer.poly(pts, color)
    if cap is not None:
        for (x, y), (x2, y2) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
            if y < y_base - 0.75 * amp:  # snow on the higher peaks
                layer.poly([(x - 0.02 * g.w, y + 0.03 * g.h), (x, y), (x + 0.02 * g.w, y + 0.03 * g.h)], cap)


def _mountains(far, near, scene, g, rng):
    pal = scene.palette
    _ridge(far, g, rng, g.horizon, 0.35 * g.u, _mix(pal.accent, pal.sky_horizon, 0.35), (240, 242, 248), 0.12)
    _ridge(far, g, rng, g.horizon + 4, 0.18 * g.u, _shade(pal.accent, 0.7), None, 0.07)
    _ground(near, g, _shade(pal.ground, 0.8), pal.ground, g.horizon + int(0.03 * g.h))
    for x in _spaced(g, rng, 0.5):
        near.ellipse(x, g.horizon + 0.1 * g.h, 0.04 * g.w, 0.02 * g.h, (110, 110, 105))


def _desert(far, near, scene, g, rng):
    pal = scene.palette
    _ridge(far, g, rng, g.horizon, 0.08 * g.h, _mix(pal.ground, pal.sky_horizon, 0.4), None, 0.25)
    xs = np.arange(0, g.wc + 10, 10)
    ys = g.horizon + 0.05 * g.h + 0.025 * g.h * np.sin(xs / g.w * 5 + rng.uniform(0, 6))
    near.poly(list(zip(xs, ys)) + [(g.wc, g.h), (0, g.h)], pal.ground)
    near.rgb[:] = _tint_rows(near.rgb, g.horizon, g.h, 0.8)
    for x in _spaced(g, rng, 0.8):
        b, hgt = g.horizon + 0.12 * g.h, 0.25 * g.u
        cac = (70, 120, 60)
        near.rect(x - 0.012 * g.w, b - hgt, x + 0.012 * g.w, b, cac)
        near.rect(x - 0.045 * g.w, b - 0.6 * hgt, x - 0.012 * g.w, b - 0.5 * hgt, cac)
        near.rect(x - 0.045 * g.w, b - 0.85 * hgt, x - 0.03 * g.w, b - 0.5 * hgt, cac)


def _snow(far, near, scene, g, rng):
    _ridge(far, g, rng, g.horizon, 0.25 * g.u, (225, 232, 245), None, 0.15)
    _ground(near, g, (220, 228, 240), scene.palette.ground)
    for x in _spaced(g, rng, 0.35):
        _pine(near, x, g.horizon + rng.uniform(0.02, 0.06) * g.h, rng.uniform(0.35, 0.55) * g.u, (40, 80, 60), snow=True)


def _park(far, near, scene, g, rng):
    pal = scene.palette
    for x in np.arange(-30, g.wc + 30, 26):
        far.ellipse(x, g.horizon - rng.uniform(0.02, 0.08) * g.h, 26, 0.07 * g.h, _mix(pal.accent, pal.sky_horizon, 0.35))
    _ground(near, g, _shade(pal.ground, 0.8), pal.ground)
    path = [(0, g.h * 0.8), (g.wc, g.h * 0.74), (g.wc, g.h * 0.84), (0, g.h * 0.9)]
    near.poly(path, (200, 185, 150))
    for x in _spaced(g, rng, 0.45):
        top = g.horizon - rng.uniform(0.1, 0.2) * g.u
        near.rect(x - 6, top, x + 6, g.horizon + 0.08 * g.h, (95, 70, 45))
        for dx, dy in ((-0.04, 0.0), (0.04, 0.0), (0.0, -0.06)):
            near.ellipse(x + dx * g.u * 1.7, top + dy * g.u, 0.1 * g.u, 0.08 * g.u, _shade(pal.accent, rng.uniform(0.8, 1.1)))


def _space(far, near, scene, g, rng):
    for _ in range(3):  # nebulae
        blob = np.zeros_like(far.rgb)
        cv2.ellipse(blob, (int(rng.uniform(0, g.wc)), int(rng.uniform(0.1, 0.4) * g.h)),
                    (int(0.2 * g.w), int(0.08 * g.h)), rng.uniform(0, 180), 0, 360,
                    _c(_mix(scene.palette.accent, (120, 60, 160), 0.5)), -1)
        small = cv2.resize(blob, (g.wc // 8, g.h // 8), interpolation=cv2.INTER_AREA)  # a wide blur, cheaply
        soft = cv2.resize(cv2.GaussianBlur(small, (0, 0), 0.06 * g.w / 8), (g.wc, g.h), interpolation=cv2.INTER_LINEAR)
        far.rgb[:] = cv2.add(far.rgb, soft // 3)
    px, py, r = int(0.75 * g.w), int(0.25 * g.h), int(0.12 * g.h)
    _glow_disc(far.rgb, px, py, r, (200, 150, 110), 0.15)
    cv2.ellipse(far.rgb, (px, py), (int(1.8 * r), int(0.35 * r)), -15, 190, 350, (220, 200, 170), 2, cv2.LINE_AA)
    _ground(near, g, (70, 70, 78), (120, 120, 128), g.horizon + int(0.05 * g.h))
    for _ in range(int(g.wc / g.w * 6)):
        cx, cy = rng.uniform(0, g.wc), rng.uniform(g.horizon + 0.08 * g.h, g.h)
        near.ellipse(cx, cy, 0.03 * g.w, 0.01 * g.h, (60, 60, 66))


def _underwater(far, near, scene, g, rng):
    rays = np.zeros_like(far.rgb)
    for x in _spaced(g, rng, 0.3):
        cv2.fillPoly(rays, [np.int32([(x, 0), (x + 0.05 * g.w, 0), (x + 0.2 * g.w, g.h), (x + 0.12 * g.w, g.h)])], (40, 70, 70))
    far.rgb[:] = cv2.add(far.rgb, cv2.GaussianBlur(rays, (0, 0), 8))
    xs = np.arange(0, g.wc + 10, 10)
    ys = 0.72 * g.h + 0.02 * g.h * np.sin(xs / g.w * 6)
    near.poly(list(zip(xs, ys)) + [(g.wc, g.h), (0, g.h)], scene.palette.ground)
    for x in _spaced(g, rng, 0.2):
        pts = [(x + 0.02 * g.w * math.sin(k * 0.7), 0.74 * g.h - k * 0.03 * g.h) for k in range(10)]
        cv2.polylines(near.rgb, [np.int32(pts)], False, (40, 130, 70), 5, cv2.LINE_AA)
        cv2.polylines(near.alpha, [np.int32(pts)], False, 255, 5, cv2.LINE_AA)
    for x in _spaced(g, rng, 0.6):
        near.ellipse(x, 0.75 * g.h, 0.05 * g.w, 0.04 * g.h, (220, 110, 120))


def _indoor_wall(far, scene, g):
    far.rgb[:] = _gradient(g.h, g.wc, scene.palette.sky_top, scene.palette.sky_horizon)


def _office(far, near, scene, g, rng):
    _indoor_wall(far, scene, g)
    view = SKY_VIEW[scene.time_of_day]
    for x in _spaced(g, rng, 0.5, 0.0):
        far.rect(x, 0.12 * g.h, x + 0.3 * g.w, 0.5 * g.h, (80, 80, 90))
        far.rect(x + 4, 0.12 * g.h + 4, x + 0.3 * g.w - 4, 0.5 * g.h - 4, view)
    for x in _spaced(g, rng, 0.35, 0.0):
        far.rect(x, 0.01 * g.h, x + 0.2 * g.w, 0.03 * g.h, (250, 250, 240))
    _ground(near, g, (120, 115, 110), scene.palette.ground, int(0.62 * g.h))
    for x in _spaced(g, rng, 0.9):
        near.rect(x, 0.5 * g.h, x + 0.25 * g.w, 0.54 * g.h, (150, 110, 70))
        near.rect(x + 0.02 * g.w, 0.54 * g.h, x + 0.03 * g.w, 0.75 * g.h, (90, 70, 50))
        near.ellipse(x + 0.3 * g.w, 0.5 * g.h, 0.03 * g.w, 0.08 * g.h, (50, 120, 60))
        near.rect(x + 0.28 * g.w, 0.55 * g.h, x + 0.32 * g.w, 0.62 * g.h, (160, 90, 60))


SKY_VIEW = {"dawn": (240, 190, 170), "day": (150, 200, 240), "sunset": (240, 150, 90), "night": (25, 30, 60)}


def _kitchen(far, near, scene, g, rng):
    _indoor_wall(far, scene, g)
    for y in np.arange(0.3 * g.h, 0.62 * g.h, 0.04 * g.h):
        cv2.line(far.rgb, (0, int(y)), (g.wc, int(y)), _c(_shade(scene.palette.sky_horizon, 0.9)), 1)
    for x in _spaced(g, rng, 0.4, 0.0):
        far.rect(x, 0.04 * g.h, x + 0.3 * g.w, 0.25 * g.h, _shade(scene.palette.accent, 0.9))
        far.rect(x + 0.148 * g.w, 0.06 * g.h, x + 0.152 * g.w, 0.23 * g.h, _shade(scene.palette.accent, 0.6))
    _ground(near, g, (170, 160, 150), scene.palette.ground, int(0.62 * g.h))
    near.rect(0, 0.55 * g.h, g.wc, 0.62 * g.h, (235, 235, 230))
    near.rect(0, 0.62 * g.h, g.wc, g.h, _shade(scene.palette.accent, 0.75))
    for x in _spaced(g, rng, 0.6):
        near.ellipse(x, 0.53 * g.h, 0.05 * g.w, 0.03 * g.h, (90, 90, 95))


def _stage(far, near, scene, g, rng):
    _indoor_wall(far, scene, g)
    beams = np.zeros_like(far.rgb)
    for x in _spaced(g, rng, 0.3, 0.1):
        col = _c(_mix(scene.palette.accent, (255, 255, 255), rng.uniform(0.1, 0.5)))
        cv2.fillPoly(beams, [np.int32([(x, 0.05 * g.h), (x - 0.12 * g.w, 0.7 * g.h), (x + 0.12 * g.w, 0.7 * g.h)])], col)
        cv2.circle(far.rgb, (int(x), int(0.05 * g.h)), 8, (255, 250, 230), -1, cv2.LINE_AA)
    far.rgb[:] = cv2.addWeighted(far.rgb, 1.0, cv2.GaussianBlur(beams, (0, 0), 12), 0.35, 0)
    far.rect(0, 0.02 * g.h, g.wc, 0.035 * g.h, (60, 60, 66))
    _ground(near, g, (70, 45, 35), (120, 80, 55), int(0.68 * g.h))
    for y in np.arange(0.7 * g.h, g.h, 0.05 * g.h):
        cv2.line(near.rgb, (0, int(y)), (g.wc, int(y)), (50, 32, 25), 1)
    for x in _spaced(g, rng, 1.0, 0.0):
        near.rect(x, 0.45 * g.h, x + 0.09 * g.w, 0.7 * g.h, (25, 25, 28))
        near.ellipse(x + 0.045 * g.w, 0.55 * g.h, 0.03 * g.w, 0.03 * g.w, (60, 60, 66))


def _cafe(far, near, scene, g, rng):
    _indoor_wall(far, scene, g)
    for x in _spaced(g, rng, 0.45):
        far.rect(x, 0.15 * g.h, x + 0.12 * g.w, 0.32 * g.h, (60, 40, 30))
        far.rect(x + 5, 0.15 * g.h + 5, x + 0.12 * g.w - 5, 0.32 * g.h - 5, _mix(scene.palette.accent, (240, 230, 200), 0.5))
    for x in _spaced(g, rng, 0.3, 0.1):
        cv2.line(far.rgb, (int(x), 0), (int(x), int(0.12 * g.h)), (30, 30, 30), 2, cv2.LINE_AA)
        _glow_disc(far.rgb, int(x), int(0.13 * g.h), 9, (255, 210, 140), 0.6)
    _ground(near, g, (90, 60, 40), scene.palette.ground, int(0.64 * g.h))
    near.rect(0, 0.56 * g.h, g.wc, 0.64 * g.h, (100, 65, 45))
    for x in _spaced(g, rng, 0.5):
        near.rect(x, 0.53 * g.h, x + 0.025 * g.w, 0.56 * g.h, (245, 245, 240))


def _studio(far, near, scene, g, rng):
    _indoor_wall(far, scene, g)
    _glow_disc(far.rgb, int(g.w / 2), int(0.4 * g.h), int(0.25 * g.h), _mix(scene.palette.sky_horizon, (255, 255, 255), 0.3), 0.5)
    _ground(near, g, _shade(scene.palette.ground, 0.9), _shade(scene.palette.ground, 0.6), int(0.7 * g.h))


PAINTERS = {
    "beach": _beach, "city street": _city, "forest": _forest, "mountains": _mountains, "desert": _desert,
    "snow": _snow, "park": _park, "space": _space, "underwater": _underwater, "office": _office,
    "kitchen": _kitchen, "stage": _stage, "cafe": _cafe, "studio": _studio,
}

# ---- cameos ----

# How the set's light falls on the cameos (RGB gain).
LIGHT = {"dawn": (1.0, 0.93, 0.9), "day": (1.0, 1.0, 1.0), "sunset": (1.06, 0.9, 0.78), "night": (0.62, 0.66, 0.82)}
PLACE_LIGHT = {"underwater": (0.7, 0.9, 1.0), "stage": (1.05, 0.95, 1.0), "space": (0.85, 0.85, 0.95)}
INDOOR_LIGHT = (1.0, 0.98, 0.95)
SHIRTS = ((52, 86, 140), (150, 60, 60), (70, 120, 80), (120, 90, 150), (200, 150, 60), (60, 60, 70), (40, 130, 140))
# Horizontal positions (fraction of width) for 1, 2 and 3 cameos.
SLOTS = {1: (0.5,), 2: (0.32, 0.68), 3: (0.2, 0.5, 0.8)}


@dataclass(frozen=True)
class MouthGeometry:
    """Where the mouth is in a 256x256 aligned crop: centre and half-width (px)."""

    x: float
    y: float
    half_width: float


def estimate_mouth(crop: np.ndarray) -> MouthGeometry:
    """The mouth of an eye-aligned crop: where faces put it, refined to the darkest row (the lips' parting)."""
    guess = EYE_Y + MOUTH_BELOW_EYES * EYE_DIST
    gray = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY).astype(np.float32)
    y0, y1 = int(guess - 0.18 * EYE_DIST), int(guess + 0.25 * EYE_DIST)
    rows = gray[y0:y1, int(CROP / 2 - 0.2 * EYE_DIST) : int(CROP / 2 + 0.2 * EYE_DIST)].mean(axis=1)
    rows = np.convolve(rows, np.ones(3) / 3, mode="same")
    y = float(y0 + 1 + int(np.argmin(rows[1:-1]))) if rows.size > 2 else guess
    return MouthGeometry(CROP / 2.0, y, MOUTH_WIDTH * EYE_DIST / 2.0)


def _seed_for(handle: str, seed: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{handle}:{seed}".encode()).digest()[:4], "little")


def _layout(w: int, h: int, n: int) -> tuple[int, float]:
    """Face sprite size and the face centre's height for n cameos in a w x h frame."""
    size = int(min(0.44 * h, 0.78 * w / max(n, 1), 0.5 * w))
    # Low enough that about two face-heights of body show: in a tall frame small faces
    # placed high would stand on pillars of shirt.
    center_y = max(0.44 * h, h - 1.9 * size)
    return size - size % 2, center_y


class Actor:
    """One cameo, prepared once: the lit, masked face; the body; the mouth's warp; their own rhythm."""

    def __init__(self, crop: np.ndarray, handle: str, slot: int, n: int, scene: Scene, w: int, h: int, seed: int):
        self.handle, self.slot = handle, slot
        size, center_y = _layout(w, h, n)
        self.size = size
        self.x = SLOTS[n][slot] * w
        self.face_top = center_y - size / 2
        rng = np.random.default_rng(_seed_for(handle, seed))
        self.phase = rng.uniform(0, 2 * np.pi, 4)
        self.rate = rng.uniform(0.85, 1.15, 3)
        light = np.asarray(_light(scene), np.float32)
        face = cv2.resize(crop, (size, size), interpolation=cv2.INTER_AREA).astype(np.float32) * light
        self.face_rgb = np.clip(face, 0, 255).astype(np.uint8)
        self.face_alpha = _face_mask(size)
        k = size / CROP
        m = estimate_mouth(crop)
        self.mouth = MouthGeometry(m.x * k, m.y * k, m.half_width * k)
        self.max_drop = 0.075 * size
        self._warp_roi, self._warp_weight, self._grid = _jaw_warp(self.mouth, size)
        skin = _skin_tone(crop) * light
        shirt = np.asarray(SHIRTS[_seed_for(handle, 0) % len(SHIRTS)], np.float32) * light
        self.body_top = self.face_top + 0.72 * size
        self.body = Sprite.from_rgba(_body(size, int(h - self.body_top) + int(0.06 * h), skin, shirt))

    def draw(self, frame: np.ndarray, t: float, mouth: float, dx: float, walking: bool) -> None:
        h, w = frame.shape[:2]
        ph, r = self.phase, self.rate
        sway = 0.008 * w * math.sin(2 * np.pi * 0.23 * r[0] * t + ph[0])
        breathe = 0.004 * h * math.sin(2 * np.pi * 0.25 * r[1] * t + ph[1])
        bob = 0.003 * h * math.sin(2 * np.pi * 0.5 * r[2] * t + ph[2])
        if walking:
            bob += 0.012 * h * abs(math.sin(2 * np.pi * 1.0 * t + ph[3]))
        tilt = 2.2 * math.sin(2 * np.pi * 0.17 * r[0] * t + ph[3]) + 2.0 * mouth
        x = self.x + dx + sway
        body = self.body
        composite(frame, body, int(round(x - body.width / 2)), int(round(self.body_top + bob + breathe)))
        face = self._face(mouth, tilt)
        composite(frame, face, int(round(x - self.size / 2 + 0.3 * sway)), int(round(self.face_top + bob + 0.8 * mouth)))

    def _face(self, mouth: float, tilt: float) -> "Sprite":
        """The face for this frame: jaw dropped by `mouth`, the head tilted by `tilt` degrees."""
        rgb, alpha = self.face_rgb, self.face_alpha
        drop = float(mouth) * self.max_drop
        if drop >= 0.5:
            rgb = rgb.copy()
            y0, y1, x0, x1 = self._warp_roi
            gx, gy = self._grid
            rgb[y0:y1, x0:x1] = cv2.remap(self.face_rgb, gx, gy - drop * self._warp_weight, cv2.INTER_LINEAR,
                                          borderMode=cv2.BORDER_REPLICATE)
            _paint_open_mouth(rgb, self.mouth, drop)
        if abs(tilt) > 0.05:
            pivot = (self.size / 2.0, 0.95 * self.size)  # the neck
            m = cv2.getRotationMatrix2D(pivot, tilt, 1.0)
            size = (self.size, self.size)
            rgb = cv2.warpAffine(rgb, m, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
            alpha = cv2.warpAffine(alpha, m, size, flags=cv2.INTER_LINEAR, borderValue=0)
        return Sprite.from_rgb_alpha(rgb, alpha)


def prepare_actor(crop, handle, slot, n, scene, w, h, seed) -> Actor:
    return Actor(crop, handle, slot, n, scene, w, h, seed)


def _light(scene: Scene):
    if scene.place in PLACE_LIGHT:
        return PLACE_LIGHT[scene.place]
    if scene.place in INDOOR:
        return INDOOR_LIGHT
    return LIGHT[scene.time_of_day]


@lru_cache(maxsize=8)
def _face_mask(size: int) -> np.ndarray:
    """A feathered ellipse over head and hair: the crop's own background never shows."""
    mask = np.zeros((size, size), np.uint8)
    c = (size // 2, int(0.5 * size))
    cv2.ellipse(mask, c, (int(0.36 * size), int(0.46 * size)), 0, 0, 360, 255, -1, cv2.LINE_AA)
    mask = cv2.GaussianBlur(mask, (0, 0), 0.035 * size)
    mask.flags.writeable = False
    return mask


def _skin_tone(crop: np.ndarray) -> np.ndarray:
    """The cheeks' median colour, a little darker: the neck is in the chin's shadow."""
    a = crop[int(0.58 * CROP) : int(0.66 * CROP), int(0.3 * CROP) : int(0.38 * CROP)].reshape(-1, 3)
    b = crop[int(0.58 * CROP) : int(0.66 * CROP), int(0.62 * CROP) : int(0.7 * CROP)].reshape(-1, 3)
    return np.median(np.concatenate([a, b]), axis=0).astype(np.float32) * 0.82


def _body(size: int, height: int, skin: np.ndarray, shirt: np.ndarray) -> np.ndarray:
    """Neck, shoulders and torso as an RGBA sprite, shaded so it reads as round."""
    w = int(1.6 * size)
    height = max(height, int(0.5 * size))
    rgb = np.zeros((height, w, 3), np.float32)
    alpha = np.zeros((height, w), np.uint8)
    cx = w / 2
    layer = _Layer(rgb, alpha)
    layer.rect(cx - 0.13 * size, 0, cx + 0.13 * size, 0.4 * size, skin)
    layer.ellipse(cx, 0.72 * size, 0.62 * size, 0.46 * size, shirt)
    layer.rect(cx - 0.62 * size, 0.72 * size, cx + 0.62 * size, height, shirt)
    layer.poly([(cx - 0.13 * size, 0.26 * size), (cx + 0.13 * size, 0.26 * size), (cx, 0.45 * size)], skin)
    xs = (np.arange(w) - cx) / (0.62 * size)
    shade = 0.7 + 0.3 * np.cos(np.clip(xs, -1, 1) * np.pi / 2)
    rows = 1.0 - 0.15 * np.clip(np.arange(height) / max(1, height), 0, 1)
    rgb *= (rows[:, None] * shade[None, :])[..., None]
    neck_shadow = np.clip(1 - np.arange(height) / (0.12 * size), 0, 1) * 0.35  # under the chin
    rgb *= (1 - neck_shadow)[:, None, None]
    alpha = cv2.GaussianBlur(alpha, (0, 0), 1.0)
    return np.dstack([np.clip(rgb, 0, 255).astype(np.uint8), alpha])


def _jaw_warp(m: MouthGeometry, size: int):
    """The region below the lips that drops with the jaw, and how much each pixel follows (1 at the chin's middle)."""
    x0, x1 = int(max(0, m.x - 1.8 * m.half_width)), int(min(size, m.x + 1.8 * m.half_width))
    y0, y1 = int(max(0, m.y - 0.3 * m.half_width)), int(min(size, m.y + 2.6 * m.half_width))
    xs, ys = np.meshgrid(np.arange(x0, x1, dtype=np.float32), np.arange(y0, y1, dtype=np.float32))
    across = np.cos(np.clip((xs - m.x) / (1.8 * m.half_width), -1, 1) * np.pi / 2) ** 2
    below = np.clip((ys - m.y) / 2.0 + 0.5, 0, 1)  # starts at the lips' parting
    fade = np.clip((y1 - ys) / (0.8 * m.half_width), 0, 1)  # the neck stretches rather than tears
    weight = (across * below * fade).astype(np.float32)
    return (y0, y1, x0, x1), weight, (xs, ys)


def _paint_open_mouth(rgb: np.ndarray, m: MouthGeometry, drop: float) -> None:
    """The dark inside of the mouth, with a hint of upper teeth, in the gap the jaw opened."""
    cx, cy = int(round(m.x)), int(round(m.y + drop / 2))
    ax, ay = max(2, int(0.7 * m.half_width)), max(1, int(drop / 2))
    cv2.ellipse(rgb, (cx, cy), (ax, ay), 0, 0, 360, (70, 22, 28), -1, cv2.LINE_AA)
    if drop > 5:
        cv2.ellipse(rgb, (cx, int(m.y)), (int(0.45 * ax), max(1, int(0.15 * drop))), 0, 0, 180,
                    (200, 190, 180), -1, cv2.LINE_AA)


@dataclass(frozen=True)
class Sprite:
    """An image ready to lay over a frame: colour premultiplied by alpha, and 255 - alpha, both uint8 RGB.

    Compositing is then one saturating multiply and one add, both vectorised
    uint8 operations in OpenCV: about 4x faster than blending in float.
    """

    pre: np.ndarray
    inv: np.ndarray

    @property
    def width(self) -> int:
        return self.pre.shape[1]

    @classmethod
    def from_rgb_alpha(cls, rgb: np.ndarray, alpha: np.ndarray) -> "Sprite":
        a3 = cv2.cvtColor(np.ascontiguousarray(alpha), cv2.COLOR_GRAY2RGB)
        return cls(cv2.multiply(np.ascontiguousarray(rgb), a3, scale=1 / 255.0), cv2.bitwise_not(a3))

    @classmethod
    def from_rgba(cls, rgba: np.ndarray, opacity: float = 1.0) -> "Sprite":
        alpha = rgba[..., 3] if opacity >= 1.0 else (rgba[..., 3] * opacity).astype(np.uint8)
        return cls.from_rgb_alpha(rgba[..., :3], alpha)


def composite(dst: np.ndarray, sprite: Sprite, x: int, y: int) -> None:
    """Lay a sprite over the frame at (x, y), clipped to the frame."""
    h, w = dst.shape[:2]
    sh, sw = sprite.pre.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + sw), min(h, y + sh)
    if x0 >= x1 or y0 >= y1:
        return
    sy, sx = slice(y0 - y, y1 - y), slice(x0 - x, x1 - x)
    roi = dst[y0:y1, x0:x1]
    roi[:] = cv2.add(cv2.multiply(roi, sprite.inv[sy, sx], scale=1 / 255.0), sprite.pre[sy, sx])


# ---- weather ----


class Weather:
    """Rain streaks, snow or bubbles scrolled over the frame, or fog washed over it; nothing in clear weather."""

    def __init__(self, kind: str, texture: np.ndarray | None = None, fall: float = 0.0, drift: int = 0,
                 fog: np.ndarray | None = None):
        self.kind, self.texture, self.fall, self.drift, self.fog = kind, texture, fall, drift, fog

    def apply(self, frame: np.ndarray, i: int) -> None:
        h, w = frame.shape[:2]
        if self.texture is not None:
            period = self.texture.shape[0] - h  # the texture repeats after this many rows
            oy = (-int(round(i * self.fall))) % period  # window moves up the texture: the content falls
            ox = int((0.5 + 0.5 * math.sin(i * 0.05)) * self.drift)
            cv2.add(frame, self.texture[oy : oy + h, ox : ox + w], dst=frame)
        if self.fog is not None:
            ox = int(i * 0.6) % max(1, self.fog.shape[1] - w)
            cv2.addWeighted(frame, 0.62, self.fog[:, ox : ox + w], 0.38, 0, dst=frame)


def _tiling(base: np.ndarray, h: int) -> np.ndarray:
    """`base` with its first h rows repeated below it, so a window can scroll through it without a seam."""
    return np.ascontiguousarray(np.vstack([base, base[:h]]))


def prepare_weather(scene: Scene, w: int, h: int, rng: np.random.Generator) -> Weather:
    if scene.weather == "rain":
        base = np.zeros((h, w, 3), np.uint8)
        for _ in range(int(w * h / 900)):
            x, y, ln = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.03, 0.07) * h
            b = int(rng.uniform(40, 90))
            for yy in (y, y - h):  # drawn twice so streaks crossing the bottom edge continue at the top
                cv2.line(base, (int(x), int(yy)), (int(x - 0.25 * ln), int(yy + ln)), (b, b, b + 10), 1, cv2.LINE_AA)
        return Weather("rain", _tiling(base, h), fall=0.035 * h)
    if scene.weather == "snow":
        pad = int(0.05 * w)
        base = np.zeros((h, w + pad, 3), np.uint8)
        for _ in range(int(w * h / 1400)):
            x, y, r = rng.uniform(0, w + pad), rng.uniform(0, h), int(rng.choice([1, 1, 2, 2, 3]))
            b = int(rng.uniform(170, 255))
            for yy in (y, y - h):
                cv2.circle(base, (int(x), int(yy)), r, (b, b, b), -1, cv2.LINE_AA)
        return Weather("snow", _tiling(base, h), fall=0.004 * h, drift=pad)
    if scene.place == "underwater":  # bubbles rise
        base = np.zeros((h, w, 3), np.uint8)
        for _ in range(int(w * h / 6000)):
            x, y, r = rng.uniform(0, w), rng.uniform(0, h), int(rng.uniform(2, 5))
            for yy in (y, y - h):
                cv2.circle(base, (int(x), int(yy)), r, (60, 80, 90), 1, cv2.LINE_AA)
        return Weather("bubbles", _tiling(base, h), fall=-0.006 * h)
    if scene.weather == "fog":
        noise = rng.random((max(2, h // 40), max(2, (w * 2) // 40))).astype(np.float32)
        soft = cv2.resize(noise, (2 * w, h), interpolation=cv2.INTER_CUBIC)
        fog = (190 + 50 * soft)[..., None] * np.ones(3, np.float32)
        return Weather("fog", fog=np.clip(fog, 0, 255).astype(np.uint8))
    return Weather("clear")


# ---- captions ----


def _font_size(w: int, h: int) -> float:
    return max(14.0, 0.048 * min(w, h))


@lru_cache(maxsize=8)
def _font(size: int):
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _text_patch(text: str, size: float, color, box) -> np.ndarray:
    """A text label as an RGBA patch (Pillow's bundled font: no system fonts needed)."""
    from PIL import Image, ImageDraw

    font = _font(int(round(size)))
    x0, y0, x1, y1 = font.getbbox(text)
    pad = int(0.35 * size) if box else 1
    img = Image.new("RGBA", (x1 + 2 * pad, int(size * 1.25) + 2 * pad), (0, 0, 0, 0) if box is None else box)
    ImageDraw.Draw(img).text((pad, pad), text, font=font, fill=tuple(color) + (255,))
    return np.asarray(img)


def _wrap(words: list[str], font, width: float) -> list[str]:
    lines, cur = [], ""
    for word in words:
        trial = f"{cur} {word}".strip()
        if cur and font.getlength(trial) > width:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    return lines + ([cur] if cur else [])


def _caption_patch(line: DialogueLine, w: int, h: int, accent) -> np.ndarray:
    """The speaker's handle in the set's accent colour, then the line, wrapped to the frame, on a dark box."""
    from PIL import Image, ImageDraw

    size = int(round(_font_size(w, h)))
    font = _font(size)
    speaker = f"@{line.handle}: "
    wrapped = _wrap((speaker + line.text).split(), font, 0.86 * w - size)
    pad, gap = int(0.4 * size), int(0.25 * size)
    width = int(max(font.getlength(t) for t in wrapped)) + 2 * pad
    height = len(wrapped) * (size + gap) - gap + 2 * pad + int(0.25 * size)
    img = Image.new("RGBA", (width, height), (0, 0, 0, 150))
    draw = ImageDraw.Draw(img)
    name_col = tuple(int(v) for v in _mix(accent, (255, 255, 255), 0.45)) + (255,)
    for k, text in enumerate(wrapped):
        y = pad + k * (size + gap)
        if k == 0 and text.startswith(speaker.strip()):
            draw.text((pad, y), speaker, font=font, fill=name_col)
            draw.text((pad + font.getlength(speaker), y), text[len(speaker):], font=font, fill=(255, 255, 255, 255))
        else:
            draw.text((pad, y), text, font=font, fill=(255, 255, 255, 255))
    return np.asarray(img)


class Captions:
    def __init__(self, lines: tuple[DialogueLine, ...], patches: list[np.ndarray]):
        self.lines, self.sprites = lines, [Sprite.from_rgba(p) for p in patches]

    def apply(self, frame: np.ndarray, t: float) -> None:
        h, w = frame.shape[:2]
        for line, sprite in zip(self.lines, self.sprites):
            if line.start_s <= t < line.end_s:
                ph, pw = sprite.pre.shape[:2]
                composite(frame, sprite, (w - pw) // 2, h - ph - int(0.04 * h))


def prepare_captions(dialogue: tuple[DialogueLine, ...], w: int, h: int, accent) -> Captions:
    timed = tuple(d for d in dialogue if d.end_s > d.start_s)
    return Captions(timed, [_caption_patch(d, w, h, accent) for d in timed])
