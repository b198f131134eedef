"""Read a photo the way a person sees it (EXIF orientation applied), and a stored crop, as RGB."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from identity.errors import MediaError


def read_image(path: Path) -> np.ndarray:
    try:
        with Image.open(path) as img:
            return np.asarray(ImageOps.exif_transpose(img).convert("RGB"))
    except (UnidentifiedImageError, OSError) as exc:
        raise MediaError("not_an_image", f"{path} is not a readable image") from exc


def decode_png(png: bytes) -> np.ndarray:
    """A stored reference crop (PNG bytes) as an RGB array."""
    with Image.open(io.BytesIO(png)) as img:
        return np.asarray(img.convert("RGB"))
