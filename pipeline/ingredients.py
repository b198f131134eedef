"""Image references ("ingredients"): up to two photos of an object, product, place or outfit per clip.

A creator uploads them with the prompt ("upload your car images and make an ad for this car"). Here
they are read and normalised before any work: a real image of a sensible size, EXIF orientation applied
and every metadata block dropped (a phone photo's GPS position never travels further), at most
MAX_SIDE pixels on its longer side. What is *in* the picture is judged later, by the job, with the
clip's grant at hand (safety.ingredients: nudity and the likeness firewall). Only the SHA-256 of the
uploaded file reaches the clip's Content Credentials, never the image.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from identity.errors import StudioError
from pipeline.types import MAX_INGREDIENTS, IngredientRef

KINDS = ("object", "product", "place", "outfit")
MAX_BYTES = 10 * 1024 * 1024
MIN_SIDE = 64  # smaller than this shows the model nothing it can use
MAX_SIDE = 1024  # the diffusion backend fits references to 832x480 anyway
MAX_LABEL_CHARS = 60
Image.MAX_IMAGE_PIXELS = 64_000_000  # a decompression bomb is an error, not a hang


class IngredientError(StudioError):
    """An image reference that cannot be used, with what to do about it."""


@dataclass(frozen=True)
class Ingredient:
    """A normalised image reference as a request carries it: plain bytes, so it pickles to a worker."""

    kind: str
    label: str
    image_png: bytes  # RGB, metadata stripped, at most MAX_SIDE px
    sha256: str  # of the file as uploaded

    def to_ref(self) -> IngredientRef:
        with Image.open(io.BytesIO(self.image_png)) as img:
            rgb = np.asarray(img.convert("RGB"))
        return IngredientRef(self.kind, self.label, rgb, self.sha256)


def load_ingredient(source: bytes | str | Path, kind: str = "object", label: str = "", position: int = 1) -> Ingredient:
    """Read one uploaded image reference, or say exactly why it cannot be used."""
    name = f"image reference {position}"
    kind = (kind or "object").strip().lower()
    if kind not in KINDS:
        raise IngredientError("bad_ingredient_kind", f"{name}: the kind must be one of {', '.join(KINDS)}, not {kind!r}",
                              {"position": position, "choices": ", ".join(KINDS), "kind": kind})
    label = " ".join((label or "").split())
    if len(label) > MAX_LABEL_CHARS:
        raise IngredientError("ingredient_label_too_long",
                              f"{name}: keep its name under {MAX_LABEL_CHARS} characters ({len(label)} now)",
                              {"position": position, "most": MAX_LABEL_CHARS, "length": len(label)})
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else bytes(source)
    if len(data) > MAX_BYTES:
        raise IngredientError("ingredient_too_large",
                              f"{name} is {len(data) / 1e6:.1f} MB; upload an image under {MAX_BYTES // 2**20} MB",
                              {"position": position, "size_mb": f"{len(data) / 1e6:.1f}", "max_mb": MAX_BYTES // 2**20})
    try:
        with Image.open(io.BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise IngredientError("not_an_image", f"{name} is not a readable image (JPEG, PNG or WebP)",
                              {"position": position}) from exc
    if min(img.size) < MIN_SIDE:
        raise IngredientError("ingredient_too_small",
                              f"{name} is {img.width}x{img.height} px; use one at least {MIN_SIDE} px on each side",
                              {"position": position, "width": img.width, "height": img.height, "least": MIN_SIDE})
    if max(img.size) > MAX_SIDE:
        img.thumbnail((MAX_SIDE, MAX_SIDE), Image.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, format="PNG")  # a fresh file: no EXIF, no GPS, no ICC comments
    return Ingredient(kind, label, buf.getvalue(), hashlib.sha256(data).hexdigest())


def load_ingredients(items) -> tuple[Ingredient, ...]:
    """Up to MAX_INGREDIENTS (source, kind, label) triples, or Ingredient records already loaded."""
    items = [i for i in (items or ()) if i is not None]
    if len(items) > MAX_INGREDIENTS:
        raise IngredientError("too_many_ingredients",
                              f"a clip takes at most {MAX_INGREDIENTS} image references (you added {len(items)})",
                              {"most": MAX_INGREDIENTS, "count": len(items)})
    out = []
    for position, item in enumerate(items, start=1):
        out.append(item if isinstance(item, Ingredient) else load_ingredient(*item, position=position))
    return tuple(out)


def describe(ingredient: IngredientRef | Ingredient) -> str:
    """How the prompt names an ingredient: its label, else its kind ("the product")."""
    return ingredient.label or f"the {ingredient.kind}"
